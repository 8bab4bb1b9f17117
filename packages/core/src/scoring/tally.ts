import { ExactSum, hundredths, roundedQuotient, type Fraction } from '../exact.js';
import { distinctDays, type PeriodLike } from '../practice.js';
import type { Run } from './compile.js';
import type { ScoringItem } from './schema.js';
import type { CategoryId } from '../grades.js';

/**
 * Stage two and three of scoring: the trace lines and raw category points of one teacher and year, written by the
 * record pass (per-record items) and, after it, by the items that need the whole year (line rules) or all of an
 * item's records (caps, groups, count limits). Every sum is in integer hundredths (SPEC §4).
 */

/** Why a record an item could score did not count. */
export type LeftOutReason = 'same_group' | 'max_count';

/** One line of the trace: which records, which rule, how much, at what share, for how many points. */
export interface TraceItem {
  /** A category of the policy's list (`appraisal.categories`). */
  category: CategoryId | (string & {});
  /** Rule id, e.g. `teaching_resource.micro_lecture`, `tech_transfer`, `practice_days`. */
  rule: string;
  recordIds: string[];
  /** What the rule counts: hours, mean score, days, yuan, trainee-hours, or 1 for a single result. */
  quantity: number;
  /** Team share applied (1 for kinds without rank/share). */
  share: number;
  /** Client-satisfaction factor, for enterprise-service rules. */
  factor?: number;
  points: number;
  /**
   * Set on a record a scoring item left out (points 0): `same_group`, the same achievement counted once at its
   * highest level (`keptRecordId`); `max_count`, past the item's count limit.
   */
  leftOut?: { reason: LeftOutReason; keptRecordId?: string };
}

/**
 * V8 stores a field that has only ever held numbers as a boxed double in every object, whole numbers included;
 * a field that has held something else is tagged, and keeps small integers (a quantity of 1, a share of 1)
 * inline. Trace lines are most of what an appraisal allocates (about 270,000 for half a million records), so
 * their two shapes are made tagged once, here: an eighth less memory per line, and about a tenth less time in
 * appraiseAll through fewer full garbage collections (BENCHMARKS.md). Values and properties are the same either
 * way; only the layout differs.
 */
/**
 * @internal Exported only so that it is created: V8 skips an object literal nothing can read. The third is an
 * appraisal's category score (`raw, capped, cap`, one per category and teacher), made tagged for the same reason.
 */
export const traceLineShapes: readonly object[] = [
  { category: '', rule: '', recordIds: [], quantity: null, share: null, points: null },
  { category: '', rule: '', recordIds: [], quantity: null, share: null, factor: null, points: null },
  { raw: null, capped: null, cap: null },
];

/** A trace line in its property order: `category, rule, recordIds, quantity, share, [factor,] points`. */
export function traceLine(category: string, rule: string, recordIds: string[], quantity: number, share: number, factor: number | undefined, hundredthsOf: number): TraceItem {
  return factor === undefined ? { category, rule, recordIds, quantity, share, points: hundredthsOf / 100 } : { category, rule, recordIds, quantity, share, factor, points: hundredthsOf / 100 };
}

/** Raw points per category (by index), for the verified records and for verified + pending, and the trace. */
export class Tally {
  readonly items: TraceItem[] = [];
  readonly raw: number[];
  readonly rawIfVerified: number[];
  constructor(readonly categories: readonly string[]) {
    this.raw = new Array<number>(categories.length).fill(0);
    this.rawIfVerified = new Array<number>(categories.length).fill(0);
  }

  /** A per-record result: a trace line when verified, and its points toward the if-verified total either way. */
  record(verified: boolean, categoryIndex: number, category: string, rule: string, recordId: string, quantity: number, share: number, factor: number | undefined, points: number): void {
    this.rawIfVerified[categoryIndex]! += points;
    if (!verified) return;
    this.raw[categoryIndex]! += points;
    this.items.push(traceLine(category, rule, [recordId], quantity, share, factor, points));
  }

  /**
   * An item's lines settled after the pass, with its points toward both totals; `cap` (hundredths), when the item
   * has one, limits both and adds a `<id>.cap` line that takes off what lies above it.
   */
  settle(id: string, categoryIndex: number, cap: number | undefined, lines: readonly TraceItem[], points: number, ifVerifiedPoints: number): void {
    for (const line of lines) this.items.push(line);
    if (cap !== undefined && points > cap) {
      this.items.push(traceLine(this.categories[categoryIndex]!, `${id}.cap`, [], cap / 100, 1, undefined, cap - points));
      points = cap;
    }
    this.raw[categoryIndex]! += points;
    this.rawIfVerified[categoryIndex]! += cap !== undefined && ifVerifiedPoints > cap ? cap : ifVerifiedPoints;
  }
}

/** An item settled after the pass: `slot` is its index in Run.state. */
export interface PostItem {
  slot: number;
  settle: (run: Run, state: unknown) => void;
}

/**
 * What a line rule sums over the year (hours, scores), for the verified records and for verified + pending: each
 * record is added once, and the line is scored from it once per total.
 */
export class LineInputs {
  readonly verified = new ExactSum();
  readonly all = new ExactSum();
  /** The verified records' ids, in input order. */
  readonly ids: string[] = [];
  /** How many records, verified + pending. */
  count = 0;
  add(verified: boolean, value: number, id: string): void {
    this.all.addDecimal(value);
    this.count++;
    if (verified) {
      this.verified.addDecimal(value);
      this.ids.push(id);
    }
  }
}

/**
 * A line rule scored by one `points` function: its line from the verified inputs, and its points toward the
 * if-verified total from verified + pending, computed again only when pending inputs exist.
 */
function finishLine(id: string, categoryIndex: number, cap: number | undefined, quantity: (sum: ExactSum, count: number) => number, points: (sum: ExactSum, count: number) => number): PostItem['settle'] {
  return (run, state) => {
    const inputs = state as LineInputs | undefined;
    if (inputs === undefined) return;
    const count = inputs.ids.length;
    const verifiedPoints = count > 0 ? points(inputs.verified, count) : 0;
    // The ids are copied at their length (grown push by push, they would keep their empty slots in the output).
    const lines = count > 0 ? [traceLine(run.tally.categories[categoryIndex]!, id, inputs.ids.slice(), quantity(inputs.verified, count), 1, undefined, verifiedPoints)] : [];
    run.tally.settle(id, categoryIndex, cap, lines, verifiedPoints, inputs.count === count ? verifiedPoints : points(inputs.all, inputs.count));
  };
}

/** `saturating_sum`: `min(Σ field ÷ full, 1) × points` (teaching workload). */
export function finishSaturating(id: string, categoryIndex: number, cap: number | undefined, fullNumber: number, full: Fraction, points: Fraction): PostItem['settle'] {
  return finishLine(
    id,
    categoryIndex,
    cap,
    (sum) => sum.toNumber(),
    (sum) => saturatingPoints(sum, full, fullNumber, points),
  );
}

/** `mean`: the mean of `field` × factor (teaching evaluation). */
export function finishMean(id: string, categoryIndex: number, cap: number | undefined, factor: Fraction): PostItem['settle'] {
  return finishLine(id, categoryIndex, cap, meanQuantity, (sum, count) => meanPoints(sum, count, factor));
}

/** `distinct_days`: the distinct days the records' periods cover in the year × pointsPerDay (overlaps once). */
export function finishDays(id: string, categoryIndex: number, cap: number | undefined, perDay: Fraction): PostItem['settle'] {
  return (run, state) => {
    const periods = state as { verified: PeriodLike[]; all: PeriodLike[] } | undefined;
    if (periods === undefined) return;
    const { first, last } = run.span;
    const verified = periods.verified.length > 0 ? distinctDays(periods.verified, first, last) : undefined;
    const points = verified === undefined ? 0 : hundredths(verified.days, perDay);
    const lines = verified === undefined ? [] : [traceLine(run.tally.categories[categoryIndex]!, id, verified.recordIds, verified.days, 1, undefined, points)];
    const ifVerified = periods.all.length === periods.verified.length ? points : hundredths(distinctDays(periods.all, first, last).days, perDay);
    run.tally.settle(id, categoryIndex, cap, lines, points, ifVerified);
  };
}

/**
 * `practice_days`: the year's counted practice days (practiceOfPeriods: rolling window, binding rule, per-category
 * days, form weights, exemptions) × pointsPerDay; would-be-verified, its counted + pending days (practiceOfPeriods
 * unions both, so pending days are exactly what pending records would add). No line without counted days.
 */
export function finishPractice(id: string, categoryIndex: number, cap: number | undefined, perDay: Fraction): PostItem['settle'] {
  return (run) => {
    const practice = run.practice!;
    const points = hundredths(practice.countedDays, perDay);
    const lines = practice.countedDays > 0 ? [traceLine(run.tally.categories[categoryIndex]!, id, practice.recordIds, practice.countedDays, 1, undefined, points)] : [];
    run.tally.settle(id, categoryIndex, cap, lines, points, hundredths(practice.countedDays + practice.pendingDays, perDay));
  };
}

/** A limited item's per-record results gathered in the pass, with the group key its limits read. */
export class PerRecordLines {
  readonly verified: Scored[] = [];
  readonly all: Scored[] = [];
  constructor(private readonly groupBy: string | undefined) {}
  add(record: Record<string, unknown>, verified: boolean, line: TraceItem, points: number): void {
    const scored: Scored = { line, points, key: this.groupBy === undefined ? undefined : record[this.groupBy] };
    this.all.push(scored);
    if (verified) this.verified.push(scored);
  }
}
interface Scored {
  line: TraceItem;
  /** Hundredths. */
  points: number;
  key: unknown;
}

/**
 * Settle an item with a cap, a group or a count limit over its per-record results: the lines of the verified
 * ones (best first when a group or count limit applies; left-out records score 0 and say why), and the item's
 * if-verified points from verified + pending, resolved again only when pending ones exist.
 */
export function resolveLimited(item: ScoringItem, categoryIndex: number, cap: number | undefined): PostItem['settle'] {
  return (run, state) => {
    const scored = state as PerRecordLines | undefined;
    if (scored === undefined) return;
    const lines = limitRecords(item, scored.verified);
    const points = sumPoints(lines);
    run.tally.settle(item.id, categoryIndex, cap, lines, points, scored.all.length === scored.verified.length ? points : sumPoints(limitRecords(item, scored.all)));
  };
}

function sumPoints(lines: readonly TraceItem[]): number {
  let sum = 0;
  for (const line of lines) sum += Math.round(line.points * 100);
  return sum;
}

/** Best first: points desc, then record id asc (a stable, input-order-free choice). */
function byPointsDesc(a: Scored, b: Scored): number {
  return b.points - a.points || (a.line.recordIds[0]! < b.line.recordIds[0]! ? -1 : a.line.recordIds[0]! > b.line.recordIds[0]! ? 1 : 0);
}

/** Same-group records count once at their best; then at most maxCount records, best first. Left-out lines score 0. */
function limitRecords(item: ScoringItem, scored: readonly Scored[]): TraceItem[] {
  if (item.groupBy === undefined && item.maxCount === undefined) return scored.map((entry) => entry.line);
  const out: TraceItem[] = [];
  const bestOfGroup = new Map<unknown, string>();
  let counted = 0;
  for (const { line, key } of [...scored].sort(byPointsDesc)) {
    if (item.groupBy !== undefined) {
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
