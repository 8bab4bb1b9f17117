import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readPdf } from './pdf-text.js';
import { api, artifacts, baseUrl, horizontalOverflow, openPage, PHONE, screenshot, signIn, tokens, useBrowser } from './helpers.js';

/**
 * The growth file (/growth-file): the page shows the API's file; printed by Chromium to an A4 PDF, it has one
 * section per page at least and as many pages as its sections' printed heights need, its Chinese text is set in
 * an embedded Noto CJK font, and nothing is wider than the page's content box.
 */
const AS_OF = '2026-08-10';
// A4 with the stylesheet's @page margins (14 mm top and bottom, 12 mm left and right), in CSS px (96 per inch).
const MM = 96 / 25.4;
const CONTENT_WIDTH = Math.floor((210 - 24) * MM);
const CONTENT_HEIGHT = (297 - 28) * MM;
const SECTIONS = ['file-cover', 'file-stages', 'file-growth', 'file-practice', 'file-appraisals', 'file-dual', 'file-records'];
const TITLES = ['成长档案', '成长阶段历程', '成长路径：晋升下一阶段尚缺条件', '企业实践（按学年）', '年度考核与计算依据', '双师型认定', '成果与材料（按学年）'];

const browser = useBrowser();

async function openFile(teacherId: string, token = tokens.hr) {
  const opened = await openPage(browser());
  await opened.page.goto(`${baseUrl}/growth-file?teacher=${encodeURIComponent(teacherId)}&asOf=${AS_OF}`);
  await signIn(opened.page, token);
  await opened.page.locator('#file-records').waitFor();
  return opened;
}

/** In print emulation at the page's content width: each section's height, and the widest element's right edge. */
async function printLayout(page: Page) {
  await page.setViewportSize({ width: CONTENT_WIDTH, height: Math.round(CONTENT_HEIGHT) });
  await page.emulateMedia({ media: 'print' });
  return page.evaluate((ids) => {
    const rights = [...document.querySelectorAll('body *')]
      .filter((el) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === 'fixed')
      .map((el) => ({ right: el.getBoundingClientRect().right, what: el.tagName + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className : '') }));
    const widest = rights.reduce((a, b) => (b.right > a.right ? b : a), { right: 0, what: '' });
    return {
      heights: ids.map((id) => document.getElementById(id)!.getBoundingClientRect().height),
      widest,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    };
  }, SECTIONS);
}

describe('growth file (/growth-file)', () => {
  it('a teacher opens their own file: every section, with the API’s years, stages and records', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/growth-file?asOf=${AS_OF}`);
    await signIn(page, tokens.teacher);
    await page.locator('#file-records').waitFor();
    const file = await api(`/v1/teachers/${tokens.teacherId}/growth-file?asOf=${AS_OF}`, tokens.teacher);
    for (const id of SECTIONS) expect(await page.locator(`#${id}`).count(), id).toBe(1);
    expect(await page.locator('#file-cover').innerText()).toContain(file.teacher.name);
    expect(await page.locator('#practice-years tbody tr').count()).toBe(file.years.length);
    expect(await page.locator('#practice-years tbody tr td:nth-child(2)').allInnerTexts()).toEqual(file.years.map((y: any) => String(y.practice.countedDays)));
    expect(await page.locator('#stage-history tbody tr').count()).toBe(file.stageHistory.length);
    const records = file.years.flatMap((y: any) => y.records.map((r: any) => r.record.id));
    expect(await page.locator('#file-records tr[data-record]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-record')))).toEqual(records);
    const appraised = file.years.filter((y: any) => y.appraisal);
    expect(await page.locator('#file-appraisals .file-total').allInnerTexts()).toEqual(appraised.map((y: any) => y.appraisal.total.toFixed(2)));
    expect(await page.locator('#file-dual-tier').innerText()).toContain(file.dualQualified.recognisedTierLabel);
    // each 双师型 tier: its requirement lines met / not met and every gap, as on the teacher's page
    for (const tier of file.dualQualified.tiers) {
      const block = page.locator(`#file-dual .file-tier[data-tier="${tier.tier}"]`);
      const tierLines = tier.requirements.type === 'all_of' ? tier.requirements.children : [tier.requirements];
      for (const line of tierLines) expect(await block.locator(`ul.reqs > li[data-requirement="${line.id}"]`).getAttribute('data-met')).toBe(String(line.met));
      expect(await block.locator('.gap').allInnerTexts()).toEqual(tier.gaps.map((gap: any) => gap.zh));
    }
    // the growth-path gaps: the next stage, the API's verdict, its requirement lines met / not met, every gap text
    const growth = file.growthPath;
    expect(growth.nextStage).not.toBeNull();
    expect(await page.locator('#file-next-stage').innerText()).toBe(growth.nextStageLabel);
    expect(await page.locator('#file-eligibility').innerText()).toContain(growth.eligible ? '✓' : '✗');
    const lines = growth.requirements.type === 'all_of' ? growth.requirements.children : [growth.requirements];
    expect(await page.locator('#file-checklist > li').count()).toBe(lines.length);
    for (const line of lines) expect(await page.locator(`#file-checklist > li[data-requirement="${line.id}"]`).getAttribute('data-met')).toBe(String(line.met));
    expect(growth.gaps.length).toBeGreaterThan(0);
    expect(await page.locator('#file-checklist .gap').allInnerTexts()).toEqual(growth.gaps.map((gap: any) => gap.zh));
    // the same gaps as the teacher's progress answer
    const progress = await api(`/v1/teachers/${tokens.teacherId}/progress?asOf=${AS_OF}`, tokens.teacher);
    expect(growth.gaps.map((gap: any) => gap.zh)).toEqual(progress.gaps.map((gap: any) => gap.zh));
    expect(await horizontalOverflow(page)).toBe(0);
    await page.setViewportSize(PHONE);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('prints to A4: pages as the sections need (more for a longer file), Chinese in an embedded Noto CJK font, nothing past the page', async () => {
    const listing = await api('/v1/teachers?limit=200', tokens.hr);
    const byHire = [...listing.items].sort((a: any, b: any) => (a.hireDate < b.hireDate ? -1 : a.hireDate > b.hireDate ? 1 : 0));
    const long = byHire[0];
    const short = byHire[byHire.length - 1];
    const pages: Record<string, number> = {};
    const sizes: Record<string, number> = {};
    for (const teacher of [long, short]) {
      const file = await api(`/v1/teachers/${teacher.id}/growth-file?asOf=${AS_OF}`, tokens.hr);
      const { context, page, problems } = await openFile(teacher.id);
      const text = await page.locator('main').innerText();
      for (const phrase of ['成长档案', '成长阶段历程', '成长路径：晋升下一阶段尚缺条件', '企业实践（按学年）', '年度考核与计算依据', '双师型认定', '成果与材料（按学年）', teacher.name, teacher.unit]) expect(text, phrase).toContain(phrase);
      const layout = await printLayout(page);
      await screenshot(page, `growth-file-print-${teacher.id}`);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
      expect(layout.widest.right, layout.widest.what).toBeLessThanOrEqual(CONTENT_WIDTH + 0.5);
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      writeFileSync(join(artifacts, `growth-file-${teacher.id}.pdf`), pdf);
      const printed = readPdf(pdf);
      const count = printed.pages;
      // Each section starts a page and needs at least its printed height in pages; page breaks inside a
      // section (rows kept whole, headers repeated) add at most one page per section.
      const needed = layout.heights.reduce((sum, height) => sum + Math.max(1, Math.ceil(height / CONTENT_HEIGHT)), 0);
      expect(count).toBeGreaterThanOrEqual(needed);
      expect(count).toBeLessThanOrEqual(needed + SECTIONS.length);
      // The sections begin pages, in order, the first on page 1: the page breaks fall between sections.
      const starts = TITLES.map((title) => printed.texts.findIndex((text) => text.startsWith(title)));
      expect(starts[0]).toBe(0);
      for (let i = 1; i < starts.length; i++) expect(starts[i], TITLES[i]).toBeGreaterThan(starts[i - 1]!);
      // A practice table longer than a page repeats its header on the next page.
      const practiceHeader = '学年已认定待审核要求状况滚动累计';
      const at = SECTIONS.indexOf('file-practice');
      expect(printed.texts[starts[at]!]!.startsWith(TITLES[at]! + practiceHeader)).toBe(true);
      for (let p = starts[at]! + 1; p < starts[at + 1]!; p++) expect(printed.texts[p]!.startsWith(practiceHeader), `page ${p + 1}`).toBe(true);
      if (layout.heights[at]! > CONTENT_HEIGHT) expect(starts[at + 1]! - starts[at]!).toBeGreaterThan(1);
      // The Chinese text is in the PDF, in an embedded Noto CJK font: the name, unit and every academic year.
      const all = printed.texts.join('');
      for (const phrase of [teacher.name, teacher.unit, ...file.years.map((y: any) => y.yearLabel), ...file.stageHistory.map((p: any) => p.stageLabel)]) expect(all, phrase).toContain(phrase);
      expect(
        printed.fonts.some((name) => /^NotoSansCJK/i.test(name)),
        printed.fonts.join(', '),
      ).toBe(true);
      pages[teacher.id] = count;
      sizes[teacher.id] = file.years.length;
      expect(problems).toEqual([]);
      await context.close();
    }
    expect(sizes[long.id]).toBeGreaterThan(sizes[short.id]!);
    expect(pages[long.id]).toBeGreaterThan(pages[short.id]!);
  });

  it('is linked from the committee board (a teacher’s name) and the teacher’s page; English on the switch', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/committee?year=2025`);
    await signIn(page, tokens.committee);
    const link = page.locator('#board tbody tr').first().locator('a.file-link');
    await link.waitFor();
    const teacherId = await page.locator('#board tbody tr').first().getAttribute('data-teacher');
    expect(await link.getAttribute('href')).toBe(`/growth-file?teacher=${teacherId}`);
    await link.click();
    await page.locator('#file-records').waitFor();
    const file = await api(`/v1/teachers/${teacherId}/growth-file`, tokens.committee);
    expect(await page.locator('#file-cover .file-name').innerText()).toContain(file.teacher.name);
    await page.locator('#lang-switch').click();
    await page.locator('#file-stages-title').filter({ hasText: 'Stage history' }).waitFor();
    expect(await page.locator('#file-practice-title').innerText()).toBe('Enterprise practice by academic year');
    const en = await api(`/v1/teachers/${teacherId}/growth-file`, tokens.committee, 'en');
    expect(await page.locator('#stage-history tbody td:nth-child(3)').allInnerTexts()).toEqual(en.stageHistory.map((p: any) => p.howLabel));
    // the teacher's own page links to its file
    const own = await openPage(browser());
    await own.page.goto(`${baseUrl}/?asOf=${AS_OF}`);
    await signIn(own.page, tokens.teacher);
    await own.page.locator('#growth-file-link').waitFor();
    expect(await own.page.locator('#growth-file-link').getAttribute('href')).toBe(`/growth-file?teacher=${encodeURIComponent(tokens.teacherId)}&asOf=${AS_OF}`);
    expect(problems).toEqual([]);
    expect(own.problems).toEqual([]);
    await own.context.close();
    await context.close();
  });

  it('a unit reviewer opens files of its unit; another unit’s teacher is not found', async () => {
    const listing = await api('/v1/teachers?limit=200', tokens.hr);
    const other = listing.items.find((item: any) => item.unit !== tokens.reviewerUnit);
    const mine = listing.items.find((item: any) => item.unit === tokens.reviewerUnit);
    const { context, page } = await openFile(mine.id, tokens.unit_reviewer);
    expect(await page.locator('#file-cover').innerText()).toContain(mine.name);
    await page.goto(`${baseUrl}/growth-file?teacher=${encodeURIComponent(other.id)}`);
    const alert = page.locator('[role=alert][data-error-kind=notfound]');
    await alert.waitFor();
    expect(await page.locator('#file-cover').count()).toBe(0);
    await screenshot(page, 'growth-file-other-unit');
    await context.close();
  });
});
