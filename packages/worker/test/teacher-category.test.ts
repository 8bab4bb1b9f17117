import { Workbook } from '@cj-tech-master/excelts';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/** The teacher category (教师类别, migration 0005) through create, PATCH, list, get and the import. */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

const get = async (id: string, lang = 'zh-CN') => jsonOf(await call('GET', `/v1/teachers/${id}`, { token: keys.hr, headers: { 'accept-language': lang } }));

describe('teacher category', () => {
  it('a teacher created without one is a 专业课 teacher; with one it is kept, labelled in zh and en', async () => {
    const plain = uid('tc');
    const created = await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(plain) });
    expect(created.status).toBe(201);
    expect(await jsonOf(created)).toMatchObject({ id: plain, category: 'specialised', categoryLabel: '专业课教师' });
    const publicCourse = uid('tc');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(publicCourse, { category: 'public_basic' }) })).status).toBe(201);
    expect(await get(publicCourse)).toMatchObject({ category: 'public_basic', categoryLabel: '公共基础课教师' });
    expect(await get(publicCourse, 'en')).toMatchObject({ category: 'public_basic', categoryLabel: 'public-course teacher' });
    // stored as created: a row written by SQL before migration 0005 had no column, and reads as specialised
    const row = await env.DB.prepare('SELECT category FROM teachers WHERE id = ?').bind(plain).first<{ category: string }>();
    expect(row?.category).toBe('specialised');
  });

  it('an unknown category is a 400 naming the field', async () => {
    const response = await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(uid('tc'), { category: 'administrative' }) });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors.map((e: { path: string }) => e.path)).toEqual(['category']);
  });

  it('PATCH changes the category (If-Match), keeps it when not sent, and the list filters by it', async () => {
    const unit = uid('unit');
    const id = uid('tc');
    await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit }) });
    const other = uid('tc');
    await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(other, { unit, category: 'practical_guidance' }) });
    const etag = (await call('GET', `/v1/teachers/${id}`, { token: keys.hr })).headers.get('etag')!;
    const patched = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { category: 'public_basic' }, headers: { 'if-match': etag } });
    expect(patched.status).toBe(200);
    expect(await jsonOf(patched)).toMatchObject({ category: 'public_basic', version: 2 });
    const etag2 = patched.headers.get('etag')!;
    const renamed = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { name: '周老师' }, headers: { 'if-match': etag2 } });
    expect(await jsonOf(renamed)).toMatchObject({ name: '周老师', category: 'public_basic' });
    const bad = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { category: '专业课' }, headers: { 'if-match': renamed.headers.get('etag')! } });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors.map((e: { path: string }) => e.path)).toEqual(['category']);

    const list = async (category: string) => (await jsonOf(await call('GET', `/v1/teachers?unit=${encodeURIComponent(unit)}&category=${category}`, { token: keys.hr }))).items.map((t: { id: string }) => t.id);
    expect(await list('public_basic')).toEqual([id]);
    expect(await list('practical_guidance')).toEqual([other]);
    expect(await list('specialised')).toEqual([]);
    expect((await call('GET', '/v1/teachers?category=boss', { token: keys.hr })).status).toBe(400);
  });

  it('JSON import: a category is stored; a row without one keeps a stored teacher’s and makes a new one 专业课', async () => {
    const a = uid('ti');
    const b = uid('ti');
    const first = await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(a, { category: 'public_basic' }), teacher(b)] } });
    expect(first.status, await first.clone().text()).toBe(201);
    expect((await get(a)).category).toBe('public_basic');
    expect((await get(b)).category).toBe('specialised');
    // the same rows without a category: nothing would change, and nothing does
    const dry = await call('POST', '/v1/import?dryRun=true', { token: keys.hr, body: { teachers: [teacher(a), teacher(b)] } });
    expect((await jsonOf(dry)).teachers).toEqual({ created: [], replaced: [], unchanged: [a, b] });
    expect((await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(a), teacher(b, { category: 'practical_guidance' })] } })).status).toBe(201);
    expect((await get(a)).category).toBe('public_basic');
    expect((await get(b)).category).toBe('practical_guidance');
    const bad = await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(uid('ti'), { category: 'x' })] } });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors.map((e: { path: string }) => e.path)).toEqual(['teachers[0].category']);
  });

  it('CSV import reads the 教师类别 column by its Chinese values; a blank cell is the default', async () => {
    const a = uid('tv');
    const b = uid('tv');
    const c = uid('tv');
    const csv = [
      '工号,姓名,部门,入职日期,成长阶段,阶段起始日期,职称,职称取得日期,教师类别',
      `${a},甲,基础部,2020/9/1,新教师,2020/9/1,助教,2020/9/1,公共基础课`,
      `${b},乙,基础部,2020/9/1,新教师,2020/9/1,助教,2020/9/1,实习指导`,
      `${c},丙,基础部,2020/9/1,新教师,2020/9/1,助教,2020/9/1,`,
    ].join('\r\n');
    const response = await call('POST', '/v1/import', { token: keys.hr, raw: csv, contentType: 'text/csv' });
    expect(response.status, await response.clone().text()).toBe(201);
    expect([(await get(a)).category, (await get(b)).category, (await get(c)).category]).toEqual(['public_basic', 'practical_guidance', 'specialised']);
    const wrong = await call('POST', '/v1/import', { token: keys.hr, raw: `${csv.split('\r\n')[0]}\r\n${uid('tv')},丁,基础部,2020/9/1,新教师,2020/9/1,助教,2020/9/1,行政`, contentType: 'text/csv' });
    expect(wrong.status).toBe(400);
    const problem = await jsonOf(wrong);
    expect(problem.errors[0]).toMatchObject({ path: 'csv[2].category', column: '教师类别', value: '行政' });
    expect(problem.errors[0].message).toContain('专业课、实习指导、公共基础课');
  });

  it('the template has a 教师类别 column with its drop-down, and a filled-in workbook imports', async () => {
    const response = await call('GET', '/v1/import/template.xlsx', { token: keys.hr });
    const workbook = new Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer);
    const sheet = workbook.getWorksheet('教师')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header[8]).toBe('教师类别');
    expect(sheet.getCell('I2').dataValidation).toMatchObject({ type: 'list', formulae: ['"专业课,实习指导,公共基础课"'] });
    const id = uid('tx');
    sheet.addRow([id, '陈静', '基础部', '2021/9/1', '新教师', '2021/9/1', '助教', '2021/9/1', '公共基础课']);
    const buffer = (await workbook.xlsx.writeBuffer()) as unknown;
    const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
    const imported = await app.request('http://localhost/v1/import', { method: 'POST', headers: { authorization: `Bearer ${keys.hr}`, 'content-type': XLSX }, body: bytes }, env);
    expect(imported.status, await imported.clone().text()).toBe(201);
    expect((await get(id)).category).toBe('public_basic');
  });
});
