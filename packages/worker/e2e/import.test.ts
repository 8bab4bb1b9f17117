import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workbook } from '@cj-tech-master/excelts';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, baseUrl, horizontalOverflow, openPage, PHONE, screenshot, signIn, tokens, useBrowser } from './helpers.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures');

const browser = useBrowser();

async function workbookOf(download: Download): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
  return workbook;
}
async function bytesOf(workbook: Workbook): Promise<Buffer> {
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
const rowValues = (workbook: Workbook, sheet: string, row: number) => (workbook.getWorksheet(sheet)!.getRow(row).values as unknown[]).slice(1);
const count = (page: Page, entity: string, what: string) => page.locator(`#dry-run tr[data-entity="${entity}"] td[data-count="${what}"]`).innerText();

async function upload(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.locator('#file').setInputFiles({ name, mimeType, buffer });
  await page.locator('#dry-run, #import-errors, #import-failure').first().waitFor();
}

describe('HR import page (/import)', () => {
  it('refuses a non-HR token with a clear message', async () => {
    const { context, page, problems } = await openPage(browser(), PHONE);
    await page.goto(`${baseUrl}/import`);
    await signIn(page, tokens.committee);
    const refused = page.locator('[role=alert][data-error-kind=forbidden]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('人事处（hr）令牌');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('at phone width: the template filled in, an error by sheet, row and column, the error workbook, the fix, the dry run, the import', async () => {
    const { context, page, problems } = await openPage(browser(), PHONE);
    await page.goto(`${baseUrl}/import`);
    await signIn(page, tokens.hr);
    await page.locator('#file').waitFor();
    expect(await horizontalOverflow(page)).toBe(0);

    // the template, as the page downloads it
    const [templateDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#download-template').click()]);
    expect(templateDownload.suggestedFilename()).toBe('师资导入模板.xlsx');
    const workbook = await workbookOf(templateDownload);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(expect.arrayContaining(['教师', '技能竞赛', '说明']));

    // filled in as HR would: an Excel date cell, Chinese values, one impossible date; a competition record
    // copied from the template's own example row
    workbook.getWorksheet('教师')!.addRow(['E2E-X1', '张志强', '智能制造学院', '2023/2/30', '新教师', '2023/9/1', '助教', '2023/9/1']);
    workbook.getWorksheet('教师')!.addRow(['E2E-X2', '欧阳丽娜', '信息工程学院', new Date(Date.UTC(2019, 6, 15)), '骨干教师', '2022年9月1日', '讲师', '2021/6/30']);
    const header = rowValues(workbook, '技能竞赛', 1) as string[];
    const record = rowValues(workbook, '技能竞赛', 2);
    record[header.indexOf('记录编号')] = 'E2E-XR1';
    record[header.indexOf('工号')] = 'E2E-X2';
    workbook.getWorksheet('技能竞赛')!.addRow(record);

    await upload(page, '师资导入.xlsx', XLSX, await bytesOf(workbook));
    const errorRows = page.locator('#import-errors tbody tr');
    expect(await errorRows.count()).toBe(1);
    const cell = (col: string) => errorRows.first().locator(`td[data-col="${col}"]`).innerText();
    expect(await cell('sheet')).toBe('教师');
    expect(await cell('row')).toBe('3');
    expect(await cell('column')).toBe('入职日期');
    expect(await cell('value')).toBe('2023/2/30');
    expect(await cell('message')).toContain('「教师」第 3 行「入职日期」：2023/2/30 不是有效日期');
    expect(await page.locator('#import-errors [role=alert]').innerText()).toContain('HTTP 400');
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'import-phone-errors');

    // the error workbook: the uploaded rows with the message in its 错误 column
    const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#download-report').click()]);
    expect(reportDownload.suggestedFilename()).toBe('导入错误报告.xlsx');
    const back = await workbookOf(reportDownload);
    expect(rowValues(back, '教师', 1).at(-1)).toBe('错误');
    expect(String(rowValues(back, '教师', 3).at(-1))).toContain('2023/2/30 不是有效日期');

    // fixed and chosen again: the dry run reports, nothing is written yet
    workbook.getWorksheet('教师')!.getCell('D3').value = '2023/9/1';
    await upload(page, '师资导入.xlsx', XLSX, await bytesOf(workbook));
    expect(await count(page, 'teachers', 'created')).toBe('2');
    expect(await count(page, 'records', 'created')).toBe('1');
    expect(await count(page, 'records', 'replaced')).toBe('0');
    const notYet = await fetch(`${baseUrl}/v1/teachers/E2E-X1`, { headers: { authorization: `Bearer ${tokens.hr}` } });
    expect(notYet.status).toBe(404);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'import-phone-dry-run');

    await page.locator('#confirm-import').click();
    await page.locator('#import-done').waitFor();
    expect(await page.locator('#import-done').innerText()).toContain('教师 2 人，成果记录 1 条');
    expect(await api('/v1/teachers/E2E-X1', tokens.hr)).toMatchObject({ name: '张志强', hireDate: '2023-09-01', stage: 'new_teacher', title: 'assistant' });
    expect(await api('/v1/teachers/E2E-X2', tokens.hr)).toMatchObject({ name: '欧阳丽娜', hireDate: '2019-07-15', stageSince: '2022-09-01', titleSince: '2021-06-30' });
    const stored = await api('/v1/records/E2E-XR1', tokens.hr);
    expect(stored.record).toMatchObject({ id: 'E2E-XR1', teacherId: 'E2E-X2', kind: 'skill_competition' });
    expect(await horizontalOverflow(page)).toBe(0);
    // the refused upload's 400 is logged by the browser itself; nothing else may be
    expect(problems.filter((problem) => !/status of 400 \(Bad Request\)/.test(problem))).toEqual([]);
    await context.close();
  });

  it('imports a CSV that Excel saved as GBK with its Chinese intact; the same file again is unchanged', async () => {
    const { context, page, problems } = await openPage(browser(), PHONE);
    await page.goto(`${baseUrl}/import`);
    await signIn(page, tokens.hr);
    await page.locator('#file').waitFor();
    const teachersCsv = readFileSync(join(fixtures, 'teachers-gbk.csv'));
    expect(teachersCsv.includes(Buffer.from('张志强'))).toBe(false); // really GBK, not UTF-8

    await upload(page, '教师.csv', 'text/csv', teachersCsv);
    expect(await count(page, 'teachers', 'created')).toBe('2');
    await page.locator('#confirm-import').click();
    await page.locator('#import-done').waitFor();
    expect(await api('/v1/teachers/G002', tokens.hr)).toMatchObject({ name: '欧阳·丽娜', unit: '信息工程学院,软件系', hireDate: '2019-07-15', stage: 'backbone_teacher' });

    await upload(page, '成果.csv', 'text/csv', readFileSync(join(fixtures, 'records-gbk.csv')));
    expect(await count(page, 'records', 'created')).toBe('2');
    await page.locator('#confirm-import').click();
    await page.locator('#import-done').waitFor();
    expect((await api('/v1/records/GR2', tokens.hr)).record).toMatchObject({ kind: 'horizontal_project', amountYuan: 15000, partner: '深圳某数控企业', date: '2024-10-08' });

    // in English, the same teachers file again: nothing would change
    await page.locator('#lang-switch').click();
    await upload(page, 'teachers.csv', 'text/csv', teachersCsv);
    expect(await page.locator('#dry-run h2').innerText()).toBe('Dry run (nothing written yet)');
    expect(await count(page, 'teachers', 'unchanged')).toBe('2');
    expect(await count(page, 'teachers', 'created')).toBe('0');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('committee board: Download .xlsx', () => {
  it('downloads the listing as a workbook whose rows match the API, and HR sees the link to /import', async () => {
    const year = 2025;
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/committee?year=${year}`);
    await signIn(page, tokens.hr);
    await page.locator('#board tbody tr').first().waitFor();
    expect(await page.locator('#top nav a[href="/import"]').count()).toBe(1);
    const listing = await api(`/v1/appraisals?year=${year}`, tokens.hr);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-xlsx').click()]);
    expect(download.suggestedFilename()).toBe(`appraisals-${year}.xlsx`);
    const workbook = await workbookOf(download);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(header).toEqual(expect.arrayContaining(['学年', '名次', '教师编号', '姓名', '部门', '总分']));
    const at = (name: string) => header.indexOf(name) + 1;
    expect(sheet.actualRowCount - 1).toBe(listing.items.length);
    listing.items.forEach((item: any, i: number) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(at('学年')).value).toBe(listing.yearLabel);
      expect(row.getCell(at('教师编号')).value).toBe(item.teacherId);
      expect(row.getCell(at('姓名')).value).toBe(item.name);
      expect(row.getCell(at('总分')).value).toBe(item.total);
    });
    expect(problems).toEqual([]);
    await context.close();
  });
});
