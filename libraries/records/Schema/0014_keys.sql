-- Key management (issue 14): EdgeKv's keys and their versions, KMS providers, and where each key is distributed.
-- Key material and provider credentials are stored only as envelopes under the key-encryption key.
CREATE TABLE managed_keys (
    name        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    document    TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE managed_key_versions (
    key_name    TEXT NOT NULL COLLATE NOCASE,
    version     INTEGER NOT NULL,
    material    BLOB NOT NULL,
    PRIMARY KEY (key_name, version)
);
CREATE TABLE kms_providers (
    name        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    document    TEXT NOT NULL,
    credentials BLOB NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE key_distributions (
    kms_name    TEXT NOT NULL COLLATE NOCASE,
    key_name    TEXT NOT NULL COLLATE NOCASE,
    document    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kms_name, key_name)
);
CREATE INDEX key_distributions_key ON key_distributions (key_name);
