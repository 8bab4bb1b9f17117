import { describe, expect, it } from 'vitest';
import { rateOf } from '../src/reports.js';

describe('rateOf', () => {
  it('gives integer hundredths of a percent, rounded half up, and null with no one counted', () => {
    expect(rateOf(1, 3).hundredthsOfPercent).toBe(3333);
    expect(rateOf(2, 3).hundredthsOfPercent).toBe(6667);
    expect(rateOf(1, 8).hundredthsOfPercent).toBe(1250);
    expect(rateOf(1, 80000).hundredthsOfPercent).toBe(0);
    expect(rateOf(1, 20000).hundredthsOfPercent).toBe(1);
    expect(rateOf(0, 0).hundredthsOfPercent).toBeNull();
    expect(rateOf(5, 5).hundredthsOfPercent).toBe(10000);
  });
});
