import { ExactSum, hundredths, ONE, roundedQuotient, toFraction, toHundredths, type Fraction } from '../exact.js';
import type { EvidenceRegistry } from '../evidence/registry.js';
import { distinctDays, type PeriodLike } from '../practice.js';
import type { ItemRule, PointsTable, ScoringItem } from './schema.js';

/**
 * The policy's own scoring items, compiled once per policy and scored per teacher and year. Every number is
 * exact (integer hundredths) and every point has its trace line, including the records an item left out and why.
 */

type AnyRecord = { id: string; teacherId: string; kind: string; status: string } & Record<string, unknown>;

/** Why a record an item could score did not count. */
export type LeftOutReason = 'same_group' | 'max_count';

/** A line an item adds to the trace (the same shape as every trace line, plus what was left out). */
export interface ItemLine {
  categoryIndex: number;
  rule: string;
  recordIds: string[];
  quantity: number;
  share: number;
  factor?: number;
  /** Hundredths. */
  points: number;
  leftOut?: { reason: LeftOutReason; keptRecordId?: string };
}

export interface CompiledItem {
  item: ScoringItem;
  categoryIndex: number;
  kinds: ReadonlySet<string>;
  /** Per-record points in hundredths and the line's shown quantity, or undefined for a line rule. */
  perRecord?: (record: AnyRecord, share: Fraction, factor: Fraction) => { quantity: number; points: number; rule: string } | undefined;
  cap?: number;
  /** Share multiplier applies. */
  shareWeighted: (kind: string) => boolean;
}

export interface ItemContext {
  registry: EvidenceRegistry;
  /** Share of a team record as a factor shown and an exact fraction. */
  share: (record: AnyRecord) => { factor: number; fraction: Fraction };
  decimal: (value: number) => Fraction;
}

export function compileItems(items: readonly ScoringItem[], categoryIndex: (id: string) => number, registry: EvidenceRegistry, decimal: (value: number) => Fraction): CompiledItem[] {
  return items.map((item) => {
    const compiled: CompiledItem = {
      item,
      categoryIndex: categoryIndex(item.category),
      kinds: new Set(item.kinds),
      shareWeighted: (kind) => (item.shareWeighted ?? true) && registry.kind(kind)?.declaration.team === true,
      ...(item.cap === undefined ? {} : { cap: toHundredths(item.cap) }),
    };
    const perRecord = perRecordRule(item.id, item.rule, decimal);
    if (perRecord) compiled.perRecord = perRecord;
    return compiled;
  });
}

function perRecordRule(id: string, rule: ItemRule, decimal: (value: number) => Fraction): CompiledItem['perRecord'] {
  switch (rule.type) {
    case 'fixed': {
      const points = toFraction(rule.points);
      return (_record, share, factor) => ({ quantity: 1, points: hundredths(1, points, share, factor), rule: id });
    }
    case 'table': {
      const { keys } = rule;
      return (record, share, factor) => {
        let entry: number | PointsTable | undefined = rule.points;
        for (const key of keys) entry = typeof entry === 'object' ? entry[String(record[key])] : undefined;
        if (typeof entry !== 'number') return undefined; // a value the table does not list scores nothing
        return { quantity: 1, points: hundredths(1, decimal(entry), share, factor), rule: [id, ...keys.map((key) => String(record[key]))].join('.') };
      };
    }
    case 'per_amount': {
      const points = toFraction(rule.points);
      const per = toFraction(rule.per);
      const [first, second] = rule.amount;
      return (record, share, factor) => {
        const a = decimal(record[first!] as number);
        const b = second === undefined ? ONE : decimal(record[second] as number);
        const quantity = second === undefined ? (record[first!] as number) : hundredths(1, a, b) / 100;
        return { quantity, points: hundredths(1, a, b, points, product(share, factor), per), rule: id };
      };
    }
    case 'saturating_sum':
    case 'mean':
    case 'distinct_days':
      return undefined;
  }
}

/**
 * The line rules' arithmetic, shared by the default policy's line rules (appraisal.ts) and the policy's own items:
 * inputs are summed exactly and the line is rounded once (SPEC §4), so there is one way to score a line.
 */
/** `min(Σ ÷ full, 1) × points`, in hundredths. `fullNumber` is `full` as the number the policy wrote. */
export function saturatingPoints(sum: ExactSum, full: Fraction, fullNumber: number, points: Fraction): number {
  if (sum.atLeast(fullNumber)) return hundredths(1, points);
  const total = sum.fraction();
  return roundedQuotient([total.num, full.den, points.num, 100], [total.den, full.num, points.den]);
}

/** The mean of `count` summed values, rounded to hundredths, as the number shown in the trace. */
export function meanQuantity(sum: ExactSum, count: number): number {
  const total = sum.fraction();
  return roundedQuotient([total.num, 100], [total.den, count]) / 100;
}

/** `mean × factor`, in hundredths (the mean itself is not rounded first). */
export function meanPoints(sum: ExactSum, count: number, factor: Fraction): number {
  const total = sum.fraction();
  return roundedQuotient([total.num, factor.num, 100], [total.den, count, factor.den]);
}

/** `x × y` as one fraction, so hundredths() takes it as one term (the amount is then divided by `per`). */
function product(x: Fraction, y: Fraction): Fraction {
  if (typeof x.num === 'number' && typeof x.den === 'number' && typeof y.num === 'number' && typeof y.den === 'number') {
    const num = x.num * y.num;
    const den = x.den * y.den;
    if (Number.isSafeInteger(num) && Number.isSafeInteger(den)) return { num, den };
  }
  return { num: BigInt(x.num) * BigInt(y.num), den: BigInt(x.den) * BigInt(y.den) };
}

function matches(record: AnyRecord, where: ScoringItem['where']): boolean {
  if (!where) return true;
  for (const condition of where) if (!condition.in.some((allowed) => allowed === record[condition.field])) return false;
  return true;
}

function factorOf(item: ScoringItem, record: AnyRecord, decimal: (value: number) => Fraction): { factor?: number; fraction: Fraction } {
  const rule = item.factor;
  if (!rule) return { fraction: ONE };
  const value = record[rule.field] as number | undefined;
  let factor = rule.absent;
  if (value !== undefined) {
    factor = rule.below;
    for (const band of rule.bands) {
      if (value >= band.min) {
        factor = band.factor;
        break;
      }
    }
  }
  return { factor, fraction: decimal(factor) };
}

/**
 * Score one item over a teacher's records of the year. `records` are the teacher's non-rejected records; the
 * lines are those of the verified ones, `ifVerifiedPoints` the item's points with pending ones verified too.
 */
export function scoreItem(compiled: CompiledItem, records: readonly AnyRecord[], year: number, span: { start: string; end: string; first: number; last: number }, context: ItemContext): { lines: ItemLine[]; points: number; ifVerifiedPoints: number } {
  const { item } = compiled;
  const candidates = records.filter((record) => {
    if (!compiled.kinds.has(record.kind) || !matches(record, item.where)) return false;
    if (item.scoredOn !== undefined) {
      const date = record[item.scoredOn] as string | undefined;
      return date !== undefined && date >= span.start && date <= span.end;
    }
    return context.registry.kind(record.kind)!.scoredIn(record, year, span.start, span.end);
  });
  const verified = candidates.filter((record) => record.status === 'verified');
  const lines = linesOf(compiled, verified, span, context);
  const ifVerified = candidates.length === verified.length ? lines : linesOf(compiled, candidates, span, context);
  return { lines, points: sumPoints(lines), ifVerifiedPoints: sumPoints(ifVerified) };
}

function sumPoints(lines: readonly ItemLine[]): number {
  let sum = 0;
  for (const line of lines) sum += line.points;
  return sum;
}

function linesOf(compiled: CompiledItem, records: readonly AnyRecord[], span: { first: number; last: number }, context: ItemContext): ItemLine[] {
  const { item, categoryIndex } = compiled;
  if (records.length === 0) return [];
  let lines: ItemLine[];
  if (compiled.perRecord) {
    const scored: ItemLine[] = [];
    for (const record of records) {
      const weighted = compiled.shareWeighted(record.kind);
      const share = weighted ? context.share(record) : { factor: 1, fraction: ONE };
      const factor = factorOf(item, record, context.decimal);
      const result = compiled.perRecord(record, share.fraction, factor.fraction);
      if (result === undefined) continue;
      const line: ItemLine = { categoryIndex, rule: result.rule, recordIds: [record.id], quantity: result.quantity, share: share.factor, points: result.points };
      if (factor.factor !== undefined) line.factor = factor.factor;
      scored.push(line);
    }
    lines = limitRecords(item, scored, records);
  } else {
    lines = [lineRule(compiled, records, span, context)];
  }
  if (compiled.cap !== undefined) {
    const total = sumPoints(lines);
    if (total > compiled.cap) lines.push({ categoryIndex, rule: `${item.id}.cap`, recordIds: [], quantity: compiled.cap / 100, share: 1, points: compiled.cap - total });
  }
  return lines;
}

/** Best first: points desc, then record id asc (a stable, input-order-free choice). */
function byPointsDesc(a: ItemLine, b: ItemLine): number {
  return b.points - a.points || (a.recordIds[0]! < b.recordIds[0]! ? -1 : a.recordIds[0]! > b.recordIds[0]! ? 1 : 0);
}

/** Same-group records count once at their best; then at most maxCount records, best first. Left-out lines score 0. */
function limitRecords(item: ScoringItem, scored: ItemLine[], records: readonly AnyRecord[]): ItemLine[] {
  if (item.groupBy === undefined && item.maxCount === undefined) return scored;
  const byId = new Map(records.map((record) => [record.id, record]));
  const ordered = [...scored].sort(byPointsDesc);
  const out: ItemLine[] = [];
  const bestOfGroup = new Map<unknown, string>();
  let counted = 0;
  for (const line of ordered) {
    if (item.groupBy !== undefined) {
      const key = byId.get(line.recordIds[0]!)![item.groupBy];
      const kept = key === undefined ? undefined : bestOfGroup.get(key);
      if (kept !== undefined) {
        out.push({ ...line, points: 0, leftOut: { reason: 'same_group', keptRecordId: kept } });
        continue;
      }
      if (key !== undefined) bestOfGroup.set(key, line.recordIds[0]!);
    }
    if (item.maxCount !== undefined && counted >= item.maxCount) {
      out.push({ ...line, points: 0, leftOut: { reason: 'max_count' } });
      continue;
    }
    counted++;
    out.push(line);
  }
  return out;
}

function lineRule(compiled: CompiledItem, records: readonly AnyRecord[], span: { first: number; last: number }, context: ItemContext): ItemLine {
  const { item, categoryIndex } = compiled;
  const recordIds = records.map((record) => record.id);
  const rule = item.rule;
  switch (rule.type) {
    case 'saturating_sum': {
      const sum = new ExactSum();
      for (const record of records) sum.addDecimal(record[rule.field] as number);
      const value = saturatingPoints(sum, toFraction(rule.full), rule.full, toFraction(rule.points));
      return { categoryIndex, rule: item.id, recordIds, quantity: sum.toNumber(), share: 1, points: value };
    }
    case 'mean': {
      const sum = new ExactSum();
      for (const record of records) sum.addDecimal(record[rule.field] as number);
      return { categoryIndex, rule: item.id, recordIds, quantity: meanQuantity(sum, records.length), share: 1, points: meanPoints(sum, records.length, toFraction(rule.factor)) };
    }
    case 'distinct_days': {
      const periods: PeriodLike[] = records.map((record) => {
        const placement = context.registry.kind(record.kind)!.declaration.placement;
        const [start, end] = placement.by === 'period' ? [placement.start, placement.end] : ['start', 'end'];
        return { id: record.id, start: record[start] as string, end: (record[end] ?? record[start]) as string };
      });
      const days = distinctDays(periods, span.first, span.last);
      return { categoryIndex, rule: item.id, recordIds: days.recordIds, quantity: days.days, share: 1, points: hundredths(days.days, toFraction(rule.pointsPerDay)) };
    }
    default:
      throw new Error(`not a line rule: ${rule.type}`);
  }
}
