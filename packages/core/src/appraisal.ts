import { z } from 'zod';
import { academicYearPeriod, academicYearDays } from './calendar.js';
import { issuesFromZod, parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { ExactSum, hundredths, ONE, toFraction, toHundredths, type Fraction } from './exact.js';
import { gradeAtLeast, grades, isParsedPolicy, rankShareIndex, resolvePolicy, type CategoryId, type Grade, type Policy } from './policy.js';
import type { EvidenceRegistry } from './evidence/registry.js';
import { hasDuplicate } from './ids.js';
import { compileItems, meanPoints, meanQuantity, saturatingPoints, scoreItem, type CompiledItem, type ItemContext, type ItemLine, type LeftOutReason } from './scoring/items.js';
import { academicYearArg, distinctDays, practiceOfPeriods, type PeriodLike, type PracticeStatus } from './practice.js';
import { type awards, type certLevels, certTypes, isValidTeacherFast, type levels, parseRecords, parseRecordsByTeacher, type patentTypes, registryOf, type resourceTypes, teacherSchema, type EvidenceRecord, type Teacher } from './records.js';

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

export interface CategoryScore {
  raw: number;
  capped: number;
  cap: number;
}

/**
 * An appraisal's categories, keyed by category id: one entry per category of the policy's list
 * (`appraisal.categories`), in its order, and no other. Which ids there are is the policy's to say; the labels are
 * in the policy too (`policy.appraisal.categories[i].label`).
 */
export type AppraisalCategories = Record<string, CategoryScore>;

/** A veto's id in the policy: the default policy's are `practice_noncompliant` and `ethics_violation`. */
export type VetoName = 'ethics_violation' | 'practice_noncompliant' | (string & {});

export interface VetoTrace {
  veto: VetoName;
  recordIds: string[];
  gradeBefore: Grade;
  gradeAfter: Grade;
  /** The veto also removes title-review eligibility for the year. */
  blocksTitleReview: boolean;
}

/** Annual appraisal (年度考核量化评分): SPEC §4. */
export interface Appraisal {
  teacherId: string;
  year: number;
  total: number;
  /** Grade after the bands and vetoes, before the excellence quota. */
  grade: Grade;
  /** Grade from the bands alone. */
  bandGrade: Grade;
  vetoes: VetoName[];
  vetoTrace: VetoTrace[];
  titleReviewEligible: boolean;
  /** Counted enterprise-practice days of the year (a quota tie-break). */
  practiceDays: number;
  practice: PracticeStatus;
  /** Every category of the policy, in the order of its list (`appraisal.categories`). */
  categories: AppraisalCategories;
  items: TraceItem[];
  /** Records of the year still pending, and the total they would give once verified. */
  pending: { recordIds: string[]; totalIfVerified: number };
  /** Set by applyExcellenceQuota / appraiseAll (see {@link QuotaAppraisal}, where it is always present). */
  finalGrade?: Grade;
  quota?: QuotaTrace;
}

/** An appraisal after the excellence quota: what appraiseAll and applyExcellenceQuota return. */
export interface QuotaAppraisal extends Appraisal {
  /** Grade after the excellence quota of the teacher's unit. */
  finalGrade: Grade;
}

export interface QuotaTrace {
  unit: string;
  /** Appraised teachers of the unit. */
  unitSize: number;
  /** How many may keep the quota grade. */
  limit: number;
  /** 1-based place among the unit's teachers who reached the quota grade. */
  position: number;
  kept: boolean;
}

/** A per-record rule compiled once per policy: its trace id, its category and its points as a fraction. */
interface RecordRule {
  rule: string;
  category: string;
  /** Index of `category` in the policy's list: per-teacher sums are kept in small arrays. */
  categoryIndex: number;
  points: Fraction;
}

/** A rule on an amount (yuan, trainee-hours): `amount × points ÷ per`. */
interface AmountRule extends RecordRule {
  per: Fraction;
}

/** A policy factor with the number shown in the trace and its exact fraction. */
interface CompiledFactor {
  factor: number;
  fraction: Fraction;
}

/**
 * Policy numbers turned into exact fractions, and rule ids and categories looked up, once per policy: the
 * scoring loop then does no string building, table walking or decimal parsing per record.
 */
interface CompiledRules {
  policy: Policy;
  /** The policy's categories in order: trace lines and sums refer to them by index. */
  categories: string[];
  /** Cap of each category in hundredths, by index. */
  caps: number[];
  registry: EvidenceRegistry;
  /** The policy's own scoring items. */
  items: CompiledItem[];
  /**
   * Every kind some item scores, with its index among them; undefined when the policy has no items. The scoring
   * pass sorts a teacher's records of these kinds into one list per kind, so that an item of one kind reads only
   * its own records.
   */
  itemKinds: ReadonlyMap<string, number> | undefined;
  /** Per item, the index of its one kind in `itemKinds`; undefined for an item of several kinds (it reads them all). */
  itemKindOf: Array<number | undefined>;
  /** Grade bands with their minimum in hundredths, best first. */
  bands: Array<{ grade: Grade; min: number }>;
  /** The policy's vetoes in order; a kind veto carries its index into `kindVetoes`. */
  vetoes: Array<{ id: string; grade: Grade; practice: true } | { id: string; grade: Grade; practice: false; index: number }>;
  /** Vetoes on a kind present: the scoring loop checks each verified record against them. */
  kindVetoes: KindVetoCheck[];
  /** Decimals met at run time (explicit shares, hours) with their fractions; bounded. */
  decimals: Map<number, CompiledFactor>;
  /** First and last date and day number of each academic year asked for. */
  years: Map<number, { start: string; end: string; first: number; last: number }>;
  shareByRank: CompiledFactor[];
  resource: Record<(typeof resourceTypes)[number], RecordRule>;
  reform: Record<(typeof levels)[number], RecordRule>;
  competition: Record<(typeof levels)[number], Record<(typeof awards)[number], RecordRule>>;
  certificate: Record<(typeof certTypes)[number], Record<(typeof certLevels)[number], RecordRule>>;
  patent: Record<(typeof patentTypes)[number], RecordRule>;
  mentoring: RecordRule;
  horizontalProject: AmountRule;
  techTransfer: AmountRule;
  technicalService: AmountRule;
  enterpriseTraining: AmountRule;
  satisfaction: { bands: Array<CompiledFactor & { min: number }>; below: CompiledFactor; absent: CompiledFactor };
  workload: { categoryIndex: number; fullHours: number; fullHoursFraction: Fraction; points: Fraction };
  evaluation: { categoryIndex: number; factor: Fraction };
  practiceDays: { categoryIndex: number; perDay: Fraction };
  trainingDays: { categoryIndex: number; perDay: Fraction };
}

/** A kind veto's test of one verified record of its kind: does it fall in the year and match the filter? */
interface KindVetoCheck {
  kind: string;
  hits: (record: EvidenceRecord, year: number, firstDate: string, lastDate: string) => boolean;
}

function compileVetoes(policy: Policy, registry: EvidenceRegistry): Pick<CompiledRules, 'vetoes' | 'kindVetoes'> {
  const kindVetoes: KindVetoCheck[] = [];
  const vetoes = policy.appraisal.vetoes.map((veto): CompiledRules['vetoes'][number] => {
    if (veto.when === 'practice_noncompliant') return { id: veto.id, grade: veto.maxGrade, practice: true };
    const { kind, where } = veto.when;
    const scoredIn = registry.kind(kind)!.scoredIn;
    const hits: KindVetoCheck['hits'] =
      where === undefined
        ? (record, year, first, last) => scoredIn(record as never, year, first, last)
        : (record, year, first, last) => scoredIn(record as never, year, first, last) && where.every((condition) => condition.in.some((value) => value === (record as unknown as Record<string, unknown>)[condition.field]));
    kindVetoes.push({ kind, hits });
    return { id: veto.id, grade: veto.grade, practice: false, index: kindVetoes.length - 1 };
  });
  return { vetoes, kindVetoes };
}

function yearSpan(compiled: CompiledRules, year: number): { start: string; end: string; first: number; last: number } {
  let span = compiled.years.get(year);
  if (span === undefined) {
    const yearStart = compiled.policy.calendar.yearStart;
    span = { ...academicYearPeriod(year, yearStart), ...academicYearDays(year, yearStart) };
    if (compiled.years.size < DECIMAL_CACHE_LIMIT) compiled.years.set(year, span);
  }
  return span;
}

/** Cached decimal → fraction. Bounded: record values (hours, shares) pass through here too. */
const DECIMAL_CACHE_LIMIT = 4096;
function decimal(compiled: CompiledRules, value: number): CompiledFactor {
  let cached = compiled.decimals.get(value);
  if (cached === undefined) {
    cached = { factor: value, fraction: toFraction(value) };
    if (compiled.decimals.size < DECIMAL_CACHE_LIMIT) compiled.decimals.set(value, cached);
  }
  return cached;
}

function mapValues<K extends string, V, W>(table: Record<K, V>, map: (value: V, key: K) => W): Record<K, W> {
  return Object.fromEntries(Object.entries(table).map(([key, value]) => [key, map(value as V, key as K)])) as Record<K, W>;
}

function compileRules(policy: Policy): CompiledRules {
  const categories = policy.appraisal.categories.map((category) => category.id);
  const caps = policy.appraisal.categories.map((category) => toHundredths(category.cap));
  const registry = registryOf(policy);
  const bands = policy.appraisal.grades.bands.map((band) => ({ grade: band.grade, min: toHundredths(band.min) }));
  const rules = policy.appraisal.rules;
  const categoryIndex = (id: string) => categories.indexOf(id);
  const recordRule = (rule: string, category: string, points: number): RecordRule => ({ rule, category, categoryIndex: categoryIndex(category), points: toFraction(points) });
  const amountRule = (rule: string, definition: { category: string; points: number }, per: number): AmountRule => ({ ...recordRule(rule, definition.category, definition.points), per: toFraction(per) });
  const factor = (value: number): CompiledFactor => ({ factor: value, fraction: toFraction(value) });
  const decimals = new Map<number, CompiledFactor>();
  const compiled: CompiledRules = {
    policy,
    categories,
    caps,
    registry,
    items: [],
    itemKinds: undefined,
    itemKindOf: [],
    bands,
    ...compileVetoes(policy, registry),
    decimals,
    years: new Map(),
    shareByRank: policy.shareByRank.map(factor),
    resource: mapValues(rules.teachingResource.points, (points, type) => recordRule(`teaching_resource.${type}`, rules.teachingResource.category, points)),
    reform: mapValues(rules.teachingReform.points, (points, level) => recordRule(`teaching_reform_project.${level}`, rules.teachingReform.category, points)),
    competition: mapValues(rules.skillCompetition.points, (table, level) => mapValues(table, (points, award) => recordRule(`skill_competition.${level}.${award}`, rules.skillCompetition.category, points))),
    certificate: Object.fromEntries(certTypes.map((type) => [type, mapValues(rules.certificate.points, (points, level) => recordRule(`certificate.${type}.${level}`, rules.certificate.category, points))])) as CompiledRules['certificate'],
    patent: mapValues(rules.patent.points, (points, type) => recordRule(`patent.${type}`, rules.patent.category, points)),
    mentoring: recordRule('mentoring.mentor_passed', rules.mentoring.category, rules.mentoring.mentorPassed),
    horizontalProject: amountRule('horizontal_project', rules.horizontalProject, rules.horizontalProject.per),
    techTransfer: amountRule('tech_transfer', rules.techTransfer, rules.techTransfer.per),
    technicalService: amountRule('technical_service', rules.technicalService, rules.technicalService.per),
    enterpriseTraining: amountRule('enterprise_training', rules.enterpriseTraining, rules.enterpriseTraining.perTraineeHours),
    satisfaction: {
      bands: rules.satisfaction.bands.map((band) => ({ min: band.min, ...factor(band.factor) })),
      below: factor(rules.satisfaction.below),
      absent: factor(rules.satisfaction.absent),
    },
    workload: {
      categoryIndex: categoryIndex(rules.teachingWorkload.category),
      fullHours: rules.teachingWorkload.fullHours,
      fullHoursFraction: toFraction(rules.teachingWorkload.fullHours),
      points: toFraction(rules.teachingWorkload.points),
    },
    evaluation: { categoryIndex: categoryIndex(rules.teachingEvaluation.category), factor: toFraction(rules.teachingEvaluation.factor) },
    practiceDays: { categoryIndex: categoryIndex(rules.practiceDays.category), perDay: toFraction(rules.practiceDays.pointsPerDay) },
    trainingDays: { categoryIndex: categoryIndex(rules.internationalTraining.category), perDay: toFraction(rules.internationalTraining.pointsPerDay) },
  };
  compiled.items = compileItems(policy.appraisal.items ?? [], categoryIndex, registry, (value) => decimal(compiled, value).fraction);
  if (compiled.items.length > 0) {
    const kinds = [...new Set(compiled.items.flatMap((item) => [...item.kinds]))];
    const itemKinds = new Map(kinds.map((kind, index) => [kind, index]));
    compiled.itemKinds = itemKinds;
    compiled.itemKindOf = compiled.items.map((item) => (item.kinds.size === 1 ? itemKinds.get([...item.kinds][0]!) : undefined));
  }
  return compiled;
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
    compiled = compileRules(policy);
    if (isParsedPolicy(policy)) compiledRules.set(policy, compiled);
  }
  return compiled;
}

/**
 * A team result's share (SPEC §4): the explicit share, else the rank table (rank 1 when absent; ranks past the
 * table take its last entry). Takes the values, read in each kind's own branch: one property read sees that
 * kind's few shapes rather than every shape of every kind.
 */
function teamShare(compiled: CompiledRules, rank: number | undefined, share: number | undefined): CompiledFactor {
  if (share !== undefined) return decimal(compiled, share);
  return compiled.shareByRank[rankShareIndex(rank, compiled.shareByRank.length)]!;
}

function satisfactionFactor(compiled: CompiledRules, satisfaction: number | undefined): CompiledFactor {
  const rule = compiled.satisfaction;
  if (satisfaction === undefined) return rule.absent;
  for (const band of rule.bands) if (satisfaction >= band.min) return band;
  return rule.below;
}

function worseOf(a: Grade, b: Grade): Grade {
  return grades.indexOf(a) >= grades.indexOf(b) ? a : b;
}

/**
 * V8 stores a field that has only ever held numbers as a boxed double in every object, whole numbers included;
 * a field that has held something else is tagged, and keeps small integers (a quantity of 1, a share of 1)
 * inline. Trace lines are most of what an appraisal allocates (about 270,000 for half a million records), so
 * their two shapes are made tagged once, here: an eighth less memory per line, and about a tenth less time in
 * appraiseAll through fewer full garbage collections (BENCHMARKS.md). Values and properties are the same either
 * way; only the layout differs.
 */
/** @internal Exported only so that it is created: V8 skips an object literal nothing can read. */
export const traceLineShapes: readonly object[] = [
  { category: '', rule: '', recordIds: [], quantity: null, share: null, points: null },
  { category: '', rule: '', recordIds: [], quantity: null, share: null, factor: null, points: null },
];

/**
 * The trace lines of one teacher and year, with raw points per category (by index in `categoryIds`) for the
 * verified records and for verified + pending.
 */
class Tally {
  readonly items: TraceItem[] = [];
  readonly raw: number[];
  readonly rawIfVerified: number[];
  constructor(private readonly categories: readonly string[]) {
    this.raw = new Array<number>(categories.length).fill(0);
    this.rawIfVerified = new Array<number>(categories.length).fill(0);
  }

  /** A per-record result: a trace line when verified, and its points toward the if-verified total either way. */
  record(verified: boolean, rule: RecordRule, recordId: string, quantity: number, share: number, points: number): void {
    this.rawIfVerified[rule.categoryIndex]! += points;
    if (!verified) return;
    this.raw[rule.categoryIndex]! += points;
    this.items.push({ category: rule.category, rule: rule.rule, recordIds: [recordId], quantity, share, points: points / 100 });
  }
  /** The same, for enterprise-service rules, whose lines carry the satisfaction factor. */
  factored(verified: boolean, rule: RecordRule, recordId: string, quantity: number, share: number, factor: number, points: number): void {
    this.rawIfVerified[rule.categoryIndex]! += points;
    if (!verified) return;
    this.raw[rule.categoryIndex]! += points;
    this.items.push({ category: rule.category, rule: rule.rule, recordIds: [recordId], quantity, share, factor, points: points / 100 });
  }
  /** A line over several records (workload, evaluation, days): its points count toward the verified total. */
  line(categoryIndex: number, rule: string, recordIds: string[], quantity: number, points: number): void {
    this.raw[categoryIndex]! += points;
    this.items.push({ category: this.categories[categoryIndex]!, rule, recordIds, quantity, share: 1, points: points / 100 });
  }
  /**
   * A line rule over the year, scored by one `points` function: its trace line (and raw points) from the verified
   * inputs, and its points toward the if-verified total from verified + pending, computed again only when
   * pending inputs exist.
   */
  sumLine(categoryIndex: number, rule: string, inputs: LineInputs, quantity: (sum: ExactSum, count: number) => number, points: (sum: ExactSum, count: number) => number): void {
    const count = inputs.ids.length;
    const verifiedPoints = count > 0 ? points(inputs.verified, count) : 0;
    if (count > 0) this.line(categoryIndex, rule, inputs.ids, quantity(inputs.verified, count), verifiedPoints);
    if (inputs.count > 0) this.rawIfVerified[categoryIndex]! += inputs.count === count ? verifiedPoints : points(inputs.all, inputs.count);
  }
  /** The lines of a policy's scoring item, with its points toward both totals. */
  item(lines: readonly ItemLine[], points: number, ifVerifiedPoints: number, categoryIndex: number): void {
    this.raw[categoryIndex]! += points;
    this.rawIfVerified[categoryIndex]! += ifVerifiedPoints;
    for (const line of lines) {
      const item: TraceItem = { category: this.categories[line.categoryIndex]!, rule: line.rule, recordIds: line.recordIds, quantity: line.quantity, share: line.share, points: line.points / 100 };
      if (line.factor !== undefined) item.factor = line.factor;
      if (line.leftOut !== undefined) item.leftOut = line.leftOut;
      this.items.push(item);
    }
  }
}

/**
 * What a line rule sums over the year (hours, scores), for the verified records and for verified + pending: each
 * record is added once, and the line is scored from it once per total (Tally.sumLine).
 */
class LineInputs {
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

interface Scored {
  items: TraceItem[];
  categories: Appraisal['categories'];
  totalHundredths: number;
  /** The total if every pending record of the year were verified. */
  totalIfVerifiedHundredths: number;
  practice: PracticeStatus;
  /** Per kind veto (by index in `kindVetoes`), the verified records of the year that set it off; undefined: none. */
  vetoRecordIds: Array<string[] | undefined>;
  pendingRecordIds: string[];
}

/**
 * Score the verified records of `year`, and in the same pass what the year would score with its pending
 * records verified too (pending records change no trace line).
 */
function score(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, compiled: CompiledRules): Scored {
  const policy = compiled.policy;
  const { start: yearFirstDate, end: yearLastDate, first: yearFirstDay, last: yearLastDay } = yearSpan(compiled, year);
  const tally = new Tally(compiled.categories);
  const { raw, rawIfVerified } = tally;
  const registry = compiled.registry;

  // Line inputs are summed exactly and the line is rounded once (SPEC §4): verified, and verified + pending.
  const workloadHours = new LineInputs();
  const evaluationScores = new LineInputs();
  const trainings: PeriodLike[] = [];
  const trainingsIfVerified: PeriodLike[] = [];
  const practiceVerified: PeriodLike[] = [];
  const practicePending: PeriodLike[] = [];
  const exemptYears: number[] = [];
  const kindVetoes = compiled.kindVetoes;
  const vetoRecordIds: Array<string[] | undefined> = kindVetoes.length === 0 ? [] : new Array(kindVetoes.length).fill(undefined);
  const pendingRecordIds: string[] = [];
  const itemKinds = compiled.itemKinds;
  const itemRecords: EvidenceRecord[] = [];
  const itemRecordsByKind: EvidenceRecord[][] | undefined = itemKinds === undefined ? undefined : [];

  // Each branch reads its kind's fields itself: a property read in one branch sees that kind's few shapes, where
  // a shared helper would see every shape of every kind (a megamorphic read, several times slower).
  const inYear = (date: string) => date >= yearFirstDate && date <= yearLastDate;
  for (const record of ownRecords) {
    const { status, kind } = record;
    if (status === 'rejected') continue;
    // The records any item scores, gathered in this one pass: each item then reads only those.
    const itemKind = itemKinds?.get(kind);
    if (itemKind !== undefined) {
      itemRecords.push(record);
      (itemRecordsByKind![itemKind] ??= []).push(record);
    }
    const verified = status === 'verified';
    // Practice records of every year feed the rolling window; everything else counts in `year` only.
    if (kind === 'enterprise_practice') {
      if (verified) practiceVerified.push(record);
      else practicePending.push(record);
    } else if (kind === 'practice_exemption' && verified) {
      exemptYears.push(record.year);
    }
    if (!verified) {
      if (!registry.kind(kind)!.scoredIn(record, year, yearFirstDate, yearLastDate)) continue;
      pendingRecordIds.push(record.id);
    } else {
      for (let index = 0; index < kindVetoes.length; index++) {
        const veto = kindVetoes[index]!;
        if (veto.kind === kind && veto.hits(record, year, yearFirstDate, yearLastDate)) (vetoRecordIds[index] ??= []).push(record.id);
      }
    }
    switch (kind) {
      case 'teaching_evaluation':
        if (inYear(record.date)) evaluationScores.add(verified, record.score, record.id);
        break;
      case 'teaching_resource':
        if (inYear(record.date)) {
          const rule = compiled.resource[record.resourceType];
          const share = teamShare(compiled, record.rank, record.share);
          tally.record(verified, rule, record.id, 1, share.factor, hundredths(1, rule.points, share.fraction));
        }
        break;
      case 'teaching_workload':
        if (record.year === year) workloadHours.add(verified, record.hours, record.id);
        break;
      case 'teaching_reform_project':
        if (inYear(record.date)) {
          const rule = compiled.reform[record.level];
          const share = teamShare(compiled, record.rank, record.share);
          tally.record(verified, rule, record.id, 1, share.factor, hundredths(1, rule.points, share.fraction));
        }
        break;
      case 'mentoring': {
        // Scores in the year the pairing ends, for the mentor, when the mentee passed; open pairings score nothing.
        const end = record.end;
        if (record.role === 'mentor' && record.outcome === 'passed' && end !== undefined && inYear(end)) {
          tally.record(verified, compiled.mentoring, record.id, 1, 1, hundredths(1, compiled.mentoring.points));
        }
        break;
      }
      case 'skill_competition':
        if (inYear(record.date)) {
          const rule = compiled.competition[record.level][record.award];
          const share = teamShare(compiled, record.rank, record.share);
          tally.record(verified, rule, record.id, 1, share.factor, hundredths(1, rule.points, share.fraction));
        }
        break;
      case 'certificate':
        if (inYear(record.date)) {
          const rule = compiled.certificate[record.certType][record.level];
          tally.record(verified, rule, record.id, 1, 1, hundredths(1, rule.points));
        }
        break;
      case 'international_training':
        if (record.start <= yearLastDate && record.end >= yearFirstDate) {
          trainingsIfVerified.push(record);
          if (verified) trainings.push(record);
        }
        break;
      case 'horizontal_project':
      case 'tech_transfer':
        if (inYear(record.date)) {
          const rule = kind === 'tech_transfer' ? compiled.techTransfer : compiled.horizontalProject;
          const share = teamShare(compiled, record.rank, record.share);
          const amount = record.amountYuan;
          tally.record(verified, rule, record.id, amount, share.factor, hundredths(amount, rule.points, share.fraction, ONE, ONE, rule.per));
        }
        break;
      case 'patent':
        if (inYear(record.date)) {
          const rule = compiled.patent[record.patentType];
          const share = teamShare(compiled, record.rank, record.share);
          tally.record(verified, rule, record.id, 1, share.factor, hundredths(1, rule.points, share.fraction));
        }
        break;
      case 'enterprise_training':
        if (inYear(record.date)) {
          const rule = compiled.enterpriseTraining;
          const factor = satisfactionFactor(compiled, record.satisfaction);
          const share = teamShare(compiled, record.rank, record.share);
          const trainees = record.trainees;
          const hours = decimal(compiled, record.hours).fraction;
          // trainees × hours ÷ perTraineeHours × points × factor × share
          const traineeHours = hundredths(trainees, hours);
          const points = hundredths(trainees, hours, rule.points, factor.fraction, share.fraction, rule.per);
          tally.factored(verified, rule, record.id, traineeHours / 100, share.factor, factor.factor, points);
        }
        break;
      case 'technical_service':
        if (inYear(record.date)) {
          const rule = compiled.technicalService;
          const factor = satisfactionFactor(compiled, record.satisfaction);
          const share = teamShare(compiled, record.rank, record.share);
          const amount = record.amountYuan;
          const points = hundredths(amount, rule.points, factor.fraction, share.fraction, ONE, rule.per);
          tally.factored(verified, rule, record.id, amount, share.factor, factor.factor, points);
        }
        break;
      case 'ethics_violation':
        break; // a veto, not a score: the policy's vetoes name it (above)
      case 'dual_qualified_recognition':
        break; // a recognition is a standing, not a scored achievement
      case 'enterprise_practice':
      case 'practice_exemption':
        break; // sorted out above, counted through practiceOfPeriods below
      default:
        // Every built-in kind has its branch (a missing one does not compile); a policy's own kinds score
        // through its scoring items.
        kind satisfies never;
    }
  }

  const workload = compiled.workload;
  tally.sumLine(
    workload.categoryIndex,
    'teaching_workload',
    workloadHours,
    (hours) => hours.toNumber(),
    (hours) => saturatingPoints(hours, workload.fullHoursFraction, workload.fullHours, workload.points),
  );
  const evaluationFactor = compiled.evaluation.factor;
  tally.sumLine(compiled.evaluation.categoryIndex, 'teaching_evaluation', evaluationScores, meanQuantity, (scores, count) => meanPoints(scores, count, evaluationFactor));

  const practice = practiceOfPeriods(teacher, practiceVerified, practicePending, exemptYears, year, policy);
  const practiceRule = compiled.practiceDays;
  if (practice.countedDays > 0) tally.line(practiceRule.categoryIndex, 'practice_days', practice.recordIds, practice.countedDays, hundredths(practice.countedDays, practiceRule.perDay));
  // Pending practice days are exactly the days pending records would add (practiceOfPeriods unions both).
  rawIfVerified[practiceRule.categoryIndex]! += hundredths(practice.countedDays + practice.pendingDays, practiceRule.perDay);

  const trainingRule = compiled.trainingDays;
  if (trainingsIfVerified.length > 0) {
    const trainingPoints = (days: number) => hundredths(days, trainingRule.perDay);
    const training = trainings.length > 0 ? distinctDays(trainings, yearFirstDay, yearLastDay) : undefined;
    if (training !== undefined) tally.line(trainingRule.categoryIndex, 'international_training_days', training.recordIds, training.days, trainingPoints(training.days));
    const daysIfVerified = training !== undefined && trainings.length === trainingsIfVerified.length ? training.days : distinctDays(trainingsIfVerified, yearFirstDay, yearLastDay).days;
    rawIfVerified[trainingRule.categoryIndex]! += trainingPoints(daysIfVerified);
  }

  if (compiled.items.length > 0) {
    const span = { start: yearFirstDate, end: yearLastDate, first: yearFirstDay, last: yearLastDay };
    const context: ItemContext = {
      registry: compiled.registry,
      share: (record) => teamShare(compiled, record.rank as number | undefined, record.share as number | undefined),
      decimal: (value) => decimal(compiled, value).fraction,
    };
    for (let index = 0; index < compiled.items.length; index++) {
      const item = compiled.items[index]!;
      const kind = compiled.itemKindOf[index];
      // An item of one kind reads that kind's records (in input order, as the whole list would give them).
      const live = (kind === undefined ? itemRecords : itemRecordsByKind![kind]) as unknown as Parameters<typeof scoreItem>[1] | undefined;
      if (live === undefined || live.length === 0) continue; // nothing to score: no line, no points
      const scored = scoreItem(item, live, year, span, context);
      tally.item(scored.lines, scored.points, scored.ifVerifiedPoints, item.categoryIndex);
    }
  }

  const categories = {} as Appraisal['categories'];
  let totalHundredths = 0;
  let totalIfVerifiedHundredths = 0;
  for (let index = 0; index < compiled.categories.length; index++) {
    const id = compiled.categories[index]!;
    const cap = compiled.caps[index]!;
    const capped = Math.min(raw[index]!, cap);
    totalHundredths += capped;
    totalIfVerifiedHundredths += Math.min(rawIfVerified[index]!, cap);
    categories[id] = { raw: raw[index]! / 100, capped: capped / 100, cap: cap / 100 };
  }
  return { items: tally.items, categories, totalHundredths, totalIfVerifiedHundredths, practice, vetoRecordIds, pendingRecordIds };
}

function gradeOfTotal(compiled: CompiledRules, totalHundredths: number): Grade {
  for (const band of compiled.bands) if (totalHundredths >= band.min) return band.grade;
  return compiled.policy.appraisal.grades.otherwise;
}

/**
 * Appraise a teacher's own, already validated records for `year`. The internal entry point shared by
 * scoreAppraisal, appraiseAll, growth and title review.
 * @example
 * ```ts
 * // trusted: the teacher's own validated records and a parsed policy
 * appraise(teacher, ownRecords, 2024, defaultPolicy).total; // 8.9
 * ```
 */
export function appraise(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, policy: Policy, compiled: CompiledRules = compiledFor(policy)): Appraisal {
  const scored = score(teacher, ownRecords, year, compiled);
  const bandGrade = gradeOfTotal(compiled, scored.totalHundredths);
  let grade = bandGrade;
  const vetoes: VetoName[] = [];
  const vetoTrace: VetoTrace[] = [];
  for (const veto of compiled.vetoes) {
    const recordIds = veto.practice ? (scored.practice.compliant ? undefined : scored.practice.recordIds) : scored.vetoRecordIds[veto.index];
    if (recordIds === undefined) continue;
    const after = worseOf(grade, veto.grade);
    vetoes.push(veto.id);
    vetoTrace.push({ veto: veto.id, recordIds, gradeBefore: grade, gradeAfter: after, blocksTitleReview: true });
    grade = after;
  }
  return {
    teacherId: teacher.id,
    year,
    total: scored.totalHundredths / 100,
    grade,
    bandGrade,
    vetoes,
    vetoTrace,
    titleReviewEligible: vetoes.length === 0 && gradeAtLeast(grade, policy.appraisal.titleReviewMinGrade),
    practiceDays: scored.practice.countedDays,
    practice: scored.practice,
    categories: scored.categories,
    items: scored.items,
    pending: { recordIds: scored.pendingRecordIds, totalIfVerified: scored.totalIfVerifiedHundredths / 100 },
  };
}

/**
 * A teacher's appraisal for academic year `year`, with its full trace.
 * @example
 * ```ts
 * scoreAppraisal({ teacher, records, year: 2024 });
 * // { total: 8.9, grade: 'incompetent', vetoes: [], items: [
 * //   { category: 'tech_transfer', rule: 'tech_transfer', recordIds: ['r2'], quantity: 15000, share: 0.3, points: 0.9 },
 * //   { category: 'engineering_practice', rule: 'practice_days', recordIds: ['r1'], quantity: 32, share: 1, points: 8 }], … }
 * ```
 */
export function scoreAppraisal(args: { teacher: Teacher; records: readonly EvidenceRecord[]; year: number; policy?: Policy }): Appraisal {
  const policy = resolvePolicy(args.policy);
  const teacher = parseWith(teacherSchema, args.teacher, ['teacher']);
  const records = parseRecords(args.records, policy);
  const year = parseWith(academicYearArg, args.year, ['year']);
  return appraise(
    teacher,
    records.filter((record) => record.teacherId === teacher.id),
    year,
    policy,
  );
}

/**
 * Tie-break key for the excellence quota after the total: the capped points of the policy's tie-break
 * categories (`excellenceQuota.tieBreak`; the default: technology transfer + enterprise service), summed.
 */
// Points carry at most two decimals, so Math.round(x × 100) recovers their hundredths exactly.
function tieBreakHundredths(appraisal: Appraisal, categories: readonly string[]): number {
  let sum = 0;
  for (const id of categories) sum += Math.round((appraisal.categories[id]?.capped ?? 0) * 100);
  return sum;
}

function quotaOrder(a: Appraisal, b: Appraisal, categories: readonly string[]): number {
  return Math.round(b.total * 100) - Math.round(a.total * 100) || tieBreakHundredths(b, categories) - tieBreakHundredths(a, categories) || b.practiceDays - a.practiceDays || (a.teacherId < b.teacherId ? -1 : a.teacherId > b.teacherId ? 1 : 0);
}

/**
 * The order the excellence quota ranks a unit in: best first (a comparator for `Array.prototype.sort`): total,
 * then the capped points of the policy's tie-break categories (`excellenceQuota.tieBreak`), then practice days,
 * then id. Without a policy, the default policy's.
 * @example
 * ```ts
 * // the quota's order: total, then transfer + service points (the default policy's tie-break), then practice days, then id
 * appraisals.sort(compareForQuota)[0]; // the unit's first for the excellence quota
 * appraisals.sort((a, b) => compareForQuota(a, b, myPolicy)); // with a policy's own tie-break categories
 * ```
 */
export function compareForQuota(a: Appraisal, b: Appraisal, policy?: Policy): number {
  return quotaOrder(a, b, resolvePolicy(policy).appraisal.excellenceQuota.tieBreak);
}

const quotaEntrySchema = z.array(
  z.object({
    unit: z.string().min(1),
    appraisal: z.looseObject({
      teacherId: z.string(),
      total: z.number().min(0),
      grade: z.enum(grades),
      practiceDays: z.int().min(0),
      categories: z.record(z.string(), z.looseObject({ capped: z.number() })),
    }),
  }),
);

/**
 * Within each unit at most `maxShare` of its appraised teachers (rounded down, at least one where anyone
 * qualifies) keep the quota grade; the rest are lowered. Returns the appraisals in the given order, each with
 * `finalGrade` (and `quota` for those who reached the quota grade).
 * @example
 * ```ts
 * const a = scoreAppraisal({ teacher, records, year: 2024 });
 * const b = scoreAppraisal({ teacher: colleague, records, year: 2024 });
 * applyExcellenceQuota([{ appraisal: a, unit: teacher.unit }, { appraisal: b, unit: colleague.unit }])
 *   .map((result) => result.finalGrade); // one grade each, after the unit's ≤ 20 % excellent quota
 * ```
 */
export function applyExcellenceQuota(entries: ReadonlyArray<{ appraisal: Appraisal; unit: string }>, policy?: Policy): QuotaAppraisal[] {
  const resolved = resolvePolicy(policy);
  parseWith(quotaEntrySchema, entries, ['entries']);
  return quota(entries, resolved);
}

/** `copy`: false when the appraisals are the caller's own, fresh from appraise(), and may be completed in place. */
function quota(entries: ReadonlyArray<{ appraisal: Appraisal; unit: string }>, policy: Policy, copy = true): QuotaAppraisal[] {
  const rule = policy.appraisal.excellenceQuota;
  const share = toFraction(rule.maxShare);
  const units = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    const members = units.get(entry.unit);
    if (members) members.push(index);
    else units.set(entry.unit, [index]);
  });
  const result: QuotaAppraisal[] = entries.map((entry) => {
    const appraisal = copy ? { ...entry.appraisal } : entry.appraisal;
    appraisal.finalGrade = appraisal.grade;
    return appraisal as QuotaAppraisal;
  });
  for (const [unit, members] of units) {
    const qualifiers = members.filter((index) => entries[index]!.appraisal.grade === rule.grade);
    if (qualifiers.length === 0) continue;
    let limit = Number((BigInt(members.length) * BigInt(share.num)) / BigInt(share.den));
    if (rule.atLeastOne && limit === 0) limit = 1;
    qualifiers.sort((a, b) => quotaOrder(entries[a]!.appraisal, entries[b]!.appraisal, rule.tieBreak));
    qualifiers.forEach((index, place) => {
      const kept = place < limit;
      result[index]!.finalGrade = kept ? rule.grade : rule.lowerTo;
      result[index]!.quota = { unit, unitSize: members.length, limit, position: place + 1, kept };
    });
  }
  return result;
}

/**
 * Appraise every teacher for `year` and apply the quota per unit. Records are validated and grouped once,
 * so the cost grows linearly with teachers + records. One result per teacher, in the teachers' order.
 * @example
 * ```ts
 * for (const result of appraiseAll({ teachers, records, year: 2024 })) {
 *   console.log(result.teacherId, result.total, result.grade, result.finalGrade); // 't1' 8.9 'incompetent' 'incompetent'
 * }
 * ```
 */
export function appraiseAll(args: { teachers: readonly Teacher[]; records: readonly EvidenceRecord[]; year: number; policy?: Policy }): QuotaAppraisal[] {
  const policy = resolvePolicy(args.policy);
  const teachers = parseTeachers(args.teachers);
  const byTeacher = parseRecordsByTeacher(args.records, policy);
  const year = parseWith(academicYearArg, args.year, ['year']);
  return appraiseGrouped(teachers, byTeacher, year, policy);
}

/**
 * appraiseAll's scoring and quota on input already validated and grouped (against `policy`'s kinds): what a
 * comparison of two policies with the same kinds shares, so it validates and groups once.
 */
export function appraiseGrouped(teachers: readonly Teacher[], byTeacher: ReadonlyMap<string, readonly EvidenceRecord[]>, year: number, policy: Policy): QuotaAppraisal[] {
  const compiled = compiledFor(policy);
  const entries = teachers.map((teacher) => ({ unit: teacher.unit, appraisal: appraise(teacher, byTeacher.get(teacher.id) ?? [], year, policy, compiled) }));
  return quota(entries, policy, false);
}

/**
 * Validate a teacher list: every teacher checked, duplicate ids named. Valid teachers are returned as given.
 * @example
 * ```ts
 * parseTeachers([teacher]);          // [teacher]
 * parseTeachers([teacher, teacher]); // throws ValidationError: teachers[1].id: duplicate teacher id "t1"
 * ```
 */
export function parseTeachers(input: unknown, pathName = 'teachers'): Teacher[] {
  if (Array.isArray(input) && input.every(isValidTeacherFast) && !hasDuplicate(input.map((teacher: Teacher) => teacher.id))) return input as Teacher[];
  const list = parseWith(z.array(z.unknown()), input, [pathName]);
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const teachers: Teacher[] = [];
  list.forEach((item, index) => {
    const result = teacherSchema.safeParse(item);
    if (!result.success) {
      issues.push(...issuesFromZod(result.error, [pathName, index]));
      return;
    }
    if (seen.has(result.data.id)) issues.push({ path: `${pathName}[${index}].id`, message: `duplicate teacher id "${result.data.id}"` });
    seen.add(result.data.id);
    teachers.push(result.data);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return teachers;
}
