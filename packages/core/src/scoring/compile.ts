import { academicYearDays, academicYearPeriod } from '../calendar.js';
import { hundredths, ONE, toFraction, toHundredths, type Fraction } from '../exact.js';
import { isParsedPolicy, rankShareIndex, type Grade, type Policy } from '../policy.js';
import type { PeriodLike, PracticeStatus } from '../practice.js';
import { registryOf } from '../records.js';
import { canGenerateCode, type EvidenceRegistry } from '../evidence/registry.js';
import { generatedDispatch, generatedHandler, type HandlerPlan } from './generate.js';
import type { ScoringItem } from './schema.js';
import { finishDays, finishMean, finishPractice, finishSaturating, LineInputs, PerRecordLines, resolveLimited, traceLine, type PostItem, type Tally } from './tally.js';

/**
 * Stage one of scoring: a policy compiled, once, into what the record pass runs. Every scoring item becomes a
 * handler per kind it scores, so the pass looks up a record's kind once and runs exactly the handlers of the
 * items that read it, in item order. Policy numbers are exact fractions, trace rule ids and table lookups are
 * built here, so the pass does no string building, table walking or decimal parsing per record.
 */

export type AnyRecord = { id: string; teacherId: string; kind: string; status: string } & Record<string, unknown>;

/** A policy factor with the number shown in the trace and its exact fraction. */
export interface CompiledFactor {
  factor: number;
  fraction: Fraction;
}

/** An academic year's first and last date and day number. */
export interface YearSpan {
  start: string;
  end: string;
  first: number;
  last: number;
}

/** What one teacher and year's scoring carries through the pass: the tally and each post-pass item's inputs. */
export interface Run {
  readonly compiled: CompiledRules;
  readonly year: number;
  readonly span: YearSpan;
  readonly tally: Tally;
  /** Per post-pass item (its `slot`), what the pass gathered for it; undefined while no record reached it. */
  readonly state: unknown[];
  /** Per kind veto (by index), the verified records of the year that set it off; undefined: none. */
  readonly vetoRecordIds: Array<string[] | undefined>;
  /** The practice status of the year: set after the pass, before the post-pass items are settled. */
  practice?: PracticeStatus;
}

/** Run the handlers of `kind` (and its vetoes, when verified) on one record of the pass. */
export type Dispatch = (record: AnyRecord, kind: string, verified: boolean, run: Run) => void;

/** What an item does with one record of a kind it scores (verified, or pending and in the year). */
export type RecordHandler = (record: AnyRecord, verified: boolean, run: Run) => void;

/** A kind veto's test of one verified record of its kind: does it fall in the year and match the filter? */
export interface KindVetoCheck {
  /** Index among the policy's kind vetoes. */
  index: number;
  hits: (record: AnyRecord, year: number, firstDate: string, lastDate: string) => boolean;
}

/** Everything the pass needs about one kind, found by one lookup per record. */
export interface KindEntry {
  /**
   * Does a record of the kind fall in the run's year for some item: the registry's `scoredIn`, written out, or the
   * date of an item's `scoredOn` (a pending record outside this test is skipped, so it must cover every item).
   */
  inYear: (record: AnyRecord, run: Run) => boolean;
  /** The handlers of the items that score the kind, in item order. */
  handlers: RecordHandler[];
  vetoes: KindVetoCheck[];
}

export interface CompiledRules {
  policy: Policy;
  /** The policy's categories in order: trace lines and sums refer to them by index. */
  categories: string[];
  /** Cap of each category in hundredths, by index. */
  caps: number[];
  /** The categories as an object with every id in order (values filled per appraisal). */
  categoryTemplate: Record<string, { raw: number; capped: number; cap: number }>;
  registry: EvidenceRegistry;
  kinds: ReadonlyMap<string, KindEntry>;
  /** Items settled after the pass (line rules, and items with a cap, a group or a count limit), in item order. */
  post: PostItem[];
  dispatch: Dispatch;
  /** Grade bands with their minimum in hundredths, best first. */
  bands: Array<{ grade: Grade; min: number }>;
  /** The policy's vetoes in order; a kind veto carries its index among the kind vetoes. */
  vetoes: Array<{ id: string; grade: Grade; practice: true } | { id: string; grade: Grade; practice: false; index: number }>;
  kindVetoCount: number;
  /** Decimals met at run time (explicit shares, hours) with their fractions; bounded. */
  decimals: Map<number, CompiledFactor>;
  /** First and last date and day number of each academic year asked for. */
  years: Map<number, YearSpan>;
  shareByRank: CompiledFactor[];
}

/** Cached decimal → fraction. Bounded: record values (hours, shares) pass through here too. */
const CACHE_LIMIT = 4096;
export function decimal(compiled: CompiledRules, value: number): CompiledFactor {
  let cached = compiled.decimals.get(value);
  if (cached === undefined) {
    cached = { factor: value, fraction: toFraction(value) };
    if (compiled.decimals.size < CACHE_LIMIT) compiled.decimals.set(value, cached);
  }
  return cached;
}

export function yearSpan(compiled: CompiledRules, year: number): YearSpan {
  let span = compiled.years.get(year);
  if (span === undefined) {
    const yearStart = compiled.policy.calendar.yearStart;
    span = { ...academicYearPeriod(year, yearStart), ...academicYearDays(year, yearStart) };
    if (compiled.years.size < CACHE_LIMIT) compiled.years.set(year, span);
  }
  return span;
}

/**
 * A team result's share (SPEC §4): the explicit share, else the rank table (rank 1 when absent; ranks past the
 * table take its last entry). Cached per value, so a share costs no allocation.
 */
export function teamShare(compiled: CompiledRules, rank: number | undefined, share: number | undefined): CompiledFactor {
  if (share !== undefined) return decimal(compiled, share);
  return compiled.shareByRank[rankShareIndex(rank, compiled.shareByRank.length)]!;
}

const SOLE: CompiledFactor = { factor: 1, fraction: ONE };

function compileRules(policy: Policy, items: readonly ScoringItem[]): CompiledRules {
  const categories = policy.appraisal.categories.map((category) => category.id);
  const registry = registryOf(policy);
  const kinds = new Map<string, KindEntry>();
  for (const kind of registry.kindIds) kinds.set(kind, { inYear: yearTest(registry, kind, undefined), handlers: [], vetoes: [] });
  const compiled: CompiledRules = {
    policy,
    categories,
    caps: policy.appraisal.categories.map((category) => toHundredths(category.cap)),
    categoryTemplate: Object.fromEntries(categories.map((id) => [id, { raw: 0, capped: 0, cap: 0 }])),
    registry,
    kinds,
    post: [],
    dispatch: () => undefined,
    bands: policy.appraisal.grades.bands.map((band) => ({ grade: band.grade, min: toHundredths(band.min) })),
    vetoes: [],
    kindVetoCount: 0,
    decimals: new Map(),
    years: new Map(),
    shareByRank: policy.shareByRank.map((value) => ({ factor: value, fraction: toFraction(value) })),
  };
  compileVetoes(compiled);
  for (const item of items) compileItem(compiled, item);
  compiled.dispatch = dispatchOf(kinds);
  return compiled;
}

/** A kind's vetoes run on a verified record: the ids of those it sets off are kept per veto. */
export function vetoCheck(entry: KindEntry): (record: AnyRecord, run: Run) => void {
  const vetoes = entry.vetoes;
  return (record, run) => {
    for (const veto of vetoes) if (veto.hits(record, run.year, run.span.start, run.span.end)) (run.vetoRecordIds[veto.index] ??= []).push(record.id);
  };
}

/**
 * The pass's step for one record: generated as one switch over the kinds that have handlers or vetoes, each
 * case calling its own (so every call has one target, and the handlers can be inlined), as the old
 * hand-written branch per kind did; as closures where code generation is refused (Workers, in a request).
 */
function dispatchOf(kinds: ReadonlyMap<string, KindEntry>): Dispatch {
  if (canGenerateCode()) {
    try {
      return generatedDispatch(kinds, vetoCheck);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
    }
  }
  const checks = new Map([...kinds].map(([kind, entry]) => [kind, { check: entry.vetoes.length > 0 ? vetoCheck(entry) : undefined, handlers: entry.handlers }]));
  return (record, kind, verified, run) => {
    const { check, handlers } = checks.get(kind)!;
    if (verified && check !== undefined) check(record, run);
    for (let index = 0; index < handlers.length; index++) handlers[index]!(record, verified, run);
  };
}

function compileVetoes(compiled: CompiledRules): void {
  compiled.vetoes = compiled.policy.appraisal.vetoes.map((veto): CompiledRules['vetoes'][number] => {
    if (veto.when === 'practice_noncompliant') return { id: veto.id, grade: veto.maxGrade, practice: true };
    const { kind, where } = veto.when;
    const entry = compiled.kinds.get(kind)!;
    const scoredIn = compiled.registry.kind(kind)!.scoredIn;
    const hits: KindVetoCheck['hits'] =
      where === undefined ? (record, year, first, last) => scoredIn(record, year, first, last) : (record, year, first, last) => scoredIn(record, year, first, last) && where.every((condition) => condition.in.some((value) => value === record[condition.field]));
    const index = compiled.kindVetoCount++;
    entry.vetoes.push({ index, hits });
    return { id: veto.id, grade: veto.grade, practice: false, index };
  });
}

/**
 * Does a record fall in the run's year for scoring: on the item's date field when it names one (`scoredOn`),
 * else as the kind places it (registry `scoredIn`). Written out per placement, so the test is one closure
 * reading the record's fields, not the registry's chain of them.
 */
function yearTest(registry: EvidenceRegistry, kind: string, scoredOn: string | undefined): (record: AnyRecord, run: Run) => boolean {
  const declaration = registry.kind(kind)!.declaration;
  const onDate = scoredOn ?? declaration.scoredOn;
  if (onDate !== undefined) {
    return (record, run) => {
      const date = record[onDate] as string | undefined;
      return date !== undefined && date >= run.span.start && date <= run.span.end;
    };
  }
  const placement = declaration.placement;
  switch (placement.by) {
    case 'date': {
      const { field, whileAbsent } = placement;
      if (whileAbsent !== undefined) {
        return (record, run) => {
          const date = (record[field] ?? record[whileAbsent]) as string;
          return date >= run.span.start && date <= run.span.end;
        };
      }
      return (record, run) => {
        const date = record[field] as string;
        return date >= run.span.start && date <= run.span.end;
      };
    }
    case 'period': {
      const { start, end } = placement;
      return (record, run) => (record[start] as string) <= run.span.end && (record[end] as string) >= run.span.start;
    }
    case 'year': {
      const field = placement.field;
      return (record, run) => record[field] === run.year;
    }
  }
}

/** Does a record of `kind` count for the item: in the year, and past its filter? */
function acceptor(compiled: CompiledRules, item: ScoringItem, kind: string): (record: AnyRecord, run: Run) => boolean {
  const inYear = yearTest(compiled.registry, kind, item.scoredOn);
  const where = item.where;
  if (where === undefined || where.length === 0) return inYear;
  return (record, run) => {
    if (!inYear(record, run)) return false;
    for (const condition of where) if (!condition.in.includes(record[condition.field] as string | number)) return false;
    return true;
  };
}

/** The item's factor bands (client satisfaction) as compiled factors, chosen per record without allocating. */
function factorBands(item: ScoringItem): ((record: AnyRecord) => CompiledFactor) | undefined {
  const rule = item.factor;
  if (rule === undefined) return undefined;
  const compile = (value: number): CompiledFactor => ({ factor: value, fraction: toFraction(value) });
  const bands = rule.bands.map((band) => ({ min: band.min, ...compile(band.factor) }));
  const below = compile(rule.below);
  const absent = compile(rule.absent);
  const field = rule.field;
  return (record) => {
    const value = record[field] as number | undefined;
    if (value === undefined) return absent;
    for (const band of bands) if (value >= band.min) return band;
    return below;
  };
}

function compileItem(compiled: CompiledRules, item: ScoringItem): void {
  if (item.scoredOn !== undefined) {
    for (const kind of item.kinds) {
      const entry = compiled.kinds.get(kind)!;
      const placed = entry.inYear;
      const scoredOn = yearTest(compiled.registry, kind, item.scoredOn);
      entry.inYear = (record, run) => placed(record, run) || scoredOn(record, run);
    }
  }
  const categoryIndex = compiled.categories.indexOf(item.category);
  const cap = item.cap === undefined ? undefined : toHundredths(item.cap);
  const slot = compiled.post.length;
  const rule = item.rule;
  const entries = item.kinds.map((kind) => compiled.kinds.get(kind)!);
  switch (rule.type) {
    case 'fixed':
    case 'table':
    case 'per_amount': {
      const limited = cap !== undefined || item.groupBy !== undefined || item.maxCount !== undefined;
      const sink = limited ? limitedSink(item, slot, compiled.categories[categoryIndex]!) : directSink(categoryIndex, compiled.categories[categoryIndex]!);
      const emit: HandlerPlan['emit'] = limited ? { direct: false, sink } : { direct: true, categoryIndex, category: compiled.categories[categoryIndex]! };
      item.kinds.forEach((kind, at) => entries[at]!.handlers.push(recordHandler(compiled, item, kind, sink, emit)));
      if (limited) compiled.post.push({ slot, settle: resolveLimited(item, categoryIndex, cap) });
      return;
    }
    case 'saturating_sum':
    case 'mean': {
      const field = rule.field;
      item.kinds.forEach((kind, at) => {
        const accepts = acceptor(compiled, item, kind);
        entries[at]!.handlers.push((record, verified, run) => {
          if (accepts(record, run)) ((run.state[slot] ??= new LineInputs()) as LineInputs).add(verified, record[field] as number, record.id);
        });
      });
      const settle = rule.type === 'mean' ? finishMean(item.id, categoryIndex, cap, toFraction(rule.factor)) : finishSaturating(item.id, categoryIndex, cap, rule.full, toFraction(rule.full), toFraction(rule.points));
      compiled.post.push({ slot, settle });
      return;
    }
    case 'distinct_days': {
      item.kinds.forEach((kind, at) => {
        const placement = compiled.registry.kind(kind)!.declaration.placement;
        const [start, end] = placement.by === 'period' ? [placement.start, placement.end] : ['start', 'end'];
        const accepts = acceptor(compiled, item, kind);
        // A record whose period fields are `start` and `end` is a PeriodLike as it is.
        const period = start === 'start' && end === 'end' ? (record: AnyRecord) => record as unknown as PeriodLike : (record: AnyRecord): PeriodLike => ({ id: record.id, start: record[start] as string, end: (record[end] ?? record[start]) as string });
        entries[at]!.handlers.push((record, verified, run) => {
          if (!accepts(record, run)) return;
          const periods = (run.state[slot] ??= { verified: [], all: [] }) as { verified: PeriodLike[]; all: PeriodLike[] };
          const value = period(record);
          periods.all.push(value);
          if (verified) periods.verified.push(value);
        });
      });
      compiled.post.push({ slot, settle: finishDays(item.id, categoryIndex, cap, toFraction(rule.pointsPerDay)) });
      return;
    }
    case 'practice_days':
      // The year's practice status is computed for every teacher (the practice veto, Appraisal.practice): the
      // item scores its counted days, so it needs no handler in the pass.
      compiled.post.push({ slot, settle: finishPractice(item.id, categoryIndex, cap, toFraction(rule.pointsPerDay)) });
      return;
    default:
      rule satisfies never;
  }
}

/**
 * Where a per-record item's result goes: straight into the trace and totals (no limit), or gathered for the
 * item's limits, resolved after the pass.
 */
export type RecordSink = (run: Run, verified: boolean, record: AnyRecord, rule: string, quantity: number, share: number, factor: number | undefined, points: number) => void;

function directSink(categoryIndex: number, category: string): RecordSink {
  return (run, verified, record, rule, quantity, share, factor, points) => run.tally.record(verified, categoryIndex, category, rule, record.id, quantity, share, factor, points);
}

function limitedSink(item: ScoringItem, slot: number, category: string): RecordSink {
  return (run, verified, record, rule, quantity, share, factor, points) => ((run.state[slot] ??= new PerRecordLines(item.groupBy)) as PerRecordLines).add(record, verified, traceLine(category, rule, [record.id], quantity, share, factor, points), points);
}

/** A table's leaves compiled: per value path, the trace rule id and the points as a fraction. */
type TableLeaf = { rule: string; points: Fraction };
type CompiledTable = Map<string, CompiledTable | TableLeaf>;
function compileTable(id: string, table: unknown): CompiledTable {
  const out: CompiledTable = new Map();
  for (const [value, entry] of Object.entries(table as object)) {
    const rule = `${id}.${value}`;
    out.set(value, typeof entry === 'number' ? { rule, points: toFraction(entry) } : compileTable(rule, entry));
  }
  return out;
}

/** `entry`'s entry for `value` when it is a table, else undefined (a value the table does not list). */
function step(entry: CompiledTable | TableLeaf | undefined, value: unknown): CompiledTable | TableLeaf | undefined {
  return entry instanceof Map ? entry.get(value as string) : undefined;
}

/** Integer fields (integer, yuan) enter the arithmetic as they are; decimals through their exact fraction. */
function isWhole(compiled: CompiledRules, kind: string, field: string): boolean {
  const spec = compiled.registry.kind(kind)!.fields.find(([name]) => name === field)?.[1];
  return spec?.type === 'integer' || spec?.type === 'yuan';
}

/** What the generated handler of a per-record item for one kind does (generate.ts). */
function planOf(compiled: CompiledRules, item: ScoringItem, kind: string, emit: HandlerPlan['emit']): HandlerPlan {
  const declaration = compiled.registry.kind(kind)!.declaration;
  const onDate = item.scoredOn ?? declaration.scoredOn;
  const rule = item.rule;
  const compile = (value: number): CompiledFactor => ({ factor: value, fraction: toFraction(value) });
  const factor = item.factor && { field: item.factor.field, bands: item.factor.bands.map((band) => ({ min: band.min, ...compile(band.factor) })), below: compile(item.factor.below), absent: compile(item.factor.absent) };
  return {
    compiled,
    year: onDate === undefined ? declaration.placement : { by: 'on_date', field: onDate },
    where: item.where ?? [],
    weighted: (item.shareWeighted ?? true) && declaration.team === true,
    ...(factor ? { factor } : {}),
    rule:
      rule.type === 'fixed'
        ? { type: 'fixed', id: item.id, points: toFraction(rule.points) }
        : rule.type === 'table'
          ? { type: 'table', keys: rule.keys, table: compileTable(item.id, rule.points) }
          : rule.type === 'per_amount'
            ? { type: 'per_amount', id: item.id, points: toFraction(rule.points), per: toFraction(rule.per), amount: rule.amount, whole: isWhole(compiled, kind, rule.amount[0]!) }
            : (undefined as never),
    emit,
  };
}

/** A per-record item's handler for one kind, as closures: year and filter, share and factor, points, then the sink. */
function recordHandler(compiled: CompiledRules, item: ScoringItem, kind: string, sink: RecordSink, emit: HandlerPlan['emit']): RecordHandler {
  // Workers allow code generation at startup only: a policy compiled in a request gets the closures.
  if (canGenerateCode()) {
    try {
      return generatedHandler(planOf(compiled, item, kind, emit), product as (x: unknown, y: unknown) => unknown);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
    }
  }
  const accepts = acceptor(compiled, item, kind);
  const weighted = (item.shareWeighted ?? true) && compiled.registry.kind(kind)!.declaration.team === true;
  const shareOf = weighted ? (record: AnyRecord) => teamShare(compiled, record.rank as number | undefined, record.share as number | undefined) : () => SOLE;
  const bands = factorBands(item);
  const factorOf = bands ?? (() => SOLE);
  const factored = bands !== undefined;
  const rule = item.rule;
  const id = item.id;
  switch (rule.type) {
    case 'fixed': {
      const points = toFraction(rule.points);
      return (record, verified, run) => {
        if (!accepts(record, run)) return;
        const share = shareOf(record);
        const factor = factorOf(record);
        sink(run, verified, record, id, 1, share.factor, factored ? factor.factor : undefined, hundredths(1, points, share.fraction, factor.fraction));
      };
    }
    case 'table': {
      const table = compileTable(id, rule.points);
      const [key1, key2, key3] = rule.keys as [string, string | undefined, string | undefined];
      // One, two or three keys, looked up without a loop (a value the table does not list scores nothing).
      const leaf: (record: AnyRecord) => CompiledTable | TableLeaf | undefined =
        key2 === undefined ? (record) => table.get(record[key1] as string) : key3 === undefined ? (record) => step(table.get(record[key1] as string), record[key2]) : (record) => step(step(table.get(record[key1] as string), record[key2]), record[key3]);
      return (record, verified, run) => {
        if (!accepts(record, run)) return;
        const entry = leaf(record);
        if (entry === undefined || entry instanceof Map) return;
        const share = shareOf(record);
        const factor = factorOf(record);
        sink(run, verified, record, entry.rule, 1, share.factor, factored ? factor.factor : undefined, hundredths(1, entry.points, share.fraction, factor.fraction));
      };
    }
    case 'per_amount':
      return amountHandler(compiled, rule, kind, id, accepts, shareOf, factorOf, factored, sink);
    default:
      throw new Error(`not a per-record rule: ${rule.type}`);
  }
}

/** `Π amount fields ÷ per × points × factor × share`; a whole first amount enters hundredths() directly. */
function amountHandler(
  compiled: CompiledRules,
  rule: Extract<ScoringItem['rule'], { type: 'per_amount' }>,
  kind: string,
  id: string,
  accepts: (record: AnyRecord, run: Run) => boolean,
  shareOf: (record: AnyRecord) => CompiledFactor,
  factorOf: (record: AnyRecord) => CompiledFactor,
  factored: boolean,
  sink: RecordSink,
): RecordHandler {
  const points = toFraction(rule.points);
  const per = toFraction(rule.per);
  const [first, second] = rule.amount as [string, string | undefined];
  const whole = isWhole(compiled, kind, first);
  return (record, verified, run) => {
    if (!accepts(record, run)) return;
    const share = shareOf(record);
    const factor = factorOf(record);
    const value = record[first] as number;
    let quantity = value;
    let scored: number;
    if (second === undefined) {
      scored = whole ? hundredths(value, points, share.fraction, factor.fraction, ONE, per) : hundredths(1, decimal(compiled, value).fraction, points, share.fraction, factor.fraction, per);
    } else {
      const other = decimal(compiled, record[second] as number).fraction;
      if (whole) {
        quantity = hundredths(value, other) / 100;
        scored = hundredths(value, other, points, factor.fraction, share.fraction, per);
      } else {
        const a = decimal(compiled, value).fraction;
        quantity = hundredths(1, a, other) / 100;
        scored = hundredths(1, a, other, points, product(share.fraction, factor.fraction), per);
      }
    }
    sink(run, verified, record, id, quantity, share.factor, factored ? factor.factor : undefined, scored);
  };
}

/** `x × y` as one fraction, so hundredths() takes it as one term. */
function product(x: Fraction, y: Fraction): Fraction {
  if (typeof x.num === 'number' && typeof x.den === 'number' && typeof y.num === 'number' && typeof y.den === 'number') {
    const num = x.num * y.num;
    const den = x.den * y.den;
    if (Number.isSafeInteger(num) && Number.isSafeInteger(den)) return { num, den };
  }
  return { num: BigInt(x.num) * BigInt(y.num), den: BigInt(x.den) * BigInt(y.den) };
}

/**
 * The one place rules are compiled: once per parsed policy. Parsed policies (the default and every result of
 * parsePolicy) are deeply frozen, so a compiled form keyed by the object stays true to it; any other object
 * (appraise() is internal, but may be handed one) is compiled per call.
 */
const compiledRules = new WeakMap<Policy, CompiledRules>();
export function compiledFor(policy: Policy): CompiledRules {
  let compiled = compiledRules.get(policy);
  if (compiled === undefined) {
    compiled = compileRules(policy, policy.appraisal.items);
    if (isParsedPolicy(policy)) compiledRules.set(policy, compiled);
  }
  return compiled;
}
