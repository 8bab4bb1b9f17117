import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { builtinKinds } from '../src/evidence/builtin.js';
import type { KindDeclaration } from '../src/evidence/declaration.js';
import { EvidenceRegistry, type CompiledKind } from '../src/evidence/registry.js';
import { kindDeclarationSchema } from '../src/evidence/schema.js';
import { academicYearOf } from '../src/index.js';
import { kindDeclarationArb, recordArbOf } from './kind-arbitraries.js';

/**
 * What the registry derives from a kind's declaration, checked on every built-in kind and on random kinds a policy
 * may declare, with records generated from the declarations themselves (test/kind-arbitraries.ts): the zod schema
 * accepts them unchanged; the fast validator, generated as code and as closures (a Worker), accepts them too and
 * never accepts what zod refuses; zod names the field that is wrong; and the academic years a record touches are
 * the ones its placement says.
 */

/** SCALE=10 runs ten times as many cases (a soak run); the suite runs SCALE=1. */
const SCALE = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.SCALE ?? 1);
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)) });

const RealFunction = globalThis.Function;
/** A registry compiled while `new Function` throws, as in a Worker after startup: its validator is the closures. */
function closureRegistry(declarations: Record<string, KindDeclaration>): EvidenceRegistry {
  // biome-ignore lint/complexity/useArrowFunction: called with `new`, as `new Function(...)` is
  globalThis.Function = function () {
    throw new EvalError('Code generation from strings disallowed for this context');
  } as unknown as FunctionConstructor;
  try {
    return new EvidenceRegistry(declarations);
  } finally {
    globalThis.Function = RealFunction;
  }
}

const builtin = new EvidenceRegistry(builtinKinds);
const builtinClosures = closureRegistry(builtinKinds);

const compiledOwn = new WeakMap<KindDeclaration, { generated: EvidenceRegistry; closures: EvidenceRegistry }>();
/** The registries (generated and closures) a sample is checked with: the built-in one, or it plus the own kind `own`. */
function registriesOf(declaration: KindDeclaration | undefined): { generated: EvidenceRegistry; closures: EvidenceRegistry } {
  if (declaration === undefined) return { generated: builtin, closures: builtinClosures };
  let pair = compiledOwn.get(declaration);
  if (pair === undefined) {
    const declarations = { ...builtinKinds, own: declaration } as Record<string, KindDeclaration>;
    pair = { generated: new EvidenceRegistry(declarations), closures: closureRegistry(declarations) };
    compiledOwn.set(declaration, pair);
  }
  return pair;
}

/**
 * A built-in kind or a random own kind (`declaration`), with a record of it. The value holds only what a failure
 * should print; the registries and the compiled kind come from `checked`.
 */
const caseArb: fc.Arbitrary<{ kind: string; declaration?: KindDeclaration; record: Record<string, unknown> }> = fc.oneof(
  fc.constantFrom(...builtin.kindIds).chain((kind) => recordArbOf(builtin.kind(kind)!).map((record) => ({ kind, record }))),
  kindDeclarationArb.chain((declaration) => recordArbOf(registriesOf(declaration).generated.kind('own')!).map((record) => ({ kind: 'own', declaration, record }))),
);
function checked(sample: { kind: string; declaration?: KindDeclaration }): { generated: EvidenceRegistry; closures: EvidenceRegistry; compiled: CompiledKind } {
  const registries = registriesOf(sample.declaration);
  return { ...registries, compiled: registries.generated.kind(sample.kind)! };
}

/** Values just past every bound of the vocabulary, wrong types, texts zod would trim, and dates that reverse a period. */
const wrongValues: unknown[] = [
  undefined,
  null,
  '',
  ' x',
  'x ',
  '　全角',
  '2025-02-29',
  '2025-13-01',
  '2025-1-01',
  // real dates at the ends of the generated range: a period's start moved past its end, or its end before its start
  '2019-09-01',
  '2027-08-31',
  'x'.repeat(501),
  'x'.repeat(129),
  -1,
  -0.001,
  0,
  0.5,
  1.5,
  1001,
  1899,
  3000,
  10_000_000_001,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  [],
  [' x'],
  {},
  'national',
  'unknown_value',
  true,
];

vi.setConfig({ testTimeout: Math.max(20_000, 20_000 * SCALE) });

describe('records generated from the declarations (built-in and a policy’s own kinds)', () => {
  it('random own kinds are declarations a policy may hold', () => {
    fc.assert(
      fc.property(kindDeclarationArb, (declaration) => {
        expect(kindDeclarationSchema.safeParse(declaration).success).toBe(true);
      }),
      runs(200),
    );
  });

  it('zod accepts them unchanged, and the fast validator accepts them, as code and as closures', () => {
    fc.assert(
      fc.property(caseArb, (sample) => {
        const { generated, closures } = checked(sample);
        const { record } = sample;
        const parsed = generated.recordSchema.safeParse(record);
        expect(parsed.error?.issues).toBeUndefined();
        expect(parsed.data).toStrictEqual(record);
        expect(generated.isValidFast(record)).toBe(true);
        expect(closures.isValidFast(record)).toBe(true);
      }),
      runs(600),
    );
  });

  it('with one field wrong, missing or unknown, neither validator accepts what zod refuses, and zod names the field', () => {
    const mutationArb = caseArb.chain((sample) => {
      const names = checked(sample).compiled.fields.map(([name]) => name);
      return fc.tuple(fc.constant(sample), fc.oneof(fc.constantFrom(...names), fc.constant('unexpected')), fc.constantFrom(...wrongValues)).map(([s, field, value]) => ({ ...s, field, value }));
    });
    fc.assert(
      fc.property(mutationArb, (sample) => {
        const { generated, closures, compiled } = checked(sample);
        const { record, field, value } = sample;
        const mutated: Record<string, unknown> = { ...record, [field]: value };
        if (value === undefined) delete mutated[field];
        const parsed = generated.recordSchema.safeParse(mutated);
        const fast = generated.isValidFast(mutated);
        expect(closures.isValidFast(mutated)).toBe(fast);
        if (fast) expect(parsed.data).toStrictEqual(mutated);
        if (!parsed.success) {
          const paths = parsed.error.issues.map((issue) => (issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path[0]));
          const period = compiled.declaration.period;
          // A start moved after the end is reported at the end.
          const expected = period && field === period.start ? [field, period.end] : [field];
          expect(paths.some((path) => expected.includes(path as string))).toBe(true);
        }
      }),
      runs(1500),
    );
  });

  it('each record touches the academic years its placement says, and a window holds it exactly when it holds one of them', () => {
    const yearStart = { month: 9, day: 1 };
    const windowArb = fc.tuple(fc.integer({ min: 2018, max: 2027 }), fc.integer({ min: 0, max: 3 })).map(([first, span]) => ({ first, last: first + span }));
    fc.assert(
      fc.property(caseArb, windowArb, (sample, window) => {
        const { compiled } = checked(sample);
        const { record } = sample;
        const expected = expectedYears(compiled, record);
        expect(compiled.years(record as never, yearStart)).toEqual(expected);
        const holds = compiled.within(record as never, window.first, window.last, `${window.first}-09-01`, `${window.last + 1}-08-31`);
        expect(holds).toBe(expected.some((year) => year >= window.first && year <= window.last));
      }),
      runs(600),
    );
  });
});

/** The years a placement names, worked out from the declaration alone (an oracle, not the registry's code). */
function expectedYears(compiled: CompiledKind, record: Record<string, unknown>): number[] {
  const placement = compiled.declaration.placement;
  switch (placement.by) {
    case 'year':
      return [record[placement.field] as number];
    case 'date':
      return [academicYearOf((record[placement.field] ?? record[placement.whileAbsent!]) as string)];
    case 'period': {
      const years: number[] = [];
      for (let year = academicYearOf(record[placement.start] as string); year <= academicYearOf(record[placement.end] as string); year++) years.push(year);
      return years;
    }
  }
}
