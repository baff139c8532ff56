-- Access policy entries the security team accepted on a vault EdgeKv manages (issue 17): an accepted entry no longer
-- alerts while its permissions stay what was accepted. Numbered 0010 to leave room for other branches' migrations.
CREATE TABLE accepted_access_policies (
    resource     TEXT NOT NULL COLLATE NOCASE,
    object_id    TEXT NOT NULL COLLATE NOCASE,
    permissions  TEXT NOT NULL,
    accepted_by  TEXT NOT NULL,
    accepted_at  TEXT NOT NULL,
    PRIMARY KEY (resource, object_id)
);
