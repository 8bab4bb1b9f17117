import { sql, type Compilable, type Kysely } from 'kysely';
import { recordAcademicYears, type EvidenceRecord, type Policy } from '@shizi/core';
import type { Database, RecordsTable } from './schema.js';
import { StorageError } from './storage.js';
import { chunk, jsonChunks, rowsPerInsert } from './index.js';
import { stateOfStatus, type WorkflowState } from '../workflow.js';

export interface StoredRecord {
  record: EvidenceRecord;
  /** The worker's workflow state; core sees only `record.status`. */
  state: WorkflowState;
  stateSince: string;
  academicYears: { first: number; last: number };
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export function recordFromRow(row: Pick<RecordsTable, 'payload'>): EvidenceRecord {
  return JSON.parse(row.payload) as EvidenceRecord;
}

export function storedView(row: RecordsTable): StoredRecord {
  return {
    record: recordFromRow(row),
    state: row.state as WorkflowState,
    stateSince: row.state_since ?? row.updated_at,
    academicYears: { first: row.academic_year, last: row.academic_year_end },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

/** A record's row as stored: its columns are derived from the record and the policy that places it. */
export function toColumns(record: EvidenceRecord, policy: Policy, now: string): RecordsTable {
  const years = recordAcademicYears(record, policy);
  const r = record as Record<string, unknown>;
  const start = (r.date ?? r.start ?? null) as string | null;
  const end = (r.end ?? r.date ?? null) as string | null;
  return {
    id: record.id,
    teacher_id: record.teacherId,
    kind: record.kind,
    status: record.status,
    state: stateOfStatus(record.status),
    state_since: now,
    start_date: start,
    end_date: end,
    academic_year: Math.min(...years),
    academic_year_end: Math.max(...years),
    payload: JSON.stringify(record),
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
}

const RECORD_COLUMNS = 14;

export function insertRecords(k: Kysely<Database>, records: readonly EvidenceRecord[], policy: Policy, now: string, options: { upsert?: boolean } = {}) {
  return chunk(records, rowsPerInsert(RECORD_COLUMNS)).map((part) => {
    const q = k.insertInto('records').values(part.map((record) => toColumns(record, policy, now)));
    if (!options.upsert) return q;
    return q.onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        teacher_id: eb.ref('excluded.teacher_id'),
        kind: eb.ref('excluded.kind'),
        status: eb.ref('excluded.status'),
        // A write that keeps core's status keeps the workflow state (an HR correction of a record under review).
        state: sql<string>`CASE WHEN records.status = excluded.status THEN records.state ELSE excluded.state END`,
        state_since: sql<string>`CASE WHEN records.status = excluded.status THEN records.state_since ELSE excluded.state_since END`,
        start_date: eb.ref('excluded.start_date'),
        end_date: eb.ref('excluded.end_date'),
        academic_year: eb.ref('excluded.academic_year'),
        academic_year_end: eb.ref('excluded.academic_year_end'),
        payload: eb.ref('excluded.payload'),
        updated_at: eb.ref('excluded.updated_at'),
        deleted_at: null,
      })),
    );
  });
}

/**
 * Bulk upsert for imports: rows travel as one JSON parameter per statement (`json_each`), so the statement
 * count stays small (D1 counts every statement of a batch toward the per-invocation query limit).
 */
export function upsertRecordsBulk(k: Kysely<Database>, records: readonly EvidenceRecord[], policy: Policy, now: string): Compilable[] {
  return jsonChunks(records.map((record) => toColumns(record, policy, now))).map((json) => {
    const raw = sql`INSERT INTO records (id, teacher_id, kind, status, state, state_since, start_date, end_date, academic_year, academic_year_end, payload, created_at, updated_at, deleted_at)
      SELECT json_extract(value, '$.id'), json_extract(value, '$.teacher_id'), json_extract(value, '$.kind'), json_extract(value, '$.status'),
             json_extract(value, '$.state'), json_extract(value, '$.state_since'),
             json_extract(value, '$.start_date'), json_extract(value, '$.end_date'), json_extract(value, '$.academic_year'), json_extract(value, '$.academic_year_end'),
             json_extract(value, '$.payload'), json_extract(value, '$.created_at'), json_extract(value, '$.updated_at'), NULL
      FROM json_each(${json}) WHERE true
      ON CONFLICT (id) DO UPDATE SET teacher_id = excluded.teacher_id, kind = excluded.kind, status = excluded.status,
        state = CASE WHEN records.status = excluded.status THEN records.state ELSE excluded.state END,
        state_since = CASE WHEN records.status = excluded.status THEN records.state_since ELSE excluded.state_since END, start_date = excluded.start_date,
        end_date = excluded.end_date, academic_year = excluded.academic_year, academic_year_end = excluded.academic_year_end, payload = excluded.payload,
        updated_at = excluded.updated_at, deleted_at = NULL`;
    return { compile: () => raw.compile(k) };
  });
}

export function selectRecord(k: Kysely<Database>, id: string) {
  return k.selectFrom('records').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
}

/** Every non-deleted record of one teacher (verified, pending and rejected: core decides what counts). */
export function selectTeacherRecords(k: Kysely<Database>, teacherId: string) {
  return k
    .selectFrom('records')
    .select(['payload', 'state', 'state_since', 'updated_at'])
    // The latest reviewer's reason, for a returned record's next step.
    .select((eb) => eb.selectFrom('record_transitions').select('reason').whereRef('record_transitions.record_id', '=', 'records.id').orderBy('record_transitions.id', 'desc').limit(1).as('last_reason'))
    .where('teacher_id', '=', teacherId)
    .where('deleted_at', 'is', null)
    .orderBy('id');
}

export function selectRecordsOfTeachers(k: Kysely<Database>, teacherIds: readonly string[]) {
  return chunk(teacherIds, 90).map((part) =>
    k.selectFrom('records').select('payload').where('teacher_id', 'in', part).where('deleted_at', 'is', null),
  );
}

/**
 * Records an appraisal of `year` needs: everything touching the year, plus practice and exemptions of the
 * rolling window before it (reported in the practice status). Optionally only one unit's teachers.
 */
function appraisalYearWindow(k: Kysely<Database>, year: number, rollingYears: number, unit?: string) {
  let q = k
    .selectFrom('records')
    .where('records.deleted_at', 'is', null)
    .where('records.academic_year_end', '>=', year - rollingYears + 1)
    .where('records.academic_year', '<=', year)
    .where((eb) =>
      eb.or([
        eb('records.academic_year_end', '>=', year),
        eb.and([eb('records.kind', 'in', ['enterprise_practice', 'practice_exemption']), eb('records.academic_year_end', '>=', year - rollingYears + 1)]),
      ]),
    );
  if (unit !== undefined) q = q.where('records.teacher_id', 'in', (eb) => eb.selectFrom('teachers').select('teachers.id').where('teachers.unit', '=', unit));
  return q;
}

export function selectRecordsForAppraisalYear(k: Kysely<Database>, year: number, rollingYears: number, unit?: string) {
  return appraisalYearWindow(k, year, rollingYears, unit).select('records.payload');
}

/**
 * The same records, one row per teacher with their payloads joined into one JSON array (`payloads`): a
 * committee listing of 2,000 teachers reads 2,000 rows and parses 2,000 strings instead of ~70,000 of each.
 * A teacher's array must stay under D1's 2 MB string limit (some 8,000 records in the window); callers fall
 * back to `selectRecordsForAppraisalYear` when it does not (`isTooBig`).
 */
export function selectRecordsForAppraisalYearByTeacher(k: Kysely<Database>, year: number, rollingYears: number, unit?: string) {
  return appraisalYearWindow(k, year, rollingYears, unit)
    .select(['records.teacher_id', sql<string>`'[' || group_concat(records.payload, ',') || ']'`.as('payloads')])
    .groupBy('records.teacher_id');
}

/** SQLite's "string or blob too big" (D1 caps a value at 2,000,000 bytes). */
export function isTooBig(error: unknown): boolean {
  return error instanceof StorageError && error.kind === 'too-big';
}

export interface RecordFilter {
  teacherId?: string | undefined;
  kind?: string | undefined;
  status?: string | undefined;
  state?: string | undefined;
  /** Only teachers of these units (a unit reviewer's own). */
  units?: readonly string[] | undefined;
  year?: number | undefined;
  after?: string | undefined;
  limit: number;
}

export async function listRecords(k: Kysely<Database>, filter: RecordFilter) {
  let q = k.selectFrom('records').selectAll().where('deleted_at', 'is', null);
  if (filter.teacherId !== undefined) q = q.where('teacher_id', '=', filter.teacherId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.units !== undefined) {
    const units = filter.units.length > 0 ? [...filter.units] : ['\u0000'];
    q = q.where('teacher_id', 'in', (eb) => eb.selectFrom('teachers').select('id').where('unit', 'in', units));
  }
  if (filter.year !== undefined) q = q.where('academic_year', '<=', filter.year).where('academic_year_end', '>=', filter.year);
  if (filter.after !== undefined) q = q.where('id', '>', filter.after);
  const rows = await q.orderBy('id').limit(filter.limit + 1).execute();
  const more = rows.length > filter.limit;
  const page = (more ? rows.slice(0, filter.limit) : rows).map(storedView);
  return { items: page, nextAfter: more ? page[page.length - 1]!.record.id : null };
}

export function softDeleteRecord(k: Kysely<Database>, id: string, now: string) {
  return k.updateTable('records').set({ deleted_at: now, updated_at: now }).where('id', '=', id).where('deleted_at', 'is', null);
}

export async function existingRecordIds(k: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunk(ids, 90)) {
    const rows = await k.selectFrom('records').select('id').where('id', 'in', part).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Stored payloads of the given record ids (deleted ones too), for an import's dry run: chunked SELECTs for one batch. */
export function selectRecordPayloadsByIds(k: Kysely<Database>, ids: readonly string[]) {
  return chunk([...new Set(ids)], 90).map((part) => k.selectFrom('records').select(['id', 'payload', 'deleted_at']).where('id', 'in', part));
}
