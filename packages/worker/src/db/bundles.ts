import type { EvidenceRecord, Policy } from '@shizi/core';
import type { Db } from './index.js';
import { activePolicyColumns, policyByVersion, policyFromHead, type PolicyHead } from './policies.js';
import { recordFromRow, selectTeacherRecords } from './records.js';
import type { TeachersTable } from './schema.js';
import { selectTeacher, teacherRowView, type TeacherRow } from './teachers.js';

export interface TeacherBundle {
  row: TeacherRow;
  records: EvidenceRecord[];
  policy: Policy;
}

/**
 * A teacher, all of their non-deleted records and the active policy in ONE D1 round trip of two statements
 * (the teacher row carries the policy head as scalar subqueries), whatever the record count. Null when the
 * teacher does not exist.
 */
export async function loadTeacherBundle(db: Db, teacherId: string, policyVersion?: string): Promise<TeacherBundle | null> {
  const [teacherResult, recordsResult] = await db.batch([selectTeacher(db.k, teacherId).select(activePolicyColumns()), selectTeacherRecords(db.k, teacherId)]);
  const teacherRow = teacherResult?.results[0] as (TeachersTable & { policy_head_version: string | null; policy_head_body: string | null }) | undefined;
  if (!teacherRow) return null;
  const records = (recordsResult?.results ?? []).map((row) => recordFromRow(row as { payload: string }));
  let policy: Policy;
  if (policyVersion !== undefined) {
    const pinned = await policyByVersion(db.k, policyVersion);
    if (!pinned) return null;
    policy = pinned;
  } else {
    const head: PolicyHead | undefined = teacherRow.policy_head_version === null ? undefined : { version: teacherRow.policy_head_version, body: teacherRow.policy_head_body };
    policy = policyFromHead(head);
  }
  return { row: teacherRowView(teacherRow), records, policy };
}
