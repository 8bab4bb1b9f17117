-- Shizi (师资) schema. Applied by `wrangler d1 migrations apply` and by the worker tests.

CREATE TABLE teachers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  hire_date TEXT NOT NULL,
  stage TEXT NOT NULL,
  stage_since TEXT NOT NULL,
  title TEXT NOT NULL,
  title_since TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX teachers_by_unit ON teachers (unit, id);
CREATE INDEX teachers_by_stage ON teachers (stage, id);
CREATE INDEX teachers_by_title ON teachers (title, id);

-- Evidence records: typed columns for what routes filter on, plus the validated record as JSON.
CREATE TABLE records (
  id TEXT PRIMARY KEY,
  teacher_id TEXT NOT NULL REFERENCES teachers (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  start_date TEXT,
  end_date TEXT,
  academic_year INTEGER NOT NULL,
  academic_year_end INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX records_by_teacher ON records (teacher_id, academic_year, id);
CREATE INDEX records_by_year ON records (academic_year, academic_year_end);
CREATE INDEX records_by_kind ON records (kind, academic_year);
CREATE INDEX records_by_status ON records (status, academic_year);

-- Immutable policy versions; the active one is the latest (highest seq). Empty table = core's defaultPolicy.
CREATE TABLE policy_versions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  version TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'hr', 'committee', 'teacher')),
  teacher_id TEXT,
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT,
  revoked_at TEXT
);
CREATE INDEX api_keys_by_created ON api_keys (created_at, id);

CREATE TABLE review_cycles (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  as_of TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'frozen')),
  created_at TEXT NOT NULL,
  created_by TEXT,
  frozen_at TEXT,
  frozen_by TEXT,
  snapshot TEXT,
  snapshot_hash TEXT
);
CREATE INDEX review_cycles_by_created ON review_cycles (created_at, id);

CREATE TABLE cycle_candidates (
  cycle_id TEXT NOT NULL REFERENCES review_cycles (id),
  teacher_id TEXT NOT NULL REFERENCES teachers (id),
  target_title TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (cycle_id, teacher_id)
);

CREATE TABLE idempotency_keys (
  key_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  route TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (key_id, idem_key)
);

-- Append-only audit log: who did what, when, to which row.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT,
  role TEXT,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  request_id TEXT,
  detail TEXT
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
