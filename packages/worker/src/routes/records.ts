import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { registryOf, type EvidenceRecord, type Policy } from '@shizi/core';
import { actor, assertCanSeeTeacher, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { activePolicy } from '../db/policies.js';
import { insertRecords, isDeletedRecord, updateRecordFields, listRecords, restoreRecord, softDeleteRecord, storedView, toColumns } from '../db/records.js';
import { insertTransition, insertTransitionIfChanged, selectRecordWithTeacher, updateRecordByTeacher, updateRecordState, type RecordWithTeacher } from '../db/workflow.js';
import { newId } from '../db/keys.js';
import { idempotentWrite } from '../idempotent.js';
import { writeIfMatch } from '../if-match.js';
import { editableStates, maySeeTeacher, stateAfterEdit, type WorkflowState } from '../workflow.js';
import { getTeacher } from '../db/teachers.js';
import type { AppEnv } from '../env.js';
import { langOf } from '../i18n.js';
import { errors, json, newApp, security, zodIssues } from '../openapi.js';
import { ApiError, invalid, notFound } from '../errors.js';
import { StorageError } from '../db/storage.js';
import { etagOf, storedRecordOut } from '../views.js';
import { Cursor, RecordId, decodeCursor, ifMatchHeader, encodeCursor, KindEnum, Limit, RecordDeclaration, StateEnum, StatusEnum, StoredRecordOut, YearParam } from './schemas.js';

const createRecord = createRoute({
  method: 'post',
  path: '/records',
  tags: ['Records'],
  summary: 'Create an evidence record (HR), or declare one of your own (a teacher: stored as submitted, for review)',
  description:
    'HR names id, teacherId and status. A teacher key declares its own records only: teacherId may be left out, id too (the server names the record), and whatever status the body names the record is stored as submitted. Teachers may declare only the kinds GET /v1/kinds marks `declarable`. Send an `Idempotency-Key` to make a retry safe.',
  security,
  middleware: [requireRole('hr', 'teacher')] as const,
  request: { body: { content: { 'application/json': { schema: RecordDeclaration } }, required: true } },
  responses: { 201: json(StoredRecordOut, 'Created'), ...errors('already-exists', 'record-deleted', 'content-too-large', 'unsupported-media-type', 'idempotency-key-reused') },
});

const replaceRoute = createRoute({
  method: 'put',
  path: '/records/{id}',
  tags: ['Records'],
  summary: 'Correct your own record (a teacher) while it is submitted, returned or withdrawn; it is submitted again',
  security,
  middleware: [requireRole('teacher')] as const,
  request: { params: RecordId, body: { content: { 'application/json': { schema: RecordDeclaration } }, required: true } },
  responses: { 200: json(StoredRecordOut, 'Updated and submitted'), ...errors('invalid-transition', 'edit-conflict', 'content-too-large', 'unsupported-media-type') },
});

const listRoute = createRoute({
  method: 'get',
  path: '/records',
  tags: ['Records'],
  summary: 'List records by teacher, kind, academic year, status, state (HR; a teacher key sees only its own, a unit reviewer its units’)',
  security,
  middleware: [requireRole('hr', 'teacher', 'unit_reviewer')] as const,
  request: {
    query: z.object({
      teacherId: z.string().min(1).max(128).optional(),
      kind: KindEnum.optional(),
      year: YearParam.optional(),
      status: StatusEnum.optional(),
      state: StateEnum.optional(),
      cursor: Cursor,
      limit: Limit,
    }),
  },
  responses: { 200: json(z.object({ items: z.array(StoredRecordOut), nextCursor: z.string().nullable() }), 'A page of records'), ...errors() },
});

const getRoute = createRoute({
  method: 'get',
  path: '/records/{id}',
  tags: ['Records'],
  summary: 'Get a record (HR, its teacher, or a reviewer of its unit)',
  security,
  middleware: [requireRole('hr', 'teacher', 'unit_reviewer')] as const,
  request: { params: RecordId },
  responses: { 200: { ...json(StoredRecordOut, 'The record'), headers: { ETag: { schema: { type: 'string' }, description: 'the record’s version, for If-Match on PATCH' } } }, ...errors() },
});

const RecordPatch = z.record(z.string(), z.unknown()).openapi('RecordPatch', {
  description:
    'The fields to change (JSON Merge Patch, RFC 7396: a field set to null is removed). The whole record after the patch is validated against the active policy’s schema of its kind. `id` cannot change; `status` changes only through review (POST /v1/records/{id}/transitions, verify, reject).',
  example: { hours: 120 },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/records/{id}',
  tags: ['Records'],
  summary: 'Correct a record’s fields (HR); requires If-Match with the ETag from GET; audited with the values before and after',
  description: 'Without If-Match 428, with a stale one 412. The record keeps its workflow state (HR is the verifying level: a verified record HR corrects stays verified; see the README’s evidence workflow).',
  security,
  middleware: [requireRole('hr')] as const,
  request: {
    params: RecordId,
    headers: ifMatchHeader('GET /v1/records/{id}'),
    body: { content: { 'application/json': { schema: RecordPatch } }, required: true },
  },
  responses: {
    200: { ...json(StoredRecordOut, 'Updated'), headers: { ETag: { schema: { type: 'string' }, description: 'the new version' } } },
    ...errors('precondition-failed', 'precondition-required', 'content-too-large', 'unsupported-media-type'),
  },
});

/** JSON Merge Patch (RFC 7396) of a record's top level: null removes a field. */
function mergePatch(record: EvidenceRecord, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

const statusRoute = (action: 'verify' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/records/{id}/${action}`,
    tags: ['Records'],
    summary: action === 'verify' ? 'Mark a record verified, from any state (HR; a correction, recorded in its history)' : 'Mark a record rejected, from any state (HR; a correction, recorded in its history)',
    security,
    middleware: [requireRole('hr')] as const,
    request: {
      params: RecordId,
      body: { content: { 'application/json': { schema: z.object({ note: z.string().max(2000).optional() }) } }, required: false },
    },
    responses: { 200: json(StoredRecordOut, 'Updated'), ...errors('edit-conflict', 'content-too-large', 'unsupported-media-type') },
  });

const deleteRoute = createRoute({
  method: 'delete',
  path: '/records/{id}',
  tags: ['Records'],
  summary: 'Soft-delete a record (HR, audited); it no longer counts anywhere',
  security,
  middleware: [requireRole('hr')] as const,
  request: { params: RecordId },
  responses: { 200: json(z.object({ id: z.string(), deleted: z.literal(true) }), 'Deleted'), ...errors('content-too-large') },
});

const restoreRoute = createRoute({
  method: 'post',
  path: '/records/{id}/restore',
  tags: ['Records'],
  summary: 'Restore a soft-deleted record as it was (HR, with a written reason; audited): it counts again',
  description: 'The one way back for a deleted record: POST /v1/records and POST /v1/import answer 409 `record-deleted` for its id. The record keeps its fields, workflow state and evidence files as they were when it was deleted.',
  security,
  middleware: [requireRole('hr')] as const,
  request: {
    params: RecordId,
    body: {
      content: {
        'application/json': {
          schema: z
            .object({ reason: z.string().trim().min(10, { message: 'a written reason of at least 10 characters' }).max(2000) })
            .strict()
            .openapi('RecordRestore'),
        },
      },
      required: true,
    },
  },
  responses: { 200: json(StoredRecordOut, 'Restored'), ...errors('not-deleted', 'edit-conflict', 'content-too-large', 'unsupported-media-type') },
});

/** The 409 for a record id that is stored soft-deleted: it names the id and the restore route. */
export function recordDeleted(id: string, where?: string): ApiError {
  return new ApiError('record-deleted', `${where ? `${where}: ` : ''}record ${id} was deleted; restore it with POST /v1/records/${encodeURIComponent(id)}/restore and a reason`, {
    restore: { method: 'POST', href: `/v1/records/${encodeURIComponent(id)}/restore` },
  });
}

/**
 * The record, if the caller may see it: HR every record, a teacher its own, a unit reviewer its units'
 * (`maySeeTeacher`). Anything else answers 404, so existence is not revealed.
 */
export async function loadVisibleRecord(c: Context<AppEnv>, id: string, options: { includeDeleted?: boolean } = {}): Promise<RecordWithTeacher> {
  const row = (await selectRecordWithTeacher(c.get('db').k, id, options).executeTakeFirst()) as RecordWithTeacher | undefined;
  if (!row || !maySeeTeacher(c.get('principal'), { id: row.teacher_id, unit: row.teacher_unit })) throw notFound('record');
  return row;
}

/** The record a teacher's body declares: its own teacherId, and always pending (submitted), whatever the body says. */
function declaredByTeacher(body: Record<string, unknown>, teacherId: string, id: string): Record<string, unknown> {
  if (body.teacherId !== undefined && body.teacherId !== teacherId) throw invalid([{ path: 'teacherId', message: 'a teacher declares only its own records; leave teacherId out' }]);
  return { ...body, id, teacherId, status: 'pending' };
}

function parseDeclared(policy: Policy, input: unknown, teacherDeclares: boolean): EvidenceRecord {
  const registry = registryOf(policy);
  // Validated against the policy that will score it: its own kinds are accepted, with their fields checked.
  const parsed = registry.recordSchema.safeParse(input);
  if (!parsed.success) throw invalid(zodIssues(parsed.error));
  const record = parsed.data as EvidenceRecord;
  if (teacherDeclares && registry.kind(record.kind)?.declaration.declarable === false) {
    throw invalid([{ path: 'kind', message: `teachers may not declare ${record.kind}; the personnel office records it` }]);
  }
  return record;
}

/** HR's correction through the legacy verify/reject routes: from any state, recorded like any transition. */
async function setStatus(c: Context<AppEnv>, id: string, status: 'verified' | 'rejected', note: string | undefined) {
  const db = c.get('db');
  const [row, policy] = await Promise.all([loadVisibleRecord(c, id), activePolicy(db.k)]);
  const stored = storedView(row, policy);
  if (stored.state === status) return storedRecordOut(stored, langOf(c));
  const updated = { ...stored.record, status } as EvidenceRecord;
  const now = nowIso();
  const who = actor(c);
  const write = { record: updated, from: stored.state, to: status, now, actor: who.actor, role: who.role, reason: note ?? null };
  const [result] = await db.batch([
    updateRecordState(db.k, write),
    insertTransitionIfChanged(db.k, { ...write, recordId: id }),
    auditInsert(db.k, { ...who, action: `record.${status === 'verified' ? 'verify' : 'reject'}`, entity: 'record', entityId: id, detail: { from: stored.state, to: status, note: note ?? null } }, { onlyIfChanged: true }),
  ]);
  if ((result?.meta.changes ?? 0) === 0) throw new ApiError('edit-conflict', `record ${id} changed meanwhile; read it again`);
  return storedRecordOut({ ...stored, record: updated, state: status, stateSince: now, updatedAt: now }, langOf(c));
}

export const recordsApp = newApp()
  .openapi(createRecord, async (c) => {
    const db = c.get('db');
    const principal = c.get('principal');
    const policy = await activePolicy(db.k);
    const body = c.req.valid('json') as Record<string, unknown>;
    const teacherDeclares = principal.role === 'teacher';
    const input = teacherDeclares ? declaredByTeacher(body, principal.teacherId!, typeof body.id === 'string' && body.id !== '' ? body.id : newId('rec')) : body;
    // The body is what a retry repeats (a server-named id differs on every attempt).
    const idempotent = await idempotentWrite(c, 'POST /v1/records', JSON.stringify(body));
    const replay = await idempotent.replayed();
    if (replay) return replay as never;
    const record = parseDeclared(policy, input, teacherDeclares);
    if (!(await getTeacher(db.k, record.teacherId))) throw invalid([{ path: 'teacherId', message: 'unknown teacher' }]);
    const now = nowIso();
    const who = actor(c);
    const row = toColumns(record, policy, now);
    const view = storedRecordOut(storedView(row, policy), langOf(c));
    try {
      const twin = await idempotent.commit(
        insertRecords(db.k, [record], policy, now)[0]!,
        [
          insertTransition(db.k, { recordId: record.id, from: null, to: row.state as WorkflowState, now, actor: who.actor, role: who.role, reason: null }),
          auditInsert(db.k, { ...who, action: teacherDeclares ? 'record.declare' : 'record.create', entity: 'record', entityId: record.id, detail: { teacherId: record.teacherId, kind: record.kind, status: record.status } }),
        ],
        view,
        now,
        () => new ApiError('already-exists', `record ${record.id} already exists`),
        201,
      );
      if (twin) return twin as never;
    } catch (error) {
      if (error instanceof StorageError && error.isUniqueViolation('records')) {
        if (await isDeletedRecord(db.k, record.id)) throw recordDeleted(record.id);
        throw new ApiError('already-exists', `record ${record.id} already exists`);
      }
      throw error;
    }
    c.header('Location', `/v1/records/${encodeURIComponent(record.id)}`);
    return c.json(view, 201);
  })
  .openapi(replaceRoute, async (c) => {
    const db = c.get('db');
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    const [row, policy] = await Promise.all([loadVisibleRecord(c, id), activePolicy(db.k)]);
    const stored = storedView(row, policy);
    if (!editableStates.has(stored.state)) throw new ApiError('invalid-transition', `a record that is ${stored.state} can no longer be edited`);
    const body = c.req.valid('json') as Record<string, unknown>;
    if (body.id !== undefined && body.id !== id) throw invalid([{ path: 'id', message: 'must be the id in the path, or left out' }]);
    const record = parseDeclared(policy, declaredByTeacher(body, principal.teacherId!, id), true);
    const now = nowIso();
    const who = actor(c);
    const columns = toColumns(record, policy, now);
    const write = { record, from: stored.state, to: stateAfterEdit(who.role, stored.state), now, actor: who.actor, role: who.role, reason: null };
    const [result] = await db.batch([
      updateRecordByTeacher(db.k, { ...write, columns }),
      insertTransitionIfChanged(db.k, { ...write, recordId: id }),
      auditInsert(db.k, { ...who, action: 'record.edit', entity: 'record', entityId: id, detail: { before: stored.record, after: record } }, { onlyIfChanged: true }),
    ]);
    if ((result?.meta.changes ?? 0) === 0) throw new ApiError('edit-conflict', `record ${id} changed meanwhile; read it again`);
    return c.json(storedRecordOut({ ...storedView({ ...columns, created_at: row.created_at }, policy), stateSince: now }, langOf(c)), 200);
  })
  .openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    let teacherId = query.teacherId;
    if (principal.role === 'teacher') {
      if (teacherId !== undefined) assertCanSeeTeacher(c, teacherId);
      teacherId = principal.teacherId ?? '\u0000';
    }
    const units = principal.role === 'unit_reviewer' ? (principal.units ?? []) : undefined;
    const after = decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw invalid([{ path: 'query.cursor', message: 'invalid cursor' }]);
    // Years are placed by the active policy's calendar when asked (rows keep no year).
    const page = await listRecords(c.get('db'), { teacherId, units, kind: query.kind, status: query.status, state: query.state, year: query.year, after, limit: query.limit });
    const lang = langOf(c);
    return c.json({ items: page.items.map((item) => storedRecordOut(item, lang)), nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const [row, policy] = await Promise.all([loadVisibleRecord(c, id), activePolicy(c.get('db').k)]);
    c.header('ETag', etagOf(row.version));
    return c.json(storedRecordOut(storedView(row, policy), langOf(c)), 200);
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const db = c.get('db');
    const [row, policy] = await Promise.all([loadVisibleRecord(c, id), activePolicy(db.k)]);
    const out = await writeIfMatch(c, 'record', row.version, async (now, version) => {
      const stored = storedView(row, policy);
      const refused: { path: string; message: string }[] = [];
      if ('id' in patch && patch.id !== id) refused.push({ path: 'id', message: 'a record’s id does not change' });
      if ('status' in patch && patch.status !== stored.record.status) {
        refused.push({ path: 'status', message: `is ${stored.record.status}; it changes through review: POST /v1/records/${id}/transitions, /verify or /reject` });
      }
      if (refused.length > 0) throw invalid(refused);
      const record = parseDeclared(policy, mergePatch(stored.record, patch), false);
      if (record.teacherId !== stored.record.teacherId && !(await getTeacher(db.k, record.teacherId))) throw invalid([{ path: 'teacherId', message: 'unknown teacher' }]);
      const columns = toColumns(record, policy, now);
      return {
        change: updateRecordFields(db.k, record, policy, row.version, now),
        rest: [auditInsert(db.k, { ...actor(c), action: 'record.update', entity: 'record', entityId: id, detail: { before: stored.record, after: record, state: stored.state } }, { onlyIfChanged: true })],
        answer: storedRecordOut(storedView({ ...row, ...columns, state: row.state, state_since: row.state_since, created_at: row.created_at, version }, policy), langOf(c)),
      };
    });
    return c.json(out, 200);
  })
  .openapi(statusRoute('verify'), async (c) => c.json(await setStatus(c, c.req.valid('param').id, 'verified', (c.req.valid('json') as { note?: string }).note), 200))
  .openapi(statusRoute('reject'), async (c) => c.json(await setStatus(c, c.req.valid('param').id, 'rejected', (c.req.valid('json') as { note?: string }).note), 200))
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.get('db');
    const row = await loadVisibleRecord(c, id);
    const [result] = await db.batch([softDeleteRecord(db.k, id, nowIso()), auditInsert(db.k, { ...actor(c), action: 'record.delete', entity: 'record', entityId: id, detail: { teacherId: row.teacher_id, kind: row.kind } }, { onlyIfChanged: true })]);
    if ((result?.meta.changes ?? 0) === 0) throw notFound('record');
    return c.json({ id, deleted: true as const }, 200);
  })
  .openapi(restoreRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const db = c.get('db');
    const [row, policy] = await Promise.all([loadVisibleRecord(c, id, { includeDeleted: true }), activePolicy(db.k)]);
    if (row.deleted_at === null) throw new ApiError('not-deleted', `record ${id} is not deleted`);
    const now = nowIso();
    const [result] = await db.batch([
      restoreRecord(db.k, id, now),
      auditInsert(db.k, { ...actor(c), action: 'record.restore', entity: 'record', entityId: id, detail: { teacherId: row.teacher_id, kind: row.kind, state: row.state, deletedAt: row.deleted_at, reason } }, { onlyIfChanged: true }),
    ]);
    if ((result?.meta.changes ?? 0) === 0) throw new ApiError('edit-conflict', `record ${id} changed meanwhile; read it again`);
    return c.json(storedRecordOut(storedView({ ...row, deleted_at: null, updated_at: now }, policy), langOf(c)), 200);
  });
