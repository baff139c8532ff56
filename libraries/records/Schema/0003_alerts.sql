CREATE TABLE alerts (
    id            TEXT NOT NULL PRIMARY KEY,
    resource      TEXT NOT NULL COLLATE NOCASE,
    kind          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    state         TEXT NOT NULL,
    finding       TEXT NOT NULL,
    healing       TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    resolved_at   TEXT NULL,
    occurrences   INTEGER NOT NULL
);
-- De-duplication: at most one active alert per resource and kind.
CREATE UNIQUE INDEX alerts_active ON alerts (resource, kind) WHERE state = 'Active';
CREATE INDEX alerts_resource ON alerts (resource, state);
