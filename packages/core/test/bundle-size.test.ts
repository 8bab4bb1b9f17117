import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run size` measures what a consumer's bundler makes of each import (scripts/bundle-size.mjs). */
interface Row {
  group: string;
  name: string;
  minified: number;
  gzip: number;
  zod: number;
}

const script = join(import.meta.dirname, '..', 'scripts', 'bundle-size.mjs');
const rows = JSON.parse(execFileSync(process.execPath, [script, '--json'], { encoding: 'utf8' })) as Row[];

describe('bundle size (esbuild, minified, browser; gzip level 9)', () => {
  it('bundles each pure helper alone to at most 10 KB gzip, without zod', () => {
    const helpers = rows.filter((row) => row.group === 'pure helper');
    expect(helpers.map((row) => row.name)).toContain('academicYearOf');
    for (const row of helpers) {
      expect(row.gzip, row.name).toBeLessThanOrEqual(10 * 1024);
      expect(row.zod, row.name).toBe(0);
    }
  });

  it('measures real bundles: the whole library carries zod', () => {
    const whole = rows.find((row) => row.group === 'whole library')!;
    expect(whole.zod).toBeGreaterThan(100 * 1024);
    expect(whole.gzip).toBeGreaterThan(whole.zod / 10);
  });
});
