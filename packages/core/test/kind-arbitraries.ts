/**
 * fast-check arbitraries derived from the evidence registry: a valid record of any compiled kind (built-in or a
 * policy's own) from its field declarations alone, and random kind declarations in the vocabulary a policy may
 * use. Nothing here is written per kind: a new kind, built-in or declared, is covered as soon as it is declared.
 */
import fc from 'fast-check';
import type { KindDeclaration } from '../src/evidence/declaration.js';
import type { FieldSpec } from '../src/evidence/fields.js';
import type { CompiledKind } from '../src/evidence/registry.js';
import { dateOfDay, dayNumber } from '../src/index.js';

const FIRST_DAY = dayNumber('2019-09-01');
const LAST_DAY = dayNumber('2027-08-31');
const dateArb = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(dateOfDay);

/** Text as zod outputs it (trimmed, 1 to 500 characters), Chinese and English. */
const textArb = fc.oneof(
  fc.constantFrom('某智能制造企业', '数控编程教学改革', 'TU Dresden', '产教融合', 'x'),
  // Ends that are neither whitespace (zod trims it) nor a control character (the fast guard leaves those to zod).
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }).filter((s) => s.length <= 500 && /^\S(?:.*\S)?$/su.test(s) && s.charCodeAt(0) > 32 && s.charCodeAt(s.length - 1) > 32),
  fc.constant('长'.repeat(500)),
);
const idArb = fc.oneof(fc.constantFrom('t1', 't2', 'T000042'), fc.string({ minLength: 1, maxLength: 128 }));

/** A decimal within bounds: its ends, clean hundredths and any double between. */
function decimalArb(min: number, max: number): fc.Arbitrary<number> {
  // min × 100 may fall a rounding error short of its whole number (0.57 × 100 = 56.99…).
  const low = Math.ceil(min * 100 - 1e-6);
  const high = Math.floor(max * 100 + 1e-6);
  return fc.oneof(
    fc.constantFrom(min, max),
    ...(low <= high ? [fc.integer({ min: low, max: high }).map((h) => Math.min(max, Math.max(min, h / 100)))] : []),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
  );
}

/** A valid value of a field, as zod outputs it. Exhaustive: a field type without an arbitrary does not compile. */
export function fieldValueArb(spec: FieldSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'date':
      return dateArb;
    case 'year':
      return fc.integer({ min: 2019, max: 2026 });
    case 'text':
      return textArb;
    case 'text_list':
      return fc.array(textArb, { maxLength: Math.min(spec.maxItems, 5) });
    case 'teacher_ref':
      return idArb;
    case 'enum':
      return fc.constantFrom(...Object.keys(spec.values));
    case 'integer':
      return fc.oneof(fc.constantFrom(spec.min, spec.max), fc.integer({ min: spec.min, max: spec.max }));
    case 'yuan':
      return fc.oneof(fc.constantFrom(0, 10_000_000_000), fc.integer({ min: 0, max: 2_000_000 }));
    case 'decimal':
      return decimalArb(spec.min, spec.max);
    case 'team_rank':
      return fc.integer({ min: 1, max: 1000 });
    case 'team_share':
      return fc.oneof(
        fc.constant(1),
        fc.integer({ min: 1, max: 100 }).map((k) => k / 100),
        fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
      );
  }
}

/** A valid record of a compiled kind: every required field, each optional one present or absent (never `undefined`). */
export function recordArbOf(compiled: CompiledKind, teacherId = 't1'): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const [name, spec] of compiled.fields) {
    shape[name] = fieldValueArb(spec);
    if (!spec.optional) required.push(name);
  }
  const period = compiled.declaration.period;
  return fc.tuple(fc.constantFrom('verified', 'pending', 'rejected'), fc.record(shape, { requiredKeys: required }), fc.integer({ min: 0, max: 1_000_000 })).map(([status, fields, n]) => {
    const record: Record<string, unknown> = { id: `r${n}`, teacherId, kind: compiled.kind, status, ...fields };
    // A period does not run backwards: put its ends in order.
    if (period && typeof record[period.end] === 'string' && (record[period.end] as string) < (record[period.start] as string)) {
      [record[period.start], record[period.end]] = [record[period.end], record[period.start]];
    }
    return record;
  });
}

// ---- random kind declarations ---------------------------------------------------------------------------------

const label = (en: string) => ({ zh: `《${en}》`, en });
const fieldNames = ['date', 'start', 'end', 'level', 'amount', 'title', 'topics', 'partnerId', 'hours', 'ratio', 'year', 'grade', 'published', 'issuedOn'];

/** A field spec of any type a policy may declare (not the team fields, which `team` adds). */
const ownFieldArb: fc.Arbitrary<FieldSpec> = fc
  .tuple(
    fc.constantFrom('date', 'year', 'text', 'text_list', 'teacher_ref', 'enum', 'integer', 'yuan', 'decimal'),
    fc.boolean(),
    fc.integer({ min: -1000, max: 1000 }),
    fc.integer({ min: 0, max: 100_000 }),
    fc.uniqueArray(fc.constantFrom('national', 'provincial', 'school', 'core', 'a_1', 'B2', 'x'), { minLength: 1, maxLength: 5 }),
    fc.integer({ min: 1, max: 20 }),
  )
  .map(([type, optional, low, span, values, maxItems]): FieldSpec => {
    const common = { label: label(type), ...(optional ? { optional: true as const } : {}) };
    switch (type) {
      case 'enum':
        return { ...common, type, values: Object.fromEntries(values.map((value) => [value, label(value)])) };
      case 'integer':
        return { ...common, type, min: low, max: low + span };
      case 'decimal':
        return { ...common, type, min: low / 100, max: (low + span) / 100 };
      case 'text_list':
        return { ...common, type, maxItems };
      default:
        return { ...common, type };
    }
  });

/**
 * A kind declaration a policy may hold: one to six fields of any type, placed by a required date, by a period of
 * two required dates (with its order check), or by a required year; sometimes a team result.
 */
export const kindDeclarationArb: fc.Arbitrary<KindDeclaration> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...fieldNames), { minLength: 1, maxLength: 6 }), fc.array(ownFieldArb, { minLength: 6, maxLength: 6 }), fc.constantFrom('date', 'period', 'year'), fc.boolean(), fc.boolean())
  .map(([names, specs, by, team, openEnded]): KindDeclaration => {
    const fields: Record<string, FieldSpec> = {};
    names.forEach((name, index) => {
      fields[name] = specs[index]!;
    });
    const requiredDate = { type: 'date' as const, label: label('date') };
    let placement: KindDeclaration['placement'];
    let period: KindDeclaration['period'];
    if (by === 'date') {
      fields.placedOn = requiredDate;
      placement = { by: 'date', field: 'placedOn' };
    } else if (by === 'period') {
      fields.from = requiredDate;
      fields.until = requiredDate;
      placement = { by: 'period', start: 'from', end: 'until' };
      period = { start: 'from', end: 'until' };
    } else {
      fields.ofYear = { type: 'year', label: label('year') };
      placement = { by: 'year', field: 'ofYear' };
    }
    // An open-ended pair besides (the end may be left out), checked for order like mentoring's.
    if (by !== 'period' && openEnded) {
      fields.opened = requiredDate;
      fields.closed = { ...requiredDate, optional: true };
      period = { start: 'opened', end: 'closed' };
    }
    return { label: label('own kind'), noun: { en: 'item', enPlural: 'items', zhUnit: '项' }, fields, ...(team ? { team: true as const } : {}), placement, ...(period ? { period } : {}) };
  });
