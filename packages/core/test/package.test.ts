import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { policySchema } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const sources = readdirSync(join(root, 'src')).filter((file) => file.endsWith('.ts'));

describe('the published package', () => {
  it('resolves through its exports map to the built ESM entry with types first', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.exports['.'])[0]).toBe('types');
    expect(manifest.sideEffects).toBe(false);
    expect(Object.keys(manifest.dependencies)).toEqual(['zod']);
    const core = await import('@shizi/core');
    for (const name of ['defaultPolicy', 'parsePolicy', 'academicYearOf', 'evaluatePractice', 'scoreAppraisal', 'applyExcellenceQuota', 'appraiseAll', 'assessProgress', 'rankTitleReview', 'ValidationError']) {
      expect(core, name).toHaveProperty(name);
    }
  });

  it('ships the JSON Schema of a policy, current with its zod schema', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.exports['./policy.schema.json']).toBe('./dist/policy.schema.json');
    expect(manifest.files).toContain('dist');
    const shipped = JSON.parse(readFileSync(join(root, 'dist', 'policy.schema.json'), 'utf8'));
    const { title: _title, description: _description, ...generated } = shipped;
    expect(generated).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(policySchema, { unrepresentable: 'any', io: 'input' }))));
    expect(shipped.required).toContain('appraisal');
  });

  it('uses relative imports with .js extensions so Node, browsers and Workers resolve them', () => {
    for (const file of sources) {
      const text = readFileSync(join(root, 'src', file), 'utf8');
      for (const match of text.matchAll(/from '(\.[^']*)'/g)) expect(match[1], `${file}: ${match[1]}`).toMatch(/\.js$/);
    }
  });

  it('reads no clock, no randomness, no environment and does no I/O', () => {
    const forbidden = /Date\.now|new Date\(|Math\.random|performance\.now|process\.|globalThis|\bfetch\(|from 'node:|require\(/;
    for (const file of sources) {
      const text = readFileSync(join(root, 'src', file), 'utf8');
      expect(forbidden.exec(text)?.[0], file).toBeUndefined();
    }
  });
});
