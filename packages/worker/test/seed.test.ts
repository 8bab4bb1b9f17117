import { describe, expect, it } from 'vitest';
import { demoCollege, demoSql } from '../src/seed/demo.js';
import { call, env, jsonOf, setupKeys } from './helpers.js';

describe('demo college seed', () => {
  it('is valid for core and loads into D1; its views and open cycle work', async () => {
    const college = demoCollege();
    expect(college.teachers).toHaveLength(30);
    expect(new Set(college.teachers.map((t) => t.stage)).size).toBe(4);
    expect(college.records.length).toBeGreaterThan(300);
    const statements = demoSql();
    await env.DB.batch(statements.map((sql) => env.DB.prepare(sql)));
    const keys = await setupKeys();

    const listing = await call('GET', '/v1/appraisals?year=2024', { token: keys.committee });
    expect(listing.status).toBe(200);
    const body = await jsonOf(listing);
    expect(body.items.filter((item: { teacherId: string }) => /^T\d{3}$/.test(item.teacherId))).toHaveLength(30);

    const cycle = await jsonOf(await call('GET', '/v1/review-cycles/cyc_demo/ranking', { token: keys.committee }));
    expect(cycle.frozen).toBe(false);
    expect(cycle.entries.length).toBe(college.cycle.candidates.length);

    const progress = await call('GET', '/v1/teachers/T001/progress?asOf=2026-09-01', { token: keys.hr });
    expect(progress.status).toBe(200);
    const practice = await call('GET', '/v1/teachers/T012/practice?year=2024', { token: keys.hr });
    expect(practice.status).toBe(200);

    // 双师型: teachers at every tier met and recognised, some recognitions within the warning days, some lapsed
    const met = new Set<string>();
    const recognised = new Set<string>();
    const standings = new Set<string>();
    let warned = 0;
    for (const { id } of college.teachers) {
      const dual = await jsonOf(await call('GET', `/v1/teachers/${id}/dual-qualified?asOf=2026-11-01`, { token: keys.hr }));
      met.add(dual.tierMet);
      recognised.add(dual.recognisedTier);
      for (const held of dual.recognitions) standings.add(held.standing);
      warned += dual.warnings.length;
      if (dual.tierMet !== 'none') expect(dual.tiers.find((tier: { tier: string }) => tier.tier === dual.tierMet).gaps).toEqual([]);
    }
    expect([...met].sort()).toEqual(['intermediate', 'junior', 'none', 'senior']);
    expect([...recognised].sort()).toEqual(['intermediate', 'junior', 'none', 'senior']);
    expect([...standings].sort()).toEqual(['expired', 'expiring', 'valid']);
    expect(warned).toBeGreaterThanOrEqual(2);
    // the report shows a 双师型 ratio for every demo unit, with recognised 专业课 teachers in each
    const report = await jsonOf(await call('GET', '/v1/reports?year=2025&years=1', { token: keys.hr }));
    for (const name of new Set(college.teachers.map((t) => t.unit))) {
      const dual = report.units.find((entry: { unit: string }) => entry.unit === name).figures.dualQualified;
      const demo = (ids: string[]) => ids.filter((id) => /^T\d{3}$/.test(id));
      expect(demo(dual.recognised.any.teacherIds).length, name).toBeGreaterThan(0);
      expect(demo(dual.leftOut.teacherIds).length, name).toBeGreaterThan(0);
      expect(dual.rate.hundredthsOfPercent, name).not.toBeNull();
    }
  });
});
