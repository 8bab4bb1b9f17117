import { Workbook } from '@cj-tech-master/excelts';
import { defaultPolicy } from '@shizi/core';
import { beforeAll, describe, expect, it } from 'vitest';
import example from '../../../docs/policies/example-vocational-college.json';
import { app } from '../src/app.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys, purgeRecordsOfKinds } from './helpers.js';

/**
 * Import under the ACTIVE policy: a college's own evidence kinds (docs/policies/example-vocational-college.json
 * declares 论文 and 教材) are read, validated and offered in the template exactly like the built-in kinds.
 * Every test that activates the example policy restores the default in `finally`.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

async function load(bytes: ArrayBuffer): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes);
  return workbook;
}
async function bytesOf(workbook: Workbook): Promise<Uint8Array> {
  const buffer = (await workbook.xlsx.writeBuffer()) as unknown;
  return buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
}
const values = (workbook: Workbook, sheet: string, row: number) => (workbook.getWorksheet(sheet)!.getRow(row).values as unknown[]).slice(1);
async function template(lang = 'zh-CN'): Promise<Workbook> {
  const response = await call('GET', '/v1/import/template.xlsx', { token: keys.hr, headers: { 'accept-language': lang } });
  expect(response.status).toBe(200);
  return load(await response.arrayBuffer());
}
async function post(path: string, body: Uint8Array | string, contentType: string) {
  return app.request(`http://localhost${path}`, { method: 'POST', headers: { authorization: `Bearer ${keys.hr}`, 'content-type': contentType, 'accept-language': 'zh-CN' }, body }, env);
}
async function withExamplePolicy(work: () => Promise<void>): Promise<void> {
  expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(example), version: uid('example') } })).status).toBe(201);
  try {
    await work();
  } finally {
    // the default has no 论文 or 教材: their records go first (test cleanup), or the version would be refused (kind-in-use)
    await purgeRecordsOfKinds(Object.keys(example.evidenceKinds));
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
  }
}
function paperRow(header: string[], cells: Record<string, unknown>): unknown[] {
  const row: unknown[] = header.map(() => null);
  for (const [heading, value] of Object.entries(cells)) {
    expect(header, heading).toContain(heading);
    row[header.indexOf(heading)] = value;
  }
  return row;
}

describe('import under a policy with its own evidence kinds', () => {
  it('the template lists the active policy’s kinds with their columns and drop-downs', async () => {
    const before = await template();
    expect(before.worksheets.map((sheet) => sheet.name)).not.toContain('论文');
    await withExamplePolicy(async () => {
      const kinds = (await jsonOf(await call('GET', '/v1/kinds', { token: keys.hr }))).items as { kind: string; label: { zh: string; en: string }; fields: { name: string; label: { zh: string } }[] }[];
      const workbook = await template();
      const names = workbook.worksheets.map((sheet) => sheet.name);
      // teachers, every kind of the active policy in its order, notes
      expect(names).toEqual(['教师', ...kinds.map((kind) => kind.label.zh), '说明']);
      const paper = kinds.find((kind) => kind.kind === 'paper')!;
      expect(values(workbook, '论文', 1)).toEqual(['记录编号', '工号', '审核状态', ...paper.fields.map((field) => field.label.zh)]);
      const header = values(workbook, '论文', 1) as string[];
      const levelColumn = header.indexOf('期刊级别') + 1;
      expect(workbook.getWorksheet('论文')!.getRow(3).getCell(levelColumn).dataValidation).toMatchObject({ type: 'list', formulae: ['"北大核心/CSSCI,省级期刊,一般期刊"'] });
      const notes = workbook.getWorksheet('说明')!;
      const noteRows = Array.from({ length: notes.rowCount }, (_, index) => (notes.getRow(index + 1).values as unknown[]).slice(1).join('|'));
      expect(noteRows.some((line) => line.startsWith('论文|期刊级别|journalLevel|必填|'))).toBe(true);
      expect((await template('en')).worksheets.map((sheet) => sheet.name)).toContain('paper');
    });
    // restored: the default policy's template again
    expect((await template()).worksheets.map((sheet) => sheet.name)).not.toContain('论文');
  });

  it('a workbook with a 论文 sheet is refused under the default policy and imports under the example, its values checked by the kind', async () => {
    const prefix = uid('kp');
    let workbook!: Workbook;
    let header!: string[];
    await withExamplePolicy(async () => {
      workbook = await template();
      header = values(workbook, '论文', 1) as string[];
    });
    workbook.getWorksheet('教师')!.addRow([`${prefix}T1`, '张志强', '智能制造学院', '2023/9/1', '新教师', '2023/9/1', '助教', '2023/9/1']);
    const paper = { 记录编号: `${prefix}R1`, 工号: `${prefix}T1`, 审核状态: '已审核', 发表日期: '2025年10月1日', 论文题目: '数控编程教学改革', 期刊名称: '职业技术教育', 期刊级别: '北大核心/CSSCI', 成果编号: 'A-1' };
    workbook.getWorksheet('论文')!.addRow(paperRow(header, paper));
    workbook.getWorksheet('论文')!.addRow(paperRow(header, { ...paper, 记录编号: `${prefix}R2`, 期刊级别: '野鸡期刊' }));

    // the default policy has no 论文: the sheet is not one it can read
    const refused = await post('/v1/import?dryRun=true', await bytesOf(workbook), XLSX);
    expect(refused.status).toBe(400);
    expect((await jsonOf(refused)).errors).toContainEqual(expect.objectContaining({ sheet: '论文', row: 1 }));

    await withExamplePolicy(async () => {
      const bad = await post('/v1/import?dryRun=true', await bytesOf(workbook), XLSX);
      expect(bad.status).toBe(400);
      const problem = await jsonOf(bad);
      expect(problem.errors).toEqual([expect.objectContaining({ sheet: '论文', row: 4, column: '期刊级别', value: '野鸡期刊', path: '论文[4].journalLevel' })]);
      expect(problem.errors[0].message).toContain('「论文」第 4 行「期刊级别」：野鸡期刊 不是可选值（应为 北大核心/CSSCI、省级期刊、一般期刊 之一）');
      // the error workbook is read under the same policy
      const report = await post('/v1/import/report.xlsx', await bytesOf(workbook), XLSX);
      expect(report.headers.get('x-import-errors')).toBe('1');

      workbook
        .getWorksheet('论文')!
        .getRow(4)
        .getCell(header.indexOf('期刊级别') + 1).value = '省级期刊';
      const bytes = await bytesOf(workbook);
      const dry = await post('/v1/import?dryRun=true', bytes, XLSX);
      expect(dry.status, await dry.clone().text()).toBe(200);
      expect((await jsonOf(dry)).records.created).toEqual([`${prefix}R1`, `${prefix}R2`]);
      const imported = await post('/v1/import', bytes, XLSX);
      expect(imported.status, await imported.clone().text()).toBe(201);
      const r1 = await jsonOf(await call('GET', `/v1/records/${prefix}R1`, { token: keys.hr }));
      expect(r1.record).toMatchObject({ kind: 'paper', status: 'verified', date: '2025-10-01', journalLevel: 'core', journal: '职业技术教育', achievement: 'A-1' });
      expect((await jsonOf(await call('GET', `/v1/records/${prefix}R2`, { token: keys.hr }))).record.journalLevel).toBe('provincial');
    });
  });

  it('CSV (a 类型 column) and JSON imports take the policy’s own kinds and check their fields', async () => {
    const id = uid('kc');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) })).status).toBe(201);
    const csv = `记录编号,工号,类型,审核状态,出版日期,教材名称,教材级别,编写角色\r\n${id}-B1,${id},教材,已审核,2025/3/1,数控技术,国家规划教材,主编\r\n`;
    const json = { records: [{ id: `${id}-P1`, teacherId: id, kind: 'paper', status: 'verified', date: '2025-10-01', title: '题目', journal: '期刊', journalLevel: 'predatory', achievement: 'A-2' }] };
    expect((await post('/v1/import?dryRun=true', csv, 'text/csv')).status).toBe(400);
    expect((await call('POST', '/v1/import?dryRun=true', { token: keys.hr, body: json })).status).toBe(400);
    await withExamplePolicy(async () => {
      const fromCsv = await post('/v1/import', csv, 'text/csv');
      expect(fromCsv.status, await fromCsv.clone().text()).toBe(201);
      expect((await jsonOf(await call('GET', `/v1/records/${id}-B1`, { token: keys.hr }))).record).toMatchObject({ kind: 'textbook', level: 'national_planning', role: 'chief_editor', date: '2025-03-01' });
      const badJson = await call('POST', '/v1/import', { token: keys.hr, body: json });
      expect(badJson.status).toBe(400);
      expect((await jsonOf(badJson)).errors.map((e: { path: string }) => e.path)).toEqual(['records[0].journalLevel']);
      json.records[0]!.journalLevel = 'core';
      expect((await call('POST', '/v1/import', { token: keys.hr, body: json })).status).toBe(201);
      expect((await jsonOf(await call('GET', `/v1/records/${id}-P1`, { token: keys.hr }))).record.kind).toBe('paper');
    });
  });
});
