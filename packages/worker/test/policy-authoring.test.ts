import { beforeAll, describe, expect, it } from 'vitest';
import { builtinKinds, defaultPolicy, describePolicy, parsePolicy } from '@shizi/core';
import example from '../../../docs/policies/example-vocational-college.json';
import storedWithRules from '../../core/test/data/default-2026-rules.json';
import storedWithItems from '../../core/test/data/default-2026-items.json';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys, purgeRecordsOfKinds } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

describe('evidence kinds (GET /v1/kinds)', () => {
  it('answers every kind of the active policy with its JSON Schema and zh/en labels, to any role', async () => {
    const response = await call('GET', '/v1/kinds', { token: keys.teacher });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    // every kind of the registry under the default policy, in its order
    expect(body.items.map((kind: { kind: string }) => kind.kind)).toEqual(Object.keys(builtinKinds));
    const practice = body.items.find((kind: { kind: string }) => kind.kind === 'enterprise_practice');
    expect(practice.label).toEqual({ zh: '企业实践', en: 'enterprise practice' });
    expect(practice.fields.map((field: { name: string }) => field.name)).toEqual(['start', 'end', 'enterprise', 'topics', 'form']);
    expect(practice.jsonSchema.required).toEqual(expect.arrayContaining(['id', 'teacherId', 'kind', 'status', 'start', 'end', 'enterprise']));
    const competition = body.items.find((kind: { kind: string }) => kind.kind === 'skill_competition');
    expect(competition.fields.find((field: { name: string }) => field.name === 'level').values).toContainEqual({ value: 'national', label: { zh: '国家级', en: 'national' } });
    expect(competition.team).toBe(true);
    expect(body.items.find((kind: { kind: string }) => kind.kind === 'ethics_violation').declarable).toBe(false);
    expect((await call('GET', '/v1/kinds')).status).toBe(401);
  });
});

describe('policy table and what-if', () => {
  it('serves a policy as its printable table, in the reader’s language', async () => {
    const zh = await jsonOf(await call('GET', '/v1/policies/default-2026/table', { token: keys.committee }));
    expect(zh.categories.map((category: { label: string }) => category.label)).toEqual(['教学', '工程实践', '技术创新', '技术成果转化', '企业服务成效']);
    const en = await jsonOf(await call('GET', '/v1/policies/default-2026/table', { token: keys.committee, headers: { 'accept-language': 'en' } }));
    expect(en.categories[3].lines[0]).toMatchObject({ id: 'tech_transfer', basis: '2 per 10000 yuan' });
    expect((await call('GET', '/v1/policies/nope/table', { token: keys.committee })).status).toBe(404);
  });

  it('reads a version stored before vetoes were a list, with the same two vetoes', async () => {
    const legacy = structuredClone(defaultPolicy) as Record<string, any>;
    legacy.version = uid('legacy-vetoes');
    legacy.appraisal.vetoes = { ethicsViolation: { grade: 'basic' }, practiceNoncompliant: { maxGrade: 'competent' } };
    // An old row, below every other (seq < 0), so it never becomes the active version of the shared database.
    const seq = -Math.floor(Math.random() * 1e9) - 1;
    await env.DB.prepare('INSERT INTO policy_versions (seq, version, body, created_at, created_by) VALUES (?, ?, ?, ?, NULL)').bind(seq, legacy.version, JSON.stringify(legacy), '2026-01-01T00:00:00Z').run();
    const table = await jsonOf(await call('GET', `/v1/policies/${legacy.version}/table`, { token: keys.committee }));
    expect(table.vetoes).toEqual(['企业实践未达标 → 最高 合格，当年不得参加职称评审', '学年内有经核实的师德失范 → 基本合格']);
  });

  it('reads a version stored with named rules as the scoring items they are', async () => {
    const legacy = structuredClone(storedWithRules) as Record<string, any>;
    legacy.version = uid('legacy-rules');
    // The numbers are the default's: the row may be the shared database's latest (seq < 0 like the one above).
    const seq = -Math.floor(Math.random() * 1e9) - 1;
    await env.DB.prepare('INSERT INTO policy_versions (seq, version, body, created_at, created_by) VALUES (?, ?, ?, ?, NULL)').bind(seq, legacy.version, JSON.stringify(legacy), '2026-01-01T00:00:00Z').run();
    const document = await jsonOf(await call('GET', `/v1/policies/${legacy.version}`, { token: keys.committee }));
    const policy = document.policy;
    expect(policy.appraisal.rules).toBeUndefined();
    // the items the rules became (the default of that time; today's default may have gained items since)
    expect(policy.appraisal.items).toEqual(storedWithItems.appraisal.items);
    const en = await jsonOf(await call('GET', `/v1/policies/${legacy.version}/table`, { token: keys.committee, headers: { 'accept-language': 'en' } }));
    expect(en.categories).toEqual(describePolicy(parsePolicy(storedWithItems), 'en').categories);
    expect(en.categories[3].lines[0]).toMatchObject({ id: 'tech_transfer', basis: '2 per 10000 yuan' });
  });

  it('compares a draft policy with the active one, teacher by teacher, without storing it', async () => {
    const id = uid('T');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit: uid('unit') }) })).status).toBe(201);
    const unit = (await jsonOf(await call('GET', `/v1/teachers/${id}`, { token: keys.hr }))).unit;
    const base = { teacherId: id, status: 'verified' };
    for (const record of [
      { ...base, id: uid('R'), kind: 'enterprise_practice', start: '2025-07-01', end: '2025-07-30', enterprise: '海尔智家' },
      { ...base, id: uid('R'), kind: 'tech_transfer', date: '2024-10-01', amountYuan: 50000, partner: '某公司' },
    ]) {
      expect((await call('POST', '/v1/records', { token: keys.hr, body: record })).status).toBe(201);
    }
    const candidate = structuredClone(defaultPolicy) as Record<string, any>;
    candidate.version = 'draft-2027';
    candidate.appraisal.items.find((item: { id: string }) => item.id === 'tech_transfer').rule.points = 3;
    const response = await call('POST', '/v1/policies/compare', { token: keys.committee, body: { year: 2024, unit, candidate } });
    expect(response.status).toBe(200);
    const comparison = await jsonOf(response);
    expect(comparison).toMatchObject({ year: 2024, candidateVersion: 'draft-2027', unit, summary: { teachers: 1, totalChanged: 1, gradeChanged: 0 } });
    // 30 practice days × 0.25 = 7.50; transfer 10 → 15 points.
    expect(comparison.teachers[0]).toMatchObject({ teacherId: id, baseline: { total: 17.5 }, candidate: { total: 22.5 } });
    expect(comparison.teachers[0].linesOnlyInCandidate).toEqual([expect.objectContaining({ rule: 'tech_transfer', points: 15 })]);
    // Nothing was stored.
    const versions = (await jsonOf(await call('GET', '/v1/policies', { token: keys.committee }))).items.map((item: { version: string }) => item.version);
    expect(versions).not.toContain('draft-2027');

    const withOwnKinds = await call('POST', '/v1/policies/compare', { token: keys.hr, body: { year: 2024, unit, candidate: example } });
    expect(withOwnKinds.status).toBe(200);
    expect((await jsonOf(withOwnKinds)).teachers[0].candidate.total).toBe(17.5);

    const broken = structuredClone(defaultPolicy) as Record<string, any>;
    broken.appraisal.grades.bands[1].min = 70;
    broken.growth.transitions.new_teacher.children[5].kinds = ['lesson_plan'];
    const refused = await call('POST', '/v1/policies/compare', { token: keys.hr, body: { year: 2024, candidate: broken } });
    expect(refused.status).toBe(400);
    const paths = (await jsonOf(refused)).errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['policy.appraisal.grades.bands[1].min', 'policy.growth.transitions.new_teacher.children[5].kinds[0]']));
    expect((await call('POST', '/v1/policies/compare', { token: keys.teacher, body: { year: 2024, candidate } })).status).toBe(403);
  });
});

describe('records of a policy’s own kinds (POST /v1/records)', () => {
  it('accepts a kind the active policy declares, checks its fields against that policy, and refuses it under a policy without it', async () => {
    const id = uid('T');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) })).status).toBe(201);
    const paper = { id: uid('R'), teacherId: id, kind: 'paper', status: 'verified', date: '2025-10-01', title: '数控编程教学改革', journal: '职业技术教育', journalLevel: 'core', achievement: 'A-1' };
    // Under the default policy `paper` is no kind at all.
    const unknown = await call('POST', '/v1/records', { token: keys.hr, body: paper });
    expect(unknown.status).toBe(400);
    expect((await jsonOf(unknown)).errors.map((e: { path: string }) => e.path)).toContain('kind');
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(example), version: uid('example') } })).status).toBe(201);
    try {
      const created = await call('POST', '/v1/records', { token: keys.hr, body: paper });
      expect(created.status).toBe(201);
      expect((await jsonOf(created)).record).toMatchObject({ kind: 'paper', journalLevel: 'core' });
      const bad = await call('POST', '/v1/records', { token: keys.hr, body: { ...paper, id: uid('R'), journalLevel: 'predatory' } });
      expect(bad.status).toBe(400);
      expect((await jsonOf(bad)).errors.map((e: { path: string }) => e.path)).toEqual(['journalLevel']);
      // A built-in kind is still checked field by field.
      const badPractice = await call('POST', '/v1/records', { token: keys.hr, body: { id: uid('R'), teacherId: id, kind: 'enterprise_practice', status: 'verified', start: '2025-07-10', end: '2025-07-01', enterprise: '海尔智家' } });
      expect(badPractice.status).toBe(400);
      expect((await jsonOf(badPractice)).errors.map((e: { path: string }) => e.path)).toEqual(['end']);
      // Exports name the policy's categories (renamed and added ones too), every points column with two decimals.
      const unit = (await jsonOf(await call('GET', `/v1/teachers/${id}`, { token: keys.hr }))).unit;
      const csv = await (await call('GET', `/v1/appraisals?year=2025&unit=${encodeURIComponent(unit)}&format=csv`, { token: keys.committee })).text();
      const [header, ...rows] = csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      expect(header).toContain('教育教学');
      expect(header).toContain('科研成果');
      const cells = rows.find((row) => row.includes(id))!.split(',');
      const columns = header!.split(',');
      expect(cells[columns.indexOf('科研成果')]).toBe('4.00');
      expect(cells[columns.indexOf('教育教学')]).toBe('0.00');
      // The trace names the policy's item by its label and the journal level by the kind's value label.
      const itemLabel = example.appraisal.items.find((item: { id: string }) => item.id === 'paper')!.label;
      for (const [lang, level] of [
        ['zh', '北大核心/CSSCI'],
        ['en', 'core journal'],
      ] as const) {
        const appraisal = await jsonOf(await call('GET', `/v1/teachers/${id}/appraisals/2025`, { token: keys.hr, headers: { 'accept-language': lang } }));
        expect(appraisal.items.find((item: { rule: string }) => item.rule === 'paper.core').ruleLabel).toBe(`${itemLabel[lang]} · ${level}`);
        // a total is out of the sum of the policy's caps (the example college's six categories: 112)
        expect(appraisal.totalCap).toBe(example.appraisal.categories.reduce((sum: number, category: { cap: number }) => sum + category.cap, 0));
        expect(appraisal.totalCap).toBe(112);
      }
    } finally {
      // the default has no 论文 or 教材: their records go first (test cleanup), or the version would be refused (kind-in-use)
      await purgeRecordsOfKinds(Object.keys(example.evidenceKinds));
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
    }
  });
});

describe('the academic calendar (GET /v1/calendar)', () => {
  it('answers the year of a date under the active policy, its days left and the recent completed years', async () => {
    const body = await jsonOf(await call('GET', '/v1/calendar?asOf=2026-08-20&since=2024-03-01', { token: keys.teacher }));
    // 2026-08-20 is in 2025-2026 (years start on 1 September); 11 days remain; the 3-year window is 2022–2024,
    // from the hire year 2023-2024 on.
    expect(body).toMatchObject({ asOf: '2026-08-20', academicYear: 2025, yearLabel: '2025-2026', start: '2025-09-01', end: '2026-08-31', daysLeft: 11, lastCompletedYear: 2024, sinceYear: 2023, recentYears: [2023, 2024] });
    const first = await jsonOf(await call('GET', '/v1/calendar?asOf=2026-09-01', { token: keys.teacher }));
    expect(first).toMatchObject({ academicYear: 2026, daysLeft: 364, recentYears: [2023, 2024, 2025] });
    const bad = await call('GET', '/v1/calendar?asOf=2026-02-30', { token: keys.teacher });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors[0].path).toBe('query.asOf');
  });
});
