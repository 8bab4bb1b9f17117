import { beforeAll, describe, expect, it } from 'vitest';
import { call, jsonOf, setupKeys, type Keys } from './helpers.js';

/** Issue 13 §4: an appraisal of a year that has not started is a clear 4xx, not a 0 total with a practice veto. */
let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

describe('an academic year that has not started', () => {
  it('answers 422 year-not-started for a teacher’s appraisal and for the listing; the current year still answers 200', async () => {
    const current = new Date().getUTCFullYear() - 1; // started by any policy calendar
    const future = new Date().getUTCFullYear() + 2;
    for (const path of [`/v1/teachers/${keys.teacherId}/appraisals/${future}`, `/v1/appraisals?year=${future}`, `/v1/appraisals?year=${future}&format=csv`]) {
      const response = await call('GET', path, { token: keys.hr });
      expect(response.status, path).toBe(422);
      const problem = await jsonOf(response);
      expect(problem.code).toBe('year-not-started');
      expect(problem.year).toBe(future);
      expect(problem.currentYear).toBeLessThan(future);
    }
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/appraisals/${current}`, { token: keys.hr })).status).toBe(200);
    expect((await call('GET', `/v1/appraisals?year=${current}`, { token: keys.hr })).status).toBe(200);
  });
});
