-- The alerts timeline (changed since a time) and the lists ordered by first sighting read by time, not by a scan of
-- every alert ever raised.
CREATE INDEX alerts_first_seen ON alerts (first_seen, id);
CREATE INDEX alerts_resolved_at ON alerts (resolved_at);
