import { groupByTeacher, type EvidenceRecord, type Policy, type Teacher } from '@shizi/core';
import { sql, type Kysely } from 'kysely';
import type { Db } from './index.js';
import { policyByVersion, policyFromHead, selectActivePolicy, type PolicyHead } from './policies.js';
import { isTooBig, recordFromRow, selectRecordsForAppraisalYear, selectRecordsForAppraisalYearByTeacher } from './records.js';
import type { Database, TeachersTable } from './schema.js';
import { selectTeachers, teacherFromRow } from './teachers.js';
import { countsInYear } from '../departures.js';

/**
 * A college's (or one unit's) teachers and the records a year's appraisal reads, with the active policy: what
 * whole-college appraisals and policy comparisons load; teachers who left before the year started are left
 * out (departures.ts). Teachers and the policy head come in one round trip.
 */
export async function loadCollegeYear(
  db: Db,
  args: { year: number; unit?: string | undefined; version?: string | undefined; atLeastRollingYears?: number; alsoCalendar?: Policy['calendar'] },
): Promise<{ teachers: Teacher[]; recordsByTeacher: Map<string, EvidenceRecord[]>; policy: Policy | null }> {
  const { year, unit, version } = args;
  const headResult = await db.batch([selectTeachers(db.k, unit), selectActivePolicy(db.k)]);
  const teacherRows = (headResult[0]?.results ?? []) as unknown as TeachersTable[];
  const policy = version ? await policyByVersion(db.k, version) : policyFromHead(headResult[1]?.results[0] as PolicyHead | undefined);
  if (!policy) return { teachers: [], recordsByTeacher: new Map(), policy: null };
  const rolling = Math.max(policy.practice.rolling.years, args.atLeastRollingYears ?? 0);
  // Year boundaries from the policy's calendar now (and a compared policy's), not from stored columns.
  const calendars = args.alsoCalendar ? [policy.calendar.yearStart, args.alsoCalendar.yearStart] : [policy.calendar.yearStart];
  let recordsByTeacher: Map<string, EvidenceRecord[]>;
  try {
    const grouped = await selectRecordsForAppraisalYearByTeacher(db.k, year, rolling, calendars, unit).execute();
    recordsByTeacher = new Map(grouped.map((row) => [row.teacher_id, JSON.parse(row.payloads) as EvidenceRecord[]]));
  } catch (error) {
    if (!isTooBig(error)) throw error;
    // one teacher's records exceed D1's 2 MB value limit once joined: read them one row per record instead
    const rows = await selectRecordsForAppraisalYear(db.k, year, rolling, calendars, unit).execute();
    recordsByTeacher = groupByTeacher(rows.map(recordFromRow));
  }
  for (const list of recordsByTeacher.values()) list.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)); // deterministic traces
  // A teacher who left before the year started is not in its listing, ranking or quota headcount.
  return { teachers: teacherRows.filter((row) => countsInYear(row.departed_on ?? null, year, policy)).map(teacherFromRow), recordsByTeacher, policy };
}

/**
 * The records the 双师型 assessment reads (`kinds`, any date; every kind when null) of a college's (or one
 * unit's) teachers, by teacher: loaded once for a report and its whole trend.
 */
export async function loadDualQualifiedRecords(db: Db, kinds: readonly string[] | null, unit?: string): Promise<Map<string, EvidenceRecord[]>> {
  const base = () => dualQualifiedRecordsWhere(db.k, kinds, unit);
  let byTeacher: Map<string, EvidenceRecord[]>;
  try {
    const grouped = await selectDualQualifiedRecordsByTeacher(db.k, kinds, unit).execute();
    byTeacher = new Map(grouped.map((row) => [row.teacher_id, JSON.parse(row.payloads) as EvidenceRecord[]]));
  } catch (error) {
    if (!isTooBig(error)) throw error;
    byTeacher = groupByTeacher((await base().select('records.payload').execute()).map(recordFromRow));
  }
  for (const list of byTeacher.values()) list.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return byTeacher;
}

function dualQualifiedRecordsWhere(k: Kysely<Database>, kinds: readonly string[] | null, unit?: string) {
  let q = k.selectFrom('records').where('records.deleted_at', 'is', null);
  if (kinds !== null) q = q.where('records.kind', 'in', [...kinds]);
  if (unit !== undefined) q = q.where('records.teacher_id', 'in', (eb) => eb.selectFrom('teachers').select('teachers.id').where('teachers.unit', '=', unit));
  return q;
}

/** One row per teacher, the payloads joined into one JSON array (as `selectRecordsForAppraisalYearByTeacher`). */
export function selectDualQualifiedRecordsByTeacher(k: Kysely<Database>, kinds: readonly string[] | null, unit?: string) {
  return dualQualifiedRecordsWhere(k, kinds, unit)
    .select(['records.teacher_id', sql<string>`'[' || group_concat(records.payload, ',') || ']'`.as('payloads')])
    .groupBy('records.teacher_id');
}
