import { sql, type Compilable, type Kysely } from 'kysely';
import type { EvidenceRecord } from '@shizi/core';
import type { Database, RecordsTable } from './schema.js';
import type { WorkflowState } from '../workflow.js';

/** A record row with its teacher's unit and name: what access decisions and the review queue need. */
export type RecordWithTeacher = RecordsTable & { teacher_unit: string; teacher_name: string };

export function selectRecordWithTeacher(k: Kysely<Database>, id: string, options: { includeDeleted?: boolean } = {}) {
  const q = k.selectFrom('records').innerJoin('teachers', 'teachers.id', 'records.teacher_id').selectAll('records').select(['teachers.unit as teacher_unit', 'teachers.name as teacher_name']).where('records.id', '=', id);
  return options.includeDeleted ? q : q.where('records.deleted_at', 'is', null);
}

export interface TransitionWrite {
  record: EvidenceRecord;
  from: WorkflowState;
  to: WorkflowState;
  now: string;
  actor: string;
  role: string;
  reason: string | null;
}

/**
 * A state change as a conditional UPDATE: it applies only while the record is still in `from`, so of two
 * reviewers acting at once exactly one wins. Follow it with `insertTransitionIfChanged` in the same batch.
 */
export function updateRecordState(k: Kysely<Database>, write: TransitionWrite): Compilable {
  return k
    .updateTable('records')
    .set((eb) => ({ state: write.to, state_since: write.now, status: write.record.status, payload: JSON.stringify(write.record), updated_at: write.now, version: eb('version', '+', 1) }))
    .where('id', '=', write.record.id)
    .where('state', '=', write.from)
    .where('deleted_at', 'is', null);
}

/** The same, for a teacher's edit: the fields change and the record is (again) submitted. */
export function updateRecordByTeacher(k: Kysely<Database>, write: TransitionWrite & { columns: Pick<RecordsTable, 'kind' | 'start_date' | 'end_date' | 'place_first' | 'place_last' | 'place_year'> }): Compilable {
  return k
    .updateTable('records')
    .set((eb) => ({ ...write.columns, state: write.to, state_since: write.now, status: write.record.status, payload: JSON.stringify(write.record), updated_at: write.now, version: eb('version', '+', 1) }))
    .where('id', '=', write.record.id)
    .where('state', '=', write.from)
    .where('deleted_at', 'is', null);
}

/** The transition row, written only when the statement before it changed a row (SQLite `changes()`). */
export function insertTransitionIfChanged(k: Kysely<Database>, write: Omit<TransitionWrite, 'record'> & { recordId: string }): Compilable {
  const raw = sql`INSERT INTO record_transitions (record_id, at, actor, role, from_state, to_state, reason)
    SELECT ${write.recordId}, ${write.now}, ${write.actor}, ${write.role}, ${write.from}, ${write.to}, ${write.reason} WHERE changes() > 0`;
  return { compile: () => raw.compile(k) };
}

/** The first transition of a new record (declared, or created by HR). */
export function insertTransition(k: Kysely<Database>, write: Omit<TransitionWrite, 'record' | 'from'> & { recordId: string; from: WorkflowState | null }) {
  return k.insertInto('record_transitions').values({
    record_id: write.recordId,
    at: write.now,
    actor: write.actor,
    role: write.role,
    from_state: write.from,
    to_state: write.to,
    reason: write.reason,
  });
}

export function listTransitions(k: Kysely<Database>, recordId: string) {
  return k.selectFrom('record_transitions').selectAll().where('record_id', '=', recordId).orderBy('id').execute();
}

export interface QueueFilter {
  /** Only teachers of these units (a unit reviewer's own); undefined: every unit. */
  units?: readonly string[] | undefined;
  unit?: string | undefined;
  kind?: string | undefined;
  states: readonly WorkflowState[];
  /** Only records in their state since at most this instant (ISO). */
  sinceBefore?: string | undefined;
  after?: { since: string; id: string } | undefined;
  limit: number;
}

function queueBase(k: Kysely<Database>, filter: Omit<QueueFilter, 'states' | 'after' | 'limit'>) {
  let q = k.selectFrom('records').innerJoin('teachers', 'teachers.id', 'records.teacher_id').where('records.deleted_at', 'is', null);
  if (filter.units !== undefined) q = q.where('teachers.unit', 'in', filter.units.length > 0 ? [...filter.units] : ['\u0000']);
  if (filter.unit !== undefined) q = q.where('teachers.unit', '=', filter.unit);
  if (filter.kind !== undefined) q = q.where('records.kind', '=', filter.kind);
  if (filter.sinceBefore !== undefined) q = q.where('records.state_since', '<=', filter.sinceBefore);
  return q;
}

/** One page of the review queue, oldest first, and the counts per state under the same filter. */
export async function reviewQueue(k: Kysely<Database>, filter: QueueFilter) {
  let q = queueBase(k, filter)
    .selectAll('records')
    .select(['teachers.unit as teacher_unit', 'teachers.name as teacher_name'])
    .where('records.state', 'in', [...filter.states]);
  if (filter.after) {
    const { since, id } = filter.after;
    q = q.where((eb) => eb.or([eb('records.state_since', '>', since), eb.and([eb('records.state_since', '=', since), eb('records.id', '>', id)])]));
  }
  const [rows, counts] = await Promise.all([
    q
      .orderBy('records.state_since')
      .orderBy('records.id')
      .limit(filter.limit + 1)
      .execute(),
    queueBase(k, filter)
      .select(['records.state as state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('records.state')
      .execute(),
  ]);
  const more = rows.length > filter.limit;
  return { rows: (more ? rows.slice(0, filter.limit) : rows) as RecordWithTeacher[], more, counts: Object.fromEntries(counts.map((row) => [row.state, Number(row.n)])) as Record<string, number> };
}
