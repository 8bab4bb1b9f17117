-- The audit log is append-only (0001 refuses UPDATE and DELETE). `INSERT OR REPLACE` / `REPLACE INTO` over an
-- existing id would still overwrite a row: REPLACE deletes the old row without firing DELETE triggers (SQLite
-- fires them only with PRAGMA recursive_triggers, which D1 does not let a migration rely on). A BEFORE INSERT
-- trigger runs before the conflict is resolved, so it refuses any insert naming an id that already exists,
-- whatever the conflict clause. Ordinary inserts leave id NULL (autoincrement) and pass.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
