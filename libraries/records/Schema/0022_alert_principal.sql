-- One alert model for health and security: an alert may be about a principal (an Entra object id, stored in lower
-- case; NULL when none), and an active alert is one per resource, kind and principal.
ALTER TABLE alerts ADD COLUMN principal TEXT NULL;
DROP INDEX alerts_active;
CREATE UNIQUE INDEX alerts_active ON alerts (resource, kind, IFNULL(principal, '')) WHERE state = 'Active';
