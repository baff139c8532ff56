-- The health sweep's history: one row per finished sweep, keyed by the sweep's id (a retried write is a no-op), read in
-- insertion order (rowid) and pruned by age and count.
CREATE TABLE sweeps (
    id              TEXT NOT NULL PRIMARY KEY,
    instance_id     TEXT NOT NULL,
    trigger_name    TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    completed_at    TEXT NOT NULL,
    pages           INTEGER NOT NULL,
    checked         INTEGER NOT NULL,
    skipped         INTEGER NOT NULL,
    faulty          INTEGER NOT NULL,
    unchecked_pages INTEGER NOT NULL,
    raised          INTEGER NOT NULL,
    resolved        INTEGER NOT NULL
);
CREATE INDEX sweeps_started ON sweeps (started_at);
