import { hundredths, ONE } from '../exact.js';
import type { Placement } from '../evidence/declaration.js';
import { decimal, teamShare, type AnyRecord, type CompiledFactor, type CompiledRules, type Dispatch, type KindEntry, type RecordHandler, type RecordSink, type Run } from './compile.js';

/**
 * A per-record item's handler for one kind, generated as source where the platform allows it (Node, browsers
 * without a strict CSP; Workers forbid `new Function` and get the closures of compile.ts, with the same
 * results). Each handler is its own function, reading its kind's fields by name: its property reads see that
 * kind's few shapes and its calls one target, as a hand-written branch per kind would, where closures made by
 * one factory share their feedback across every kind and item. Only constants from a validated policy enter
 * the source: names and values through JSON.stringify, numbers as finite numbers; the rest are parameters.
 */

/** What a per-record handler does, decided at compile time. */
export interface HandlerPlan {
  compiled: CompiledRules;
  /** The date field the item scores on (`scoredOn`, or the kind's), else the kind's placement. */
  year: { by: 'on_date'; field: string } | Placement;
  where: ReadonlyArray<{ field: string; in: ReadonlyArray<string | number> }>;
  weighted: boolean;
  factor?: { field: string; bands: ReadonlyArray<CompiledFactor & { min: number }>; below: CompiledFactor; absent: CompiledFactor };
  rule: { type: 'fixed'; id: string; points: unknown } | { type: 'table'; keys: readonly string[]; table: unknown } | { type: 'per_amount'; id: string; points: unknown; per: unknown; amount: readonly string[]; whole: boolean };
  /** Direct: straight into the tally (category index and id); else the limited item's sink. */
  emit: { direct: true; categoryIndex: number; category: string } | { direct: false; sink: RecordSink };
}

const read = (field: string) => `record[${JSON.stringify(field)}]`;
const literal = (value: string | number) => {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('not a finite number');
  return JSON.stringify(value);
};

function yearSource(year: HandlerPlan['year']): string {
  switch (year.by) {
    case 'on_date':
      return `const date = ${read(year.field)}; if (!(date !== undefined && date >= run.span.start && date <= run.span.end)) return;`;
    case 'date':
      return `const date = ${year.whileAbsent === undefined ? read(year.field) : `${read(year.field)} ?? ${read(year.whileAbsent)}`}; if (!(date >= run.span.start && date <= run.span.end)) return;`;
    case 'period':
      return `if (!(${read(year.start)} <= run.span.end && ${read(year.end)} >= run.span.start)) return;`;
    case 'year':
      return `if (${read(year.field)} !== run.year) return;`;
  }
}

function ruleSource(rule: HandlerPlan['rule']): { lookup: string; points: string; quantity: string; id: string } {
  switch (rule.type) {
    case 'fixed':
      return { lookup: '', points: 'hundredths(1, constants.points, share.fraction, factor.fraction)', quantity: '1', id: literal(rule.id) };
    case 'table': {
      let path = 'constants.table';
      for (const key of rule.keys) path = `step(${path}, ${read(key)})`;
      return { lookup: `const entry = ${path}; if (entry === undefined || entry instanceof Map) return;`, points: 'hundredths(1, entry.points, share.fraction, factor.fraction)', quantity: '1', id: 'entry.rule' };
    }
    case 'per_amount': {
      const [first, second] = rule.amount as [string, string | undefined];
      const id = literal(rule.id);
      if (second === undefined) {
        const points = rule.whole ? 'hundredths(value, constants.points, share.fraction, factor.fraction, ONE, constants.per)' : 'hundredths(1, decimal(compiled, value).fraction, constants.points, share.fraction, factor.fraction, constants.per)';
        return { lookup: `const value = ${read(first)};`, points, quantity: 'value', id };
      }
      if (rule.whole) {
        return { lookup: `const value = ${read(first)}; const other = decimal(compiled, ${read(second)}).fraction;`, points: 'hundredths(value, other, constants.points, factor.fraction, share.fraction, constants.per)', quantity: 'hundredths(value, other) / 100', id };
      }
      return {
        lookup: `const a = decimal(compiled, ${read(first)}).fraction; const other = decimal(compiled, ${read(second)}).fraction;`,
        points: 'hundredths(1, a, other, constants.points, constants.product(share.fraction, factor.fraction), constants.per)',
        quantity: 'hundredths(1, a, other) / 100',
        id,
      };
    }
  }
}

function factorSource(factor: HandlerPlan['factor']): string {
  if (factor === undefined) return 'const factor = SOLE;';
  const chain = factor.bands.map((band, index) => `rated >= ${literal(band.min)} ? constants.bands[${index}] : `).join('');
  return `const rated = ${read(factor.field)}; const factor = rated === undefined ? constants.absent : ${chain}constants.below;`;
}

/** `entry`'s entry for `value` when it is a table, else undefined (a value the table does not list). */
function step(entry: unknown, value: unknown): unknown {
  return entry instanceof Map ? entry.get(value) : undefined;
}

export function generatedHandler(plan: HandlerPlan, product: (x: unknown, y: unknown) => unknown): RecordHandler {
  const rule = ruleSource(plan.rule);
  const where = plan.where.map((condition) => `{ const value = ${read(condition.field)}; if (!(${condition.in.map((value) => `value === ${literal(value)}`).join(' || ')})) return; }`);
  const quantity = 'quantity';
  const factorShown = plan.factor === undefined ? 'undefined' : 'factor.factor';
  const emit = plan.emit.direct
    ? `run.tally.record(verified, ${literal(plan.emit.categoryIndex)}, ${literal(plan.emit.category)}, ${rule.id}, record.id, ${quantity}, share.factor, ${factorShown}, points);`
    : `sink(run, verified, record, ${rule.id}, ${quantity}, share.factor, ${factorShown}, points);`;
  const body = [
    yearSource(plan.year),
    ...where,
    `{ ${rule.lookup}`,
    plan.weighted ? 'const share = teamShare(compiled, record.rank, record.share);' : 'const share = SOLE;',
    factorSource(plan.factor),
    `const points = ${rule.points};`,
    `const quantity = ${rule.quantity};`,
    emit,
    '}',
  ].join('\n');
  const source = `"use strict"; return function scoreRecord(record, verified, run) {\n${body}\n};`;
  const constants = { ...plan.rule, ...(plan.factor ?? {}), product };
  const sink = plan.emit.direct ? undefined : plan.emit.sink;
  return new Function('hundredths', 'ONE', 'decimal', 'teamShare', 'step', 'compiled', 'SOLE', 'constants', 'sink', source)(hundredths, ONE, decimal, teamShare, step, plan.compiled, SOLE_FACTOR, constants, sink) as RecordHandler;
}

const SOLE_FACTOR: CompiledFactor = { factor: 1, fraction: ONE };

/** The pass's step for one record as one switch over kinds, each case calling its kind's vetoes and handlers. */
export function generatedDispatch(kinds: ReadonlyMap<string, KindEntry>, vetoCheck: (entry: KindEntry) => (record: AnyRecord, run: Run) => void): Dispatch {
  const names: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    names.push(`f${names.length}`);
    values.push(value);
    return names.at(-1)!;
  };
  const cases: string[] = [];
  for (const [kind, entry] of kinds) {
    const calls: string[] = [];
    if (entry.vetoes.length > 0) calls.push(`if (verified) ${bind(vetoCheck(entry))}(record, run);`);
    for (const handler of entry.handlers) calls.push(`${bind(handler)}(record, verified, run);`);
    if (calls.length > 0) cases.push(`case ${literal(kind)}: ${calls.join(' ')} break;`);
  }
  const source = `"use strict"; return function dispatch(record, kind, verified, run) {\nswitch (kind) {\n${cases.join('\n')}\n}\n};`;
  return new Function(...names, source)(...values) as Dispatch;
}
