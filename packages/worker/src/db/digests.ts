import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Records waiting for review (in one of `states`), with their teacher's unit: what a digest measures. */
export function selectWaitingRecords(k: Kysely<Database>, states: readonly string[]) {
  return k
    .selectFrom('records')
    .innerJoin('teachers', 'teachers.id', 'records.teacher_id')
    .select(['records.id', 'records.teacher_id', 'records.kind', 'records.state', 'records.state_since', 'records.updated_at', 'teachers.unit'])
    .where('records.deleted_at', 'is', null)
    .where('records.state', 'in', [...states])
    .orderBy('records.id');
}

/** One digest per unit and day: a retried run replaces that day's digest. */
export function upsertDigest(k: Kysely<Database>, digest: { id: string; unit: string; asOf: string; generatedAt: string; body: string }) {
  return k
    .insertInto('digests')
    .values({ id: digest.id, unit: digest.unit, as_of: digest.asOf, generated_at: digest.generatedAt, body: digest.body })
    .onConflict((oc) => oc.columns(['unit', 'as_of']).doUpdateSet({ generated_at: digest.generatedAt, body: digest.body }));
}

export interface DigestFilter {
  /** Only these units (a unit reviewer's); undefined: every unit. */
  units?: readonly string[] | undefined;
  unit?: string | undefined;
  after?: { asOf: string; unit: string } | undefined;
  limit: number;
}

/** Digests newest first (then by unit), one page. */
export async function listDigests(k: Kysely<Database>, filter: DigestFilter) {
  let q = k.selectFrom('digests').selectAll();
  if (filter.units !== undefined) q = q.where('unit', 'in', filter.units.length > 0 ? [...filter.units] : ['\u0000']);
  if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
  if (filter.after) {
    const { asOf, unit } = filter.after;
    q = q.where((eb) => eb.or([eb('as_of', '<', asOf), eb.and([eb('as_of', '=', asOf), eb('unit', '>', unit)])]));
  }
  const rows = await q
    .orderBy('as_of', 'desc')
    .orderBy('unit')
    .limit(filter.limit + 1)
    .execute();
  const more = rows.length > filter.limit;
  return { rows: more ? rows.slice(0, filter.limit) : rows, more };
}
