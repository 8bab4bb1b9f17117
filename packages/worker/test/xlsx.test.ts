import { Workbook } from '@cj-tech-master/excelts';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { parseCsv } from '../src/csv.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

async function load(bytes: ArrayBuffer | Uint8Array): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  return workbook;
}
async function bytesOf(workbook: Workbook): Promise<Uint8Array> {
  const buffer = (await workbook.xlsx.writeBuffer()) as unknown;
  return buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
}
const values = (workbook: Workbook, sheet: string, row: number) => (workbook.getWorksheet(sheet)!.getRow(row).values as unknown[]).slice(1);
async function post(path: string, body: Uint8Array | string, contentType: string, lang = 'zh-CN') {
  return app.request(`http://localhost${path}`, { method: 'POST', headers: { authorization: `Bearer ${keys.hr}`, 'content-type': contentType, 'accept-language': lang }, body }, env);
}
async function template(lang = 'zh-CN'): Promise<Workbook> {
  const response = await call('GET', '/v1/import/template.xlsx', { token: keys.hr, headers: { 'accept-language': lang } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(XLSX);
  return load(await response.arrayBuffer());
}

describe('the import template', () => {
  it('has a teachers sheet, one sheet per kind, Chinese headings, drop-downs, a frozen header, an example row and notes', async () => {
    const workbook = await template();
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names[0]).toBe('教师');
    expect(names).toContain('技能竞赛');
    expect(names).toContain('企业实践');
    expect(names.at(-1)).toBe('说明');
    expect(names).toHaveLength(1 + 17 + 1);
    expect(values(workbook, '教师', 1)).toEqual(['工号', '姓名', '部门', '入职日期', '成长阶段', '阶段起始日期', '职称', '职称取得日期', '教师类别', '企业工作经历']);
    expect(values(workbook, '教师', 2)[0]).toBe('（示例）T001');
    const teachers = workbook.getWorksheet('教师')!;
    expect(teachers.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(teachers.getCell('E2').dataValidation).toMatchObject({ type: 'list', formulae: ['"新教师,骨干教师,专业带头人,专业群负责人"'] });
    expect(teachers.getCell('G500').dataValidation).toMatchObject({ type: 'list', formulae: ['"助教,讲师,副教授,教授"'] });
    const competition = workbook.getWorksheet('技能竞赛')!;
    expect(values(workbook, '技能竞赛', 1)).toContain('奖项');
    const awardColumn = (values(workbook, '技能竞赛', 1) as string[]).indexOf('奖项') + 1;
    expect(competition.getRow(3).getCell(awardColumn).dataValidation).toMatchObject({ formulae: ['"一等奖,二等奖,三等奖,优秀奖"'] });
    const notes = workbook.getWorksheet('说明')!;
    const noteRows = Array.from({ length: notes.rowCount }, (_, index) => (notes.getRow(index + 1).values as unknown[]).slice(1).join('|'));
    expect(noteRows).toContain('教师|入职日期|hireDate|必填|日期，如 2023-09-01、2023/9/1 或 2023年9月1日');
    expect(noteRows.some((line) => line.startsWith('技能竞赛|奖项|award|必填|下列之一：一等奖、二等奖、三等奖、优秀奖'))).toBe(true);
    const english = await template('en');
    expect(values(english, 'teachers', 1)).toEqual(['staff id', 'name', 'unit', 'hire date', 'stage', 'stage since', 'title', 'title since', 'teacher category', 'enterprise experience']);
  });

  it('filled in (Excel date cells, Chinese values, "15,000"), it imports; its example rows are skipped', async () => {
    const prefix = uid('xl');
    const workbook = await template();
    workbook.getWorksheet('教师')!.addRow([`${prefix}T1`, '张志强', '智能制造学院', new Date(Date.UTC(2023, 8, 1)), '新教师', '2023/9/1', '助教', '2023年9月1日']);
    workbook.getWorksheet('教师')!.addRow([]);
    workbook.getWorksheet('教师')!.addRow([`${prefix}T2`, '李娜', '信息工程学院', 45170, '骨干教师', '2023-09-01', '讲师', '2023-09-01']);
    const header = values(workbook, '横向课题', 1) as string[];
    const row: unknown[] = header.map(() => null);
    const set = (heading: string, value: unknown) => (row[header.indexOf(heading)] = value);
    set('记录编号', `${prefix}R1`);
    set('工号', `${prefix}T1`);
    set('审核状态', '已审核');
    set('到账日期', new Date(Date.UTC(2024, 9, 8)));
    set('到账金额（元）', '15,000');
    set('合作单位', '某数控企业');
    workbook.getWorksheet('横向课题')!.addRow(row);
    const bytes = await bytesOf(workbook);
    const dry = await post('/v1/import?dryRun=true', bytes, XLSX);
    expect(dry.status, await dry.clone().text()).toBe(200);
    expect((await jsonOf(dry)).wouldImport).toEqual({ teachers: 2, records: 1 });
    const response = await post('/v1/import', bytes, XLSX);
    expect(response.status, await response.clone().text()).toBe(201);
    const t1 = await jsonOf(await call('GET', `/v1/teachers/${prefix}T1`, { token: keys.hr }));
    expect(t1).toMatchObject({ name: '张志强', hireDate: '2023-09-01', stage: 'new_teacher', title: 'assistant', titleSince: '2023-09-01' });
    const t2 = await jsonOf(await call('GET', `/v1/teachers/${prefix}T2`, { token: keys.hr }));
    expect(t2).toMatchObject({ hireDate: '2023-09-01', stage: 'backbone_teacher' });
    const r1 = await jsonOf(await call('GET', `/v1/records/${prefix}R1`, { token: keys.hr }));
    expect(r1.record).toEqual({ id: `${prefix}R1`, teacherId: `${prefix}T1`, kind: 'horizontal_project', status: 'verified', date: '2024-10-08', amountYuan: 15000, partner: '某数控企业' });
  });

  it('企业工作经历 reads 是 / 否 (or yes / no) as a boolean, left blank as not stated; another word is refused naming the column', async () => {
    const prefix = uid('xb');
    const workbook = await template();
    const row = (id: string, experience: string | null) => [`${prefix}${id}`, '赵敏', '智能制造学院', '2023/9/1', '新教师', '2023/9/1', '助教', '2023/9/1', '专业课', experience];
    workbook.getWorksheet('教师')!.addRow(row('T1', '是'));
    workbook.getWorksheet('教师')!.addRow(row('T2', '否'));
    workbook.getWorksheet('教师')!.addRow(row('T3', 'no'));
    workbook.getWorksheet('教师')!.addRow(row('T4', null));
    const response = await post('/v1/import', await bytesOf(workbook), XLSX);
    expect(response.status, await response.clone().text()).toBe(201);
    const read = async (id: string) => jsonOf(await call('GET', `/v1/teachers/${prefix}${id}`, { token: keys.hr }));
    expect((await read('T1')).enterpriseExperience).toBe(true);
    expect((await read('T2')).enterpriseExperience).toBe(false);
    expect((await read('T3')).enterpriseExperience).toBe(false);
    expect((await read('T4')).enterpriseExperience).toBeUndefined();
    const bad = await template();
    bad.getWorksheet('教师')!.addRow(row('T5', '也许'));
    const refused = await post('/v1/import', await bytesOf(bad), XLSX);
    expect(refused.status).toBe(400);
    expect((await jsonOf(refused)).errors).toEqual([expect.objectContaining({ sheet: '教师', row: 3, column: '企业工作经历', value: '也许', message: '「教师」第 3 行「企业工作经历」：也许 不是可选值（应为 是、否 之一）' })]);
    expect((await call('GET', `/v1/teachers/${prefix}T5`, { token: keys.hr })).status).toBe(404);
    const notes = (await template()).getWorksheet('说明')!;
    const noteRows = Array.from({ length: notes.rowCount }, (_, index) => (notes.getRow(index + 1).values as unknown[]).slice(1).join('|'));
    expect(noteRows).toContain('教师|企业工作经历|enterpriseExperience|选填|下列之一：是、否');
  });

  it('a workbook with errors is refused naming sheet, row and column, and comes back with an 错误 column', async () => {
    const prefix = uid('xe');
    const workbook = await template();
    workbook.getWorksheet('教师')!.addRow([`${prefix}T1`, '王芳', '智能制造学院', '2023/2/30', '新教师', '2023/9/1', '助教', '2023/9/1']);
    const bytes = await bytesOf(workbook);
    const response = await post('/v1/import', bytes, XLSX);
    expect(response.status).toBe(400);
    const problem = await jsonOf(response);
    expect(problem.errors).toEqual([{ path: '教师[3].hireDate', sheet: '教师', row: 3, column: '入职日期', value: '2023/2/30', message: '「教师」第 3 行「入职日期」：2023/2/30 不是有效日期（应为 2023-09-01、2023/9/1 或 2023年9月1日）' }]);
    expect(problem.errorWorkbook.href).toBe('/v1/import/report.xlsx');
    const report = await post('/v1/import/report.xlsx', bytes, XLSX);
    expect(report.status).toBe(200);
    expect(report.headers.get('x-import-errors')).toBe('1');
    expect(report.headers.get('content-disposition')).toContain(encodeURIComponent('导入错误报告.xlsx'));
    const back = await load(await report.arrayBuffer());
    expect(values(back, '教师', 1).at(-1)).toBe('错误');
    expect(values(back, '教师', 3)).toEqual([`${prefix}T1`, '王芳', '智能制造学院', '2023/2/30', '新教师', '2023/9/1', '助教', '2023/9/1', undefined, undefined, problem.errors[0].message]);
    // fixed in the returned workbook and uploaded again (its 错误 column is ignored), it imports
    back.getWorksheet('教师')!.getCell('D3').value = '2023/2/28';
    const fixed = await post('/v1/import', await bytesOf(back), XLSX);
    expect(fixed.status, await fixed.clone().text()).toBe(201);
    // a CSV gets its error workbook too
    const csvReport = await post('/v1/import/report.xlsx', '工号,姓名,部门,入职日期,成长阶段,阶段起始日期,职称,职称取得日期\r\nz1,甲,乙,2023/9/1,大师,2023/9/1,助教,2023/9/1\r\n', 'text/csv', 'en');
    const csvBack = await load(await csvReport.arrayBuffer());
    expect(String(values(csvBack, 'csv', 2).at(-1))).toContain('Sheet "csv", row 2, column "成长阶段": 大师 is not one of the allowed values');
  });

  it('a file that is not a workbook answers 400, not 500', async () => {
    const response = await post('/v1/import', new TextEncoder().encode('PK not a zip'), XLSX);
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).detail).toContain('.xlsx');
  });
});

describe('exports as workbooks, and formula injection', () => {
  const unit = `学院-${Math.random().toString(36).slice(2, 7)}`;
  const evil = '=HYPERLINK("http://x","点我")';
  let cycleId: string;
  beforeAll(async () => {
    const a = uid('fx');
    const b = uid('fx');
    const teachers = [teacher(a, { name: evil, unit, title: 'lecturer', titleSince: '2015-07-01' }), teacher(b, { name: '@SUM(1+1)', unit })];
    const records = [{ id: `${a}-w`, teacherId: a, kind: 'teaching_workload', status: 'verified', year: 2024, hours: 280 }];
    expect((await call('POST', '/v1/import', { token: keys.hr, body: { teachers, records } })).status).toBe(201);
    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: '2026 春季评审', asOf: '2026-03-01' } }));
    cycleId = cycle.id;
    expect((await call('POST', `/v1/review-cycles/${cycleId}/candidates`, { token: keys.hr, body: { candidates: [{ teacherId: a, targetTitle: 'associate_professor' }] } })).status).toBe(200);
  });

  it('the committee listing as .xlsx: header in the asked language, frozen, two decimals, a year column, a file name with year and unit', async () => {
    const response = await call('GET', `/v1/appraisals?year=2024&unit=${encodeURIComponent(unit)}&format=xlsx`, { token: keys.committee });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX);
    expect(response.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`appraisals-2024-${unit}.xlsx`)}`);
    const workbook = await load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // printed on A4 landscape, every column on one page width, the header repeated on each page
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 6)).toEqual(['学年', '名次', '教师编号', '姓名', '部门', '总分']);
    expect(sheet.getRow(2).getCell(1).value).toBe('2024-2025');
    expect(typeof sheet.getRow(2).getCell(6).value).toBe('number');
    expect(sheet.getRow(2).getCell(6).numFmt).toBe('0.00');
    const names = [sheet.getRow(2).getCell(4).value, sheet.getRow(3).getCell(4).value];
    expect(names).toContain(`'${evil}`);
    expect(names).toContain("'@SUM(1+1)");
    for (const row of [2, 3]) expect(sheet.getRow(row).getCell(4).formula).toBeUndefined();
    const english = await load(await (await call('GET', `/v1/appraisals?year=2024&unit=${encodeURIComponent(unit)}&format=xlsx`, { token: keys.committee, headers: { 'accept-language': 'en' } })).arrayBuffer());
    expect((english.worksheets[0]!.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['academic year', 'rank', 'teacher id']);
  });

  it('CSV neutralises formulas too, and names the unit in the file name', async () => {
    const response = await call('GET', `/v1/appraisals?year=2024&unit=${encodeURIComponent(unit)}&format=csv`, { token: keys.committee });
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent(`appraisals-2024-${unit}.csv`));
    const rows = parseCsv(await response.text());
    expect(rows[0]!.slice(0, 3)).toEqual(['学年', '名次', '教师编号']);
    expect(rows.slice(1).every((row) => row[0] === '2024-2025')).toBe(true);
    expect(rows.map((row) => row[3])).toEqual(expect.arrayContaining([`'${evil}`, "'@SUM(1+1)"]));
    expect(rows.some((row) => row.some((cell) => /^[=+@\t\r]/.test(cell)))).toBe(false);
  });

  it('the review-cycle ranking as .xlsx has the cycle, as-of date and year columns and a file name with them', async () => {
    const response = await call('GET', `/v1/review-cycles/${cycleId}/ranking?format=xlsx`, { token: keys.committee });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('review-cycle-2026-2026 春季评审.xlsx'));
    const sheet = (await load(await response.arrayBuffer())).worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 10)).toEqual(['评审批次', '评审基准日', '学年', '申报职称', '名次', '教师编号', '姓名', '部门', '评审得分']);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 4)).toEqual(['2026 春季评审', '2026-03-01', '2025-2026']);
    expect(sheet.getRow(2).getCell(7).value).toBe(`'${evil}`);
    expect(sheet.getRow(2).getCell(9).numFmt).toBe('0.00');
  });
});

describe('the streaming writer (exports) and the model writer (sheets with notes) write the same workbook', () => {
  it('values, header style, frozen pane, number format, column widths, lists, example and error rows', async () => {
    const { writeWorkbookModel, writeWorkbookStreaming } = await import('../src/sheets/xlsx.js');
    const sheet = {
      name: '考核',
      columns: [
        { header: '姓名', width: 18 },
        { header: '总分', numFmt: '0.00' },
        { header: '等次', list: ['优秀', '合格'] },
      ],
      rows: [
        ['示例', 1.5, '合格'],
        ['=HYPERLINK("x")', 65, '优秀'],
        ['李四', 25.25, null],
        ['王五', 0, '合格'],
      ],
      exampleRows: 1,
      errorRows: new Set([2]),
    };
    const [model, streamed] = await Promise.all([load(await writeWorkbookModel([sheet])), load(await writeWorkbookStreaming([sheet]))]);
    for (const workbook of [model, streamed]) {
      const out = workbook.getWorksheet('考核')!;
      expect(out.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(out.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(out.getRow(1).getCell(1).fill).toMatchObject({ pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } });
      expect(out.getColumn(1).width).toBe(18);
      expect(out.getRow(3).getCell(2).numFmt).toBe('0.00');
      expect(out.getRow(2).getCell(1).font?.italic).toBe(true);
      expect(out.getRow(4).getCell(1).fill).toMatchObject({ fgColor: { argb: 'FFFDE2E1' } });
      expect(out.getRow(3).getCell(1).value).toBe('\'=HYPERLINK("x")');
      expect(out.getCell('C5').dataValidation).toMatchObject({ type: 'list', formulae: ['"优秀,合格"'] });
    }
    for (let row = 1; row <= 5; row++) expect(values(streamed, '考核', row)).toEqual(values(model, '考核', row));
  });
});
