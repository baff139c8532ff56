-- security.db as it was before it had migrations: every statement is IF NOT EXISTS, so an existing file takes it as is.
CREATE TABLE IF NOT EXISTS role_assignments (
    id TEXT PRIMARY KEY, principal_id TEXT NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_role_assignments_principal ON role_assignments(principal_id);
CREATE TABLE IF NOT EXISTS audit_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, principal TEXT NOT NULL, role TEXT, device TEXT,
    operation TEXT NOT NULL, resource TEXT, secret_name TEXT, client_ip TEXT, result TEXT NOT NULL, status INTEGER NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_audit_time ON audit_records(time);
-- The audit trail and the security alerts are append-only: the database itself refuses to change or remove a row.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_records BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_records BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TABLE IF NOT EXISTS security_alerts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, kind TEXT NOT NULL, resource TEXT, principal TEXT, message TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS alerts_no_update BEFORE UPDATE ON security_alerts BEGIN SELECT RAISE(ABORT, 'alerts are append-only'); END;
CREATE TRIGGER IF NOT EXISTS alerts_no_delete BEFORE DELETE ON security_alerts BEGIN SELECT RAISE(ABORT, 'alerts are append-only'); END;
