import { defaultPolicy, grades } from '@shizi/core';
import { describe, expect, it } from 'vitest';
import { commonJs } from '../src/pages/common.client.js';
import { committeeJs } from '../src/pages/committee.client.js';
import { growthFileJs } from '../src/pages/growth-file.client.js';
import { importJs } from '../src/pages/import.client.js';
import { policyJs } from '../src/pages/policy.client.js';
import { reportsJs } from '../src/pages/reports.client.js';
import { reviewJs } from '../src/pages/review.client.js';
import { teacherJs } from '../src/pages/teacher.client.js';
import { uiText } from '../src/pages/ui-text.js';

/**
 * The pages compute no rule (issue 9 §6): their client code names no category or grade of a policy, works out no
 * academic year, window or year label, and their fixed texts carry none of the policy's numbers. What they show
 * of these comes from the API (tie-break categories and labels, grade labels, calendar years and labels, window
 * and rolling years, days). e2e/committee.test.ts checks in a browser that the board follows what the API sends.
 */
const pages: Record<string, string> = {
  common: commonJs,
  committee: committeeJs,
  'growth-file': growthFileJs,
  import: importJs,
  policy: policyJs,
  reports: reportsJs,
  review: reviewJs,
  teacher: teacherJs,
};
const pageNames = Object.keys(pages);

/** A page naming certificate levels itself: the API sends them named (tierLabel, ruleLabel, currentLabel / requiredLabel). */
const namesCertLevels = (js: string) => /\bL\(\s*['"]certLevels['"]/.test(js);
/** A page naming the 双师型 tiers itself (their list or their names): the API sends them named (the report's `tiers`). */
const namesDualTiers = (js: string) => /\bL\(\s*['"]dualTiers['"]/.test(js) || /['"](junior|intermediate|senior)['"]/.test(js);
/** A total shown out of 100 by the page: the policy's categories' caps need not add up to 100. */
const fixedMaximum = /['"]100['"]/;

describe('the pages compute no rule', () => {
  it.each(pageNames)('%s names no category of the policy', (name) => {
    for (const category of defaultPolicy.appraisal.categories) {
      expect(pages[name], category.id).not.toMatch(new RegExp(`['".]${category.id}\\b`));
    }
  });

  it.each(pageNames)('%s names no grade, and takes no grade label from the built-in tables', (name) => {
    for (const grade of grades) expect(pages[name], grade).not.toContain(`'${grade}'`);
    // a requirement leaf's current / required grade comes named by the API too (currentLabel / requiredLabel)
    expect(pages[name]).not.toContain("L('grades'");
  });

  it.each(pageNames)('%s names no certificate level itself (recognitions, trace lines)', (name) => {
    expect(namesCertLevels(pages[name]!)).toBe(false);
  });

  it.each(pageNames)('%s names no 双师型 tier itself (the reports’ tiers)', (name) => {
    expect(namesDualTiers(pages[name]!)).toBe(false);
  });

  it('can fail: the reports page listing and naming the three tiers itself is caught', () => {
    // the reports page's tier chart before the API sent the tiers named
    expect(namesDualTiers("const tiers = ['junior', 'intermediate', 'senior'];")).toBe(true);
    expect(namesDualTiers("tiers.map((tier) => ({ key: 'dual.' + tier, label: L('dualTiers', tier), figure: d.recognised[tier] }))")).toBe(true);
    expect(namesDualTiers("state.report.tiers.map(({ tier, label }) => ({ key: 'dual.' + tier, label, figure: d.recognised[tier] }))")).toBe(false);
  });

  it.each(pageNames)('%s shows no total out of a fixed maximum (the API’s totalCap)', (name) => {
    expect(pages[name]).not.toMatch(fixedMaximum);
  });

  it('can fail: the teacher page naming a recognition’s level and a trace line’s words from labels.js is caught', () => {
    // the teacher page's code before the API's labels were shown
    expect(namesCertLevels("h('td', {}, L('certLevels', r.tier)),")).toBe(true);
    expect(namesCertLevels("const word = (part) => (L('ruleWords', part) !== part ? L('ruleWords', part) : L('certTypes', part) !== part ? L('certTypes', part) : L('certLevels', part));")).toBe(true);
    expect(namesCertLevels("h('td', {}, r.tierLabel), h('td', {}, item.ruleLabel)")).toBe(false);
    // the totals row's maximum, before the API sent totalCap
    expect("h('td', { class: 'num' }, h('strong', {}, fmt(a.total, 2))), h('td', { class: 'num' }, '100')").toMatch(fixedMaximum);
  });

  it.each(pageNames)('%s works out no academic year, year list or year label', (name) => {
    const js = pages[name]!;
    expect(js).not.toMatch(/academicYear\s*[-+]\s*\d/); // a year list or "last year" counted back by the page
    expect(js).not.toMatch(/\[0, 1, 2/); // years counted back by the page
    expect(js).not.toMatch(/-09-|'09'|getMonth\(\)\s*[<>=]/); // the year start
    if (name !== 'common') expect(js).not.toMatch(/\byearLabel\(/);
    // the one date a page works out is today's (asOfDate), from the clock, not from a rule
    expect((js.match(/getMonth\(\)/g) ?? []).length).toBe(name === 'common' ? 1 : 0);
  });

  it('the fixed texts carry none of the policy’s numbers (window years, rolling years and days, warning days)', () => {
    const numbers = [defaultPolicy.titleReview.windowYears, defaultPolicy.practice.rolling.years, defaultPolicy.practice.rolling.requiredDays, defaultPolicy.practice.requiredDays, defaultPolicy.dualQualified!.expiryWarningDays];
    const words = ['三', '五', 'three', 'five', 'six months', '个月'];
    for (const [key, text] of Object.entries(uiText)) {
      for (const value of [text.zh, text.en]) {
        for (const n of numbers) expect(value, key).not.toMatch(new RegExp(`(^|[^0-9{.])${n}([^0-9}]|$)`));
        for (const word of words) expect(value, key).not.toContain(word);
      }
    }
  });

  it('can fail: a page that hard-codes a category, a grade, a year list or a window is caught', () => {
    const planted = "cell: (r) => r.categories.tech_transfer.capped; L('grades', 'excellent'); [0, 1, 2].map((b) => state.calendar.academicYear - 1)";
    expect(planted).toMatch(/['".]tech_transfer\b/);
    expect(planted).toContain("'excellent'");
    expect(planted).toMatch(/academicYear\s*[-+]\s*\d/);
    expect('最近三个完整学年').toContain('三');
  });
});
