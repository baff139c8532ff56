-- What the health sweep remembers per resource between sweeps, so that it reads a resource's diagnostic settings and
-- its vault's secrets only when they are due or something changed: the fingerprint of the vault as the fleet list
-- showed it, when those reads last ran and whether they found a fault, when they are next due, and when an event last
-- marked the resource (written by the event handlers alone, so a sweep's write never loses a mark).
CREATE TABLE sweep_checks (
    name               TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    vault_fingerprint  TEXT NULL,
    reads_checked_at   TEXT NULL,
    reads_due_at       TEXT NULL,
    reads_faulty       INTEGER NOT NULL DEFAULT 0,
    dirty_at           TEXT NULL
);

-- Each sweep's calls to Azure, as its summary reports them.
ALTER TABLE sweeps ADD COLUMN arm_reads INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sweeps ADD COLUMN data_plane_reads INTEGER NOT NULL DEFAULT 0;
