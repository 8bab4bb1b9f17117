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
  });
});
