import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { registryOf, type EvidenceRecord } from '@shizi/core';
import { actor, assertCanSeeTeacher, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { activePolicy } from '../db/policies.js';
import { insertRecords, listRecords, selectRecord, softDeleteRecord, storedView, updateRecordStatus } from '../db/records.js';
import { getTeacher } from '../db/teachers.js';
import type { RecordsTable } from '../db/schema.js';
import type { AppEnv } from '../env.js';
import { langOf } from '../i18n.js';
import { errors, json, newApp, security, zodIssues } from '../openapi.js';
import { ApiError, invalid, notFound } from '../errors.js';
import { StorageError } from '../db/storage.js';
import { storedRecordOut } from '../views.js';
import { Cursor, decodeCursor, encodeCursor, KindEnum, Limit, RecordDeclaration, StatusEnum, StoredRecordOut, YearParam } from './schemas.js';

const RecordId = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' }, example: 'r-001' }) });

const createRecord = createRoute({
  method: 'post',
  path: '/records',
  tags: ['Records'],
  summary: 'Create an evidence record (HR)',
  security,
  middleware: [requireRole('hr')] as const,
  request: { body: { content: { 'application/json': { schema: RecordDeclaration } }, required: true } },
  responses: { 201: json(StoredRecordOut, 'Created'), ...errors('already-exists', 'content-too-large', 'unsupported-media-type') },
});

const listRoute = createRoute({
  method: 'get',
  path: '/records',
  tags: ['Records'],
  summary: 'List records by teacher, kind, academic year, status (HR; a teacher key sees only its own)',
  security,
  middleware: [requireRole('hr', 'teacher')] as const,
  request: {
    query: z.object({
      teacherId: z.string().min(1).max(128).optional(),
      kind: KindEnum.optional(),
      year: YearParam.optional(),
      status: StatusEnum.optional(),
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
  summary: 'Get a record (HR, or its teacher)',
  security,
  middleware: [requireRole('hr', 'teacher')] as const,
  request: { params: RecordId },
  responses: { 200: json(StoredRecordOut, 'The record'), ...errors() },
});

const statusRoute = (action: 'verify' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/records/{id}/${action}`,
    tags: ['Records'],
    summary: action === 'verify' ? 'Mark a record verified (HR)' : 'Mark a record rejected (HR)',
    security,
    middleware: [requireRole('hr')] as const,
    request: {
      params: RecordId,
      body: { content: { 'application/json': { schema: z.object({ note: z.string().max(2000).optional() }) } }, required: false },
    },
    responses: { 200: json(StoredRecordOut, 'Updated'), ...errors('content-too-large', 'unsupported-media-type') },
  });

const deleteRoute = createRoute({
  method: 'delete',
  path: '/records/{id}',
  tags: ['Records'],
  summary: 'Soft-delete a record (HR, audited); it no longer counts anywhere',
  security,
  middleware: [requireRole('hr')] as const,
  request: { params: RecordId },
  responses: { 200: json(z.object({ id: z.string(), deleted: z.literal(true) }), 'Deleted'), ...errors() },
});

async function loadVisible(c: Context<AppEnv>, id: string) {
  const row = await selectRecord(c.get('db').k, id).executeTakeFirst();
  if (!row) throw notFound('record');
  const principal = c.get('principal');
  if (principal.role === 'teacher' && principal.teacherId !== row.teacher_id) throw notFound('record');
  return row;
}

async function setStatus(c: Context<AppEnv>, id: string, status: 'verified' | 'rejected', note: string | undefined) {
  const db = c.get('db');
  const row = await loadVisible(c, id);
  const stored = storedView(row);
  const updated = { ...stored.record, status } as EvidenceRecord;
  const now = nowIso();
  await db.batch([
    updateRecordStatus(db.k, updated, now),
    auditInsert(db.k, { ...actor(c), action: `record.${status === 'verified' ? 'verify' : 'reject'}`, entity: 'record', entityId: id, detail: { from: stored.record.status, to: status, note: note ?? null } }, { onlyIfChanged: true }),
  ]);
  return storedRecordOut({ ...stored, record: updated, updatedAt: now }, langOf(c));
}

export const recordsApp = newApp()
  .openapi(createRecord, async (c) => {
    const db = c.get('db');
    const policy = await activePolicy(db.k);
    // Validated against the policy that will score it: its own kinds are accepted, with their fields checked.
    const parsed = registryOf(policy).recordSchema.safeParse(c.req.valid('json'));
    if (!parsed.success) throw invalid(zodIssues(parsed.error));
    const record = parsed.data as EvidenceRecord;
    if (!(await getTeacher(db.k, record.teacherId))) throw invalid([{ path: 'teacherId', message: 'unknown teacher' }]);
    const now = nowIso();
    // The stored row is read back inside the same batch: a separate read after the commit could fail
    // (answering 503) although the record was written (found by the fault-injection tests).
    let results: D1Result<Record<string, unknown>>[];
    try {
      results = await db.batch([
        ...insertRecords(db.k, [record], policy, now),
        auditInsert(db.k, { ...actor(c), action: 'record.create', entity: 'record', entityId: record.id, detail: { teacherId: record.teacherId, kind: record.kind, status: record.status } }),
        selectRecord(db.k, record.id),
      ]);
    } catch (error) {
      if (error instanceof StorageError && error.isUniqueViolation('records')) throw new ApiError('already-exists', `record ${record.id} already exists`);
      throw error;
    }
    const row = results[results.length - 1]!.results[0] as unknown as RecordsTable;
    c.header('Location', `/v1/records/${encodeURIComponent(record.id)}`);
    return c.json(storedRecordOut(storedView(row), langOf(c)), 201);
  })
  .openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const principal = c.get('principal');
    let teacherId = query.teacherId;
    if (principal.role === 'teacher') {
      if (teacherId !== undefined) assertCanSeeTeacher(c, teacherId);
      teacherId = principal.teacherId ?? '\u0000';
    }
    const after = decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw invalid([{ path: 'query.cursor', message: 'invalid cursor' }]);
    const page = await listRecords(c.get('db').k, { teacherId, kind: query.kind, status: query.status, year: query.year, after, limit: query.limit });
    const lang = langOf(c);
    return c.json({ items: page.items.map((item) => storedRecordOut(item, lang)), nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(storedRecordOut(storedView(await loadVisible(c, id)), langOf(c)), 200);
  })
  .openapi(statusRoute('verify'), async (c) => c.json(await setStatus(c, c.req.valid('param').id, 'verified', (c.req.valid('json') as { note?: string }).note), 200))
  .openapi(statusRoute('reject'), async (c) => c.json(await setStatus(c, c.req.valid('param').id, 'rejected', (c.req.valid('json') as { note?: string }).note), 200))
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.get('db');
    const row = await loadVisible(c, id);
    const [result] = await db.batch([
      softDeleteRecord(db.k, id, nowIso()),
      auditInsert(db.k, { ...actor(c), action: 'record.delete', entity: 'record', entityId: id, detail: { teacherId: row.teacher_id, kind: row.kind } }, { onlyIfChanged: true }),
    ]);
    if ((result?.meta.changes ?? 0) === 0) throw notFound('record');
    return c.json({ id, deleted: true as const }, 200);
  });
