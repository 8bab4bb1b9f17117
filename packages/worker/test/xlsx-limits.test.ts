import { unzip, zip } from '@cj-tech-master/excelts/archive';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { writeWorkbook, XLSX_UNPACK_LIMITS } from '../src/sheets/xlsx.js';
import { env, jsonOf, setupKeys, uid, type Keys } from './helpers.js';

/**
 * Zip bombs: an .xlsx is a zip, and a small upload can unpack to gigabytes or hold thousands of entries.
 * The workbooks here are crafted from a real one (the project's writer) with the library's zip writer.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MB = 1024 * 1024;
let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

async function teachersWorkbook(id: string): Promise<Uint8Array> {
  return writeWorkbook([{ name: '教师', columns: ['工号', '姓名', '部门', '入职日期', '成长阶段', '阶段起始日期', '职称', '职称取得日期'].map((header) => ({ header })), rows: [[id, '王芳', '智能制造学院', '2023/9/1', '新教师', '2023/9/1', '助教', '2023/9/1']] }]);
}

/** The workbook's own entries, then `extra` ones. */
async function withEntries(workbook: Uint8Array, extra: [string, Uint8Array][]): Promise<Uint8Array> {
  const archive = zip();
  for await (const entry of unzip(workbook).entries()) archive.add(entry.path, await entry.bytes());
  for (const [path, data] of extra) archive.add(path, data);
  return archive.bytes();
}

/** Rewrites the uncompressed size an entry declares, in its local header and its central-directory record. */
function declareSize(archive: Uint8Array, path: string, size: number): Uint8Array {
  const out = archive.slice();
  const view = new DataView(out.buffer);
  const name = new TextEncoder().encode(path);
  const named = (at: number) => name.every((byte, i) => out[at + i] === byte);
  let patched = 0;
  for (let at = 0; at + 46 < out.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && view.getUint16(at + 26, true) === name.length && named(at + 30)) view.setUint32(at + 22, size, true), patched++;
    if (signature === 0x02014b50 && view.getUint16(at + 28, true) === name.length && named(at + 46)) view.setUint32(at + 24, size, true), patched++;
  }
  expect(patched).toBe(2);
  return out;
}

async function upload(path: string, body: Uint8Array, lang = 'zh-CN') {
  return app.request(`http://localhost${path}`, { method: 'POST', headers: { authorization: `Bearer ${keys.hr}`, 'content-type': XLSX, 'accept-language': lang }, body }, env);
}

describe('.xlsx zip-bomb limits', () => {
  it('an ordinary workbook with a 1 MB picture still imports', async () => {
    const id = uid('zb');
    const body = await withEntries(await teachersWorkbook(id), [['xl/media/image1.png', new Uint8Array(MB)]]);
    const response = await upload('/v1/import?dryRun=true', body);
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await jsonOf(response)).teachers.created).toEqual([id]);
  });

  it('a workbook that unpacks past the limit answers 413 naming the file and the entry; nothing is written', async () => {
    const id = uid('zb');
    const megabyte = new Uint8Array(MB); // zeros: 1 MB each, about 1 KB packed
    const entries = Array.from({ length: XLSX_UNPACK_LIMITS.bytes / MB + 1 }, (_, i): [string, Uint8Array] => [`xl/media/pad${i}.bin`, megabyte]);
    const body = await withEntries(await teachersWorkbook(id), entries);
    expect(body.length).toBeLessThan(MB); // small on the wire
    const response = await upload(`/v1/import?name=${encodeURIComponent('花名册（炸弹）.xlsx')}`, body);
    expect(response.status).toBe(413);
    const problem = await jsonOf(response);
    expect(problem.type).toContain('content-too-large');
    expect(problem.detail).toContain('「花名册（炸弹）.xlsx」解压后超过 50 MB');
    expect(problem.detail).toMatch(/xl\/media\/pad\d+\.bin/);
    expect(problem).toMatchObject({ file: '花名册（炸弹）.xlsx', limit: { unpackedBytes: XLSX_UNPACK_LIMITS.bytes } });
    expect((await app.request(`http://localhost/v1/teachers/${id}`, { headers: { authorization: `Bearer ${keys.hr}` } }, env)).status).toBe(404);
    // the error-workbook route reads uploads the same way; without a name the message says "this .xlsx file"
    const report = await upload('/v1/import/report.xlsx', body, 'en');
    expect(report.status).toBe(413);
    expect((await jsonOf(report)).detail).toContain('this .xlsx file unpacks to more than 50 MB');
  }, 120_000); // packing 51 MB of zeros takes a while on a shared machine

  it('an entry that declares 1,000 bytes and unpacks past the limit (a bomb lying about its size) answers 413', async () => {
    const body = declareSize(await withEntries(await teachersWorkbook(uid('zb')), [['xl/media/image1.png', new Uint8Array(XLSX_UNPACK_LIMITS.bytes + MB)]]), 'xl/media/image1.png', 1000);
    const response = await upload(`/v1/import?dryRun=true&name=lie.xlsx`, body, 'en');
    expect(response.status).toBe(413);
    expect((await jsonOf(response)).detail).toContain('"lie.xlsx" unpacks to more than 50 MB (at its entry xl/media/image1.png)');
  }, 120_000);

  it('a workbook with more entries than the limit answers 413', async () => {
    const empty = new Uint8Array(0);
    const entries = Array.from({ length: XLSX_UNPACK_LIMITS.entries }, (_, i): [string, Uint8Array] => [`customXml/item${i}.xml`, empty]);
    const response = await upload('/v1/import?dryRun=true&name=many.xlsx', await withEntries(await teachersWorkbook(uid('zb')), entries));
    expect(response.status).toBe(413);
    const problem = await jsonOf(response);
    expect(problem.detail).toContain(`「many.xlsx」包含超过 ${XLSX_UNPACK_LIMITS.entries} 个内部文件`);
    expect(problem.limit).toEqual({ entries: XLSX_UNPACK_LIMITS.entries });
  });
});
