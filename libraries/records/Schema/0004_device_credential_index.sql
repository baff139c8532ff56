-- Device sign-in looks its record up by the credential's hash instead of reading every record.
ALTER TABLE resources ADD COLUMN device_credential_hash TEXT NULL;
UPDATE resources SET device_credential_hash = json_extract(document, '$.deviceCredentialHash');
CREATE UNIQUE INDEX resources_device_credential ON resources (device_credential_hash) WHERE device_credential_hash IS NOT NULL;
