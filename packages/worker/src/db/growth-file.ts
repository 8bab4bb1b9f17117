import type { StageEvent } from '@shizi/core';
import type { Db } from './index.js';

/** The audit actions that change a teacher's stage, and how the growth file names each. */
const STAGE_ACTIONS = {
  'teacher.create': 'created',
  'teacher.promote': 'promotion',
  'teacher.promote.override': 'promotion_override',
  'teacher.stage.correct': 'correction',
  'teacher.import': 'import',
} as const satisfies Record<string, StageEvent['kind']>;

export interface GrowthFileFile {
  id: string;
  recordId: string;
  name: string;
  contentType: string;
  size: number;
  createdAt: string;
}

type Detail = Record<string, unknown> | null;
const stageOf = (value: unknown): { stage: StageEvent['to']['stage']; since: string | null } | null => {
  if (value === null || typeof value !== 'object') return null;
  const v = value as { stage?: unknown; stageSince?: unknown };
  return typeof v.stage === 'string' ? { stage: v.stage as StageEvent['to']['stage'], since: typeof v.stageSince === 'string' ? v.stageSince : null } : null;
};

/** One audit row of a stage action as a core StageEvent; null when its detail does not say a stage (nothing to show). */
export function stageEventOf(row: { at: string; action: string; detail: string | null }): StageEvent | null {
  const kind = STAGE_ACTIONS[row.action as keyof typeof STAGE_ACTIONS];
  if (!kind) return null;
  const detail = (row.detail === null ? null : JSON.parse(row.detail)) as Detail;
  if (!detail) return null;
  let from: ReturnType<typeof stageOf> = null;
  let to: ReturnType<typeof stageOf> = null;
  let reason: string | null = null;
  switch (kind) {
    case 'created':
      to = stageOf(detail);
      break;
    case 'promotion':
    case 'promotion_override':
      from = typeof detail.from === 'string' ? { stage: detail.from as StageEvent['to']['stage'], since: null } : null;
      to = typeof detail.to === 'string' && typeof detail.asOf === 'string' ? { stage: detail.to as StageEvent['to']['stage'], since: detail.asOf } : null;
      reason = typeof detail.reason === 'string' ? detail.reason : null;
      break;
    case 'correction':
    case 'import':
      from = stageOf(detail.before);
      to = stageOf(detail.after);
      reason = typeof detail.reason === 'string' ? detail.reason : null;
      break;
  }
  if (!to || to.since === null) return null;
  return { at: row.at, kind, from, to: { stage: to.stage, since: to.since }, reason };
}

/**
 * What the growth file needs besides the teacher bundle, in ONE D1 round trip: the teacher's stage changes
 * from the audit log (oldest first) and the live evidence files of the teacher's live records.
 */
export async function loadGrowthFileRows(db: Db, teacherId: string): Promise<{ stageEvents: StageEvent[]; files: GrowthFileFile[] }> {
  const [audit, files] = await db.batch([
    db.k.selectFrom('audit_log').select(['at', 'action', 'detail']).where('entity', '=', 'teacher').where('entity_id', '=', teacherId).where('action', 'in', Object.keys(STAGE_ACTIONS)).orderBy('id'),
    db.k
      .selectFrom('evidence_files as f')
      .innerJoin('records as r', 'r.id', 'f.record_id')
      .select(['f.id', 'f.record_id', 'f.name', 'f.content_type', 'f.size', 'f.created_at'])
      .where('r.teacher_id', '=', teacherId)
      .where('r.deleted_at', 'is', null)
      .where('f.deleted_at', 'is', null)
      .orderBy('f.created_at')
      .orderBy('f.id'),
  ]);
  const stageEvents = ((audit?.results ?? []) as { at: string; action: string; detail: string | null }[]).map(stageEventOf).filter((event): event is StageEvent => event !== null);
  const fileRows = (files?.results ?? []) as { id: string; record_id: string; name: string; content_type: string; size: number; created_at: string }[];
  return { stageEvents, files: fileRows.map((row) => ({ id: row.id, recordId: row.record_id, name: row.name, contentType: row.content_type, size: row.size, createdAt: row.created_at })) };
}
