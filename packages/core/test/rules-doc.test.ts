import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, describePolicy, registryOf } from '../src/index.js';

/**
 * docs/rules.md is generated from the default policy (scripts/rules-doc.mjs, `npm run docs:rules`). This test
 * regenerates it and fails when the committed file is stale, so the reference cannot drift from the rules.
 */
const script = join(import.meta.dirname, '..', 'scripts', 'rules-doc.mjs');
const committed = join(import.meta.dirname, '..', '..', '..', 'docs', 'rules.md');
const check = (file: string) => spawnSync(process.execPath, [script, '--check', '--file', file], { encoding: 'utf8' });

describe('docs/rules.md, the rules reference', () => {
  it('is what the generator writes from the default policy today', () => {
    const result = check(committed);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails the check when a number in it differs from the policy', () => {
    const stale = join(mkdtempSync(join(tmpdir(), 'rules-')), 'rules.md');
    writeFileSync(stale, readFileSync(committed, 'utf8').replace('| `teaching` | 教学 | Teaching | 35 |', '| `teaching` | 教学 | Teaching | 36 |'));
    const result = check(stale);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is stale');
  });

  it('lists every kind with every field, every category with its cap and every scoring line', () => {
    const text = readFileSync(committed, 'utf8');
    const registry = registryOf(defaultPolicy);
    for (const kind of registry.kindIds) {
      expect(text).toContain(`### \`${kind}\``);
      for (const [field] of registry.kind(kind)!.fields) expect(text).toContain(`| \`${field}\` |`);
    }
    for (const category of describePolicy(defaultPolicy, 'en').categories) {
      expect(text).toContain(`| \`${category.id}\` |`);
      expect(text).toContain(`(at most ${category.cap})`);
      for (const line of category.lines) expect(text).toContain(`(\`${line.id}\`)`);
    }
  });

  it('writes a file the check then accepts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'rules.md');
    execFileSync(process.execPath, [script, '--file', file]);
    expect(check(file).status).toBe(0);
  });
});
