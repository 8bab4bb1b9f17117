/** Kysely table types, mirroring migrations/*.sql. */
export interface TeachersTable {
  id: string;
  name: string;
  unit: string;
  hire_date: string;
  stage: string;
  stage_since: string;
  title: string;
  title_since: string;
  /** Teacher category (migration 0005): `specialised` (专业课, default for rows before it), `practical_guidance` (实习指导), `public_basic` (公共基础课). */
  category: string;
  /** Enterprise experience before the post (migration 0011): 1 yes, 0 no, null not stated. */
  enterprise_experience: number | null;
  /** Last day of employment (migration 0006), or null while the teacher is employed. */
  departed_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RecordsTable {
  id: string;
  teacher_id: string;
  kind: string;
  status: string;
  start_date: string | null;
  end_date: string | null;
  /** Where the record lies, independent of any policy (0009): first and last placing dates of a dated or period kind… */
  place_first: string | null;
  place_last: string | null;
  /** …or the academic year of a year-valued kind. */
  place_year: number | null;
  payload: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** Workflow state (src/workflow.ts): submitted, unit_approved, returned, verified, rejected, withdrawn. */
  state: string;
  /** When the record entered `state` (0008); what the review queue orders by and waiting is measured from. */
  state_since: string | null;
  /** Optimistic-concurrency version (0010): the ETag `"v<version>"`; every write of the row adds one. */
  version: number;
}

export interface PolicyVersionsTable {
  seq: number | null;
  version: string;
  body: string;
  created_at: string;
  created_by: string | null;
}

export interface ApiKeysTable {
  id: string;
  token_hash: string;
  role: string;
  teacher_id: string | null;
  label: string;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
}

export interface ReviewCyclesTable {
  id: string;
  name: string;
  as_of: string;
  policy_version: string;
  status: string;
  created_at: string;
  created_by: string | null;
  frozen_at: string | null;
  frozen_by: string | null;
  snapshot: string | null;
  snapshot_hash: string | null;
}

export interface CycleCandidatesTable {
  cycle_id: string;
  teacher_id: string;
  target_title: string;
  added_at: string;
}

export interface IdempotencyKeysTable {
  key_id: string;
  idem_key: string;
  route: string;
  request_hash: string;
  status: number;
  response: string;
  created_at: string;
}

export interface AuditLogTable {
  id: number | null;
  at: string;
  actor: string | null;
  role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  request_id: string | null;
  detail: string | null;
}

export interface ApiKeyUnitsTable {
  key_id: string;
  unit: string;
}

export interface DigestsTable {
  id: string;
  unit: string;
  as_of: string;
  generated_at: string;
  body: string;
}

export interface RecordTransitionsTable {
  id: number | null;
  record_id: string;
  at: string;
  actor: string | null;
  role: string | null;
  from_state: string | null;
  to_state: string;
  reason: string | null;
}

export interface EvidenceFilesTable {
  id: string;
  record_id: string;
  /** Hex SHA-256 of the bytes; the R2 key is `sha256/<hex>`. */
  sha256: string;
  name: string;
  content_type: string;
  size: number;
  created_at: string;
  created_by: string | null;
  deleted_at: string | null;
}

export interface Database {
  teachers: TeachersTable;
  records: RecordsTable;
  policy_versions: PolicyVersionsTable;
  api_keys: ApiKeysTable;
  review_cycles: ReviewCyclesTable;
  cycle_candidates: CycleCandidatesTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  api_key_units: ApiKeyUnitsTable;
  record_transitions: RecordTransitionsTable;
  digests: DigestsTable;
  evidence_files: EvidenceFilesTable;
}
