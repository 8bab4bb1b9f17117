import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../src/app.js';
import worker from '../src/index.js';
import { cleanupOrphanFiles, r2Key } from '../src/db/files.js';
import { MAX_FILE_BYTES, MAX_FILES_PER_RECORD, sha256OfBytes } from '../src/evidence.js';
import { dumpDb, faulty } from './faults.js';
import { call, createKey, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/** Evidence files: upload / list / download / delete, limits, who may, faults between R2 and D1, orphan cleanup. */

const enc = new TextEncoder();
const concat = (...parts: (Uint8Array | number[])[]) => {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : Uint8Array.from(part)));
  const out = new Uint8Array(arrays.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of arrays) out.set(part, (at += part.length) - part.length);
  return out;
};
/** A small well-formed PDF, PNG or JPEG whose bytes differ by `tag` (so each test has its own digest). */
const pdf = (tag = uid('pdf')) => enc.encode(`%PDF-1.4\n% ${tag}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IEND = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
const png = (tag = uid('png')) => concat(PNG_SIG, [0, 0, 0, 13], enc.encode('IHDR'), [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0], [0, 0, 0, 0], enc.encode(tag), IEND);
const jpeg = (tag = uid('jpg')) => concat([0xff, 0xd8, 0xff, 0xe0, 0, 16], enc.encode('JFIF\0'), enc.encode(tag), [0xff, 0xd9]);

type Bindings = { DB: D1Database; EVIDENCE: R2Bucket };
const bindings = (): Bindings => ({ DB: env.DB, EVIDENCE: env.EVIDENCE });

function upload(token: string, recordId: string, bytes: Uint8Array | null, options: { type?: string; name?: string | null; headers?: Record<string, string>; bindings?: Bindings } = {}) {
  const name = options.name === undefined ? 'evidence.pdf' : options.name;
  const query = name === null ? '' : `?name=${encodeURIComponent(name)}`;
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(options.type === undefined ? { 'content-type': 'application/pdf' } : options.type ? { 'content-type': options.type } : {}), ...(options.headers ?? {}) };
  return Promise.resolve(app.request(`http://localhost/v1/records/${recordId}/files${query}`, { method: 'POST', headers, ...(bytes ? { body: bytes } : {}) }, options.bindings ?? bindings()));
}

const newRecord = async (hr: string, teacherId: string) => {
  const id = uid('r');
  const response = await call('POST', '/v1/records', { token: hr, body: { id, teacherId, kind: 'teaching_workload', status: 'pending', year: 2024, hours: 100 } });
  expect(response.status).toBe(201);
  return id;
};
const liveRows = async (recordId: string) => (await env.DB.prepare('SELECT * FROM evidence_files WHERE record_id = ? AND deleted_at IS NULL').bind(recordId).all()).results;
const stored = async (bytes: Uint8Array) => (await env.EVIDENCE.head(r2Key(await sha256OfBytes(bytes)))) !== null;
const later = (hours: number) => new Date(Date.now() + hours * 3600_000);

let keys: Keys;
beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  keys = await setupKeys();
});

describe('evidence files: round trip', () => {
  it('uploads, lists and downloads the same bytes, with the Chinese name in RFC 5987 form', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const bytes = pdf();
    const name = '企业实践证明(2024).pdf';
    const created = await upload(keys.teacher, recordId, bytes, { name });
    expect(created.status, await created.clone().text()).toBe(201);
    const file = await jsonOf(created);
    expect(file).toMatchObject({ recordId, name, contentType: 'application/pdf', size: bytes.length, sha256: await sha256OfBytes(bytes) });
    expect(created.headers.get('location')).toBe(`/v1/records/${recordId}/files/${file.id}`);

    const list = await jsonOf(await call('GET', `/v1/records/${recordId}/files`, { token: keys.teacher }));
    expect(list.items).toEqual([file]);
    expect(list).toMatchObject({ maxFiles: MAX_FILES_PER_RECORD, maxBytes: MAX_FILE_BYTES });

    const download = await call('GET', `/v1/records/${recordId}/files/${file.id}`, { token: keys.hr });
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('cache-control')).toBe('no-store');
    const disposition = download.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(name);
    expect(disposition).not.toMatch(/filename\*=[^;]*[()]/); // RFC 5987 attr-char: ( ) are percent-encoded

    const inline = await call('GET', `/v1/records/${recordId}/files/${file.id}?inline=1`, { token: keys.teacher });
    expect(inline.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(new Uint8Array(await inline.arrayBuffer())).toEqual(bytes);

    const audit = await env.DB.prepare("SELECT action, entity_id FROM audit_log WHERE action = 'file.upload' AND entity_id = ?").bind(file.id).all();
    expect(audit.results).toHaveLength(1);
  });

  it('takes JPEG and PNG; the same bytes are stored once, and attaching them twice to a record answers the first file', async () => {
    const recordA = await newRecord(keys.hr, keys.teacherId);
    const recordB = await newRecord(keys.hr, keys.teacherId);
    for (const [bytes, type] of [
      [jpeg(), 'image/jpeg'],
      [png(), 'image/png'],
    ] as const) {
      const firstResponse = await upload(keys.teacher, recordA, bytes, { type, name: `照片.${type.slice(6)}` });
      expect(firstResponse.status).toBe(201);
      const first = await jsonOf(firstResponse);
      const again = await upload(keys.teacher, recordA, bytes, { type, name: 'other name' });
      expect(again.status).toBe(200);
      expect((await jsonOf(again)).id).toBe(first.id);
      expect((await upload(keys.hr, recordB, bytes, { type })).status).toBe(201);
      const objects = await env.EVIDENCE.list({ prefix: r2Key(await sha256OfBytes(bytes)) });
      expect(objects.objects).toHaveLength(1);
      const download = await call('GET', `/v1/records/${recordB}/files/${first.id}`, { token: keys.hr });
      expect(download.status).toBe(404); // a file id belongs to its record
    }
    expect(await liveRows(recordA)).toHaveLength(2);
    expect(await liveRows(recordB)).toHaveLength(2);
  });

  it(`refuses the ${MAX_FILES_PER_RECORD + 1}th file of a record with 422 too-many-files`, async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    for (let index = 0; index < MAX_FILES_PER_RECORD; index++) expect((await upload(keys.teacher, recordId, pdf())).status).toBe(201);
    const extra = pdf();
    const refused = await upload(keys.teacher, recordId, extra, { headers: { 'accept-language': 'en' } });
    expect(refused.status).toBe(422);
    expect(await jsonOf(refused)).toMatchObject({ code: 'too-many-files', maxFiles: MAX_FILES_PER_RECORD });
    expect(await stored(extra)).toBe(false);
    expect(await liveRows(recordId)).toHaveLength(MAX_FILES_PER_RECORD);
  });
});

describe('evidence files: multipart/form-data (what a browser form sends)', () => {
  const send = (recordId: string, form: FormData, query = '') => Promise.resolve(app.request(`http://localhost/v1/records/${recordId}/files${query}`, { method: 'POST', headers: { authorization: `Bearer ${keys.teacher}`, 'accept-language': 'en' }, body: form }, bindings()));

  it('takes the `file` part with its type and file name; ?name= overrides the name', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const bytes = png();
    const form = new FormData();
    form.append('file', new File([bytes], '奖状 扫描.png', { type: 'image/png' }));
    const created = await send(recordId, form);
    expect(created.status, await created.clone().text()).toBe(201);
    const file = await jsonOf(created);
    expect(file).toMatchObject({ name: '奖状 扫描.png', contentType: 'image/png', size: bytes.length });
    const download = await call('GET', `/v1/records/${recordId}/files/${file.id}`, { token: keys.teacher });
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

    const renamed = new FormData();
    renamed.append('file', new File([pdf()], 'scan.pdf', { type: 'application/pdf' }));
    expect((await jsonOf(await send(recordId, renamed, `?name=${encodeURIComponent('实践证明.pdf')}`))).name).toBe('实践证明.pdf');
  });

  it('refuses a form without a file part, a part of the wrong type, and a part whose bytes are another type', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const none = new FormData();
    none.append('other', 'x');
    const missing = await send(recordId, none);
    expect(missing.status).toBe(400);
    expect((await jsonOf(missing)).errors[0].path).toBe('body.file');
    const gif = new FormData();
    gif.append('file', new File([enc.encode('GIF89a')], 'a.gif', { type: 'image/gif' }));
    expect((await jsonOf(await send(recordId, gif))).code).toBe('unsupported-file-type');
    const lying = new FormData();
    lying.append('file', new File([png()], 'a.pdf', { type: 'application/pdf' }));
    const mismatch = await send(recordId, lying);
    expect(mismatch.status).toBe(422);
    expect((await jsonOf(mismatch)).errors[0].path).toBe('body.file');
    expect(await liveRows(recordId)).toHaveLength(0);
  });
});

describe('evidence files: bad uploads (fuzz)', () => {
  let recordId: string;
  beforeAll(async () => {
    recordId = await newRecord(keys.hr, keys.teacherId);
  });

  const cases: { name: string; bytes: () => Uint8Array | null; type?: string; fileName?: string | null; headers?: Record<string, string>; status: number; code: string }[] = [
    { name: 'text/plain', bytes: () => enc.encode('hello'), type: 'text/plain', status: 415, code: 'unsupported-file-type' },
    { name: 'no Content-Type', bytes: () => pdf(), type: '', status: 415, code: 'unsupported-file-type' },
    { name: 'an HTML page declared as a PDF', bytes: () => enc.encode('<html><script>alert(1)</script></html>'), status: 415, code: 'unsupported-file-type' },
    { name: 'PDF declared, PNG bytes', bytes: () => png(), type: 'application/pdf', status: 422, code: 'invalid-file' },
    { name: 'PNG declared, PDF bytes', bytes: () => pdf(), type: 'image/png', status: 422, code: 'invalid-file' },
    { name: 'a PDF header and then PNG bytes', bytes: () => concat(enc.encode('%PDF-1.7\n'), png()), status: 422, code: 'invalid-file' },
    { name: 'truncated PDF', bytes: () => pdf().slice(0, 30), status: 422, code: 'invalid-file' },
    { name: 'truncated PNG', bytes: () => png().slice(0, 40), type: 'image/png', status: 422, code: 'invalid-file' },
    { name: 'truncated JPEG', bytes: () => jpeg().slice(0, 12), type: 'image/jpeg', status: 422, code: 'invalid-file' },
    { name: 'zero bytes', bytes: () => new Uint8Array(0), status: 422, code: 'invalid-file' },
    { name: 'no body', bytes: () => null, status: 422, code: 'invalid-file' },
    { name: 'oversize', bytes: () => concat(enc.encode('%PDF-1.4\n'), new Uint8Array(MAX_FILE_BYTES), enc.encode('%%EOF')), status: 413, code: 'file-too-large' },
    { name: 'Content-Length above the limit', bytes: () => pdf(), headers: { 'content-length': String(MAX_FILE_BYTES + 1) }, status: 413, code: 'file-too-large' },
    { name: 'no name', bytes: () => pdf(), fileName: null, status: 400, code: 'invalid-request' },
    { name: 'a name that is only a path', bytes: () => pdf(), fileName: '../', status: 400, code: 'invalid-request' },
  ];
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const bytes = testCase.bytes();
    const response = await upload(keys.teacher, recordId, bytes, { ...(testCase.type !== undefined ? { type: testCase.type } : {}), ...(testCase.fileName !== undefined ? { name: testCase.fileName } : {}), headers: { 'accept-language': 'en', ...(testCase.headers ?? {}) } });
    expect(response.status).toBe(testCase.status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await jsonOf(response);
    expect(problem.code).toBe(testCase.code);
    if (bytes && bytes.length > 0) expect(await stored(bytes)).toBe(false);
    expect(await liveRows(recordId)).toHaveLength(0);
  });

  it('a declared Content-Length that is not the body’s answers 400 naming header.content-length', async () => {
    const bytes = pdf();
    for (const declared of [bytes.length - 5, bytes.length + 5]) {
      const response = await upload(keys.teacher, recordId, bytes, { headers: { 'content-length': String(declared), 'accept-language': 'en' } });
      expect(response.status).toBe(400);
      const problem = await jsonOf(response);
      expect(problem.errors[0].path).toBe('header.content-length');
      expect(problem.errors[0].message).toContain(String(declared));
      expect(await liveRows(recordId)).toHaveLength(0);
    }
    expect(await stored(bytes)).toBe(false);
  });

  it('the zh message names the field', async () => {
    const response = await upload(keys.teacher, recordId, png(), { type: 'application/pdf' });
    const problem = await jsonOf(response);
    expect(problem.detail).toContain('Content-Type');
    expect(problem.detail).toMatch(/文件内容/);
    expect(problem.errors[0].path).toBe('header.content-type');
  });

  it('random bytes under any declared type: never 5xx, stored only when they are a whole file of that type', async () => {
    const runs = Number(env.FUZZ_RUNS) > 0 ? Number(env.FUZZ_RUNS) : 40;
    const prefixes = [[], [0x25, 0x50, 0x44, 0x46, 0x2d], PNG_SIG, [0xff, 0xd8, 0xff]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), fc.constantFrom('application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'application/octet-stream'), async (prefix, tail, type) => {
        const bytes = concat(prefix, tail);
        const before = (await liveRows(recordId)).length;
        const response = await upload(keys.teacher, recordId, bytes, { type });
        expect(response.status).toBeLessThan(500);
        expect([200, 201, 400, 413, 415, 422]).toContain(response.status);
        if (response.status >= 400) {
          expect((await liveRows(recordId)).length).toBe(before);
        } else {
          const download = await call('GET', `/v1/records/${recordId}/files/${(await jsonOf(response)).id}`, { token: keys.teacher });
          expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
          await call('DELETE', `/v1/records/${recordId}/files/${(await jsonOf(response.clone())).id}`, { token: keys.hr });
        }
      }),
      { numRuns: runs, ...(env.FUZZ_SEED ? { seed: Number(env.FUZZ_SEED) } : {}) },
    );
  });
});

describe('evidence files: who may', () => {
  let otherTeacher: string;
  let otherRecord: string;
  let ownRecord: string;
  let ownFile: string;
  let reviewer: string;
  let elsewhereReviewer: string;
  beforeAll(async () => {
    otherTeacher = uid('t');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(otherTeacher, { unit: '财经商贸学院' }) })).status).toBe(201);
    otherRecord = await newRecord(keys.hr, otherTeacher);
    ownRecord = await newRecord(keys.hr, keys.teacherId);
    ownFile = (await jsonOf(await upload(keys.teacher, ownRecord, pdf()))).id;
    reviewer = await reviewerKey('智能制造学院');
    elsewhereReviewer = await reviewerKey('财经商贸学院');
  });

  async function reviewerKey(unit: string) {
    const token = await createKey('unit_reviewer');
    const { id } = (await env.DB.prepare('SELECT id FROM api_keys ORDER BY rowid DESC LIMIT 1').first<{ id: string }>())!;
    await env.DB.prepare('INSERT INTO api_key_units (key_id, unit) VALUES (?, ?)').bind(id, unit).run();
    return token;
  }

  it('reading: the teacher its own, a reviewer its units, HR and admin all; others 404', async () => {
    const list = (token: string, record = ownRecord) => call('GET', `/v1/records/${record}/files`, { token }).then((r) => r.status);
    const get = (token: string) => call('GET', `/v1/records/${ownRecord}/files/${ownFile}`, { token }).then((r) => r.status);
    for (const token of [keys.teacher, keys.hr, keys.admin, reviewer]) {
      expect(await list(token)).toBe(200);
      expect(await get(token)).toBe(200);
    }
    expect(await list(elsewhereReviewer)).toBe(404);
    expect(await get(elsewhereReviewer)).toBe(404);
    expect(await list(keys.teacher, otherRecord)).toBe(404);
    expect(await list(elsewhereReviewer, otherRecord)).toBe(200);
    expect(await list(reviewer, otherRecord)).toBe(404);
  });

  it('the committee sees a teacher’s files only once the teacher is a candidate of a review cycle', async () => {
    expect((await call('GET', `/v1/records/${ownRecord}/files`, { token: keys.committee })).status).toBe(404);
    expect((await call('GET', `/v1/records/${ownRecord}/files/${ownFile}`, { token: keys.committee })).status).toBe(404);
    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'files', asOf: '2026-09-01' } }));
    const added = await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates: [{ teacherId: keys.teacherId, targetTitle: 'lecturer' }] } });
    expect(added.status).toBe(200);
    expect((await call('GET', `/v1/records/${ownRecord}/files`, { token: keys.committee })).status).toBe(200);
    expect((await call('GET', `/v1/records/${ownRecord}/files/${ownFile}`, { token: keys.committee })).status).toBe(200);
    expect((await call('GET', `/v1/records/${otherRecord}/files`, { token: keys.committee })).status).toBe(404);
  });

  it('writing: the record’s teacher while the record is under way, and HR; reviewers, committee, admin 403; another teacher 404', async () => {
    expect((await upload(reviewer, ownRecord, pdf())).status).toBe(403);
    expect((await upload(keys.committee, ownRecord, pdf())).status).toBe(403);
    expect((await upload(keys.admin, ownRecord, pdf())).status).toBe(403);
    const foreign = pdf();
    expect((await upload(keys.teacher, otherRecord, foreign)).status).toBe(404);
    expect(await stored(foreign)).toBe(false);
    expect((await call('DELETE', `/v1/records/${ownRecord}/files/${ownFile}`, { token: reviewer })).status).toBe(403);

    for (const state of ['verified', 'rejected']) {
      const recordId = await newRecord(keys.hr, keys.teacherId);
      const file = (await jsonOf(await upload(keys.teacher, recordId, pdf()))).id;
      await env.DB.prepare('UPDATE records SET state = ? WHERE id = ?').bind(state, recordId).run();
      const locked = await upload(keys.teacher, recordId, pdf());
      expect(locked.status).toBe(409);
      expect((await jsonOf(locked)).code).toBe('record-locked');
      expect((await call('DELETE', `/v1/records/${recordId}/files/${file}`, { token: keys.teacher })).status).toBe(409);
      expect((await upload(keys.hr, recordId, pdf())).status).toBe(201);
      expect((await call('DELETE', `/v1/records/${recordId}/files/${file}`, { token: keys.hr })).status).toBe(200);
    }
    for (const state of ['submitted', 'returned', 'withdrawn', 'unit_approved']) {
      const recordId = await newRecord(keys.hr, keys.teacherId);
      await env.DB.prepare('UPDATE records SET state = ? WHERE id = ?').bind(state, recordId).run();
      expect((await upload(keys.teacher, recordId, pdf())).status).toBe(201);
    }
  });

  it('files of a deleted record are gone with it', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const file = (await jsonOf(await upload(keys.teacher, recordId, pdf()))).id;
    expect((await call('DELETE', `/v1/records/${recordId}`, { token: keys.hr })).status).toBe(200);
    expect((await call('GET', `/v1/records/${recordId}/files/${file}`, { token: keys.hr })).status).toBe(404);
  });
});

describe('evidence files: delete and orphan cleanup', () => {
  it('a deleted file is no longer listed or served; cleanup removes bytes nothing refers to, keeps shared and fresh ones', async () => {
    const recordA = await newRecord(keys.hr, keys.teacherId);
    const recordB = await newRecord(keys.hr, keys.teacherId);
    const lone = pdf();
    const shared = pdf();
    const loneFile = (await jsonOf(await upload(keys.teacher, recordA, lone))).id;
    const sharedFile = (await jsonOf(await upload(keys.teacher, recordA, shared))).id;
    expect((await upload(keys.teacher, recordB, shared)).status).toBe(201);
    for (const file of [loneFile, sharedFile]) {
      const deleted = await call('DELETE', `/v1/records/${recordA}/files/${file}`, { token: keys.teacher });
      expect(deleted.status).toBe(200);
      expect((await call('GET', `/v1/records/${recordA}/files/${file}`, { token: keys.teacher })).status).toBe(404);
      expect((await call('DELETE', `/v1/records/${recordA}/files/${file}`, { token: keys.teacher })).status).toBe(404);
    }
    expect((await jsonOf(await call('GET', `/v1/records/${recordA}/files`, { token: keys.teacher }))).items).toEqual([]);
    const deletedAudit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'file.delete' AND entity_id IN (?, ?)").bind(loneFile, sharedFile).first<{ n: number }>();
    expect(deletedAudit!.n).toBe(2);

    // Within the hour an unreferenced object may be an upload in flight: kept.
    await cleanupOrphanFiles(env, new Date());
    expect(await stored(lone)).toBe(true);
    const result = await cleanupOrphanFiles(env, later(2));
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(await stored(lone)).toBe(false);
    expect(await stored(shared)).toBe(true);
    // Every object left is referenced by a live row.
    const objects = await env.EVIDENCE.list({ prefix: 'sha256/' });
    for (const object of objects.objects) {
      const n = await env.DB.prepare('SELECT count(*) AS n FROM evidence_files WHERE sha256 = ? AND deleted_at IS NULL').bind(object.key.slice(7)).first<{ n: number }>();
      expect(n!.n, object.key).toBeGreaterThan(0);
    }
  });
});

describe('evidence files: the scheduled handler', () => {
  it('runs the orphan cleanup', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const bytes = pdf();
    const file = (await jsonOf(await upload(keys.teacher, recordId, bytes))).id;
    expect((await call('DELETE', `/v1/records/${recordId}/files/${file}`, { token: keys.teacher })).status).toBe(200);
    expect(await stored(bytes)).toBe(true);
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void pending.push(promise), passThroughOnException: () => undefined } as unknown as ExecutionContext;
    await worker.scheduled!({ scheduledTime: later(2).getTime(), cron: '0 3 * * 1', noRetry: () => undefined } as ScheduledController, bindings() as never, ctx);
    await Promise.all(pending);
    expect(await stored(bytes)).toBe(false);
  });
});

describe('evidence files: faults between R2 and D1', () => {
  async function expect503(response: Response) {
    expect(response.status, await response.clone().text()).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await jsonOf(response)).code).toBe('storage-unavailable');
  }

  it('each D1 statement of an upload failing: 503, no row, no stored bytes; then the clean retry applies once and replays', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const bytes = pdf();
    const idem = { 'idempotency-key': uid('idem') };
    let n = 1;
    for (; n <= 30; n++) {
      const before = await dumpDb(env.DB);
      const db = faulty(env.DB, { failAt: n });
      const response = await upload(keys.teacher, recordId, bytes, { headers: idem, bindings: { DB: db, EVIDENCE: env.EVIDENCE } });
      if (!db.fired) {
        expect(response.status).toBe(201);
        break;
      }
      await expect503(response);
      expect(await dumpDb(env.DB), `statement ${n}: ${db.log[n - 1]?.sql.slice(0, 60)}`).toBe(before);
      expect(await stored(bytes), `statement ${n} left its bytes in R2`).toBe(false);
    }
    expect(n).toBeGreaterThan(4); // the route really ran several statements, the batch among them
    const replay = await upload(keys.teacher, recordId, bytes, { headers: idem });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await liveRows(recordId)).toHaveLength(1);
  });

  it('a reply lost after the D1 commit: the bytes stay (a row refers to them), and the retry replays instead of attaching twice', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const bytes = pdf();
    const idem = { 'idempotency-key': uid('idem') };
    const db = faulty(env.DB, { failBatch: 99 });
    await upload(keys.teacher, await newRecord(keys.hr, keys.teacherId), pdf(), { bindings: { DB: db, EVIDENCE: env.EVIDENCE }, headers: { 'idempotency-key': uid('idem') } });
    const insertAt = db.log.findIndex((entry) => entry.sql.startsWith('INSERT INTO evidence_files')) + 1;
    expect(insertAt).toBeGreaterThan(0);
    const lost = faulty(env.DB, { failAt: insertAt, mode: 'after' });
    await expect503(await upload(keys.teacher, recordId, bytes, { headers: idem, bindings: { DB: lost, EVIDENCE: env.EVIDENCE } }));
    expect(await liveRows(recordId)).toHaveLength(1);
    expect(await stored(bytes)).toBe(true);
    const retry = await upload(keys.teacher, recordId, bytes, { headers: idem });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await liveRows(recordId)).toHaveLength(1);
    const audits = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'file.upload' AND json_extract(detail, '$.recordId') = ?").bind(recordId).first<{ n: number }>();
    expect(audits!.n).toBe(1);
  });

  it('D1 failing and the R2 delete failing too: the orphan is gone after cleanup', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const bytes = pdf();
    const flaky = new Proxy(env.EVIDENCE, {
      get(target, property) {
        if (property === 'delete') return () => Promise.reject(new Error('R2 unavailable'));
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect503(await upload(keys.teacher, recordId, bytes, { bindings: { DB: faulty(env.DB, { failBatch: 1 }), EVIDENCE: flaky } }));
    expect(await liveRows(recordId)).toHaveLength(0);
    expect(await stored(bytes)).toBe(true);
    await cleanupOrphanFiles(env, later(2));
    expect(await stored(bytes)).toBe(false);
  });

  it('R2 failing: 503 with Retry-After, no row', async () => {
    const recordId = await newRecord(keys.hr, keys.teacherId);
    const broken = new Proxy(env.EVIDENCE, {
      get(target, property) {
        if (property === 'put' || property === 'get') return () => Promise.reject(new Error('R2 unavailable'));
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect503(await upload(keys.teacher, recordId, pdf(), { bindings: { DB: env.DB, EVIDENCE: broken } }));
    expect(await liveRows(recordId)).toHaveLength(0);
    const file = (await jsonOf(await upload(keys.teacher, recordId, pdf()))).id;
    const download = await app.request(`http://localhost/v1/records/${recordId}/files/${file}`, { headers: { authorization: `Bearer ${keys.teacher}` } }, { DB: env.DB, EVIDENCE: broken });
    await expect503(download);
  });
});
