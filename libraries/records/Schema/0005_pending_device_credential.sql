-- Two-phase rotation: a device's new credential is pending until its first use, and the current one keeps working
-- until then, so a rotation whose answer is lost on the way to the device never locks the device out.
ALTER TABLE resources ADD COLUMN pending_device_credential_hash TEXT NULL;
UPDATE resources SET pending_device_credential_hash = json_extract(document, '$.pendingDeviceCredentialHash');
CREATE UNIQUE INDEX resources_pending_device_credential ON resources (pending_device_credential_hash) WHERE pending_device_credential_hash IS NOT NULL;
