import { createRoute, z } from '@hono/zod-openapi';
import { recordSchema, teacherSchema, type EvidenceRecord, type Teacher } from '@shizi/core';
import type { Context } from 'hono';
import { actor, requireRole } from '../auth.js';
import { CsvError, parseCsv } from '../csv.js';
import { auditImportChanges, auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { findIdempotency, insertIdempotency } from '../db/idempotency.js';
import { sha256Hex } from '../db/keys.js';
import { activePolicy } from '../db/policies.js';
import { upsertRecordsBulk } from '../db/records.js';
import { existingTeacherIds, upsertTeachersBulk } from '../db/teachers.js';
import type { AppEnv } from '../env.js';
import { errors, json, newApp, security, zodIssues } from '../openapi.js';
import { ApiError, type FieldIssue } from '../errors.js';
import { RecordInput, TeacherInput } from './schemas.js';

export const MAX_IMPORT_ROWS = 20_000;

const ImportJson = z
  .object({
    teachers: z.array(TeacherInput).max(MAX_IMPORT_ROWS, { message: `at most ${MAX_IMPORT_ROWS} teachers per import` }).optional(),
    records: z.array(RecordInput).max(MAX_IMPORT_ROWS, { message: `at most ${MAX_IMPORT_ROWS} records per import` }).optional(),
  })
  .openapi('ImportBody');

const ImportResult = z
  .object({
    imported: z.object({ teachers: z.int(), records: z.int() }),
    teacherIds: z.array(z.string()),
    recordIds: z.array(z.string()),
  })
  .openapi('ImportResult');

const importRoute = createRoute({
  method: 'post',
  path: '/import',
  tags: ['Import'],
  summary: 'Bulk import teachers and records (HR), all or nothing; existing ids are replaced',
  description: [
    'JSON `{ teachers: [...], records: [...] }` or CSV (`text/csv`, UTF-8, BOM optional) with an `entity` column',
    '(`teacher` or `record`) and one column per field (`id, name, unit, hireDate, stage, ..., teacherId, kind, status, date, start, end, ...`; ',
    '`topics` separated by `;`). A rejected import lists every bad row and field and writes nothing. ',
    'Send `Idempotency-Key` to make retries safe: the same key and body replays the first answer; a different body answers 422.',
  ].join(''),
  security,
  middleware: [requireRole('hr')] as const,
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: {
      content: {
        'application/json': { schema: ImportJson },
        'text/csv': { schema: z.string().openapi({ description: 'CSV, RFC 4180, UTF-8' }) },
      },
      required: false,
    },
  },
  responses: { 201: json(ImportResult, 'Imported'), ...errors('content-too-large', 'unsupported-media-type', 'idempotency-key-reused') },
});

const NUMERIC = new Set(['year', 'hours', 'score', 'rank', 'share', 'amountYuan', 'trainees', 'satisfaction']);

/** CSV rows → candidate teachers and records (still unvalidated), with the CSV line of each. */
function fromCsv(text: string): { teachers: { line: number; value: unknown }[]; records: { line: number; value: unknown }[]; issues: FieldIssue[] } {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new ApiError('invalid-request', `CSV could not be read: ${error.message}`);
    throw error;
  }
  const issues: FieldIssue[] = [];
  const teachers: { line: number; value: unknown }[] = [];
  const records: { line: number; value: unknown }[] = [];
  const header = rows[0]?.map((cell) => cell.trim());
  if (!header || !header.includes('entity')) throw new ApiError('invalid-request', 'CSV needs a header row with an `entity` column (teacher or record)', { errors: [{ path: 'csv[1]', message: 'missing entity column' }] });
  if (rows.length - 1 > MAX_IMPORT_ROWS) throw new ApiError('content-too-large', `at most ${MAX_IMPORT_ROWS} rows per import`);
  for (let index = 1; index < rows.length; index++) {
    const row = rows[index]!;
    const line = index + 1;
    const value: Record<string, unknown> = {};
    let entity = '';
    header.forEach((name, column) => {
      const cell = row[column] ?? '';
      if (name === 'entity') {
        entity = cell.trim();
        return;
      }
      if (name === '' || cell === '') return;
      if (NUMERIC.has(name)) {
        const number = Number(cell.trim());
        value[name] = cell.trim() !== '' && Number.isFinite(number) ? number : cell;
      } else if (name === 'topics') value[name] = cell.split(/[;；]/).map((topic) => topic.trim()).filter(Boolean);
      else value[name] = cell;
    });
    if (entity === 'teacher') teachers.push({ line, value });
    else if (entity === 'record') records.push({ line, value });
    else issues.push({ path: `csv[${line}].entity`, message: 'must be teacher or record' });
  }
  return { teachers, records, issues };
}

async function validateImport(c: Context<AppEnv>, teachersIn: { path: string; value: unknown }[], recordsIn: { path: string; value: unknown }[], issues: FieldIssue[]) {
  const teachers: Teacher[] = [];
  const records: EvidenceRecord[] = [];
  const teacherIds = new Map<string, string>();
  const recordIds = new Map<string, string>();
  for (const item of teachersIn) {
    const parsed = teacherSchema.safeParse(item.value);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, [item.path]));
      continue;
    }
    const earlier = teacherIds.get(parsed.data.id);
    if (earlier) issues.push({ path: `${item.path}.id`, message: `duplicate teacher id "${parsed.data.id}" (also ${earlier})` });
    else teacherIds.set(parsed.data.id, item.path);
    teachers.push(parsed.data);
  }
  const refs: { path: string; teacherId: string }[] = [];
  for (const item of recordsIn) {
    const parsed = recordSchema.safeParse(item.value);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, [item.path]));
      continue;
    }
    const earlier = recordIds.get(parsed.data.id);
    if (earlier) issues.push({ path: `${item.path}.id`, message: `duplicate record id "${parsed.data.id}" (also ${earlier})` });
    else recordIds.set(parsed.data.id, item.path);
    if (!teacherIds.has(parsed.data.teacherId)) refs.push({ path: `${item.path}.teacherId`, teacherId: parsed.data.teacherId });
    records.push(parsed.data);
  }
  if (refs.length > 0) {
    const known = await existingTeacherIds(c.get('db').k, refs.map((ref) => ref.teacherId));
    for (const ref of refs) if (!known.has(ref.teacherId)) issues.push({ path: ref.path, message: `unknown teacher "${ref.teacherId}" (not in this import nor stored)` });
  }
  if (issues.length > 0) throw new ApiError('invalid-request', `import rejected: ${issues.length} problem(s); nothing was written`, { errors: issues });
  return { teachers, records };
}

function replay(c: Context<AppEnv>, stored: { status: number; response: string }) {
  return new Response(stored.response, { status: stored.status, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true', 'x-request-id': c.get('requestId') } });
}

export const importApp = newApp().openapi(importRoute, async (c) => {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase();
  const db = c.get('db');
  const principal = c.get('principal');
  const idemKey = c.req.header('idempotency-key');
  let teachersIn: { path: string; value: unknown }[];
  let recordsIn: { path: string; value: unknown }[];
  const issues: FieldIssue[] = [];
  let canonical: string;
  if (contentType.startsWith('text/csv')) {
    const text = await c.req.text();
    canonical = `csv:${text}`;
    const parsed = fromCsv(text);
    issues.push(...parsed.issues);
    teachersIn = parsed.teachers.map((item) => ({ path: `csv[${item.line}]`, value: item.value }));
    recordsIn = parsed.records.map((item) => ({ path: `csv[${item.line}]`, value: item.value }));
  } else if (contentType.startsWith('application/json')) {
    const body = c.req.valid('json') as z.infer<typeof ImportJson>;
    canonical = `json:${JSON.stringify(body)}`;
    teachersIn = (body.teachers ?? []).map((value, index) => ({ path: `teachers[${index}]`, value }));
    recordsIn = (body.records ?? []).map((value, index) => ({ path: `records[${index}]`, value }));
  } else throw new ApiError('unsupported-media-type', 'send application/json or text/csv');

  const requestHash = await sha256Hex(canonical);
  if (idemKey) {
    const stored = await findIdempotency(db.k, principal.keyId, idemKey);
    if (stored) {
      if (stored.request_hash !== requestHash || stored.route !== 'import') throw new ApiError('idempotency-key-reused', 'this Idempotency-Key was used with a different request body');
      return replay(c, stored) as never;
    }
  }
  if (teachersIn.length + recordsIn.length === 0) throw new ApiError('invalid-request', 'nothing to import', { errors: [{ path: '(root)', message: 'no teachers and no records' }] });
  const { teachers, records } = await validateImport(c, teachersIn, recordsIn, issues);
  const policy = await activePolicy(db.k);
  const now = nowIso();
  const response = {
    imported: { teachers: teachers.length, records: records.length },
    teacherIds: teachers.map((teacher) => teacher.id),
    recordIds: records.map((record) => record.id),
  };
  const who = actor(c);
  const statements = [
    ...(idemKey ? [insertIdempotency(db.k, { keyId: principal.keyId, idemKey, route: 'import', requestHash, status: 201, response, now })] : []),
    ...auditImportChanges(db.k, who, teachers, records), // before the upserts: reads the previous values
    ...upsertTeachersBulk(db.k, teachers, now),
    ...upsertRecordsBulk(db.k, records, policy, now),
    auditInsert(db.k, {
      ...who,
      action: 'import',
      entity: 'import',
      entityId: idemKey ?? null,
      detail: { teachers: teachers.length, records: records.length, firstTeacherIds: response.teacherIds.slice(0, 50), firstRecordIds: response.recordIds.slice(0, 50) },
    }),
  ];
  try {
    await db.batch(statements);
  } catch (error) {
    if (idemKey && String(error).includes('idempotency_keys')) {
      const stored = await findIdempotency(db.k, principal.keyId, idemKey);
      if (stored && stored.request_hash === requestHash) return replay(c, stored) as never;
      throw new ApiError('idempotency-key-reused', 'this Idempotency-Key was used with a different request body');
    }
    throw error;
  }
  return c.json(response, 201);
});
