-- Event Grid tells EdgeKv a vault id; finding the resource that owns it reads one index entry, not every record.
CREATE INDEX resources_vault_id ON resources (lower(json_extract(document, '$.vaultId')));
