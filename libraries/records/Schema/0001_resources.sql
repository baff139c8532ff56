CREATE TABLE resources (
    name        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    resource_id TEXT NOT NULL UNIQUE COLLATE NOCASE,
    document    TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
