import { sql, type Compilable, type ExpressionBuilder, type Kysely } from 'kysely';
import { academicYearPeriod, recordAcademicYears, recordPlacement, registryOf, type EvidenceRecord, type Policy } from '@shizi/core';

type YearStart = Policy['calendar']['yearStart'];
import type { Database, RecordsTable } from './schema.js';
import { StorageError } from './storage.js';
import { chunk, jsonChunks, rowsPerInsert, type Db } from './index.js';
import { activePolicy, policyFromHead, selectActivePolicy, type PolicyHead } from './policies.js';
import { stateOfStatus, type WorkflowState } from '../workflow.js';

export interface StoredRecord {
  record: EvidenceRecord;
  /** The kind's name as the policy reading the row declares it (a college's own kinds too). */
  kindLabel: { zh: string; en: string };
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

/** A row as the API shows it; its academic years are placed by `policy` (the active one) when it is read. */
export function storedView(row: RecordsTable, policy: Policy): StoredRecord {
  const record = recordFromRow(row);
  const years = recordAcademicYears(record, policy);
  return {
    record,
    kindLabel: registryOf(policy).label(record.kind),
    state: row.state as WorkflowState,
    stateSince: row.state_since ?? row.updated_at,
    academicYears: { first: years[0]!, last: years[years.length - 1]! },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

/**
 * A record's row as stored: its columns are derived from the record alone (the policy is asked only for a
 * college's own kinds' declarations), never from the calendar, so no row depends on the active year start.
 */
export function toColumns(record: EvidenceRecord, policy: Policy, now: string): RecordsTable {
  const placed = recordPlacement(record, policy);
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
    place_first: placed.first,
    place_last: placed.last,
    place_year: placed.year,
    payload: JSON.stringify(record),
    created_at: now,
    updated_at: now,
    deleted_at: null,
    version: 1,
  };
}

const RECORD_COLUMNS = 16;

export function insertRecords(k: Kysely<Database>, records: readonly EvidenceRecord[], policy: Policy, now: string) {
  return chunk(records, rowsPerInsert(RECORD_COLUMNS)).map((part) => k.insertInto('records').values(part.map((record) => toColumns(record, policy, now))));
}

/**
 * Bulk upsert for imports: a soft-deleted record is never brought back (the import refuses it first, naming the
 * row; restore is POST /v1/records/{id}/restore). Rows travel as one JSON parameter per statement (`json_each`), so the statement
 * count stays small (D1 counts every statement of a batch toward the per-invocation query limit).
 */
export function upsertRecordsBulk(k: Kysely<Database>, records: readonly EvidenceRecord[], policy: Policy, now: string): Compilable[] {
  return jsonChunks(records.map((record) => toColumns(record, policy, now))).map((json) => {
    const raw = sql`INSERT INTO records (id, teacher_id, kind, status, state, state_since, start_date, end_date, place_first, place_last, place_year, payload, created_at, updated_at, deleted_at)
      SELECT json_extract(value, '$.id'), json_extract(value, '$.teacher_id'), json_extract(value, '$.kind'), json_extract(value, '$.status'),
             json_extract(value, '$.state'), json_extract(value, '$.state_since'),
             json_extract(value, '$.start_date'), json_extract(value, '$.end_date'), json_extract(value, '$.place_first'), json_extract(value, '$.place_last'), json_extract(value, '$.place_year'),
             json_extract(value, '$.payload'), json_extract(value, '$.created_at'), json_extract(value, '$.updated_at'), NULL
      FROM json_each(${json}) WHERE true
      ON CONFLICT (id) DO UPDATE SET teacher_id = excluded.teacher_id, kind = excluded.kind, status = excluded.status,
        state = CASE WHEN records.status = excluded.status THEN records.state ELSE excluded.state END,
        state_since = CASE WHEN records.status = excluded.status THEN records.state_since ELSE excluded.state_since END, start_date = excluded.start_date,
        end_date = excluded.end_date, place_first = excluded.place_first, place_last = excluded.place_last, place_year = excluded.place_year, payload = excluded.payload,
        updated_at = excluded.updated_at, version = records.version + 1
      WHERE records.deleted_at IS NULL`;
    return { compile: () => raw.compile(k) };
  });
}

export function selectRecord(k: Kysely<Database>, id: string) {
  return k.selectFrom('records').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
}

/** Every non-deleted record of one teacher (verified, pending and rejected: core decides what counts). */
export function selectTeacherRecords(k: Kysely<Database>, teacherId: string) {
  return (
    k
      .selectFrom('records')
      .select(['payload', 'state', 'state_since', 'updated_at'])
      // The latest reviewer's reason, for a returned record's next step.
      .select((eb) => eb.selectFrom('record_transitions').select('reason').whereRef('record_transitions.record_id', '=', 'records.id').orderBy('record_transitions.id', 'desc').limit(1).as('last_reason'))
      .where('teacher_id', '=', teacherId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
  );
}

export function selectRecordsOfTeachers(k: Kysely<Database>, teacherIds: readonly string[]) {
  return chunk(teacherIds, 90).map((part) => k.selectFrom('records').select('payload').where('teacher_id', 'in', part).where('deleted_at', 'is', null));
}

/** The first and last dates of academic years `first`–`last` under `yearStart` (the active policy's calendar). */
function yearDates(first: number, last: number, yearStart: YearStart): { from: string; to: string } {
  return { from: academicYearPeriod(first, yearStart).start, to: academicYearPeriod(last, yearStart).end };
}

/**
 * Records touching academic years `first`–`last`: a dated or period record whose placing dates overlap the
 * years' date range (computed here, from the calendar asked for), or a year-valued record of one of the years.
 */
function touchingYears(eb: ExpressionBuilder<Database, 'records'>, first: number, last: number, yearStart: YearStart, kinds?: readonly string[]) {
  const { from, to } = yearDates(first, last, yearStart);
  const dated = [eb('records.place_last', '>=', from), eb('records.place_first', '<=', to)];
  const yearly = [eb('records.place_year', '>=', first), eb('records.place_year', '<=', last)];
  if (kinds !== undefined) {
    dated.push(eb('records.kind', 'in', [...kinds]));
    yearly.push(eb('records.kind', 'in', [...kinds]));
  }
  return eb.or([eb.and(dated), eb.and(yearly)]);
}

/**
 * Records an appraisal of `year` needs: everything touching the year, plus practice and exemptions of the
 * rolling window before it (reported in the practice status). Optionally only one unit's teachers. Year
 * boundaries come from `yearStart`, the active policy's, when the query is built (several: the union, for
 * a comparison of policies whose years start on different days).
 */
function appraisalYearWindow(k: Kysely<Database>, year: number, rollingYears: number, yearStart: YearStart | readonly YearStart[], unit?: string) {
  const calendars = Array.isArray(yearStart) ? yearStart : [yearStart as YearStart];
  let q = k
    .selectFrom('records')
    .where('records.deleted_at', 'is', null)
    .where((eb) => eb.or(calendars.flatMap((start) => [touchingYears(eb, year, year, start), touchingYears(eb, year - rollingYears + 1, year - 1, start, PRACTICE_KINDS)])));
  if (unit !== undefined) q = q.where('records.teacher_id', 'in', (eb) => eb.selectFrom('teachers').select('teachers.id').where('teachers.unit', '=', unit));
  return q;
}

const PRACTICE_KINDS = ['enterprise_practice', 'practice_exemption'] as const;

export function selectRecordsForAppraisalYear(k: Kysely<Database>, year: number, rollingYears: number, yearStart: YearStart | readonly YearStart[], unit?: string) {
  return appraisalYearWindow(k, year, rollingYears, yearStart, unit).select('records.payload');
}

/**
 * The same records, one row per teacher with their payloads joined into one JSON array (`payloads`): a
 * committee listing of 2,000 teachers reads 2,000 rows and parses 2,000 strings instead of ~70,000 of each.
 * A teacher's array must stay under D1's 2 MB string limit (some 8,000 records in the window); callers fall
 * back to `selectRecordsForAppraisalYear` when it does not (`isTooBig`).
 */
export function selectRecordsForAppraisalYearByTeacher(k: Kysely<Database>, year: number, rollingYears: number, yearStart: YearStart | readonly YearStart[], unit?: string) {
  return appraisalYearWindow(k, year, rollingYears, yearStart, unit)
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
  /** Only records touching this academic year, placed by `policy`'s calendar. */
  year?: number | undefined;
  after?: string | undefined;
  limit: number;
}

/**
 * One page of records, placed in academic years by the active policy's calendar. Without a year filter the
 * policy head and the page travel in one batch (one round trip); a year filter needs the calendar first.
 */
export async function listRecords(db: Db, filter: RecordFilter) {
  const { k } = db;
  let policy: Policy;
  let rows: RecordsTable[];
  if (filter.year === undefined) {
    const [head, page] = await db.batch([selectActivePolicy(k), recordPage(k, filter, undefined)]);
    policy = policyFromHead(head?.results[0] as PolicyHead | undefined);
    rows = (page?.results ?? []) as unknown as RecordsTable[];
  } else {
    policy = await activePolicy(k);
    rows = await recordPage(k, filter, policy.calendar.yearStart).execute();
  }
  const more = rows.length > filter.limit;
  const page = (more ? rows.slice(0, filter.limit) : rows).map((row) => storedView(row, policy));
  return { items: page, nextAfter: more ? page[page.length - 1]!.record.id : null };
}

function recordPage(k: Kysely<Database>, filter: RecordFilter, yearStart: YearStart | undefined) {
  let q = k.selectFrom('records').selectAll().where('deleted_at', 'is', null);
  if (filter.teacherId !== undefined) q = q.where('teacher_id', '=', filter.teacherId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.units !== undefined) {
    const units = filter.units.length > 0 ? [...filter.units] : ['\u0000'];
    q = q.where('teacher_id', 'in', (eb) => eb.selectFrom('teachers').select('id').where('unit', 'in', units));
  }
  const year = filter.year;
  if (year !== undefined && yearStart !== undefined) q = q.where((eb) => touchingYears(eb, year, year, yearStart));
  if (filter.after !== undefined) q = q.where('id', '>', filter.after);
  return q.orderBy('id').limit(filter.limit + 1);
}

export function softDeleteRecord(k: Kysely<Database>, id: string, now: string) {
  return k
    .updateTable('records')
    .set((eb) => ({ deleted_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
}

/** Restore a soft-deleted record as it was (its state, fields and files untouched); applies only while it is deleted. */
export function restoreRecord(k: Kysely<Database>, id: string, now: string) {
  return k
    .updateTable('records')
    .set((eb) => ({ deleted_at: null, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('deleted_at', 'is not', null);
}

/**
 * HR's PATCH: the whole record after the patch, written only while the stored version is still `expectedVersion`
 * (the If-Match ETag) and the record is live. The workflow state is left as it is (workflow.ts, `stateAfterEdit`).
 */
export function updateRecordFields(k: Kysely<Database>, record: EvidenceRecord, policy: Policy, expectedVersion: number, now: string) {
  const { teacher_id, kind, start_date, end_date, place_first, place_last, place_year, payload } = toColumns(record, policy, now);
  return k
    .updateTable('records')
    .set({ teacher_id, kind, start_date, end_date, place_first, place_last, place_year, payload, updated_at: now, version: expectedVersion + 1 })
    .where('id', '=', record.id)
    .where('version', '=', expectedVersion)
    .where('deleted_at', 'is', null);
}

/** Whether record `id` is stored soft-deleted (a POST's unique violation is then `record-deleted`). */
export async function isDeletedRecord(k: Kysely<Database>, id: string): Promise<boolean> {
  const row = await k.selectFrom('records').select('deleted_at').where('id', '=', id).executeTakeFirst();
  return row !== undefined && row.deleted_at !== null;
}

/**
 * The soft-deleted ones among `ids` (an import refuses them, naming the rows): the ids travel as one JSON
 * parameter per statement, so 20,000 ids are one or two statements, for one batch.
 */
export function selectDeletedRecordIds(k: Kysely<Database>, ids: readonly string[]): Compilable<{ id: string }>[] {
  return jsonChunks([...new Set(ids)]).map((json) => {
    const raw = sql<{ id: string }>`SELECT r.id AS id FROM json_each(${json}) AS n JOIN records AS r ON r.id = n.value WHERE r.deleted_at IS NOT NULL`;
    return { compile: () => raw.compile(k) };
  });
}

/** Stored payloads of the given record ids (deleted ones too), for an import's dry run: chunked SELECTs for one batch. */
export function selectRecordPayloadsByIds(k: Kysely<Database>, ids: readonly string[]) {
  return chunk([...new Set(ids)], 90).map((part) => k.selectFrom('records').select(['id', 'payload', 'deleted_at']).where('id', 'in', part));
}

/**
 * How many stored records (live or soft-deleted: a deleted one may be restored) are of each of `kinds`; a kind
 * without any is left out. By the records_by_kind index.
 */
export async function countRecordsOfKinds(k: Kysely<Database>, kinds: readonly string[]): Promise<Map<string, number>> {
  if (kinds.length === 0) return new Map();
  const rows = await k
    .selectFrom('records')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', 'in', kinds)
    .groupBy('kind')
    .execute();
  return new Map(rows.map((row) => [row.kind, Number(row.n)]));
}

/** The payloads of every stored record (live or soft-deleted) of `kinds`, by the records_by_kind index. */
export function selectRecordPayloadsOfKinds(k: Kysely<Database>, kinds: readonly string[]) {
  return k.selectFrom('records').select(['id', 'kind', 'payload']).where('kind', 'in', kinds).orderBy('kind').orderBy('id').execute();
}
