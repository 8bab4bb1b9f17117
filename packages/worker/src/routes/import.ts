import { createRoute, z } from '@hono/zod-openapi';
import { registryOf, teacherCategoryOf, teacherSchema, type EvidenceRecord, type EvidenceRegistry, type Teacher } from '@shizi/core';
import type { Context, MiddlewareHandler } from 'hono';
import { actor, requireRole } from '../auth.js';
import { CsvError, parseCsv } from '../csv.js';
import { auditImportChanges, auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { findIdempotency, insertIdempotency } from '../db/idempotency.js';
import { sha256Hex } from '../db/keys.js';
import { activePolicy } from '../db/policies.js';
import { selectDeletedRecordIds, selectRecordPayloadsByIds, upsertRecordsBulk } from '../db/records.js';
import type { TeachersTable } from '../db/schema.js';
import { existingTeacherIds, selectTeachersByIds, stageFieldsChanged, teacherFromRow, upsertTeachersBulk } from '../db/teachers.js';
import type { AppEnv } from '../env.js';
import { label, langOf, type Bilingual, type Lang } from '../i18n.js';
import { errors, json, newApp, security, zodIssues } from '../openapi.js';
import { ApiError, type FieldIssue } from '../errors.js';
import { StorageError } from '../db/storage.js';
import { columnsOf, fieldLabel, sheetNameOf, targetsOf, type SheetTarget } from '../sheets/columns.js';
import { declaredCharset, decodeCsv, EncodingError } from '../sheets/decode.js';
import { cellText, countDataRows, EXAMPLE_MARK, issueAt, readSheets, SKIP_HEADINGS, zodReason, type Candidate, type CellValue, type Sheet, type SheetIssue } from '../sheets/read.js';
import { writeWorkbook, xlsxResponse, xlsxSheets, type OutSheet } from '../sheets/xlsx.js';
import { TeacherInput } from './schemas.js';

export const MAX_IMPORT_ROWS = 20_000;

/**
 * A record in a JSON import: only its envelope here; each record is validated in the handler against the
 * ACTIVE policy's registry (its own kinds included), with every problem named by path.
 */
const ImportRecord = z
  .looseObject({ id: z.string(), teacherId: z.string(), kind: z.string().min(1), status: z.string() })
  .openapi('ImportRecord', { description: 'an evidence record of a built-in kind (schema `Record`) or of a kind the active policy declares (GET /v1/kinds gives its fields)' });

const ImportJson = z
  .object({
    teachers: z
      .array(TeacherInput)
      .max(MAX_IMPORT_ROWS, { message: `at most ${MAX_IMPORT_ROWS} teachers per import` })
      .optional(),
    records: z
      .array(ImportRecord)
      .max(MAX_IMPORT_ROWS, { message: `at most ${MAX_IMPORT_ROWS} records per import` })
      .optional(),
  })
  .refine((body) => (body.teachers?.length ?? 0) + (body.records?.length ?? 0) <= MAX_IMPORT_ROWS, {
    message: `at most ${MAX_IMPORT_ROWS} rows per import, teachers and records together`,
  })
  .openapi('ImportBody');

const Ids = z.array(z.string());
const ImportResult = z
  .object({
    imported: z.object({ teachers: z.int(), records: z.int() }),
    teacherIds: Ids,
    recordIds: Ids,
  })
  .openapi('ImportResult');
const Tally = z.object({ created: Ids, replaced: Ids, unchanged: Ids });
const DryRunResult = z
  .object({
    dryRun: z.literal(true),
    wouldImport: z.object({ teachers: z.int(), records: z.int() }),
    teachers: Tally,
    records: Tally,
  })
  .openapi('ImportDryRun', { description: 'what the import would do, by id: nothing is written' });

/** `?name=`: the uploaded file's name, as the files route takes it; only to name the file in messages. */
const FileName = z.string().min(1).max(255).optional().openapi({ description: 'the uploaded file’s name (URL-encoded), used only to name it in messages', example: '师资导入.xlsx' });

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Media types read as CSV (Windows browsers label a .csv file application/vnd.ms-excel). */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values', 'application/vnd.ms-excel'];
export const ACCEPTED_IMPORT_TYPES = ['application/json', 'text/csv', XLSX_TYPE];

/** Before the body validators: a clear 415 naming the accepted types (also when Content-Type is missing). */
const acceptedTypes: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = mediaType(c.req.header('content-type') ?? '');
  if (type !== 'application/json' && type !== XLSX_TYPE && !CSV_TYPES.includes(type)) throw unsupported(langOf(c), type);
  await next();
};

const importRoute = createRoute({
  method: 'post',
  path: '/import',
  tags: ['Import'],
  summary: 'Bulk import teachers and records (HR), all or nothing; existing ids are replaced; dryRun=true writes nothing',
  description: [
    'JSON `{ teachers: [...], records: [...] }`, CSV (`text/csv`: UTF-8 with or without BOM, or GB18030/GBK as Excel saves it on Chinese Windows) ',
    'or an Excel workbook (`.xlsx`). Headings may be the Chinese labels (工号, 姓名, 部门, 入职日期, 成长阶段, 职称, …) or the field ids; ',
    'enum values their Chinese labels (新教师, 助教, 国家级, 一等奖) or ids; dates 2023-09-01, 2023/9/1, 2023年9月1日 or Excel dates; ',
    'numbers may have thousands separators; blank rows are skipped. A sheet is a teachers sheet, a records sheet named after its kind ',
    '(技能竞赛, …) or with a 类型/kind column, or (CSV) has an `entity` column (`teacher`/`record`). At most 20,000 rows, teachers and ',
    'records together. A rejected import lists every problem with sheet, Excel row, column heading, value and expectation, in zh or en ',
    'by Accept-Language, and writes nothing. `dryRun=true` reports what would be created, replaced or left unchanged. ',
    'Send `Idempotency-Key` to make retries safe: the same key and body replays the first answer; a different body answers 422.',
  ].join(''),
  security,
  middleware: [requireRole('hr'), acceptedTypes] as const,
  request: {
    query: z.object({ dryRun: z.enum(['true', 'false']).optional().openapi({ description: 'true: validate and report, write nothing' }), name: FileName }),
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: {
      content: {
        'application/json': { schema: ImportJson },
        'text/csv': { schema: z.string().openapi({ description: 'CSV, RFC 4180, UTF-8 or GB18030/GBK' }) },
        [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'Excel workbook' }) },
        ...Object.fromEntries(CSV_TYPES.slice(1).map((type) => [type, { schema: z.string().openapi({ description: 'read as CSV (Windows browsers label a .csv file application/vnd.ms-excel)' }) }])),
      },
      required: false,
    },
  },
  responses: {
    200: json(DryRunResult, 'Dry run: what would be imported'),
    201: json(ImportResult, 'Imported'),
    ...errors('record-deleted', 'content-too-large', 'unsupported-media-type', 'idempotency-key-reused'),
  },
});

/** The sheets of an uploaded file: a CSV is one sheet named `csv` (so paths stay `csv[12].hireDate`). */
function csvSheets(bytes: Uint8Array, contentType: string, lang: Lang): Sheet[] {
  let text: string;
  try {
    text = decodeCsv(bytes, declaredCharset(contentType)).text;
  } catch (error) {
    if (!(error instanceof EncodingError)) throw error;
    throw new ApiError(
      'unsupported-media-type',
      lang === 'zh'
        ? `CSV 文件的编码无法识别（${error.found}）：只接受 UTF-8 或 GB18030/GBK（Excel 中“另存为”选“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”），或直接上传 .xlsx`
        : `the CSV file's encoding is not accepted (${error.found}): send UTF-8 or GB18030/GBK (in Excel, Save As "CSV UTF-8 (Comma delimited)" or "CSV (Comma delimited)"), or upload the .xlsx`,
      { encoding: error.found, accepted: ['utf-8', 'gb18030'] },
    );
  }
  try {
    return [{ name: 'csv', rows: parseCsv(text, { keepBlank: true }) }];
  } catch (error) {
    if (error instanceof CsvError) throw new ApiError('invalid-request', lang === 'zh' ? `CSV 无法读取：${error.message === 'unterminated quoted field' ? '有未闭合的引号' : error.message}` : `CSV could not be read: ${error.message}`);
    throw error;
  }
}

interface Item {
  path: string;
  value: unknown;
  /** set for rows of a sheet: errors then say sheet, row and column in the asked language */
  sheet?: Candidate;
}

function rowIssue(lang: Lang, item: Item, field: string | null, reason: Bilingual, fallback: string, registry: EvidenceRegistry): FieldIssue {
  const path = field ? `${item.path}.${field}` : item.path;
  if (!item.sheet) return { path, message: fallback };
  const target = item.sheet.value.kind === undefined ? 'teacher' : (item.sheet.value.kind as SheetTarget);
  const heading = field ? (item.sheet.headings[field] ?? columnsOf(target, registry).find((column) => column.field === field)?.heading[lang] ?? fieldLabel(target, field)[lang]) : null;
  const value = field ? (item.sheet.cells[field] ?? null) : null;
  return issueAt(lang, path, item.sheet.at, heading, value, reason);
}

function schemaIssues(lang: Lang, item: Item, error: z.ZodError, registry: EvidenceRegistry): FieldIssue[] {
  if (!item.sheet) return zodIssues(error, [item.path]);
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? String(issue.path[0]) : null;
    return rowIssue(lang, item, field, zodReason(issue), issue.message, registry);
  });
}

const where = (item: Item, lang: Lang) => (item.sheet ? (lang === 'zh' ? `「${item.sheet.at.sheet}」第 ${item.sheet.at.row} 行` : `sheet "${item.sheet.at.sheet}" row ${item.sheet.at.row}`) : item.path);

/** Teachers by core's schema, records by the active policy's registry (`registryOf(policy)`, as POST /v1/records). */
async function validateImport(c: Context<AppEnv>, lang: Lang, registry: EvidenceRegistry, teachersIn: Item[], recordsIn: Item[], issues: FieldIssue[]) {
  const teachers: Teacher[] = [];
  const records: EvidenceRecord[] = [];
  const teacherIds = new Map<string, Item>();
  const recordIds = new Map<string, Item>();
  for (const item of teachersIn) {
    const parsed = teacherSchema.safeParse(item.value);
    if (!parsed.success) {
      issues.push(...schemaIssues(lang, item, parsed.error, registry));
      continue;
    }
    const earlier = teacherIds.get(parsed.data.id);
    if (earlier) issues.push(rowIssue(lang, item, 'id', { zh: `与${where(earlier, 'zh')}的工号重复`, en: `repeats the staff id of ${where(earlier, 'en')}` }, `duplicate teacher id "${parsed.data.id}" (also ${earlier.path})`, registry));
    else teacherIds.set(parsed.data.id, item);
    teachers.push(parsed.data);
  }
  await checkStoredTeachers(c, lang, registry, teachers, teacherIds, issues);
  const refs: { item: Item; teacherId: string }[] = [];
  for (const item of recordsIn) {
    const parsed = registry.recordSchema.safeParse(item.value);
    if (!parsed.success) {
      issues.push(...schemaIssues(lang, item, parsed.error, registry));
      continue;
    }
    const record = parsed.data as EvidenceRecord;
    const earlier = recordIds.get(record.id);
    if (earlier) issues.push(rowIssue(lang, item, 'id', { zh: `与${where(earlier, 'zh')}的记录编号重复`, en: `repeats the record id of ${where(earlier, 'en')}` }, `duplicate record id "${record.id}" (also ${earlier.path})`, registry));
    else recordIds.set(record.id, item);
    if (!teacherIds.has(record.teacherId)) refs.push({ item, teacherId: record.teacherId });
    records.push(record);
  }
  if (refs.length > 0) {
    const known = await existingTeacherIds(
      c.get('db').k,
      refs.map((ref) => ref.teacherId),
    );
    for (const ref of refs) {
      if (!known.has(ref.teacherId)) {
        issues.push(rowIssue(lang, ref.item, 'teacherId', { zh: '不是已有教师的工号，也不在本次导入的教师表中', en: 'is no stored teacher’s staff id, nor in this import’s teachers sheet' }, `unknown teacher "${ref.teacherId}" (not in this import nor stored)`, registry));
      }
    }
  }
  const deleted = await refuseDeletedRecords(c, lang, registry, records, recordIds);
  if (issues.length === 0 && deleted.length > 0) {
    throw new ApiError(
      'record-deleted',
      lang === 'zh'
        ? `导入未完成：${deleted.length} 条成果记录已被删除，不会因导入而恢复；请用 POST /v1/records/{id}/restore 说明理由后恢复，或换用新的记录编号`
        : `import rejected: ${deleted.length} record(s) were deleted and are not brought back by an import; restore each with POST /v1/records/{id}/restore and a reason, or use a new record id`,
      { errors: deleted, ...(deleted.some((issue) => 'sheet' in issue) ? { errorWorkbook: ERROR_WORKBOOK_HINT } : {}) },
    );
  }
  issues.push(...deleted);
  if (issues.length > 0) {
    throw new ApiError('invalid-request', lang === 'zh' ? `导入未完成：发现 ${issues.length} 处问题，未写入任何数据` : `import rejected: ${issues.length} problem(s); nothing was written`, {
      errors: issues,
      ...(issues.some((issue) => 'sheet' in issue) ? { errorWorkbook: ERROR_WORKBOOK_HINT } : {}),
    });
  }
  return { teachers, records };
}

/**
 * A soft-deleted record id is not brought back by an import (as POST /v1/records refuses it): each row naming
 * one is listed, with the restore route. One round trip, only when the import has records.
 */
async function refuseDeletedRecords(c: Context<AppEnv>, lang: Lang, registry: EvidenceRegistry, records: EvidenceRecord[], items: Map<string, Item>): Promise<FieldIssue[]> {
  if (records.length === 0) return [];
  const db = c.get('db');
  const results = await db.batch(
    selectDeletedRecordIds(
      db.k,
      records.map((record) => record.id),
    ),
  );
  const out: FieldIssue[] = [];
  for (const result of results) {
    for (const { id } of result.results as { id: string }[]) {
      const item = items.get(id);
      if (!item) continue;
      const href = `POST /v1/records/${encodeURIComponent(id)}/restore`;
      out.push(
        rowIssue(
          lang,
          item,
          'id',
          { zh: `记录 ${id} 已被删除：导入不会恢复它，请用 ${href} 说明理由后恢复`, en: `record ${id} was deleted: an import does not bring it back; restore it with ${href} and a reason` },
          `record ${id} was deleted: restore it with ${href} and a reason`,
          registry,
        ),
      );
    }
  }
  return out;
}

/**
 * An import creates teachers and corrects their other fields, but an existing teacher's stage (and stageSince)
 * changes only through promotion or HR's audited correction (POST /v1/teachers/{id}/stage), as in PATCH:
 * each row that would change them is named. A row without a category (an older template, a blank 教师类别
 * cell) keeps the stored teacher's category, and a new teacher's is 专业课, as in POST /v1/teachers.
 * One round trip, only when the import has teachers.
 */
async function checkStoredTeachers(c: Context<AppEnv>, lang: Lang, registry: EvidenceRegistry, teachers: Teacher[], items: Map<string, Item>, issues: FieldIssue[]) {
  if (teachers.length === 0) return;
  const db = c.get('db');
  const results = await db.batch(
    selectTeachersByIds(
      db.k,
      teachers.map((teacher) => teacher.id),
    ),
  );
  const stored = new Map<string, Teacher>();
  for (const result of results) for (const row of result.results as unknown as TeachersTable[]) stored.set(row.id, teacherFromRow(row));
  for (let index = 0; index < teachers.length; index++) {
    const teacher = teachers[index]!;
    const before = stored.get(teacher.id);
    if (teacher.category === undefined) teachers[index] = { ...teacher, category: before ? teacherCategoryOf(before) : teacherCategoryOf(teacher) };
    const item = items.get(teacher.id);
    if (!before || !item) continue;
    for (const field of stageFieldsChanged(before, teacher)) {
      const was = field === 'stage' ? `${label.stage(before.stage, 'zh')}` : before.stageSince;
      const wasEn = field === 'stage' ? before.stage : before.stageSince;
      issues.push(
        rowIssue(
          lang,
          item,
          field,
          { zh: `已有教师的${field === 'stage' ? '成长阶段' : '阶段起始日期'}（现为 ${was}）只能通过晋升或人事处带理由的更正改变`, en: `an existing teacher's ${field} (now ${wasEn}) changes only through promotion or HR's audited stage correction` },
          `${field} of existing teacher "${teacher.id}" is ${wasEn}: it changes only through POST /v1/teachers/${teacher.id}/promotion or POST /v1/teachers/${teacher.id}/stage`,
          registry,
        ),
      );
    }
  }
}

const ERROR_WORKBOOK_HINT = { method: 'POST', href: '/v1/import/report.xlsx', description: 'send the same file to get it back as a workbook with an 错误 column' };

const canonicalJson = (value: unknown): string => JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));

/** What an import would do to each id: created, replaced (stored and different) or unchanged. One round trip. */
async function dryRunReport(c: Context<AppEnv>, teachers: Teacher[], records: EvidenceRecord[]) {
  const db = c.get('db');
  const teacherQueries = selectTeachersByIds(
    db.k,
    teachers.map((teacher) => teacher.id),
  );
  const recordQueries = selectRecordPayloadsByIds(
    db.k,
    records.map((record) => record.id),
  );
  const results = teacherQueries.length + recordQueries.length > 0 ? await db.batch([...teacherQueries, ...recordQueries]) : [];
  const storedTeachers = new Map<string, string>();
  const storedRecords = new Map<string, string>();
  results.slice(0, teacherQueries.length).forEach((result) => {
    for (const row of result.results as unknown as TeachersTable[]) storedTeachers.set(row.id, canonicalJson(teacherFromRow(row)));
  });
  results.slice(teacherQueries.length).forEach((result) => {
    for (const row of result.results as unknown as { id: string; payload: string; deleted_at: string | null }[]) storedRecords.set(row.id, row.deleted_at ? '' : canonicalJson(JSON.parse(row.payload)));
  });
  const tally = <T extends { id: string }>(items: T[], stored: Map<string, string>) => {
    const out = { created: [] as string[], replaced: [] as string[], unchanged: [] as string[] };
    for (const item of items) {
      const before = stored.get(item.id);
      if (before === undefined) out.created.push(item.id);
      else if (before === canonicalJson(item)) out.unchanged.push(item.id);
      else out.replaced.push(item.id);
    }
    return out;
  };
  return { teachers: tally(teachers, storedTeachers), records: tally(records, storedRecords) };
}

function replay(c: Context<AppEnv>, stored: { status: number; response: string }) {
  return new Response(stored.response, { status: stored.status, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true', 'x-request-id': c.get('requestId') } });
}

async function bytesHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

function unsupported(lang: Lang, got: string): ApiError {
  return new ApiError(
    'unsupported-media-type',
    lang === 'zh'
      ? `${got ? `不支持的类型 ${got}` : '缺少 Content-Type'}：请以 application/json、text/csv（UTF-8 或 GBK）或 ${XLSX_TYPE}（.xlsx）上传`
      : `${got ? `unsupported media type ${got}` : 'Content-Type missing'}: send application/json, text/csv (UTF-8 or GBK) or ${XLSX_TYPE} (.xlsx)`,
    { accepted: ACCEPTED_IMPORT_TYPES },
  );
}

/** The uploaded file's name for messages (`?name=`, as the files route takes it): no path, no control characters. */
function uploadName(c: Context<AppEnv>): string | undefined {
  const name = (c.req.query('name') ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return name === '' ? undefined : name.slice(0, 255);
}

/** The body as sheets (CSV, xlsx) or JSON items, with the canonical text for Idempotency-Key comparison. */
export async function readImportBody(c: Context<AppEnv>, lang: Lang): Promise<{ sheets: Sheet[] | null; json: z.infer<typeof ImportJson> | null; canonical: string }> {
  const contentType = c.req.header('content-type') ?? '';
  const type = mediaType(contentType);
  if (type === 'application/json') {
    const body = c.req.valid('json' as never) as z.infer<typeof ImportJson>;
    return { sheets: null, json: body, canonical: `json:${JSON.stringify(body)}` };
  }
  if (!CSV_TYPES.includes(type) && type !== XLSX_TYPE) throw unsupported(lang, type);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const canonical = `${type === XLSX_TYPE ? 'xlsx' : 'csv'}:${await bytesHash(bytes)}`;
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (type === XLSX_TYPE || (type === 'application/vnd.ms-excel' && isZip)) return { sheets: await xlsxSheets(bytes, lang, uploadName(c)), json: null, canonical };
  return { sheets: csvSheets(bytes, contentType, lang), json: null, canonical };
}

/** Sheets → items to validate; the row cap counts every data row of every sheet. */
export function itemsOfSheets(sheets: Sheet[], lang: Lang, registry: EvidenceRegistry) {
  const rows = countDataRows(sheets);
  if (rows > MAX_IMPORT_ROWS) {
    throw new ApiError('content-too-large', lang === 'zh' ? `每次最多导入 ${MAX_IMPORT_ROWS} 行（教师与成果合计），此文件有 ${rows} 行` : `at most ${MAX_IMPORT_ROWS} rows per import (teachers and records together); this file has ${rows}`);
  }
  const read = readSheets(sheets, lang, registry);
  return {
    teachersIn: read.teachers.map((candidate): Item => ({ path: candidate.path, value: candidate.value, sheet: candidate })),
    recordsIn: read.records.map((candidate): Item => ({ path: candidate.path, value: candidate.value, sheet: candidate })),
    issues: read.issues as FieldIssue[],
  };
}

export const importApp = newApp().openapi(importRoute, async (c) => {
  const db = c.get('db');
  const principal = c.get('principal');
  const idemKey = c.req.header('idempotency-key');
  const dryRun = c.req.query('dryRun') === 'true';
  const lang = langOf(c);
  let teachersIn: Item[];
  let recordsIn: Item[];
  const issues: FieldIssue[] = [];
  const body = await readImportBody(c, lang);
  // The active policy decides which kinds exist and how their fields read (a college's own kinds included).
  const policy = await activePolicy(db.k);
  const registry = registryOf(policy);
  if (body.sheets) {
    const items = itemsOfSheets(body.sheets, lang, registry);
    ({ teachersIn, recordsIn } = items);
    issues.push(...items.issues);
  } else {
    teachersIn = (body.json!.teachers ?? []).map((value, index) => ({ path: `teachers[${index}]`, value }));
    recordsIn = (body.json!.records ?? []).map((value, index) => ({ path: `records[${index}]`, value }));
  }
  const requestHash = await sha256Hex(body.canonical);
  if (idemKey && !dryRun) {
    const stored = await findIdempotency(db.k, principal.keyId, idemKey);
    if (stored) {
      if (stored.request_hash !== requestHash || stored.route !== 'import') throw new ApiError('idempotency-key-reused', 'this Idempotency-Key was used with a different request body');
      return replay(c, stored) as never;
    }
  }
  if (teachersIn.length + recordsIn.length === 0 && issues.length === 0) {
    throw new ApiError('invalid-request', lang === 'zh' ? '没有可导入的数据' : 'nothing to import', { errors: [{ path: '(root)', message: lang === 'zh' ? '没有教师，也没有成果记录' : 'no teachers and no records' }] });
  }
  const { teachers, records } = await validateImport(c, lang, registry, teachersIn, recordsIn, issues);
  if (dryRun) {
    const report = await dryRunReport(c, teachers, records);
    return c.json({ dryRun: true as const, wouldImport: { teachers: teachers.length, records: records.length }, ...report }, 200);
  }
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
    if (idemKey && error instanceof StorageError && error.isUniqueViolation('idempotency_keys')) {
      const stored = await findIdempotency(db.k, principal.keyId, idemKey);
      if (stored && stored.request_hash === requestHash) return replay(c, stored) as never;
      throw new ApiError('idempotency-key-reused', 'this Idempotency-Key was used with a different request body');
    }
    throw error;
  }
  return c.json(response, 201);
});

// --- the template and the error workbook -------------------------------------------------------------------

const EXAMPLE_TEXT: Record<string, Bilingual> = {
  'teacher.name': { zh: '王芳', en: 'Wang Fang' },
  'teacher.unit': { zh: '智能制造学院', en: '智能制造学院' },
  enterprise: { zh: '某智能制造企业', en: 'an automation company' },
  topics: { zh: '工业机器人;数字化改造', en: 'industrial robots;digital retrofit' },
  reason: { zh: '援外任教', en: 'teaching abroad' },
  title: { zh: '数控编程项目工作页', en: 'CNC programming worksheet' },
  partner: { zh: '某数控企业', en: 'a CNC company' },
  partnerId: { zh: 'T002', en: 'T002' },
  institution: { zh: '某应用技术大学', en: 'a university of applied sciences' },
  country: { zh: '德国', en: 'Germany' },
  description: { zh: '（情况说明）', en: '(what happened)' },
};
const EXAMPLE_NUMBER: Record<string, string | number> = { year: 2024, hours: 32, score: 90, rank: 1, amountYuan: '15,000', trainees: 40, satisfaction: 95 };

function exampleRow(target: SheetTarget, lang: Lang, registry: EvidenceRegistry): (string | number | null)[] {
  return columnsOf(target, registry).map((column, index) => {
    const first = index === 0 ? (lang === 'zh' ? EXAMPLE_MARK.zh : EXAMPLE_MARK.en) : '';
    if (column.field === 'id') return `${first}${target === 'teacher' ? 'T001' : 'R001'}`;
    if (column.field === 'teacherId') return 'T001';
    if (column.type === 'date') return column.field === 'end' ? '2024/7/31' : column.field === 'start' ? '2024/7/1' : '2024/9/1';
    if (column.type === 'enum' || column.type === 'boolean') return column.options[0]!.label[lang];
    if (column.type === 'number') return EXAMPLE_NUMBER[column.field] ?? null;
    const text = EXAMPLE_TEXT[`${target}.${column.field}`] ?? EXAMPLE_TEXT[column.field];
    return text ? text[lang] : null;
  });
}

const TEXT = {
  required: { zh: '必填', en: 'required' },
  optional: { zh: '选填', en: 'optional' },
  notes: { zh: '说明', en: 'notes' },
  notesHeader: { zh: ['工作表', '列', '字段', '必填', '填写说明'], en: ['sheet', 'column', 'field', 'required', 'what to enter'] },
  general: {
    zh: [
      '每张表第一行是列名，请勿修改；从第二行起每行一条。灰色斜体的示例行（首格以“（示例）”开头）导入时会被跳过，可删除。',
      '日期可写 2023-09-01、2023/9/1、2023年9月1日，或使用 Excel 日期格式；数字可带千位分隔符（15,000）；空行会被跳过。',
      '成果表的「工号」须是已有教师或本工作簿「教师」表中的工号。已存在的工号或记录编号会被替换。',
      '导入为全部成功或全部不写入：有任何错误时不写入任何数据，可下载带「错误」列的工作簿，改正后重新上传。',
    ],
    en: [
      'Row 1 of each sheet holds the column headings: leave them as they are; one row per entry from row 2. The grey italic example row (its first cell starts with "(example)") is skipped on import; delete it if you like.',
      'Dates may be written 2023-09-01, 2023/9/1, 2023年9月1日 or as Excel dates; numbers may have thousands separators (15,000); blank rows are skipped.',
      "A record's staff id must be a stored teacher's or one in this workbook's teachers sheet. Existing staff ids and record ids are replaced.",
      'All or nothing: with any error nothing is written; download the workbook with its errors column, fix the rows and upload it again.',
    ],
  },
};

/** The template of a policy: the teachers sheet and one sheet per kind of its registry (its own kinds included). */
export function templateSheets(lang: Lang, registry: EvidenceRegistry): OutSheet[] {
  const targets = targetsOf(registry);
  const sheets: OutSheet[] = targets.map((target) => ({
    name: sheetNameOf(target, lang, registry),
    columns: columnsOf(target, registry).map((column) => ({
      header: column.heading[lang],
      width: Math.max(12, Math.min(30, column.heading[lang].length * (lang === 'zh' ? 2.2 : 1.2) + 4)),
      note: `${(column.required ? TEXT.required : TEXT.optional)[lang]}：${column.hint[lang]}`,
      ...(column.type === 'enum' || column.type === 'boolean' ? { list: column.options.map((option) => option.label[lang]) } : {}),
    })),
    rows: [exampleRow(target, lang, registry)],
    exampleRows: 1,
  }));
  const notes: (string | null)[][] = TEXT.general[lang].map((line) => [line, null, null, null, null]);
  notes.push([null, null, null, null, null]);
  notes.push([...TEXT.notesHeader[lang]]);
  for (const target of targets) {
    for (const column of columnsOf(target, registry)) notes.push([sheetNameOf(target, lang, registry), column.heading[lang], column.field, (column.required ? TEXT.required : TEXT.optional)[lang], column.hint[lang]]);
  }
  sheets.push({
    name: TEXT.notes[lang],
    columns: [
      { header: lang === 'zh' ? '填写说明' : 'how to fill in this workbook', width: 24 },
      { header: '', width: 18 },
      { header: '', width: 14 },
      { header: '', width: 8 },
      { header: '', width: 80 },
    ],
    rows: notes,
  });
  return sheets;
}

const templateRoute = createRoute({
  method: 'get',
  path: '/import/template.xlsx',
  tags: ['Import'],
  summary: 'The import template (HR): one sheet per evidence kind plus teachers, headings in the asked language, drop-downs on enum columns, an example row, a notes sheet',
  security,
  middleware: [requireRole('hr')] as const,
  responses: { 200: { description: 'Excel workbook', content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } } }, ...errors() },
});

const reportRoute = createRoute({
  method: 'post',
  path: '/import/report.xlsx',
  tags: ['Import'],
  summary: 'The uploaded CSV or workbook back as a workbook with an 错误 / errors column (HR): validates like a dry run, writes nothing',
  security,
  middleware: [requireRole('hr'), acceptedTypes] as const,
  request: {
    query: z.object({ name: FileName }),
    body: {
      content: {
        'text/csv': { schema: z.string() },
        [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
        ...Object.fromEntries(CSV_TYPES.slice(1).map((type) => [type, { schema: z.string() }])),
      },
      required: true,
    },
  },
  responses: { 200: { description: 'Excel workbook; header X-Import-Errors counts the problems', content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } } }, ...errors('content-too-large', 'unsupported-media-type') },
});

function reportSheets(sheets: Sheet[], issues: FieldIssue[], lang: Lang): OutSheet[] {
  const byRow = new Map<string, string[]>();
  for (const issue of issues as Partial<SheetIssue>[]) {
    if (issue.sheet === undefined || issue.row === undefined) continue;
    const key = `${issue.sheet}\u0000${issue.row}`;
    const list = byRow.get(key) ?? [];
    list.push(issue.message!);
    byRow.set(key, list);
  }
  const errorHeading = lang === 'zh' ? '错误' : 'errors';
  return sheets
    .filter((sheet) => sheet.rows.some((row) => row.some((cell) => cellText(cell) !== '')))
    .map((sheet) => {
      const header = sheet.rows[0]?.map(cellText) ?? [];
      const keep = header.map((heading, index) => (SKIP_HEADINGS.has(heading.trim().toLowerCase()) ? -1 : index)).filter((index) => index >= 0);
      const width = Math.max(header.length, ...sheet.rows.map((row) => row.length));
      for (let index = header.length; index < width; index++) keep.push(index);
      const errorRows = new Set<number>();
      const rows = sheet.rows.slice(1).map((row, index) => {
        const messages = byRow.get(`${sheet.name}\u0000${index + 2}`);
        if (messages) errorRows.add(index);
        return [...keep.map((column) => plainOut(row[column])), messages ? messages.join('\n') : null];
      });
      const headerMessages = byRow.get(`${sheet.name}\u00001`);
      if (headerMessages) rows.unshift([...keep.map(() => null), headerMessages.join('\n')]), errorRows.add(0);
      return { name: sheet.name, columns: [...keep.map((column) => ({ header: header[column] ?? '' })), { header: errorHeading, width: 60 }], rows, errorRows };
    });
}

function plainOut(cell: CellValue): string | number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return cell;
  return cellText(cell);
}

export const sheetsApp = newApp()
  .openapi(templateRoute, async (c) => {
    const lang = langOf(c);
    const registry = registryOf(await activePolicy(c.get('db').k));
    return xlsxResponse(await writeWorkbook(templateSheets(lang, registry)), lang === 'zh' ? '师资导入模板.xlsx' : 'shizi-import-template.xlsx') as never;
  })
  .openapi(reportRoute, async (c) => {
    const lang = langOf(c);
    const body = await readImportBody(c, lang);
    if (!body.sheets) throw unsupported(lang, 'application/json');
    const registry = registryOf(await activePolicy(c.get('db').k));
    let issues: FieldIssue[] = [];
    try {
      const items = itemsOfSheets(body.sheets, lang, registry);
      await validateImport(c, lang, registry, items.teachersIn, items.recordsIn, items.issues);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.code !== 'invalid-request' && error.code !== 'record-deleted') || !Array.isArray(error.extra.errors)) throw error;
      issues = error.extra.errors as FieldIssue[];
    }
    const response = xlsxResponse(await writeWorkbook(reportSheets(body.sheets, issues, lang)), lang === 'zh' ? '导入错误报告.xlsx' : 'import-errors.xlsx');
    response.headers.set('X-Import-Errors', String(issues.length));
    return response as never;
  });
