import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { api, horizontalOverflow, baseUrl, openPage, PHONE, screenshot, signIn, tokens, useBrowser } from './helpers.js';

/** The reports dashboard (/reports): the API's report as figures and SVG charts, every figure opening its teachers. */
const AS_OF = '2026-08-10';
const YEAR = 2024; // the latest academic year completed on AS_OF (2024-2025)
const GRADES = ['excellent', 'competent', 'basic', 'incompetent'];
const docsScreens = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'screenshots');

const browser = useBrowser();

const shownTeachers = (page: import('playwright-core').Page) => page.locator('#figure-teachers li[data-teacher]').evaluateAll((items) => items.map((li) => li.getAttribute('data-teacher')));

describe('reports dashboard (/reports)', () => {
  it('HR sees the college: figures, grade bars, unit bars and trend as the API reports them; a figure lists its teachers, linking to their files', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/reports?asOf=${AS_OF}`);
    await signIn(page, tokens.hr);
    await page.locator('#chart-trend svg').waitFor();
    const report = await api(`/v1/reports?year=${YEAR}&years=5`, tokens.hr);
    expect(report.unit).toBeNull();
    expect(await page.locator('#report-year').inputValue()).toBe(String(YEAR));

    // charts: one bar per grade, one per unit, one trend point per year with a rate
    for (const grade of GRADES) expect(await page.locator(`#chart-grades a[data-figure="grades.${grade}"]`).getAttribute('data-count')).toBe(String(report.college.grades[grade].count));
    expect(await page.locator('#chart-units a.figure-link').count()).toBe(report.units.length);
    expect(await page.locator('#chart-units a.figure-link text').allTextContents()).toEqual(
      report.units.flatMap((u: any) => [u.unit, `${(u.figures.practice.rate.hundredthsOfPercent / 100).toFixed(2)}% (${u.figures.practice.rate.numerator}/${u.figures.practice.rate.denominator})`]),
    );
    expect(await page.locator('#chart-trend circle.trend-point').count()).toBe(report.trend.filter((y: any) => y.practice.rate.hundredthsOfPercent !== null).length);
    expect(await page.locator('#chart-trend polyline.trend-line').count()).toBe(1);

    // a grade bar: exactly the API's teachers, by name, each linking to the growth file
    const grade = GRADES.find((g) => report.college.grades[g].count > 0)!;
    await page.locator(`#chart-grades a[data-figure="grades.${grade}"]`).click();
    expect(await shownTeachers(page)).toEqual(report.college.grades[grade].teacherIds);
    const first = report.college.grades[grade].teacherIds[0];
    const link = page.locator(`#figure-teachers li[data-teacher="${first}"] a.teacher-link`);
    expect(await link.innerText()).toBe(report.teachers[first].name);
    expect(await link.getAttribute('href')).toBe(`/growth-file?teacher=${first}`);
    // a unit bar and a trend point too
    const unit = report.units[0];
    await page.locator(`#chart-units a[data-figure="unit:${unit.unit}.practice.compliant"]`).click();
    expect(await shownTeachers(page)).toEqual(unit.figures.practice.compliant.teacherIds);
    const earliest = report.trend.find((y: any) => y.practice.rate.hundredthsOfPercent !== null);
    await page.locator(`#chart-trend a[data-figure="trend:${earliest.year}.practice.compliant"]`).click();
    expect(await shownTeachers(page)).toEqual(earliest.practice.compliant.teacherIds);
    // the summary tiles
    await page.locator('#report-figures a[data-figure="practice.noncompliant"]').click();
    expect(await shownTeachers(page)).toEqual(report.college.practice.noncompliant.teacherIds);
    // the 双师型 ratio: the tile as the API judges it, a bar per tier (and all), each listing its teachers
    const dual = report.college.dualQualified;
    expect(await page.locator('#dual-ratio a.figure-link').innerText()).toBe(`${(dual.rate.hundredthsOfPercent / 100).toFixed(2)}% (${dual.rate.numerator}/${dual.rate.denominator})`);
    expect(await page.locator('#dual-ratio [data-meets]').getAttribute('data-meets')).toBe(String(dual.meetsTarget));
    for (const tier of ['junior', 'intermediate', 'senior', 'any']) expect(await page.locator(`#chart-dual a[data-figure="dual.${tier}"]`).getAttribute('data-count')).toBe(String(dual.recognised[tier].count));
    const tier = ['senior', 'intermediate', 'junior'].find((x) => dual.recognised[x].count > 0)!;
    await page.locator(`#chart-dual a[data-figure="dual.${tier}"]`).click();
    expect(await shownTeachers(page)).toEqual(dual.recognised[tier].teacherIds);
    expect(await page.locator('#chart-dual line.target').count()).toBe(1);
    // the 双师型 ratio per unit: one bar per unit with the API's rate, the target line, short units marked; a bar lists the unit's recognised teachers
    const targetText = `${dual.target.comparison === 'above' ? '>' : '≥'} ${(dual.target.hundredthsOfPercent / 100).toFixed(2)}%`;
    const rateText = (rate: any) => `${rate.hundredthsOfPercent === null ? '—' : `${(rate.hundredthsOfPercent / 100).toFixed(2)}%`} (${rate.numerator}/${rate.denominator})`;
    expect(await page.locator('#chart-dual-units a.figure-link').count()).toBe(report.units.length);
    expect(await page.locator('#chart-dual-units a.figure-link text').allTextContents()).toEqual(report.units.flatMap((u: any) => [u.unit, rateText(u.figures.dualQualified.rate)]));
    for (const u of report.units) {
      const bar = page.locator(`#chart-dual-units a[data-figure="unit:${u.unit}.dual.any"]`);
      expect(await bar.getAttribute('data-count')).toBe(String(u.figures.dualQualified.recognised.any.count));
      expect(await bar.locator('rect.fill').getAttribute('class')).toBe(u.figures.dualQualified.meetsTarget === false ? 'fill bad' : 'fill');
    }
    expect(await page.locator('#chart-dual-units line.target').count()).toBe(1);
    expect(await page.locator('#chart-dual-units text.tick').textContent()).toContain(targetText);
    const dualUnit = report.units.find((u: any) => u.figures.dualQualified.recognised.any.count > 0);
    await page.locator(`#chart-dual-units a[data-figure="unit:${dualUnit.unit}.dual.any"]`).click();
    expect(await shownTeachers(page)).toEqual(dualUnit.figures.dualQualified.recognised.any.teacherIds);
    const dualFirst = dualUnit.figures.dualQualified.recognised.any.teacherIds[0];
    expect(await page.locator(`#figure-teachers li[data-teacher="${dualFirst}"] a.teacher-link`).getAttribute('href')).toBe(`/growth-file?teacher=${dualFirst}`);
    // the 双师型 trend: one point per year with a ratio, the line, the target line; a point lists that year's recognised teachers
    const dualYears = report.trend.filter((y: any) => y.dualQualified.rate.hundredthsOfPercent !== null);
    expect(await page.locator('#chart-dual-trend circle.trend-point').count()).toBe(dualYears.length);
    expect(await page.locator('#chart-dual-trend polyline.trend-line').count()).toBe(dualYears.length > 1 ? 1 : 0);
    // each year against its own target, as the API sends it with that year (a step of the target line per year), and its own verdict
    expect(await page.locator('#chart-dual-trend line.target').count()).toBe(report.trend.length);
    for (const y of report.trend) {
      const step = page.locator(`#chart-dual-trend line.target[data-year="${y.year}"]`);
      expect(await step.getAttribute('data-target')).toBe(String(y.dualQualified.target.hundredthsOfPercent));
      expect(await step.getAttribute('data-comparison')).toBe(y.dualQualified.target.comparison);
    }
    for (const y of dualYears) {
      expect(await page.locator(`#chart-dual-trend a[data-figure="trend:${y.year}.dual.any"] text`).textContent()).toBe(rateText(y.dualQualified.rate).split(' ')[0]);
      expect(await page.locator(`#chart-dual-trend a[data-figure="trend:${y.year}.dual.any"] circle`).getAttribute('class')).toBe(y.dualQualified.meetsTarget === false ? 'trend-point bad' : 'trend-point');
    }
    const dualYear = dualYears[0];
    await page.locator(`#chart-dual-trend a[data-figure="trend:${dualYear.year}.dual.any"]`).click();
    expect(await shownTeachers(page)).toEqual(dualYear.dualQualified.recognised.any.teacherIds);
    // the tier bars are named as the API names the tiers
    for (const { tier: t, label } of report.tiers) expect(await page.locator(`#chart-dual a[data-figure="dual.${t}"] text`).first().textContent()).toBe(label);
    // the teachers short of days: the binding rule's list, headed by that rule; apart, for reference, the other rule's
    expect(await page.locator('#report-at-risk tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-teacher')))).toEqual(report.college.atRisk.map((r: any) => r.teacherId));
    expect(await page.locator('#report-at-risk h2').textContent()).toContain(report.college.atRiskRule.label);
    if (report.college.referenceRule) {
      expect(await page.locator('#report-reference-short h2').textContent()).toContain(report.college.referenceRule.label);
      expect(await page.locator('#report-reference-short tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-teacher')))).toEqual(report.college.referenceShort.map((r: any) => r.teacherId));
    } else expect(await page.locator('#report-reference-short').count()).toBe(0);
    await page.locator(`#chart-grades a[data-figure="grades.${grade}"]`).click();
    mkdirSync(docsScreens, { recursive: true });
    copyFileSync(await screenshot(page, 'reports-desktop'), join(docsScreens, 'reports-desktop.png'));

    // a language switch asks the API again: the tiers and the rules in English
    const askedInEnglish = page.waitForRequest((request) => request.url().includes('/v1/reports?') && request.headers()['accept-language'] === 'en');
    await page.locator('#lang-switch').click();
    await askedInEnglish;
    const english = await api(`/v1/reports?year=${YEAR}&years=5`, tokens.hr, 'en');
    await page.locator('#report-at-risk h2').filter({ hasText: english.college.atRiskRule.label }).waitFor();
    expect(await page.locator(`#chart-dual a[data-figure="dual.junior"] text`).first().textContent()).toBe(english.tiers[0].label);
    await page.locator('#lang-switch').click();
    await page.locator('#report-at-risk h2').filter({ hasText: report.college.atRiskRule.label }).waitFor();

    // following a teacher's name opens their growth file
    await link.click();
    await page.locator('#file-records').waitFor();
    expect(await page.locator('#file-cover .file-name').innerText()).toContain(report.teachers[first].name);

    // picking a unit shows that unit's report
    await page.goBack();
    await page.locator('#report-unit').waitFor();
    await page.locator('#report-unit').selectOption(unit.unit);
    await page.locator('#report-controls h2').filter({ hasText: unit.unit }).waitFor();
    expect(await page.locator('#report-figures a[data-figure="teachers"]').getAttribute('data-count')).toBe(String(unit.figures.teachers.count));
    await page.setViewportSize(PHONE);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'reports-phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a unit reviewer sees only its unit; the nav leads there; a teacher token is refused', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/review`);
    await signIn(page, tokens.unit_reviewer);
    const nav = page.locator('header nav a[href="/reports"]');
    await nav.waitFor();
    await nav.click();
    await page.locator('#chart-units svg').waitFor();
    // the nav opens today's report (no asOf in the address): compare with the API's answer for the year the page shows
    const shownYear = await page.locator('#report-year').inputValue();
    const report = await api(`/v1/reports?year=${shownYear}&years=5`, tokens.unit_reviewer);
    expect(report.unit).toBe(tokens.reviewerUnit);
    expect(await page.locator('#report-unit option').allInnerTexts()).toEqual([tokens.reviewerUnit]);
    expect(await page.locator('#chart-units a.figure-link').count()).toBe(1);
    await page.locator('#report-figures a[data-figure="teachers"]').click();
    const ids = await shownTeachers(page);
    expect(ids).toEqual(report.college.teachers.teacherIds);
    const units = await page.locator('#figure-teachers li span.muted').allInnerTexts();
    for (const text of units) expect(text).toContain(tokens.reviewerUnit);
    expect(problems).toEqual([]);
    await page.locator('#sign-out').click();
    await signIn(page, tokens.teacher);
    await page.locator('[role=alert][data-error-kind=forbidden]').waitFor();
    await context.close();
  });
});
