import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { xlsxSheets } from '../src/sheets/xlsx.js';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
const unit = uid('报表学院');
const [full, short, none, newcomer] = [uid('tA'), uid('tB'), uid('tC'), uid('tD')];

const practice = (teacherId: string, start: string, end: string) => ({ id: uid('r'), teacherId, kind: 'enterprise_practice', status: 'verified', start, end, enterprise: '格力电器' });

beforeAll(async () => {
  keys = await setupKeys();
  for (const id of [full, short, none]) expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit, hireDate: '2020-09-01' }) })).status).toBe(201);
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(newcomer, { unit, hireDate: '2025-09-01', stageSince: '2025-09-01', titleSince: '2025-09-01' }) })).status).toBe(201);
  // 2025-2026: A 30 days (the default policy asks 30 a year), B 10 days, C none, D 30 days in their hire year
  expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(full, '2025-10-01', '2025-10-30') })).status).toBe(201);
  expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(short, '2025-10-01', '2025-10-10') })).status).toBe(201);
  expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(newcomer, '2025-10-01', '2025-10-30') })).status).toBe(201);
  // 2024-2025: only A, 30 days
  expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(full, '2024-10-01', '2024-10-30') })).status).toBe(201);
});

describe('GET /v1/reports', () => {
  it('counts practice compliance, days still needed and grades of a unit, with the teachers behind each figure', async () => {
    const response = await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(unit)}&years=2`, { token: keys.committee });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    const figures = body.college;
    expect(figures.teachers).toEqual({ count: 4, teacherIds: [full, short, none, newcomer].sort() });
    expect(figures.practice.compliant.teacherIds).toEqual([full, newcomer].sort());
    expect(figures.practice.noncompliant.teacherIds).toEqual([short, none].sort());
    // 2 of 4 compliant: 50.00 %
    expect(figures.practice.rate).toEqual({ numerator: 2, denominator: 4, hundredthsOfPercent: 5000 });
    // the list under the binding rule (annual, the default): C and B, the noncompliant ones, each short of the year's days
    const annual = (countedDays: number) => ({ rule: 'annual', label: '年度要求', countedDays, requiredDays: 30, daysNeeded: 30 - countedDays });
    expect(figures.atRisk).toEqual([
      { teacherId: none, name: `教师${none}`, unit, daysNeeded: 30, short: [annual(0)] },
      { teacherId: short, name: `教师${short}`, unit, daysNeeded: 20, short: [annual(10)] },
    ]);
    expect(figures.atRiskRule).toEqual({ binding: 'annual', label: '按年度要求' });
    // the 双师型 tiers, lowest first, named in the asked language (the page shows these names)
    expect(body.tiers).toEqual([
      { tier: 'junior', label: '初级双师型' },
      { tier: 'intermediate', label: '中级双师型' },
      { tier: 'senior', label: '高级双师型' },
    ]);
    // A meets the year but not 180 days over 2021-2025 (five years after the 2020 hire): 180 - 60 = 120 short. A is
    // compliant, so not in the list: only in the separate reference list of the rule that does not bind
    expect(figures.referenceRule).toEqual({ rule: 'rolling', label: '近 5 学年累计要求' });
    // D, hired in 2025, has one year of the window: ⌈180 × 1 / 5⌉ = 36 days, 30 counted, 6 short
    const rolling = (countedDays: number, requiredDays: number) => ({ rule: 'rolling', label: '近 5 学年累计要求', countedDays, requiredDays, daysNeeded: requiredDays - countedDays });
    expect(figures.referenceShort).toEqual([
      { teacherId: full, name: `教师${full}`, unit, daysNeeded: 120, short: [rolling(60, 180)] },
      { teacherId: newcomer, name: `教师${newcomer}`, unit, daysNeeded: 6, short: [rolling(30, 36)] },
    ]);
    expect(body.trend.map((year: { atRiskRule: unknown }) => year.atRiskRule)).toEqual([figures.atRiskRule, figures.atRiskRule]);
    // grades: the same final grades the appraisal listing gives, every teacher in exactly one
    const listing = await jsonOf(await call('GET', `/v1/appraisals?year=2025&unit=${encodeURIComponent(unit)}`, { token: keys.committee }));
    const expected: Record<string, string[]> = { excellent: [], competent: [], basic: [], incompetent: [] };
    for (const item of listing.items) expected[item.finalGrade ?? item.grade]!.push(item.teacherId);
    for (const [grade, ids] of Object.entries(expected)) expect(body.college.grades[grade].teacherIds).toEqual(ids.sort());
    // practice short of the yearly days caps the grade (a veto): B and C are not excellent
    expect(body.college.grades.excellent.teacherIds).not.toContain(short);
    expect(body.units).toEqual([{ unit, figures }]);
    // every teacher a figure names, with name and unit: the four of the unit, no one else
    expect(body.teachers).toEqual(Object.fromEntries([full, short, none, newcomer].sort().map((id) => [id, { name: `教师${id}`, unit }])));
  });

  it('a unit reviewer sees its own unit only: by default, or named; another unit is not found', async () => {
    const reviewer = (await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units: [unit], label: 'reports' } }))).token as string;
    const own = await call('GET', '/v1/reports?year=2025&years=1', { token: reviewer });
    expect(own.status).toBe(200);
    const body = await jsonOf(own);
    expect(body.unit).toBe(unit);
    expect(body.college.teachers.teacherIds).toEqual([full, short, none, newcomer].sort());
    expect(body.units.map((entry: { unit: string }) => entry.unit)).toEqual([unit]);
    expect((await call('GET', `/v1/reports?year=2025&years=1&unit=${encodeURIComponent(unit)}`, { token: reviewer })).status).toBe(200);
    expect((await call('GET', `/v1/reports?year=2025&years=1&unit=${encodeURIComponent('智能制造学院')}`, { token: reviewer })).status).toBe(404);
    const twoUnits = (await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units: [unit, '智能制造学院'], label: 'reports' } }))).token as string;
    const unnamed = await call('GET', '/v1/reports?year=2025&years=1', { token: twoUnits });
    expect(unnamed.status).toBe(400);
    expect((await jsonOf(unnamed)).errors).toEqual([{ path: 'query.unit', message: expect.stringContaining(unit) }]);
  });

  it('trends over earlier years leave out teachers hired later', async () => {
    const body = await jsonOf(await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(unit)}&years=2`, { token: keys.hr }));
    expect(body.trend.map((year: { year: number }) => year.year)).toEqual([2024, 2025]);
    const earlier = body.trend[0];
    expect(earlier.teachers.teacherIds).toEqual([full, short, none].sort());
    expect(earlier.practice.rate).toEqual({ numerator: 1, denominator: 3, hundredthsOfPercent: 3333 });
    expect(body.trend[1]).toEqual(body.college);
  });

  it('serves CSV and xlsx with the year and unit in the file name', async () => {
    const csv = await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(unit)}&years=2&format=csv`, { token: keys.hr });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('report-2025-');
    const text = await csv.text();
    expect(text).toContain('达标率 %');
    expect(text).toContain('2025-2026');
    const xlsx = await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(unit)}&format=xlsx`, { token: keys.hr });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(xlsx.headers.get('content-disposition')).toContain('.xlsx');
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // a zip
    // the teachers short under the binding rule, and apart from them, for reference, those short on the other rule
    const sheets = await xlsxSheets(bytes, 'zh');
    const named = (prefix: string) => sheets.find((sheet) => sheet.name.startsWith(prefix))!;
    const risk = named('企业实践不足').rows;
    // titled by the binding rule, as the page heads the list (the JSON answer's atRiskRule), the header below it
    expect(risk[0]).toEqual(['2025-2026 学年企业实践天数不足的教师（按年度要求）']);
    expect(risk[1]!.slice(0, 2)).toEqual(['学年', '教师编号']);
    expect(named('企业实践参考').rows[0]).toEqual(['2025-2026 学年按年度要求达标、但近 5 学年累计要求不足的教师（仅供参考）']);
    const column = (rows: unknown[][], header: string) => rows.slice(rows.findIndex((row) => row.includes('教师编号')) + 1).map((row) => row[rows.find((r) => r.includes('教师编号'))!.indexOf(header)]);
    expect(column(risk, '教师编号')).toEqual([none, short]);
    expect(column(risk, '不足的要求')).toEqual(['年度要求', '年度要求']);
    expect(column(risk, '尚需天数')).toEqual([30, 20]);
    const reference = named('企业实践参考').rows;
    expect(column(reference, '教师编号')).toEqual([full, newcomer]);
    expect(column(reference, '不足的要求')).toEqual(['近 5 学年累计要求', '近 5 学年累计要求']);
    expect(column(reference, '尚需天数')).toEqual([120, 6]);
  });

  it('is refused to teachers and validates the year', async () => {
    expect((await call('GET', '/v1/reports?year=2025', { token: keys.teacher })).status).toBe(403);
    expect((await call('GET', '/v1/reports?year=2025', { token: keys.admin })).status).toBe(403);
    expect((await call('GET', '/v1/reports', { token: keys.hr })).status).toBe(400);
  });
});

describe('GET /v1/reports — the 双师型 ratio', () => {
  const dualUnit = uid('双师比例学院');
  const [a, b, cc, d, e, f, g] = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((letter) => uid(`dq${letter}`)) as [string, string, string, string, string, string, string];
  const recognition = (teacherId: string, tier: string, date: string, validUntil: string) => ({ id: uid('r'), teacherId, kind: 'dual_qualified_recognition', status: 'verified', date, tier, issuingLevel: 'school', validUntil });

  beforeAll(async () => {
    for (const id of [a, b, cc, d, e]) expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit: dualUnit }) })).status).toBe(201);
    // F teaches public basic courses, G guides internships: neither is in the ratio, recognised or not
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(f, { unit: dualUnit, category: 'public_basic' }) })).status).toBe(201);
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(g, { unit: dualUnit, category: 'practical_guidance' }) })).status).toBe(201);
    const records = [
      recognition(f, 'senior', '2024-01-01', '2028-12-31'),
      recognition(g, 'junior', '2024-01-01', '2028-12-31'),
      recognition(a, 'senior', '2024-01-01', '2028-12-31'),
      // B's last valid day is the last day of 2025-2026: still counted for it
      recognition(b, 'junior', '2021-09-01', '2026-08-31'),
      // C's ended the day before: counted for 2024-2025, not for 2025-2026
      recognition(cc, 'intermediate', '2021-08-31', '2026-08-30'),
      // D meets the junior criteria (180 practice days in 2022-2023, a junior vocational certificate), unrecognised
      { id: uid('r'), teacherId: d, kind: 'enterprise_practice', status: 'verified', start: '2023-01-01', end: '2023-06-29', enterprise: '格力电器' },
      { id: uid('r'), teacherId: d, kind: 'certificate', status: 'verified', date: '2020-05-01', certType: 'vocational', level: 'junior' },
    ];
    for (const body of records) expect((await call('POST', '/v1/records', { token: keys.hr, body })).status).toBe(201);
  });

  it('counts recognised teachers by tier on the year’s last day, against “over 50 %”, with the teachers behind each figure', async () => {
    const body = await jsonOf(await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(dualUnit)}&years=2`, { token: keys.committee }));
    const dual = body.college.dualQualified;
    expect(dual.asOf).toBe('2026-08-31');
    expect(dual.basis).toBe('specialised');
    expect(dual.teachers).toEqual({ count: 5, teacherIds: [a, b, cc, d, e].sort() });
    expect(dual.leftOut).toEqual({ count: 2, teacherIds: [f, g].sort() });
    // the practice and grade figures still count every teacher
    expect(body.college.teachers.count).toBe(7);
    expect(dual.recognised).toEqual({
      junior: { count: 1, teacherIds: [b] },
      intermediate: { count: 0, teacherIds: [] },
      senior: { count: 1, teacherIds: [a] },
      any: { count: 2, teacherIds: [a, b].sort() },
    });
    // 2 of 5 = 40.00 %; over 50 % of 5 needs 3 (⌊2.5⌋ + 1): one short
    expect(dual.rate).toEqual({ numerator: 2, denominator: 5, hundredthsOfPercent: 4000 });
    expect(dual.rateByTier.senior).toEqual({ numerator: 1, denominator: 5, hundredthsOfPercent: 2000 });
    expect(dual.target).toEqual({ hundredthsOfPercent: 5000, comparison: 'above' });
    expect([dual.meetsTarget, dual.shortOfTarget]).toEqual([false, 1]);
    expect(dual.criteriaMet.junior.teacherIds).toEqual([d]);
    expect(dual.criteriaMet.any.teacherIds).toEqual([d]);
    expect(dual.metAboveRecognised.teacherIds).toEqual([d]);
    expect(body.units).toEqual([{ unit: dualUnit, figures: body.college }]);
    // the trend: 2024-2025 assessed on 2025-08-31, when C's recognition still counted: 3 of 5 = 60.00 %, met
    const earlier = body.trend[0].dualQualified;
    expect(earlier.asOf).toBe('2025-08-31');
    expect(earlier.recognised.any.teacherIds).toEqual([a, b, cc].sort());
    expect(earlier.rate.hundredthsOfPercent).toBe(6000);
    expect([earlier.meetsTarget, earlier.shortOfTarget]).toEqual([true, 0]);
    expect(body.trend[1]).toEqual(body.college);
  });
  it('each trend year is judged against its own target (dualQualified.ratioTargetsByYear)', async () => {
    const policy = structuredClone(defaultPolicy) as Record<string, any>;
    policy.version = uid('targets');
    policy.dualQualified.ratioTargetsByYear = [{ fromYear: 2025, hundredthsOfPercent: 3000, comparison: 'at_least' }];
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: policy })).status).toBe(201);
    try {
      const body = await jsonOf(await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(dualUnit)}&years=2`, { token: keys.committee }));
      // 2024-2025: before the schedule, the preset's over 50 %: 3 of 5 = 60 % meets it
      expect(body.trend[0].dualQualified).toMatchObject({ target: { hundredthsOfPercent: 5000, comparison: 'above' }, meetsTarget: true, shortOfTarget: 0 });
      // 2025-2026: at least 30 % from 2025 on: 2 of 5 = 40 % meets it (it is one short of over 50 %)
      expect(body.trend[1].dualQualified).toMatchObject({ target: { hundredthsOfPercent: 3000, comparison: 'at_least' }, meetsTarget: true, shortOfTarget: 0 });
      expect(body.college.dualQualified.target).toEqual({ hundredthsOfPercent: 3000, comparison: 'at_least' });
      const bad = { ...structuredClone(defaultPolicy), version: uid('bad-targets') } as Record<string, any>;
      bad.dualQualified.ratioTargetsByYear = [
        { fromYear: 2025, hundredthsOfPercent: 3000, comparison: 'at_least' },
        { fromYear: 2024, hundredthsOfPercent: 4000, comparison: 'at_least' },
      ];
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: bad })).status).toBe(400);
    } finally {
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
    }
  });

  it('the xlsx carries the ratio in the summary and a sheet of each teacher’s tiers', async () => {
    const response = await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(dualUnit)}&years=1&format=xlsx`, { token: keys.hr });
    expect(response.status).toBe(200);
    const sheets = await xlsxSheets(new Uint8Array(await response.arrayBuffer()), 'zh');
    const [summary, , dualSheet] = sheets;
    const header = summary!.rows[0]!;
    const row = summary!.rows[1]!;
    const at = (name: string) => row[header.indexOf(name)];
    expect([at('专业课教师数'), at('双师型教师数'), at('初级'), at('中级'), at('高级'), at('双师型比例 %'), at('目标 %'), at('目标'), at('是否达标'), at('尚差人数'), at('符合条件未认定')]).toEqual([5, 2, 1, 0, 1, 40, 50, '高于', '否', 1, 1]);
    expect(dualSheet!.name).toBe('双师型');
    const rows = Object.fromEntries(dualSheet!.rows.slice(1).map((cells) => [cells[1], cells]));
    expect(rows[a]!.slice(4)).toEqual(['专业课教师', '是', '高级双师型', '未达到']);
    expect(rows[d]!.slice(6)).toEqual(['未达到', '初级双师型']);
    expect(rows[f]!.slice(4)).toEqual(['公共基础课教师', '否', '高级双师型', '未达到']);
  });
});

describe('practice under a policy that binds the rolling rule and exempts 公共基础课 teachers', () => {
  it('reports, progress and practice answers follow the binding rule; the exempt teacher is out of the rate', async () => {
    const ruleUnit = uid('规则学院');
    const [annualOnly, window, publicBasic] = [uid('tE'), uid('tF'), uid('tG')];
    for (const id of [annualOnly, window]) expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit: ruleUnit }) })).status).toBe(201);
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(publicBasic, { unit: ruleUnit, category: 'public_basic' }) })).status).toBe(201);
    // E: 30 days in 2025-2026 only (annual met, window 30 of 180). F: 50 days in each of 2021–2024 and 10 in 2025 (window 210).
    expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(annualOnly, '2025-10-01', '2025-10-30') })).status).toBe(201);
    for (const year of [2021, 2022, 2023, 2024]) expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(window, `${year}-10-01`, `${year}-11-19`) })).status).toBe(201);
    expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(window, '2025-10-01', '2025-10-10') })).status).toBe(201);
    const policy = structuredClone(defaultPolicy) as Record<string, any>;
    policy.version = uid('rolling');
    policy.practice.binding = 'rolling';
    policy.practice.byCategory = { public_basic: 'exempt' };
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: policy })).status).toBe(201);
    try {
      const figures = (await jsonOf(await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(ruleUnit)}&years=1`, { token: keys.committee }))).college;
      expect(figures.practice.compliant.teacherIds).toEqual([window]);
      expect(figures.practice.noncompliant.teacherIds).toEqual([annualOnly]);
      expect(figures.practice.exempt.teacherIds).toEqual([publicBasic]);
      expect(figures.practice.rate).toEqual({ numerator: 1, denominator: 2, hundredthsOfPercent: 5000 });
      // E still needs 180 - 30 = 150 days of the window, in this year; it met the year's 30, which does not bind
      expect(figures.atRisk).toEqual([{ teacherId: annualOnly, name: `教师${annualOnly}`, unit: ruleUnit, daysNeeded: 150, short: [{ rule: 'rolling', label: '近 5 学年累计要求', countedDays: 30, requiredDays: 180, daysNeeded: 150 }] }]);
      // F met the window (210 of 180) but has 10 of the year's 30: for reference only, apart from the list
      expect(figures.referenceRule).toEqual({ rule: 'annual', label: '年度要求' });
      expect(figures.referenceShort).toEqual([{ teacherId: window, name: `教师${window}`, unit: ruleUnit, daysNeeded: 20, short: [{ rule: 'annual', label: '年度要求', countedDays: 10, requiredDays: 30, daysNeeded: 20 }] }]);
      // the list names the rule it follows, the binding one, in the asked language
      expect(figures.atRiskRule).toEqual({ binding: 'rolling', label: '按近 5 学年累计要求' });
      const english = await jsonOf(await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(ruleUnit)}&years=1`, { token: keys.committee, headers: { 'accept-language': 'en' } }));
      expect(english.college.atRiskRule).toEqual({ binding: 'rolling', label: 'by the rolling 5-year rule' });
      expect(english.units[0].figures.atRiskRule).toEqual(english.college.atRiskRule);
      expect(english.college.referenceRule).toEqual({ rule: 'annual', label: 'the annual rule' });
      const englishSheets = await xlsxSheets(new Uint8Array(await (await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(ruleUnit)}&years=1&format=xlsx`, { token: keys.committee, headers: { 'accept-language': 'en' } })).arrayBuffer()), 'en');
      expect(englishSheets.find((sheet) => sheet.name === 'practice short')!.rows.slice(0, 3)).toEqual([
        ['Teachers short of practice days, 2025-2026 (by the rolling 5-year rule)'],
        ['academic year', 'teacher id', 'name', 'unit', 'rule short on', 'counted days', 'required days', 'days still needed'],
        ['2025-2026', annualOnly, `教师${annualOnly}`, ruleUnit, 'the rolling 5-year rule', 30, 180, 150],
      ]);
      expect(englishSheets.find((sheet) => sheet.name === 'practice reference')!.rows[0]).toEqual(['Compliant by the rolling 5-year rule, short on the annual rule, 2025-2026 (for reference)']);
      expect(english.tiers.map((tier: { label: string }) => tier.label)).toEqual(['junior dual-qualified', 'intermediate dual-qualified', 'senior dual-qualified']);
      expect(english.college.atRisk[0].short[0].label).toBe('the rolling 5-year rule');

      const practiceOf = await jsonOf(await call('GET', `/v1/teachers/${annualOnly}/practice?year=2025`, { token: keys.hr }));
      expect(practiceOf).toMatchObject({ compliant: false, annualMet: true, shortfall: 150, requirement: { binding: 'rolling', annualDays: 30, rollingDays: 180 } });
      const progress = await jsonOf(await call('GET', `/v1/teachers/${publicBasic}/progress?asOf=2026-03-01`, { token: keys.hr }));
      expect(progress.practiceRequirement).toEqual({ category: 'public_basic', exempt: true, annualDays: 0, rollingDays: 0, rollingYears: 5, binding: 'rolling', source: 'category' });

      // both rules bind: E (short on the window) and F (short of the year's days) are both in the list; no reference list
      const both = structuredClone(policy);
      both.version = uid('both');
      both.practice.binding = 'both';
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: both })).status).toBe(201);
      const underBoth = (await jsonOf(await call('GET', `/v1/reports?year=2025&unit=${encodeURIComponent(ruleUnit)}&years=1`, { token: keys.committee }))).college;
      expect(underBoth.atRiskRule).toEqual({ binding: 'both', label: '按年度与近 5 学年累计要求' });
      expect(underBoth.atRisk.map((entry: { teacherId: string; short: { rule: string }[] }) => [entry.teacherId, entry.short.map((short) => short.rule)])).toEqual([
        [annualOnly, ['rolling']],
        [window, ['annual']],
      ]);
      expect([underBoth.referenceRule, underBoth.referenceShort]).toEqual([null, []]);
    } finally {
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
    }
  });
});
