import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { Workbook } from '@cj-tech-master/excelts';
import { api, artifacts, baseUrl, horizontalOverflow, openPage, PHONE, screenshot, signIn, tokens, useBrowser } from './helpers.js';

const browser = useBrowser();
const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'policies', 'example-vocational-college.json'), 'utf8'));

async function post(path: string, token: string, body: unknown): Promise<void> {
  const response = await fetch(baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(201);
}

/**
 * A college's own 量化考核表 in the pages: under the example policy (docs/policies), a teacher's records of its own
 * kinds (论文, 教材) are named and their fields labelled as the policy declares them, the trace shows the policy's
 * items, limits and categories, and the appraisal table page prints its own category. Everything compared is what
 * the API answers.
 */
describe('the example college’s own kinds in the pages', () => {
  it('names its kinds, fields and categories, and shows the trace with its group-once, count limit and cap', async () => {
    const id = `TOK${Date.now() % 100000}`;
    // a unit of its own, so the demo units' figures other files compare stay as they are
    const unit = '示例学院（自定类型）';
    await post('/v1/teachers', tokens.hr, { id, name: '自定类型', unit, hireDate: '2015-09-01', stage: 'new_teacher', stageSince: '2015-09-01', title: 'lecturer', titleSince: '2015-09-01' });
    await post('/v1/policies', tokens.admin, { ...structuredClone(example), version: `example-${id}` });
    try {
      const base = { teacherId: id, status: 'verified' };
      const paper = (key: string, journalLevel: string, achievement: string) => ({ ...base, id: `${id}-${key}`, kind: 'paper', date: '2025-11-20', title: `论文${key}`, journal: '职业技术教育', journalLevel, achievement });
      for (const record of [
        { ...base, id: `${id}-E1`, kind: 'enterprise_practice', start: '2026-07-01', end: '2026-07-30', enterprise: '某智能制造企业' },
        paper('P1', 'core', 'A'),
        paper('P2', 'provincial', 'A'),
        paper('P3', 'core', 'B'),
        { ...base, id: `${id}-B1`, kind: 'textbook', date: '2026-03-01', title: '数控加工', level: 'national_planning', role: 'chief_editor' },
      ]) {
        await post('/v1/records', tokens.hr, record);
      }
      const appraisal = await api(`/v1/teachers/${id}/appraisals/2025`, tokens.hr);
      // 4 + 4 = 8 for papers, capped at 6; one textbook 5; practice 7.50
      expect(appraisal.total).toBe(18.5);

      const { context, page, problems } = await openPage(browser());
      await page.goto(`${baseUrl}/?teacher=${id}&asOf=2026-09-15`);
      await signIn(page, tokens.hr);
      const card = page.locator('article.year[data-year="2025"]');
      await card.waitFor();
      expect(await card.locator('.total').innerText()).toBe('18.50');
      const trace = card.locator('details.trace');
      await trace.locator('summary').click();
      const rows = trace.locator('table').first().locator('tbody tr');
      expect(await rows.count()).toBe(appraisal.items.length);
      for (const [index, item] of appraisal.items.entries()) {
        const cells = await rows.nth(index).locator('td').allInnerTexts();
        expect(cells[1]).toBe(item.ruleLabel);
        expect(cells[6]).toBe(item.points.toFixed(2));
      }
      const lines = await rows.allInnerTexts();
      expect(lines.some((line) => line.includes('北大核心/CSSCI'))).toBe(true);
      expect(lines.some((line) => line.includes('本项上限'))).toBe(true);
      // the categories as the policy names them, the added one too, and the total out of its caps (112)
      const categories = await trace.locator('table').nth(1).innerText();
      expect(categories).toContain('教育教学');
      expect(categories).toContain('科研成果');
      expect(await trace.locator('table').nth(1).locator('tbody tr').last().locator('td').last().innerText()).toBe('112');

      // the records are named by the policy's kinds, their fields and values by its labels
      await page.locator('#records-settled > summary').click();
      const paperItem = page.locator(`#records li[data-record-id="${id}-P1"]`);
      expect(await paperItem.locator('.record-head strong').innerText()).toBe('论文');
      const facts = await paperItem.innerText();
      expect(facts).toContain('期刊级别');
      expect(facts).toContain('北大核心/CSSCI');
      expect(await page.locator(`#records li[data-record-id="${id}-B1"] .record-head strong`).innerText()).toBe('教材');
      await screenshot(page, 'own-kinds-teacher');
      expect(problems).toEqual([]);

      // the appraisal table prints the added category with the policy's item
      await page.goto(`${baseUrl}/policy`);
      const research = page.locator('section[data-category="research"]');
      await research.waitFor();
      expect(await research.locator('h3').innerText()).toContain('科研成果');
      expect(await research.innerText()).toContain('论文');
      expect(problems).toEqual([]);
      await context.close();

      // at phone width the page does not scroll sideways, the long item labels of the trace included
      const phone = await openPage(browser(), PHONE);
      await phone.page.goto(`${baseUrl}/?teacher=${id}&asOf=2026-09-15`);
      await signIn(phone.page, tokens.hr);
      await phone.page.locator('article.year[data-year="2025"] details.trace summary').click();
      expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
      await screenshot(phone.page, 'own-kinds-teacher-phone');
      expect(phone.problems).toEqual([]);
      await phone.context.close();

      // the committee's workbook of the unit: a column per category of the policy, headed by its name, points as numbers
      const response = await fetch(`${baseUrl}/v1/appraisals?year=2025&unit=${encodeURIComponent(unit)}&format=xlsx`, { headers: { authorization: `Bearer ${tokens.committee}`, 'accept-language': 'zh' } });
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      writeFileSync(join(artifacts, 'own-kinds-appraisals.xlsx'), bytes); // to open as the committee would
      const workbook = new Workbook();
      await workbook.xlsx.load(bytes as never);
      const sheet = workbook.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const row = (sheet.getRow(2).values as unknown[]).slice(1);
      const cell = (heading: string) => row[header.indexOf(heading)];
      expect(header).toEqual(expect.arrayContaining(['教育教学', '科研成果']));
      expect(row).toContain(id);
      expect(cell('科研成果')).toBe(6);
      expect(cell('教育教学')).toBe(5);
      expect(row).toContain(18.5);
    } finally {
      // Back to the default's items; the example's kinds stay declared, since records of them are stored (kind-in-use).
      await post('/v1/policies', tokens.admin, { ...structuredClone(defaultPolicy), evidenceKinds: example.evidenceKinds, version: `default-after-${id}` });
    }
  });
});
