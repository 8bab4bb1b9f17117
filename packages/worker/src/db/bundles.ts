import type { EvidenceRecord, Policy } from '@shizi/core';
import type { Db } from './index.js';
import { activePolicyColumns, policyByVersion, policyFromHead, type PolicyHead } from './policies.js';
import { recordFromRow, selectTeacherRecords } from './records.js';
import type { TeachersTable } from './schema.js';
import type { WorkflowState } from '../workflow.js';

export interface RecordWorkflow {
  state: WorkflowState;
  since: string;
  reason: string | null;
}
import { selectTeacher, teacherRowView, type TeacherRow } from './teachers.js';

export interface TeacherBundle {
  row: TeacherRow;
  records: EvidenceRecord[];
  /** Each record's workflow state, since when, and the last reviewer's reason: what next steps are made of. */
  workflow: Map<string, RecordWorkflow>;
  policy: Policy;
}

/** The two statements of a teacher's bundle: the teacher row carrying the policy head, and its records. */
export function teacherBundleQueries(db: Db, teacherId: string) {
  return [selectTeacher(db.k, teacherId).select(activePolicyColumns()), selectTeacherRecords(db.k, teacherId)] as const;
}

/**
 * A teacher, all of their non-deleted records and the active policy in ONE D1 round trip of two statements
 * (the teacher row carries the policy head as scalar subqueries), whatever the record count. Null when the
 * teacher does not exist.
 */
export async function loadTeacherBundle(db: Db, teacherId: string, policyVersion?: string): Promise<TeacherBundle | null> {
  const [teacherResult, recordsResult] = await db.batch([...teacherBundleQueries(db, teacherId)]);
  return bundleFromResults(db, teacherResult, recordsResult, policyVersion);
}

/** The bundle from `teacherBundleQueries`' results (sent alone or in another batch); null when the teacher does not exist. */
export async function bundleFromResults(db: Db, teacherResult: D1Result<Record<string, unknown>> | undefined, recordsResult: D1Result<Record<string, unknown>> | undefined, policyVersion?: string): Promise<TeacherBundle | null> {
  const teacherRow = teacherResult?.results[0] as (TeachersTable & { policy_head_version: string | null; policy_head_body: string | null }) | undefined;
  if (!teacherRow) return null;
  const rows = (recordsResult?.results ?? []) as { payload: string; state: string; state_since: string | null; updated_at: string; last_reason: string | null }[];
  const records = rows.map((row) => recordFromRow(row));
  const workflow = new Map<string, RecordWorkflow>(rows.map((row, index) => [records[index]!.id, { state: row.state as WorkflowState, since: row.state_since ?? row.updated_at, reason: row.last_reason }]));
  let policy: Policy;
  if (policyVersion !== undefined) {
    const pinned = await policyByVersion(db.k, policyVersion);
    if (!pinned) return null;
    policy = pinned;
  } else {
    const head: PolicyHead | undefined = teacherRow.policy_head_version === null ? undefined : { version: teacherRow.policy_head_version, body: teacherRow.policy_head_body };
    policy = policyFromHead(head);
  }
  return { row: teacherRowView(teacherRow), records, workflow, policy };
}
