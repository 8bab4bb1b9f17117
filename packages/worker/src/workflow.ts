import type { Principal } from './env.js';

/**
 * The evidence workflow's states and allowed transitions, in one table. The state is the worker's; core
 * sees only `coreStatus(state)`: verified, rejected, or pending for everything still under way.
 */
export const states = ['submitted', 'unit_approved', 'returned', 'verified', 'rejected', 'withdrawn'] as const;
export type WorkflowState = (typeof states)[number];

/** How a state is spoken of on pages and in exports. */
export const stateLabels: Readonly<Record<WorkflowState, { zh: string; en: string }>> = {
  submitted: { zh: '已提交', en: 'submitted' },
  unit_approved: { zh: '二级学院已审核', en: 'approved by the unit' },
  returned: { zh: '退回修改', en: 'returned for correction' },
  verified: { zh: '人事处已认定', en: 'verified' },
  rejected: { zh: '不予认定', en: 'rejected' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

/** What a caller asks for; which transition it means depends on the caller's role. */
export const actions = ['approve', 'return', 'reject', 'withdraw', 'resubmit'] as const;
export type ReviewAction = (typeof actions)[number];

type ActingRole = 'teacher' | 'unit_reviewer' | 'hr';
type Moves = Partial<Record<WorkflowState, WorkflowState>>;

/**
 * The one table of who may move a record where: role → action → (from state → to state). A pair not listed is
 * refused. A teacher withdraws and resubmits its own; a unit reviewer approves (to unit_approved), returns or
 * rejects what is submitted; HR verifies, returns or rejects what is under review, with or without the unit's
 * approval first (HR may act on a unit's behalf).
 */
const moves: Readonly<Record<ActingRole, Partial<Record<ReviewAction, Moves>>>> = {
  teacher: {
    withdraw: { submitted: 'withdrawn', unit_approved: 'withdrawn', returned: 'withdrawn' },
    resubmit: { returned: 'submitted', withdrawn: 'submitted' },
  },
  unit_reviewer: {
    approve: { submitted: 'unit_approved' },
    return: { submitted: 'returned' },
    reject: { submitted: 'rejected' },
  },
  hr: {
    approve: { submitted: 'verified', unit_approved: 'verified' },
    return: { submitted: 'returned', unit_approved: 'returned' },
    reject: { submitted: 'rejected', unit_approved: 'rejected' },
  },
};

/** Actions whose reason is required (the teacher must learn what to correct, or why). */
export const needsReason: ReadonlySet<ReviewAction> = new Set(['return', 'reject']);

export type Decision = { ok: true; to: WorkflowState } | { ok: false; code: 'forbidden' | 'invalid-transition'; message: string };

/**
 * May `role` take `action` on a record in state `from`, under a policy of `levels` review levels? With one
 * level there is no unit approval: HR verifies directly.
 */
export function decide(role: string, action: ReviewAction, from: WorkflowState, levels: 1 | 2): Decision {
  const table = role in moves ? moves[role as ActingRole][action] : undefined;
  if (!table) return { ok: false, code: 'forbidden', message: `role ${role} may not ${action} a record` };
  if (role === 'unit_reviewer' && action === 'approve' && levels === 1) {
    return { ok: false, code: 'forbidden', message: 'the policy has one review level: the personnel office verifies' };
  }
  const to = table[from];
  if (!to) return { ok: false, code: 'invalid-transition', message: `cannot ${action} a record that is ${from}` };
  return { ok: true, to };
}

/** States a teacher may still edit a record in (it then goes back to submitted). */
export const editableStates: ReadonlySet<WorkflowState> = new Set(['submitted', 'returned', 'withdrawn']);

/**
 * The one rule for the state a record is in after its fields change. A teacher's correction (PUT) goes back to
 * review as submitted. HR's correction (PATCH, or an import that keeps core's status) keeps the state: HR is
 * the level that verifies (it may verify a submitted record directly, whatever the policy's review levels), so a
 * verified record HR corrects stays verified, and one under review keeps its place in the queue.
 */
export function stateAfterEdit(role: string, from: WorkflowState): WorkflowState {
  return role === 'teacher' ? 'submitted' : from;
}

/** States still awaiting someone's review. */
export const reviewStates = ['submitted', 'unit_approved'] as const satisfies readonly WorkflowState[];

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
