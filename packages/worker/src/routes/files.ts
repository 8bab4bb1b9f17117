import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { actor, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { countLiveFiles, fileView, insertFileIfAllowed, isCycleCandidate, isReferenced, r2, r2Key, selectLiveFile, selectLiveFileBySha, selectLiveFiles, softDeleteFile } from '../db/files.js';
import { insertIdempotencyIfChanged } from '../db/idempotency.js';
import { newId, sha256Hex } from '../db/keys.js';
import { nowIso } from '../db/index.js';
import { selectRecord } from '../db/records.js';
import type { EvidenceFilesTable, RecordsTable } from '../db/schema.js';
import { StorageError } from '../db/storage.js';
import type { AppEnv } from '../env.js';
import { ApiError, invalid, notFound } from '../errors.js';
import { cleanFileName, dispositionOf, EVIDENCE_TYPES, isComplete, isEvidenceType, MAX_FILE_BYTES, MAX_FILES_PER_RECORD, mediaType, sha256OfBytes, sniffType } from '../evidence.js';
import { idempotentWrite } from '../idempotent.js';
import { langOf, type Lang } from '../i18n.js';
import { errors, json, newApp, security } from '../openapi.js';
import { concatBytes } from '../bytes.js';
import { loadVisibleRecord as loadRecord } from './records.js';
import { RecordId } from './schemas.js';

/** Record states in which the record's teacher may no longer add or remove files (HR still may). */
const TEACHER_LOCKED_STATES = ['verified', 'rejected'] as const;

const t = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

const FileParams = RecordId.extend({
  fileId: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'fileId', in: 'path' }, example: 'f_0123456789abcdef0123' }),
});

const FileOut = z
  .object({
    id: z.string(),
    recordId: z.string(),
    name: z.string().openapi({ description: 'the uploader’s file name (path and control characters removed)' }),
    contentType: z.enum(EVIDENCE_TYPES),
    size: z.int().openapi({ description: 'bytes' }),
    sha256: z.string().openapi({ description: 'hex SHA-256 of the bytes' }),
    createdAt: z.string(),
    createdBy: z.string().nullable().openapi({ description: 'id of the API key that uploaded it' }),
  })
  .openapi('EvidenceFile');

const binary = z.string().openapi({ format: 'binary' });
const binaryContent = Object.fromEntries(EVIDENCE_TYPES.map((type) => [type, { schema: binary }])) as Record<(typeof EVIDENCE_TYPES)[number], { schema: typeof binary }>;

const uploadRoute = createRoute({
  method: 'post',
  path: '/records/{id}/files',
  tags: ['Evidence files'],
  summary: 'Attach a file to a record (its teacher while not verified/rejected, or HR): the raw bytes as the body, the name in ?name=',
  description:
    'PDF, JPEG or PNG, at most 10 MB, at most 10 files per record. Send the file itself as the body with its Content-Type (application/pdf, image/jpeg or image/png) and its name in ?name=, or (from a browser form) multipart/form-data with the file in a part named `file`, its type and file name from that part. The type is checked against the file’s bytes. Uploading the same bytes to the same record again answers 200 with the file already attached. Takes an Idempotency-Key.',
  security,
  middleware: [requireRole('hr', 'teacher')] as const,
  request: {
    params: RecordId,
    query: z.object({ name: z.string().min(1).max(255).optional().openapi({ description: 'file name, e.g. 实践证明.pdf (URL-encoded); required with a raw body, else the multipart part’s file name', example: '实践证明.pdf' }) }),
    body: { content: binaryContent, required: true },
  },
  responses: {
    201: json(FileOut, 'Attached'),
    200: json(FileOut, 'These bytes were already attached to the record'),
    ...errors('record-locked', 'edit-conflict', 'file-too-large', 'unsupported-file-type', 'invalid-file', 'too-many-files', 'idempotency-key-reused'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/records/{id}/files',
  tags: ['Evidence files'],
  summary: 'A record’s evidence files (whoever may see the record: its teacher, its unit’s reviewers, HR, admin; the committee for candidates of a review cycle)',
  security,
  request: { params: RecordId },
  responses: { 200: json(z.object({ items: z.array(FileOut), maxFiles: z.int(), maxBytes: z.int() }), 'The files'), ...errors() },
});

const downloadRoute = createRoute({
  method: 'get',
  path: '/records/{id}/files/{fileId}',
  tags: ['Evidence files'],
  summary: 'Download a file (streamed; Content-Disposition: attachment, or inline with ?inline=1 for a preview)',
  security,
  request: { params: FileParams, query: z.object({ inline: z.enum(['0', '1']).optional().openapi({ description: '1: `Content-Disposition: inline` (preview of a PDF or image)' }) }) },
  responses: { 200: { description: 'The file’s bytes', content: binaryContent }, ...errors() },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/records/{id}/files/{fileId}',
  tags: ['Evidence files'],
  summary: 'Remove a file from a record (its teacher while not verified/rejected, or HR; audited)',
  security,
  middleware: [requireRole('hr', 'teacher')] as const,
  request: { params: FileParams },
  responses: { 200: json(z.object({ id: z.string(), deleted: z.literal(true) }), 'Removed'), ...errors('record-locked', 'content-too-large') },
});

/** The record when the caller may see it (records.ts `loadVisibleRecord`, `maySeeTeacher`'s rule); 404 otherwise (existence is not revealed). */
async function loadVisibleRecord(c: Context<AppEnv>, id: string): Promise<RecordsTable> {
  const record = await loadRecord(c, id);
  // The committee sees the evidence of the teachers it reviews only: candidates of a review cycle.
  if (c.get('principal').role === 'committee' && !(await isCycleCandidate(c.get('db').k, record.teacher_id))) throw notFound('record');
  return record;
}

/** Files change while the record is under way; once verified or rejected only HR may change them. */
function lockedStatesFor(c: Context<AppEnv>): readonly string[] {
  return c.get('principal').role === 'hr' ? [] : TEACHER_LOCKED_STATES;
}

function assertWritable(c: Context<AppEnv>, record: RecordsTable, lang: Lang): void {
  if (lockedStatesFor(c).includes(record.state ?? 'submitted')) {
    throw new ApiError('record-locked', t(lang, `记录 ${record.id} 已${record.state === 'verified' ? '审核通过' : '被驳回'}，其证明材料不能再修改`, `record ${record.id} is ${record.state}: its evidence files can no longer change`), { state: record.state });
  }
}

/**
 * The body, at most `max` bytes, read as a stream so an oversize upload is refused without holding it all;
 * null when it is longer.
 */
async function readBounded(request: Request, max: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}

const tooLarge = (lang: Lang) => new ApiError('file-too-large', t(lang, `文件（请求体）超过 ${MAX_FILE_BYTES / 1024 / 1024} MB`, `the file (request body) is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`), { maxBytes: MAX_FILE_BYTES });

/** Room for a multipart body's boundaries and part headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * The file of an upload: the raw body with its Content-Type, or the `file` part of a multipart/form-data body
 * (what a browser form sends) with the part's type and file name. Throws the 400/413/415 the body deserves.
 */
async function receiveFile(c: Context<AppEnv>, lang: Lang): Promise<{ bytes: Uint8Array; declared: string; partName: string | null }> {
  const contentType = mediaType(c.req.header('content-type'));
  const multipart = contentType === 'multipart/form-data';
  if (!multipart && !isEvidenceType(contentType)) throw unsupportedType(lang, contentType);
  const limit = MAX_FILE_BYTES + (multipart ? MULTIPART_OVERHEAD : 0);
  const lengthHeader = c.req.header('content-length');
  const declaredLength = lengthHeader === undefined ? null : Number(lengthHeader);
  if (declaredLength !== null && !(Number.isSafeInteger(declaredLength) && declaredLength >= 0)) {
    throw invalid([{ path: 'header.content-length', message: t(lang, 'Content-Length 必须是非负整数', 'Content-Length must be a non-negative integer') }]);
  }
  if (declaredLength !== null && declaredLength > limit) throw tooLarge(lang);
  const body = await readBounded(c.req.raw, limit);
  if (body === null) throw tooLarge(lang);
  if (declaredLength !== null && declaredLength !== body.byteLength) {
    throw invalid([{ path: 'header.content-length', message: t(lang, `Content-Length 声明 ${declaredLength} 字节，实际收到 ${body.byteLength} 字节`, `Content-Length declares ${declaredLength} bytes but ${body.byteLength} arrived`) }]);
  }
  if (!multipart) return { bytes: body, declared: contentType, partName: null };
  let part: File | string | null;
  try {
    part = (await new Response(body, { headers: { 'content-type': c.req.header('content-type')! } }).formData()).get('file');
  } catch {
    throw invalid([{ path: 'body', message: t(lang, '不是有效的 multipart/form-data', 'not valid multipart/form-data') }]);
  }
  if (part === null || typeof part === 'string') throw invalid([{ path: 'body.file', message: t(lang, '缺少文件字段 file', 'the file part `file` is missing') }]);
  const bytes = new Uint8Array(await part.arrayBuffer());
  if (bytes.byteLength > MAX_FILE_BYTES) throw tooLarge(lang);
  const declared = mediaType(part.type);
  if (!isEvidenceType(declared)) throw unsupportedType(lang, declared, 'body.file');
  return { bytes, declared, partName: part.name || null };
}

function unsupportedType(lang: Lang, declared: string, field = 'Content-Type'): ApiError {
  return new ApiError('unsupported-file-type', t(lang, `${field} ${declared || '缺失'}：证明材料只收 PDF、JPEG、PNG（application/pdf、image/jpeg、image/png）`, `${field} ${declared || 'missing'}: evidence files are PDF, JPEG or PNG (application/pdf, image/jpeg, image/png)`), {
    accepted: EVIDENCE_TYPES,
  });
}

/** The checked bytes of an upload, their type and the part's name; throws the 400/413/415/422 the file deserves. */
async function readUpload(c: Context<AppEnv>, lang: Lang) {
  const { bytes, declared, partName } = await receiveFile(c, lang);
  const typeField = partName === null ? 'header.content-type' : 'body.file';
  if (bytes.byteLength === 0) throw new ApiError('invalid-file', t(lang, '文件为空', 'the file is empty'), { errors: [{ path: 'body', message: t(lang, '空文件', 'empty file') }] });
  const sniffed = sniffType(bytes);
  if (sniffed === null) {
    throw new ApiError('unsupported-file-type', t(lang, '文件内容不是 PDF、JPEG 或 PNG', 'the file’s bytes are not a PDF, JPEG or PNG'), { accepted: EVIDENCE_TYPES });
  }
  if (sniffed !== declared) {
    throw new ApiError('invalid-file', t(lang, `Content-Type 声明 ${declared}，文件内容却是 ${sniffed}`, `Content-Type declares ${declared} but the file’s bytes are ${sniffed}`), {
      errors: [{ path: typeField, message: t(lang, `与文件内容（${sniffed}）不符`, `does not match the bytes (${sniffed})`) }],
    });
  }
  if (!isComplete(sniffed, bytes)) {
    throw new ApiError('invalid-file', t(lang, '文件不完整（被截断）', 'the file is incomplete (cut off)'), { errors: [{ path: 'body', message: t(lang, '文件结尾缺失', 'the end of the file is missing') }] });
  }
  return { bytes, type: sniffed, partName };
}

export const filesApp = newApp()
  .openapi(uploadRoute, async (c) => {
    const lang = langOf(c);
    const db = c.get('db');
    const { id } = c.req.valid('param');
    const record = await loadVisibleRecord(c, id);
    assertWritable(c, record, lang);
    const { bytes, type, partName } = await readUpload(c, lang);
    const given = c.req.valid('query').name ?? partName;
    const name = given === undefined || given === null ? null : cleanFileName(given);
    if (name === null) throw invalid([{ path: 'query.name', message: t(lang, '缺少文件名（?name=）或文件名为空', 'the file name (?name=) is missing or empty') }]);
    const sha256 = await sha256OfBytes(bytes);

    const request = JSON.stringify([id, sha256, name, type]);
    const { replayed } = await idempotentWrite(c, 'files.upload', request);
    const requestHash = await sha256Hex(`files.upload:${request}`); // as idempotentWrite hashes it
    const replay = await replayed();
    if (replay) return replay as never;
    // Cheap answers before writing anything to R2; the insert checks both again atomically.
    const already = await selectLiveFileBySha(db.k, id, sha256).executeTakeFirst();
    if (already) return c.json(fileView(already), 200);
    const tooMany = () => new ApiError('too-many-files', t(lang, `记录 ${id} 已有 ${MAX_FILES_PER_RECORD} 个文件，不能再添加`, `record ${id} already has ${MAX_FILES_PER_RECORD} files`), { maxFiles: MAX_FILES_PER_RECORD });
    if ((await countLiveFiles(db.k, id)) >= MAX_FILES_PER_RECORD) throw tooMany();

    // R2 first, then the row: a row never points at bytes that are not stored.
    const key = r2Key(sha256);
    await r2(() => c.env.EVIDENCE.put(key, bytes, { sha256, httpMetadata: { contentType: type } }));
    const row: Omit<EvidenceFilesTable, 'deleted_at'> = { id: newId('f'), record_id: id, sha256, name, content_type: type, size: bytes.byteLength, created_at: nowIso(), created_by: c.get('principal').keyId };
    const view = fileView({ ...row, deleted_at: null });
    const idemKey = c.req.header('idempotency-key');
    const principal = c.get('principal');
    /** The bytes go again unless another row refers to them; if even that check fails, cleanupOrphanFiles will. */
    const dropUnreferenced = async () => {
      try {
        if (!(await isReferenced(db.k, sha256))) await c.env.EVIDENCE.delete(key);
      } catch (error) {
        console.error(`request ${c.get('requestId')}: R2 object ${key} left for cleanupOrphanFiles: ${String(error)}`);
      }
    };
    let inserted: boolean;
    try {
      const [result] = await db.batch([
        insertFileIfAllowed(db.k, row, { maxFiles: MAX_FILES_PER_RECORD, lockedStates: lockedStatesFor(c) }),
        ...(idemKey ? [insertIdempotencyIfChanged(db.k, { keyId: principal.keyId, idemKey, route: 'files.upload', requestHash, status: 201, response: view, now: row.created_at })] : []),
        auditInsert(db.k, { ...actor(c), action: 'file.upload', entity: 'evidence_file', entityId: row.id, detail: { recordId: id, name, contentType: type, size: row.size, sha256 } }, { onlyIfChanged: true }),
      ]);
      inserted = (result?.meta.changes ?? 0) > 0;
    } catch (error) {
      if (idemKey && error instanceof StorageError && error.isUniqueViolation('idempotency_keys')) {
        const again = await replayed();
        if (again) return again as never;
      }
      await dropUnreferenced();
      throw error;
    }
    if (!inserted) {
      const again = await replayed();
      if (again) return again as never;
      const twin = await selectLiveFileBySha(db.k, id, sha256).executeTakeFirst();
      if (twin) return c.json(fileView(twin), 200);
      await dropUnreferenced();
      const now = await selectRecord(db.k, id).executeTakeFirst();
      if (!now) throw notFound('record');
      assertWritable(c, now, lang);
      if ((await countLiveFiles(db.k, id)) >= MAX_FILES_PER_RECORD) throw tooMany();
      throw new ApiError('edit-conflict', t(lang, `记录 ${id} 同时被修改，请重试`, `record ${id} changed concurrently; retry`));
    }
    // A failed upload of the same bytes may have deleted them between this put and this insert (it saw no row
    // yet): put them back. Best effort: should R2 fail now, the row stands and the next upload restores them.
    try {
      if (!(await c.env.EVIDENCE.head(key))) await c.env.EVIDENCE.put(key, bytes, { sha256, httpMetadata: { contentType: type } });
    } catch (error) {
      console.error(`request ${c.get('requestId')}: could not confirm R2 object ${key}: ${String(error)}`);
    }
    c.header('Location', `/v1/records/${encodeURIComponent(id)}/files/${row.id}`);
    return c.json(view, 201);
  })
  .openapi(listRoute, async (c) => {
    const { id } = c.req.valid('param');
    await loadVisibleRecord(c, id);
    const rows = await selectLiveFiles(c.get('db').k, id).execute();
    return c.json({ items: rows.map(fileView), maxFiles: MAX_FILES_PER_RECORD, maxBytes: MAX_FILE_BYTES }, 200);
  })
  .openapi(downloadRoute, async (c) => {
    const { id, fileId } = c.req.valid('param');
    await loadVisibleRecord(c, id);
    const row = await selectLiveFile(c.get('db').k, id, fileId).executeTakeFirst();
    if (!row) throw notFound('file');
    const object = await r2(() => c.env.EVIDENCE.get(r2Key(row.sha256)));
    if (!object) throw new ApiError('internal-error', `the stored bytes of file ${row.id} are missing`);
    const inline = c.req.valid('query').inline === '1';
    // The type is one of the three checked at upload (never the client's word at download time), and nosniff
    // keeps a browser from guessing another: a preview cannot turn into a page that runs script.
    return new Response(object.body, {
      status: 200,
      headers: {
        'content-type': row.content_type,
        'content-length': String(row.size),
        'content-disposition': dispositionOf(inline ? 'inline' : 'attachment', row.name),
        'x-content-type-options': 'nosniff',
        etag: `"${row.sha256}"`,
      },
    }) as never;
  })
  .openapi(deleteRoute, async (c) => {
    const lang = langOf(c);
    const { id, fileId } = c.req.valid('param');
    const db = c.get('db');
    const record = await loadVisibleRecord(c, id);
    assertWritable(c, record, lang);
    const row = await selectLiveFile(db.k, id, fileId).executeTakeFirst();
    if (!row) throw notFound('file');
    // The R2 object stays until cleanupOrphanFiles: the same bytes may be attached elsewhere, or uploaded again now.
    const [result] = await db.batch([
      softDeleteFile(db.k, id, fileId, nowIso(), lockedStatesFor(c)),
      auditInsert(db.k, { ...actor(c), action: 'file.delete', entity: 'evidence_file', entityId: fileId, detail: { recordId: id, name: row.name, sha256: row.sha256 } }, { onlyIfChanged: true }),
    ]);
    if ((result?.meta.changes ?? 0) === 0) throw notFound('file');
    return c.json({ id: fileId, deleted: true as const }, 200);
  });
