import type { EvidenceRecord, Policy } from '@shizi/core';
import type { Db } from './index.js';
import { policyByVersion, policyFromHead, selectActivePolicy, type PolicyHead } from './policies.js';
import { recordFromRow, selectTeacherRecords } from './records.js';
import type { TeachersTable } from './schema.js';
import { selectTeacher, teacherRowView, type TeacherRow } from './teachers.js';

export interface TeacherBundle {
  row: TeacherRow;
  records: EvidenceRecord[];
  policy: Policy;
}

/**
 * A teacher, all of their non-deleted records and the active policy in ONE D1 round trip (a read batch of
 * three statements), whatever the record count. Null when the teacher does not exist.
 */
export async function loadTeacherBundle(db: Db, teacherId: string, policyVersion?: string): Promise<TeacherBundle | null> {
  const [teacherResult, recordsResult, policyResult] = await db.batch([
    selectTeacher(db.k, teacherId),
    selectTeacherRecords(db.k, teacherId),
    selectActivePolicy(db.k),
  ]);
  const teacherRow = teacherResult?.results[0] as TeachersTable | undefined;
  if (!teacherRow) return null;
  const records = (recordsResult?.results ?? []).map((row) => recordFromRow(row as { payload: string }));
  let policy: Policy;
  if (policyVersion !== undefined) {
    const pinned = await policyByVersion(db.k, policyVersion);
    if (!pinned) return null;
    policy = pinned;
  } else policy = policyFromHead(policyResult?.results[0] as PolicyHead | undefined);
  return { row: teacherRowView(teacherRow), records, policy };
}
