import { z } from 'zod';
import { academicYearOfDate, academicYearPeriod } from '../calendar.js';
import type { KindDeclaration, Placement } from './declaration.js';
import { fieldGuard, fieldSchema, idSchema, isDate, isId, isInt, isText, keyCount, type Bilingual, type FieldSpec } from './fields.js';

/**
 * A set of evidence kinds compiled once: each kind's zod schema, the union of them all, one fast validator,
 * the academic years a record touches, and the labels of kinds, fields and values. The built-in kinds form
 * one registry; a policy that declares kinds of its own gets its own (registryFor in policy.ts).
 */

export const recordStatuses = ['verified', 'pending', 'rejected'] as const;
const statusSchema = z.enum(recordStatuses);

const teamFields: Record<'rank' | 'share', FieldSpec> = {
  rank: { type: 'team_rank', optional: true, label: { zh: '排名', en: 'rank in team' } },
  share: { type: 'team_share', optional: true, label: { zh: '分配份额', en: 'share' } },
};

/** A record as the registry sees it: the base fields and any others. */
type AnyRecord = { id: string; teacherId: string; kind: string; status: string } & Record<string, unknown>;

export interface CompiledKind {
  kind: string;
  declaration: KindDeclaration;
  /** Every field of the kind besides the base ones, in form order (team fields last). */
  fields: ReadonlyArray<readonly [name: string, spec: FieldSpec]>;
  schema: z.ZodObject;
  /**
   * Does the record touch the academic years `firstYear`–`lastYear`, whose first and last dates are given? For
   * windows, storage and listings.
   */
  within: (record: AnyRecord, firstYear: number, lastYear: number, firstDate: string, lastDate: string) => boolean;
  /** The record as it stood on `asOf`: undefined when it lies after, a period cut at it. */
  asOf: <R extends AnyRecord>(record: R, asOf: string, yearStart: { month: number; day: number }) => R | undefined;
  /** Does it fall in `year` for scoring (mentoring scores at its end, so an open pairing never does)? */
  scoredIn: (record: AnyRecord, year: number, firstDate: string, lastDate: string) => boolean;
  /** The academic years the record touches, oldest first. */
  years: (record: AnyRecord, yearStart: { month: number; day: number }) => number[];
  /**
   * Where the record lies, independent of any policy's calendar: its first and last placing dates (dated and
   * period kinds) or its academic year (year-valued kinds). What storage keeps, so a year query is a date range
   * computed from the active calendar when it runs.
   */
  placed: (record: AnyRecord) => { first: string; last: string; year: null } | { first: null; last: null; year: number };
}

export class EvidenceRegistry {
  readonly kinds: ReadonlyMap<string, CompiledKind>;
  readonly kindIds: readonly string[];
  /** Every kind's schema, discriminated on `kind`. */
  readonly recordSchema: z.ZodDiscriminatedUnion<z.ZodObject[], 'kind'>;
  /** True when `input` is a valid record exactly as zod outputs it; false means "not sure" (zod then decides). */
  readonly isValidFast: (input: unknown) => boolean;

  constructor(declarations: Readonly<Record<string, KindDeclaration>>) {
    const kinds = new Map<string, CompiledKind>();
    for (const [kind, declaration] of Object.entries(declarations)) kinds.set(kind, compileKind(kind, declaration));
    this.kinds = kinds;
    this.kindIds = [...kinds.keys()];
    const schemas = [...kinds.values()].map((compiled) => compiled.schema);
    this.recordSchema = z.discriminatedUnion('kind', schemas as [z.ZodObject, ...z.ZodObject[]]);
    this.isValidFast = compileGuard([...kinds.values()]);
  }

  kind(kind: string): CompiledKind | undefined {
    return this.kinds.get(kind);
  }

  /** A kind's zh/en name as declared; a kind the registry lacks (a row of a kind since dropped) is named by its id. */
  label(kind: string): Bilingual {
    return this.kinds.get(kind)?.declaration.label ?? { zh: kind, en: kind };
  }

  /** Kinds that carry `rank`/`share`. */
  get teamKinds(): string[] {
    return this.kindIds.filter((kind) => this.kinds.get(kind)!.declaration.team === true);
  }

  /** The labels of a kind, its fields and its enum values, for forms, templates and headings. */
  describeKind(kind: string): KindDescription | undefined {
    const compiled = this.kinds.get(kind);
    if (!compiled) return undefined;
    return {
      kind,
      label: compiled.declaration.label,
      declarable: compiled.declaration.declarable !== false,
      team: compiled.declaration.team === true,
      fields: compiled.fields.map(([name, spec]) => ({
        name,
        type: spec.type,
        label: spec.label,
        optional: spec.optional === true,
        ...(spec.type === 'enum' ? { values: Object.entries(spec.values).map(([value, label]) => ({ value, label })) } : {}),
      })),
      jsonSchema: z.toJSONSchema(compiled.schema, { unrepresentable: 'any' }) as Record<string, unknown>,
    };
  }
}

export interface KindDescription {
  kind: string;
  label: Bilingual;
  /** Teachers may declare it themselves. */
  declarable: boolean;
  team: boolean;
  fields: Array<{ name: string; type: FieldSpec['type']; label: Bilingual; optional: boolean; values?: Array<{ value: string; label: Bilingual }> }>;
  /** The record's JSON Schema (draft 2020-12), base fields included. */
  jsonSchema: Record<string, unknown>;
}

function compileKind(kind: string, declaration: KindDeclaration): CompiledKind {
  const fields: Array<readonly [string, FieldSpec]> = Object.entries(declaration.fields);
  if (declaration.team) fields.push(['rank', teamFields.rank], ['share', teamFields.share]);
  const shape: Record<string, z.ZodType> = { id: idSchema, teacherId: idSchema, status: statusSchema, kind: z.literal(kind) };
  for (const [name, spec] of fields) shape[name] = fieldSchema(spec);
  let schema = z.strictObject(shape);
  const period = declaration.period;
  if (period) {
    schema = schema.superRefine((value, ctx) => {
      const start = value[period.start];
      const end = value[period.end];
      if (end !== undefined && isDate(start) && isDate(end) && end < start) ctx.addIssue({ code: 'custom', path: [period.end], message: 'before start' });
    });
  }
  const placement = placementOf(declaration.placement);
  const scoredOn = declaration.scoredOn;
  const scoredIn: CompiledKind['scoredIn'] =
    scoredOn === undefined
      ? (record, year, first, last) => placement.within(record, year, year, first, last)
      : (record, _year, first, last) => {
          const date = record[scoredOn] as string | undefined;
          return date !== undefined && date >= first && date <= last;
        };
  return { kind, declaration, fields, schema, scoredIn, ...placement };
}

/** The one place that decides which academic years a record touches. */
function placementOf(placement: Placement): Pick<CompiledKind, 'within' | 'years' | 'asOf' | 'placed'> {
  switch (placement.by) {
    case 'date': {
      const { field, whileAbsent } = placement;
      const dateOf = (record: AnyRecord) => (record[field] ?? (whileAbsent === undefined ? undefined : record[whileAbsent])) as string;
      return {
        within: (record, _firstYear, _lastYear, first, last) => {
          const date = dateOf(record);
          return date >= first && date <= last;
        },
        years: (record, yearStart) => [academicYearOfDate(dateOf(record), yearStart)],
        placed: (record) => ({ first: dateOf(record), last: dateOf(record), year: null }),
        asOf: (record, asOf) => (dateOf(record) <= asOf ? record : undefined),
      };
    }
    case 'period': {
      const { start, end } = placement;
      return {
        within: (record, _firstYear, _lastYear, first, last) => (record[start] as string) <= last && (record[end] as string) >= first,
        placed: (record) => ({ first: record[start] as string, last: record[end] as string, year: null }),
        years: (record, yearStart) => {
          const years: number[] = [];
          for (let year = academicYearOfDate(record[start] as string, yearStart), last = academicYearOfDate(record[end] as string, yearStart); year <= last; year++) years.push(year);
          return years;
        },
        asOf: (record, asOf) => {
          if ((record[start] as string) > asOf) return undefined;
          return (record[end] as string) > asOf ? { ...record, [end]: asOf } : record;
        },
      };
    }
    case 'year': {
      const { field } = placement;
      return {
        within: (record, firstYear, lastYear) => (record[field] as number) >= firstYear && (record[field] as number) <= lastYear,
        years: (record) => [record[field] as number],
        placed: (record) => ({ first: null, last: null, year: record[field] as number }),
        // A year-valued record counts from its year's first day.
        asOf: (record, asOf, yearStart) => (academicYearPeriod(record[field] as number, yearStart).start <= asOf ? record : undefined),
      };
    }
  }
}

/**
 * One validator for all kinds. Where the platform allows code generation (Node, browsers without a strict CSP)
 * it is generated: one switch with a branch per kind, each reading its fields by name, as a hand-written
 * validator would (a property read in one branch sees that kind's few shapes; a shared loop over field names
 * would see every shape of every kind, several times slower). Elsewhere (Workers forbid `new Function`) the
 * same checks run as closures. Only constants from validated declarations enter the source, each through
 * JSON.stringify or as a finite number.
 */
function compileGuard(kinds: readonly CompiledKind[]): (input: unknown) => boolean {
  // Workers allow code generation at startup only: canGenerateCode() answered there stays true, and a registry built
  // in a request (a policy's own kinds) is refused with an EvalError; it gets the closures, as compile.ts does.
  if (canGenerateCode()) {
    try {
      return generatedGuard(kinds);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
    }
  }
  return closureGuard(kinds);
}

/** Whether the platform allows `new Function` (Workers do not): decided once. */
let codeGeneration: boolean | undefined;
export function canGenerateCode(): boolean {
  if (codeGeneration === undefined) {
    try {
      codeGeneration = new Function('return 1')() === 1;
    } catch {
      codeGeneration = false;
    }
  }
  return codeGeneration;
}

const STATUS_CHECK = recordStatuses.map((status) => `record.status === ${JSON.stringify(status)}`).join(' || ');

function generatedGuard(kinds: readonly CompiledKind[]): (input: unknown) => boolean {
  const branches = kinds.map((compiled) => {
    const lines: string[] = [];
    let required = 4;
    const variable = new Map<string, string>();
    compiled.fields.forEach(([name, spec], index) => {
      const v = `v${index}`;
      variable.set(name, v);
      const check = fieldGuard(spec).expression(v);
      lines.push(`const ${v} = record[${JSON.stringify(name)}];`);
      if (spec.optional) lines.push(`if (${v} !== undefined) { if (!(${check})) return false; keys++; }`);
      else {
        lines.push(`if (!(${check})) return false;`);
        required++;
      }
    });
    const period = compiled.declaration.period;
    if (period) {
      const start = variable.get(period.start)!;
      const end = variable.get(period.end)!;
      lines.push(`if (${end} !== undefined && ${end} < ${start}) return false;`);
    }
    return `case ${JSON.stringify(compiled.kind)}: {\n keys = ${required};\n${lines.join('\n')}\n break;\n}`;
  });
  const source = `return function isValidRecordFast(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return false;
  const record = input;
  if (!isId(record.id) || !isId(record.teacherId) || !(${STATUS_CHECK})) return false;
  let keys;
  switch (record.kind) {
${branches.join('\n')}
    default:
      return false;
  }
  return keyCount(record) === keys;
};`;
  return new Function('isDate', 'isText', 'isId', 'isInt', 'keyCount', source)(isDate, isText, isId, isInt, keyCount) as (input: unknown) => boolean;
}

function closureGuard(kinds: readonly CompiledKind[]): (input: unknown) => boolean {
  const checks = new Map(
    kinds.map((compiled) => {
      const fields = compiled.fields.map(([name, spec]) => ({ name, optional: spec.optional === true, test: fieldGuard(spec).test }));
      const period = compiled.declaration.period;
      return [
        compiled.kind,
        (record: Record<string, unknown>): boolean => {
          let keys = 4;
          for (const field of fields) {
            const value = record[field.name];
            if (value === undefined && field.optional) continue;
            if (!field.test(value)) return false;
            keys++;
          }
          if (period) {
            const end = record[period.end] as string | undefined;
            if (end !== undefined && end < (record[period.start] as string)) return false;
          }
          return keyCount(record) === keys;
        },
      ] as const;
    }),
  );
  return (input) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return false;
    const record = input as Record<string, unknown>;
    if (!isId(record.id) || !isId(record.teacherId) || !(recordStatuses as readonly unknown[]).includes(record.status)) return false;
    const check = checks.get(record.kind as string);
    return check?.(record) === true;
  };
}
