import { academicYearOfDate, unitDigest, type Teacher } from '@shizi/core';
import { auditInsert } from '../db/audit.js';
import { loadCollegeYear } from '../db/college.js';
import { selectWaitingRecords, upsertDigest } from '../db/digests.js';
import { createDb } from '../db/index.js';
import { newId } from '../db/keys.js';
import { activePolicy } from '../db/policies.js';
import { guardD1 } from '../db/storage.js';
import type { Env } from '../env.js';
import { reviewStates, stateLabels, type WorkflowState } from '../workflow.js';

/**
 * The weekly digest job (Cron Trigger): one digest per unit with teachers, as of `at` (the trigger's
 * scheduled time), written with its audit entry in one batch. Core decides who may miss the practice
 * requirement and which records waited too long; this loads the rows and stores the answers.
 */
export async function writeWeeklyDigests(env: Env, at: Date): Promise<{ asOf: string; units: string[] }> {
  const db = createDb(guardD1(env.DB));
  const atIso = at.toISOString();
  const asOf = atIso.slice(0, 10);
  const year = academicYearOfDate(asOf, (await activePolicy(db.k)).calendar.yearStart);
  const [{ teachers, recordsByTeacher, policy }, waitingRows] = await Promise.all([loadCollegeYear(db, { year }), selectWaitingRecords(db.k, reviewStates).execute()]);
  if (!policy) return { asOf, units: [] };
  const byUnit = new Map<string, Teacher[]>();
  for (const teacher of teachers) {
    const list = byUnit.get(teacher.unit);
    if (list) list.push(teacher);
    else byUnit.set(teacher.unit, [teacher]);
  }
  const units = [...byUnit.keys()].sort();
  if (units.length === 0) return { asOf, units };
  const statements = units.map((unit) => {
    const waiting = waitingRows.filter((row) => row.unit === unit).map((row) => ({ recordId: row.id, teacherId: row.teacher_id, kind: row.kind, state: row.state, stateLabel: stateLabels[row.state as WorkflowState], since: row.state_since ?? row.updated_at }));
    const digest = unitDigest({ unit, at: atIso, teachers: byUnit.get(unit)!, recordsByTeacher, waiting, policy });
    return upsertDigest(db.k, { id: newId('dig'), unit, asOf, generatedAt: atIso, body: JSON.stringify(digest) });
  });
  await db.batch([...statements, auditInsert(db.k, { actor: 'cron', role: null, action: 'digest.generate', entity: 'digest', entityId: null, requestId: null, detail: { asOf, units } })]);
  return { asOf, units };
}
