import type { Kysely } from 'kysely';
import type { Database, ReviewCyclesTable } from './schema.js';

export interface CycleView {
  id: string;
  name: string;
  asOf: string;
  policyVersion: string;
  status: 'open' | 'frozen';
  createdAt: string;
  createdBy: string | null;
  frozenAt: string | null;
  frozenBy: string | null;
  snapshotHash: string | null;
}

export function cycleView(row: ReviewCyclesTable): CycleView {
  return {
    id: row.id,
    name: row.name,
    asOf: row.as_of,
    policyVersion: row.policy_version,
    status: row.status as CycleView['status'],
    createdAt: row.created_at,
    createdBy: row.created_by,
    frozenAt: row.frozen_at,
    frozenBy: row.frozen_by,
    snapshotHash: row.snapshot_hash,
  };
}

export function selectCycle(k: Kysely<Database>, id: string) {
  return k.selectFrom('review_cycles').selectAll().where('id', '=', id);
}

export function selectCandidates(k: Kysely<Database>, cycleId: string) {
  return k.selectFrom('cycle_candidates').selectAll().where('cycle_id', '=', cycleId).orderBy('teacher_id');
}

/** The candidates' teacher rows: one statement however many candidates (a subquery, not an id list). */
export function selectCandidateTeachers(k: Kysely<Database>, cycleId: string) {
  return k
    .selectFrom('teachers')
    .selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('cycle_candidates').select('cycle_candidates.teacher_id').where('cycle_candidates.cycle_id', '=', cycleId));
}

/** Every non-deleted record of the candidates, ordered by id: one statement however many candidates. */
export function selectCandidateRecords(k: Kysely<Database>, cycleId: string) {
  return k
    .selectFrom('records')
    .select('payload')
    .where('teacher_id', 'in', (eb) => eb.selectFrom('cycle_candidates').select('cycle_candidates.teacher_id').where('cycle_candidates.cycle_id', '=', cycleId))
    .where('deleted_at', 'is', null)
    .orderBy('id');
}

export async function listCycles(k: Kysely<Database>) {
  const rows = await k.selectFrom('review_cycles').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(cycleView);
}

export function insertCycle(k: Kysely<Database>, row: { id: string; name: string; asOf: string; policyVersion: string; now: string; createdBy: string | null }) {
  return k.insertInto('review_cycles').values({
    id: row.id,
    name: row.name,
    as_of: row.asOf,
    policy_version: row.policyVersion,
    status: 'open',
    created_at: row.now,
    created_by: row.createdBy,
    frozen_at: null,
    frozen_by: null,
    snapshot: null,
    snapshot_hash: null,
  });
}

/**
 * Candidates are (re)set only while the cycle is open: each INSERT selects its row from the cycle only when
 * its status is still `open`, so a concurrent freeze makes the whole batch change nothing. One statement per
 * candidate (D1 caps compound SELECTs), all sent in one batch.
 */
export function upsertCandidates(k: Kysely<Database>, cycleId: string, candidates: readonly { teacherId: string; targetTitle: string }[], now: string) {
  return candidates.map((candidate) =>
    k
      .insertInto('cycle_candidates')
      .columns(['cycle_id', 'teacher_id', 'target_title', 'added_at'])
      .expression((eb) =>
        eb
          .selectFrom('review_cycles')
          .select((s) => [s.val(cycleId).as('cycle_id'), s.val(candidate.teacherId).as('teacher_id'), s.val(candidate.targetTitle).as('target_title'), s.val(now).as('added_at')])
          .where('id', '=', cycleId)
          .where('status', '=', 'open'),
      )
      .onConflict((oc) => oc.columns(['cycle_id', 'teacher_id']).doUpdateSet((eb) => ({ target_title: eb.ref('excluded.target_title'), added_at: eb.ref('excluded.added_at') }))),
  );
}

export function freezeCycle(k: Kysely<Database>, row: { id: string; now: string; by: string | null; snapshot: string; hash: string }) {
  return k.updateTable('review_cycles').set({ status: 'frozen', frozen_at: row.now, frozen_by: row.by, snapshot: row.snapshot, snapshot_hash: row.hash }).where('id', '=', row.id).where('status', '=', 'open');
}
