import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs module of the benchmark, without types
import { generateCollege } from '../bench/generate.mjs';
import * as generated from '../src/index.js';
import type { EvidenceRecord, Teacher } from '../src/index.js';

/**
 * Where the platform refuses code generation (a Worker in a request), the engine scores through closures
 * (scoring/compile.ts) instead of its generated handlers and dispatch (scoring/generate.ts): the results must be
 * the same, trace lines and their order included. The core is loaded again with `new Function` refused for the
 * engine's own sources (and the probe `return 1`), as a Worker would.
 */
const example = JSON.parse(readFileSync(join(__dirname, '../../../docs/policies/example-vocational-college.json'), 'utf8'));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the engine without code generation', () => {
  it('scores a generated college exactly as the generated engine does, default and example policy', async () => {
    const { teachers, records } = generateCollege({ teachers: 80, recordsPerTeacher: 60, years: 2, seed: 31, lastYear: 2025 }) as { teachers: Teacher[]; records: EvidenceRecord[] };
    // Compiled (lazily, once per policy) before code generation is refused: these results are the generated engine's.
    const examplePolicy = generated.parsePolicy(example);
    const expected = [2024, 2025].map((year) => [generated.appraiseAll({ teachers, records, year }), generated.appraiseAll({ teachers, records, year, policy: examplePolicy })]);
    const RealFunction = globalThis.Function;
    let refused = 0;
    // biome-ignore lint/complexity/useArrowFunction: called with `new`, as `new Function(...)` is
    const Refusing = function (...args: string[]) {
      const body = String(args.at(-1));
      if (body === 'return 1' || body.includes('scoreRecord') || body.includes('function dispatch')) {
        refused++;
        throw new EvalError('Code generation from strings disallowed for this context');
      }
      return RealFunction(...args);
    } as unknown as FunctionConstructor;
    vi.stubGlobal('Function', Refusing);
    vi.resetModules();
    const closures = (await import('../src/index.js')) as typeof generated;
    [2024, 2025].forEach((year, index) => {
      const [defaultResult, exampleResult] = expected[index]!;
      // JSON, so that the properties' order is compared too.
      expect(JSON.stringify(closures.appraiseAll({ teachers, records, year }))).toBe(JSON.stringify(defaultResult));
      expect(JSON.stringify(closures.appraiseAll({ teachers, records, year, policy: closures.parsePolicy(example) }))).toBe(JSON.stringify(exampleResult));
    });
    expect(refused).toBeGreaterThan(0);
  });
});
