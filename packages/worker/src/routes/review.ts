import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { reviewSettings, type EvidenceRecord, type Policy } from '@shizi/core';
import { actor, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { activePolicy } from '../db/policies.js';
import { storedView } from '../db/records.js';
import { insertTransitionIfChanged, listTransitions, reviewQueue, updateRecordState } from '../db/workflow.js';
import type { AppEnv } from '../env.js';
import { ApiError, invalid } from '../errors.js';
import { idempotentWrite } from '../idempotent.js';
import { langOf, type Lang } from '../i18n.js';
import { errors, json, newApp, security } from '../openapi.js';
import { storedRecordOut } from '../views.js';
import { actions, coreStatus, decide, needsReason, reviewStates, stateLabels, type ReviewAction, type WorkflowState } from '../workflow.js';
import { loadVisibleRecord } from './records.js';
import { Cursor, RecordId, decodeCursor, encodeCursor, KindEnum, Limit, StateEnum, StoredRecordOut } from './schemas.js';

const TransitionBody = z
  .object({
    action: z.enum(actions).openapi({ description: 'approve: a unit reviewer approves for its unit, HR verifies. return: back to the teacher for correction. reject: not recognised. withdraw, resubmit: the teacher’s own.' }),
    reason: z.string().trim().max(2000).optional().openapi({ description: 'required for return and reject: the teacher reads it' }),
  })
  .openapi('Transition');

const transitionRoute = createRoute({
  method: 'post',
  path: '/records/{id}/transitions',
  tags: ['Review'],
  summary: 'Move a record through review: approve, return, reject (reviewers, HR), withdraw, resubmit (its teacher)',
  description: 'Every transition is recorded (who, when, from, to, reason) and shown in the record’s history. Send an `Idempotency-Key` to make a retry safe.',
  security,
  middleware: [requireRole('hr', 'unit_reviewer', 'teacher')] as const,
  request: { params: RecordId, body: { content: { 'application/json': { schema: TransitionBody } }, required: true } },
  responses: { 200: json(StoredRecordOut, 'The record in its new state'), ...errors('invalid-transition', 'edit-conflict', 'idempotency-key-reused', 'content-too-large', 'unsupported-media-type') },
});

const BulkResult = z.object({
  id: z.string(),
  ok: z.boolean(),
  state: StateEnum.optional(),
  error: z.object({ code: z.string(), detail: z.string() }).optional(),
});

const bulkRoute = createRoute({
  method: 'post',
  path: '/records/transitions',
  tags: ['Review'],
  summary: 'The same action on several records at once (approve a page of the queue); each record succeeds or fails on its own',
  security,
  middleware: [requireRole('hr', 'unit_reviewer')] as const,
  request: {
    body: {
      content: { 'application/json': { schema: TransitionBody.extend({ ids: z.array(z.string().min(1).max(128)).min(1).max(100) }).openapi('BulkTransition') } },
      required: true,
    },
  },
  responses: { 200: json(z.object({ results: z.array(BulkResult) }), 'One result per id, in order'), ...errors('content-too-large', 'unsupported-media-type') },
});

const HistoryItem = z.object({
  at: z.string(),
  actor: z.string().nullable().openapi({ description: 'the API key that acted' }),
  role: z.string().nullable(),
  from: StateEnum.nullable(),
  to: StateEnum,
  fromLabel: z.string().nullable(),
  toLabel: z.string(),
  reason: z.string().nullable(),
});

const historyRoute = createRoute({
  method: 'get',
  path: '/records/{id}/history',
  tags: ['Review'],
  summary: 'A record’s transitions with the reviewers’ reasons, oldest first (whoever may see the record)',
  security,
  middleware: [requireRole('hr', 'unit_reviewer', 'teacher')] as const,
  request: { params: RecordId },
  responses: { 200: json(z.object({ items: z.array(HistoryItem) }), 'History'), ...errors() },
});

const QueueItem = StoredRecordOut.extend({
  teacher: z.object({ id: z.string(), name: z.string(), unit: z.string() }),
  waitingDays: z.int().openapi({ description: 'whole days since the record entered its state' }),
  overdue: z.boolean().openapi({ description: 'waiting longer than the policy’s review.maxWaitDays' }),
}).openapi('QueueItem');

const queueRoute = createRoute({
  method: 'get',
  path: '/review-queue',
  tags: ['Review'],
  summary: 'Records waiting for review, oldest first, with counts per state (a unit reviewer: its units; HR: every unit)',
  security,
  middleware: [requireRole('hr', 'unit_reviewer')] as const,
  request: {
    query: z.object({
      unit: z.string().min(1).max(200).optional(),
      kind: KindEnum.optional(),
      state: StateEnum.optional().openapi({ description: 'default: submitted and unit_approved' }),
      olderThanDays: z.coerce.number().int().min(0).max(3650).optional().openapi({ description: 'only records waiting at least this many days' }),
      cursor: Cursor,
      limit: Limit,
    }),
  },
  responses: {
    200: json(
      z.object({
        items: z.array(QueueItem),
        counts: z.record(z.string(), z.int()).openapi({ description: 'records per state under the same filters (all states)' }),
        levels: z.int().openapi({ description: 'review levels of the active policy: 1 (HR only) or 2 (unit, then HR)' }),
        maxWaitDays: z.int(),
        nextCursor: z.string().nullable(),
      }),
      'A page of the queue',
    ),
    ...errors(),
  },
});

const DAY_MS = 86_400_000;

/**
 * One record's transition, checked (visible, allowed in its state, reason given) but not yet written: the
 * conditional UPDATE, then its transition row and audit row (both written only if the UPDATE applied).
 * Throws the ApiError that refuses it.
 */
async function planTransition(c: Context<AppEnv>, id: string, action: ReviewAction, reason: string | undefined, settings: { levels: 1 | 2; policy: Policy }, lang: Lang) {
  const db = c.get('db');
  const { levels, policy } = settings;
  const stored = storedView(await loadVisibleRecord(c, id), policy);
  const who = actor(c);
  const decision = decide(who.role, action, stored.state, levels);
  if (!decision.ok) throw new ApiError(decision.code, decision.message);
  if (needsReason.has(action) && !reason) throw invalid([{ path: 'reason', message: lang === 'zh' ? '退回或不予认定时须写明理由' : 'a reason is required to return or reject' }]);
  const now = nowIso();
  const updated = { ...stored.record, status: coreStatus(decision.to) } as EvidenceRecord;
  const write = { record: updated, from: stored.state, to: decision.to, now, actor: who.actor, role: who.role, reason: reason ?? null };
  return {
    change: updateRecordState(db.k, write),
    rest: [insertTransitionIfChanged(db.k, { ...write, recordId: id }), auditInsert(db.k, { ...who, action: `record.${action}`, entity: 'record', entityId: id, detail: { from: stored.state, to: decision.to, reason: reason ?? null } }, { onlyIfChanged: true })],
    view: storedRecordOut({ ...stored, record: updated, state: decision.to, stateSince: now, updatedAt: now }, lang),
    now,
  };
}

const lostRaceDetail = (id: string) => `record ${id} changed meanwhile; read it again`;
const lostRace = (id: string) => new ApiError('edit-conflict', lostRaceDetail(id));

async function levelsOf(c: Context<AppEnv>) {
  const policy = await activePolicy(c.get('db').k);
  return { ...reviewSettings(policy), policy };
}

export const reviewApp = newApp()
  .openapi(transitionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    await loadVisibleRecord(c, id); // 404 before anything about the key is revealed
    const idempotent = await idempotentWrite(c, `POST /v1/records/${id}/transitions`, JSON.stringify(body));
    const replay = await idempotent.replayed();
    if (replay) return replay as never;
    const plan = await planTransition(c, id, body.action, body.reason, await levelsOf(c), langOf(c));
    const twin = await idempotent.commit(plan.change, plan.rest, plan.view, plan.now, () => lostRace(id));
    if (twin) return twin as never;
    return c.json(plan.view, 200);
  })
  .openapi(bulkRoute, async (c) => {
    const body = c.req.valid('json');
    const settings = await levelsOf(c);
    const lang = langOf(c);
    const results: z.infer<typeof BulkResult>[] = [];
    const planned: { index: number; id: string; plan: Awaited<ReturnType<typeof planTransition>> }[] = [];
    // Each record is checked on its own (one refused record does not hold back the rest); the allowed ones are
    // then written in ONE batch, so a storage failure writes none of them and a retry starts from the same state.
    for (const id of body.ids) {
      try {
        planned.push({ index: results.length, id, plan: await planTransition(c, id, body.action, body.reason, settings, lang) });
        results.push({ id, ok: true });
      } catch (error) {
        if (!(error instanceof ApiError) || error.code === 'storage-unavailable' || error.code === 'internal-error') throw error;
        results.push({ id, ok: false, error: { code: error.code, detail: error.detail } });
      }
    }
    if (planned.length > 0) {
      const outcomes = await c.get('db').batch(planned.flatMap(({ plan }) => [plan.change, ...plan.rest]));
      planned.forEach(({ index, id, plan }, at) => {
        const applied = (outcomes[at * (1 + plan.rest.length)]?.meta.changes ?? 0) > 0;
        // Answered in the results, not raised: the other ids' changes stand.
        results[index] = applied ? { id, ok: true, state: plan.view.state } : { id, ok: false, error: { code: 'edit-conflict', detail: lostRaceDetail(id) } };
      });
    }
    return c.json({ results }, 200);
  })
  .openapi(historyRoute, async (c) => {
    const { id } = c.req.valid('param');
    await loadVisibleRecord(c, id);
    const lang = langOf(c);
    const rows = await listTransitions(c.get('db').k, id);
    return c.json(
      {
        items: rows.map((row) => ({
          at: row.at,
          actor: row.actor,
          role: row.role,
          from: row.from_state as WorkflowState | null,
          to: row.to_state as WorkflowState,
          fromLabel: row.from_state ? stateLabels[row.from_state as WorkflowState][lang] : null,
          toLabel: stateLabels[row.to_state as WorkflowState][lang],
          reason: row.reason,
        })),
      },
      200,
    );
  })
  .openapi(queueRoute, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    const { levels, maxWaitDays, policy } = await levelsOf(c);
    const cursor = decodeCursor(query.cursor);
    const [since, afterId] = cursor?.split('\u0001') ?? [];
    if (query.cursor !== undefined && (since === undefined || afterId === undefined)) throw invalid([{ path: 'query.cursor', message: 'invalid cursor' }]);
    const now = Date.now();
    const page = await reviewQueue(c.get('db').k, {
      units: principal.role === 'unit_reviewer' ? (principal.units ?? []) : undefined,
      unit: query.unit,
      kind: query.kind,
      states: query.state ? [query.state] : reviewStates,
      sinceBefore: query.olderThanDays === undefined ? undefined : new Date(now - query.olderThanDays * DAY_MS).toISOString(),
      after: since !== undefined && afterId !== undefined ? { since, id: afterId } : undefined,
      limit: query.limit,
    });
    const lang = langOf(c);
    const items = page.rows.map((row) => {
      const stored = storedView(row, policy);
      const waitingDays = Math.max(0, Math.floor((now - Date.parse(stored.stateSince)) / DAY_MS));
      return { ...storedRecordOut(stored, lang), teacher: { id: row.teacher_id, name: row.teacher_name, unit: row.teacher_unit }, waitingDays, overdue: waitingDays > maxWaitDays };
    });
    const last = page.rows[page.rows.length - 1];
    return c.json({ items, counts: page.counts, levels, maxWaitDays, nextCursor: page.more && last ? encodeCursor(`${last.state_since ?? last.updated_at}\u0001${last.id}`) : null }, 200);
  });
