import type { Principal } from './env.js';

/**
 * The evidence workflow's states and allowed transitions, in one table. The state is the worker's; core
 * sees only `coreStatus(state)`: verified, rejected, or pending for everything still under way.
 */
export const states = ['submitted', 'unit_approved', 'returned', 'verified', 'rejected', 'withdrawn'] as const;
export type WorkflowState = (typeof states)[number];

export type WorkflowAction = 'unit_approve' | 'hr_approve' | 'return' | 'reject' | 'withdraw' | 'resubmit';

/** action → (from state → to state). A pair not listed here is refused. */
export const transitions: Readonly<Record<WorkflowAction, Partial<Record<WorkflowState, WorkflowState>>>> = {
  unit_approve: { submitted: 'unit_approved' },
  hr_approve: { submitted: 'verified', unit_approved: 'verified' },
  return: { submitted: 'returned', unit_approved: 'returned' },
  reject: { submitted: 'rejected', unit_approved: 'rejected' },
  withdraw: { submitted: 'withdrawn', unit_approved: 'withdrawn', returned: 'withdrawn' },
  resubmit: { returned: 'submitted', withdrawn: 'submitted' },
};

export function nextState(action: WorkflowAction, from: WorkflowState): WorkflowState | null {
  return transitions[action][from] ?? null;
}

/**
 * What core sees. A withdrawn record is the teacher's "ignore this": it must not show as days awaiting
 * review, so core sees it as rejected (not counted), like a rejected one.
 */
export function coreStatus(state: WorkflowState): 'pending' | 'verified' | 'rejected' {
  if (state === 'verified') return 'verified';
  if (state === 'rejected' || state === 'withdrawn') return 'rejected';
  return 'pending';
}

/** The state a stored core status migrates to (0003 does the same in SQL). */
export function stateOfStatus(status: string): WorkflowState {
  return status === 'verified' ? 'verified' : status === 'rejected' ? 'rejected' : 'submitted';
}

/** Review levels: 1 = HR only, 2 = the unit first, then HR. Default 2 when the policy does not say. */
export const DEFAULT_REVIEW_LEVELS = 2;

/**
 * THE one decision "may this caller see teacher X (and so X's records and files)": HR, admin and committee
 * see everyone (the committee's own routes narrow further), a teacher only itself, a unit reviewer only
 * teachers of its units. Callers answer 404 on false, so existence is not revealed.
 */
export function maySeeTeacher(principal: Principal, teacher: { id: string; unit: string }): boolean {
  switch (principal.role) {
    case 'admin':
    case 'hr':
    case 'committee':
      return true;
    case 'teacher':
      return principal.teacherId === teacher.id;
    case 'unit_reviewer':
      return (principal.units ?? []).includes(teacher.unit);
  }
}

/** The same decision for a record: the record's teacher decides. */
export function maySeeRecord(principal: Principal, record: { teacherId: string }, teacher: { id: string; unit: string }): boolean {
  return record.teacherId === teacher.id && maySeeTeacher(principal, teacher);
}
