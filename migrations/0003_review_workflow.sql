-- Evidence workflow: the unit_reviewer role bound to units, the worker-owned record state, and transitions.

-- SQLite cannot alter a CHECK constraint: rebuild api_keys with the new role, keeping every row.
CREATE TABLE api_keys_new (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'hr', 'committee', 'teacher', 'unit_reviewer')),
  teacher_id TEXT,
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT,
  revoked_at TEXT
);
INSERT INTO api_keys_new (id, token_hash, role, teacher_id, label, created_at, created_by, revoked_at)
  SELECT id, token_hash, role, teacher_id, label, created_at, created_by, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
CREATE INDEX api_keys_by_created ON api_keys (created_at, id);

-- The units a unit_reviewer key acts on (one or more).
CREATE TABLE api_key_units (
  key_id TEXT NOT NULL REFERENCES api_keys (id),
  unit TEXT NOT NULL,
  PRIMARY KEY (key_id, unit)
);

-- The workflow state (src/workflow.ts); `status` keeps what core sees (pending / verified / rejected).
-- Existing records: pending → submitted, verified → verified, rejected → rejected.
ALTER TABLE records ADD COLUMN state TEXT NOT NULL DEFAULT 'submitted'
  CHECK (state IN ('submitted', 'unit_approved', 'returned', 'verified', 'rejected', 'withdrawn'));
UPDATE records SET state = CASE status WHEN 'verified' THEN 'verified' WHEN 'rejected' THEN 'rejected' ELSE 'submitted' END;
CREATE INDEX records_by_state ON records (state, updated_at, id);

-- Every transition of a record's state: who, when, from, to, why. Append-only like the audit log.
CREATE TABLE record_transitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT,
  role TEXT,
  from_state TEXT,
  to_state TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX record_transitions_by_record ON record_transitions (record_id, id);
CREATE TRIGGER record_transitions_no_update BEFORE UPDATE ON record_transitions BEGIN SELECT RAISE(ABORT, 'record_transitions is append-only'); END;
CREATE TRIGGER record_transitions_no_delete BEFORE DELETE ON record_transitions BEGIN SELECT RAISE(ABORT, 'record_transitions is append-only'); END;
