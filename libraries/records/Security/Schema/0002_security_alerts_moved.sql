-- Security alerts live in EdgeKv's one alert store now (EdgeKv.db's alerts, or the shared Alerts table). The rows of
-- the old append-only table are kept, under a name that says so, until the start-up import (SecurityAlertImport)
-- has carried them over; it then drops the table.
DROP TRIGGER IF EXISTS alerts_no_update;
DROP TRIGGER IF EXISTS alerts_no_delete;
ALTER TABLE security_alerts RENAME TO security_alerts_pending_import;
