import { z } from 'zod';
import { academicYearPeriod, academicYearDays } from './calendar.js';
import { issuesFromZod, parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { ExactSum, roundedQuotient, toFraction, toHundredths, type Fraction } from './exact.js';
import { categoryIds, defaultPolicy, gradeAtLeast, grades, resolvePolicy, shareOf, type CategoryId, type Grade, type Policy } from './policy.js';
import { hasDuplicate, isValidTeacherFast } from './fast-check.js';
import { academicYearArg, distinctDays, practiceStatus, type PracticeStatus } from './practice.js';
import { awards, certLevels, certTypes, groupByTeacher, levels, parseRecords, patentTypes, resourceTypes, teacherSchema, type EvidenceRecord, type Teacher } from './records.js';

/** One line of the trace: which records, which rule, how much, at what share, for how many points. */
export interface TraceItem {
  category: CategoryId;
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
}

export interface CategoryScore {
  raw: number;
  capped: number;
  cap: number;
}

export type VetoName = 'ethics_violation' | 'practice_noncompliant';

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
  categories: Record<CategoryId, CategoryScore>;
  items: TraceItem[];
  /** Records of the year still pending, and the total they would give once verified. */
  pending: { recordIds: string[]; totalIfVerified: number };
  /** Set by applyExcellenceQuota / appraiseAll. */
  finalGrade?: Grade;
  quota?: QuotaTrace;
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

/** Rule ids of the per-record rules, built once: `teaching_resource.micro_lecture`, `skill_competition.national.first`. */
const ruleIds = {
  resource: Object.fromEntries(resourceTypes.map((type) => [type, `teaching_resource.${type}`])) as Record<(typeof resourceTypes)[number], string>,
  reform: Object.fromEntries(levels.map((level) => [level, `teaching_reform_project.${level}`])) as Record<(typeof levels)[number], string>,
  competition: Object.fromEntries(levels.map((level) => [level, Object.fromEntries(awards.map((award) => [award, `skill_competition.${level}.${award}`]))])) as Record<(typeof levels)[number], Record<(typeof awards)[number], string>>,
  certificate: Object.fromEntries(certTypes.map((type) => [type, Object.fromEntries(certLevels.map((level) => [level, `certificate.${type}.${level}`]))])) as Record<(typeof certTypes)[number], Record<(typeof certLevels)[number], string>>,
  patent: Object.fromEntries(patentTypes.map((type) => [type, `patent.${type}`])) as Record<(typeof patentTypes)[number], string>,
};

/** Policy numbers turned into exact fractions once per policy. */
interface CompiledRules {
  policy: Policy;
  caps: Record<CategoryId, number>;
  /** Grade bands with their minimum in hundredths, best first. */
  bands: Array<{ grade: Grade; min: number }>;
  fractions: Map<number, Fraction>;
  /** First and last date and day number of each academic year asked for. */
  years: Map<number, { start: string; end: string; first: number; last: number }>;
}

function yearSpan(compiled: CompiledRules, year: number): { start: string; end: string; first: number; last: number } {
  let span = compiled.years.get(year);
  if (span === undefined) {
    const yearStart = compiled.policy.calendar.yearStart;
    span = { ...academicYearPeriod(year, yearStart), ...academicYearDays(year, yearStart) };
    if (compiled.years.size < FRACTION_CACHE_LIMIT) compiled.years.set(year, span);
  }
  return span;
}

/** Cached decimal → fraction. Bounded: record values (hours, shares) pass through here too. */
const FRACTION_CACHE_LIMIT = 4096;
function fraction(compiled: CompiledRules, value: number): Fraction {
  let cached = compiled.fractions.get(value);
  if (cached === undefined) {
    cached = toFraction(value);
    if (compiled.fractions.size < FRACTION_CACHE_LIMIT) compiled.fractions.set(value, cached);
  }
  return cached;
}

export function compileRules(policy: Policy): CompiledRules {
  const caps = {} as Record<CategoryId, number>;
  for (const id of categoryIds) caps[id] = toHundredths(policy.appraisal.categories[id].cap);
  const bands = policy.appraisal.grades.bands.map((band) => ({ grade: band.grade, min: toHundredths(band.min) }));
  return { policy, caps, bands, fractions: new Map(), years: new Map() };
}

let compiledDefault: CompiledRules | undefined;
function compiledFor(policy: Policy): CompiledRules {
  // The default policy is frozen, so its compiled form can be shared; custom policies compile per call.
  if (policy === defaultPolicy) return (compiledDefault ??= compileRules(policy));
  return compileRules(policy);
}

/**
 * Points in hundredths of `amount × Π multipliers ÷ divisor`, rounded half-up, exactly. The common case
 * (every product a safe integer) stays in plain numbers without allocating; otherwise BigInt.
 */
function hundredths(compiled: CompiledRules, amount: number, a: number, b = 1, c = 1, d = 1, divisor = 1): number {
  const fa = fraction(compiled, a);
  const fb = b === 1 ? ONE : fraction(compiled, b);
  const fc = c === 1 ? ONE : fraction(compiled, c);
  const fd = d === 1 ? ONE : fraction(compiled, d);
  const fdiv = divisor === 1 ? ONE : fraction(compiled, divisor);
  const { num: an, den: ad } = fa;
  const { num: bn, den: bd } = fb;
  const { num: cn, den: cd } = fc;
  const { num: dn, den: dd } = fd;
  const { num: divn, den: divd } = fdiv;
  if (
    typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number' && typeof cn === 'number' && typeof cd === 'number' &&
    typeof dn === 'number' && typeof dd === 'number' && typeof divn === 'number' && typeof divd === 'number'
  ) {
    const num = amount * 100 * an * bn * cn * dn * divd;
    const den = ad * bd * cd * dd * divn;
    if (num <= MAX_HALF_SAFE && den <= MAX_HALF_SAFE) {
      const quotient = Math.floor(num / den);
      return (num - quotient * den) * 2 >= den ? quotient + 1 : quotient;
    }
  }
  return roundedQuotient([amount, 100, an, bn, cn, dn, divd], [ad, bd, cd, dd, divn]);
}
/** Below this, products and doubled remainders stay exact integers in a double. */
const MAX_HALF_SAFE = Math.floor(Number.MAX_SAFE_INTEGER / 2);
const ONE: Fraction = { num: 1, den: 1 };

function satisfactionFactor(policy: Policy, satisfaction: number | undefined): number {
  const rule = policy.appraisal.rules.satisfaction;
  if (satisfaction === undefined) return rule.absent;
  for (const band of rule.bands) if (satisfaction >= band.min) return band.factor;
  return rule.below;
}

function worseOf(a: Grade, b: Grade): Grade {
  return grades.indexOf(a) >= grades.indexOf(b) ? a : b;
}

interface Scored {
  items: TraceItem[];
  categories: Record<CategoryId, CategoryScore>;
  totalHundredths: number;
  /** The total if every pending record of the year were verified. */
  totalIfVerifiedHundredths: number;
  practice: PracticeStatus;
  ethicsRecordIds: string[];
  pendingRecordIds: string[];
}

/**
 * Score the verified records of `year`, and in the same pass what the year would score with its pending
 * records verified too (pending records change no trace line).
 */
function score(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, compiled: CompiledRules): Scored {
  const policy = compiled.policy;
  const rules = policy.appraisal.rules;
  const { start: yearFirstDate, end: yearLastDate, first: yearFirstDay, last: yearLastDay } = yearSpan(compiled, year);
  const items: TraceItem[] = [];
  const raw = {} as Record<CategoryId, number>;
  const rawIfVerified = {} as Record<CategoryId, number>;
  for (const id of categoryIds) raw[id] = rawIfVerified[id] = 0;
  /** A scored result: a trace line when verified, and its points toward the if-verified total either way. */
  const add = (verified: boolean, category: CategoryId, rule: string, recordIds: string[], quantity: number, share: number, points: number, factor?: number) => {
    rawIfVerified[category] += points;
    if (!verified) return;
    raw[category] += points;
    const item: TraceItem = { category, rule, recordIds, quantity, share, points: points / 100 };
    if (factor !== undefined) item.factor = factor;
    items.push(item);
  };
  const inYear = (date: string) => date >= yearFirstDate && date <= yearLastDate;

  // Line inputs are summed exactly and the line is rounded once (SPEC §4): verified, and verified + pending.
  const workloadHours = new ExactSum();
  const workloadHoursIfVerified = new ExactSum();
  const workloadIds: string[] = [];
  const evaluationScores = new ExactSum();
  const evaluationScoresIfVerified = new ExactSum();
  const evaluationIds: string[] = [];
  let evaluationCountIfVerified = 0;
  const trainings: Array<{ id: string; start: string; end: string }> = [];
  const trainingsIfVerified: Array<{ id: string; start: string; end: string }> = [];
  const ethicsRecordIds: string[] = [];
  const pendingRecordIds: string[] = [];

  for (const record of ownRecords) {
    if (record.status === 'rejected') continue;
    const verified = record.status === 'verified';
    if (!verified) {
      if (!touchesYear(record, year, inYear, yearFirstDate, yearLastDate)) continue;
      pendingRecordIds.push(record.id);
    }
    switch (record.kind) {
      case 'teaching_workload':
        if (record.year === year) {
          workloadHoursIfVerified.addDecimal(record.hours);
          if (verified) {
            workloadHours.addDecimal(record.hours);
            workloadIds.push(record.id);
          }
        }
        break;
      case 'teaching_evaluation':
        if (inYear(record.date)) {
          evaluationScoresIfVerified.addDecimal(record.score);
          evaluationCountIfVerified++;
          if (verified) {
            evaluationScores.addDecimal(record.score);
            evaluationIds.push(record.id);
          }
        }
        break;
      case 'teaching_resource':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(verified, rules.teachingResource.category, ruleIds.resource[record.resourceType], [record.id], 1, share, hundredths(compiled, 1, rules.teachingResource.points[record.resourceType], share));
        }
        break;
      case 'teaching_reform_project':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(verified, rules.teachingReform.category, ruleIds.reform[record.level], [record.id], 1, share, hundredths(compiled, 1, rules.teachingReform.points[record.level], share));
        }
        break;
      case 'mentoring':
        // Scores in the year the pairing ends, for the mentor, when the mentee passed; open pairings score nothing.
        if (record.role === 'mentor' && record.outcome === 'passed' && record.end !== undefined && inYear(record.end)) {
          add(verified, rules.mentoring.category, 'mentoring.mentor_passed', [record.id], 1, 1, hundredths(compiled, 1, rules.mentoring.mentorPassed));
        }
        break;
      case 'skill_competition':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(verified, rules.skillCompetition.category, ruleIds.competition[record.level][record.award], [record.id], 1, share, hundredths(compiled, 1, rules.skillCompetition.points[record.level][record.award], share));
        }
        break;
      case 'certificate':
        if (inYear(record.date)) {
          add(verified, rules.certificate.category, ruleIds.certificate[record.certType][record.level], [record.id], 1, 1, hundredths(compiled, 1, rules.certificate.points[record.level]));
        }
        break;
      case 'international_training':
        if (record.start <= yearLastDate && record.end >= yearFirstDate) {
          trainingsIfVerified.push(record);
          if (verified) trainings.push(record);
        }
        break;
      case 'horizontal_project':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.horizontalProject;
          add(verified, rule.category, 'horizontal_project', [record.id], record.amountYuan, share, hundredths(compiled, record.amountYuan, rule.points, share, 1, 1, rule.per));
        }
        break;
      case 'patent':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(verified, rules.patent.category, ruleIds.patent[record.patentType], [record.id], 1, share, hundredths(compiled, 1, rules.patent.points[record.patentType], share));
        }
        break;
      case 'tech_transfer':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.techTransfer;
          add(verified, rule.category, 'tech_transfer', [record.id], record.amountYuan, share, hundredths(compiled, record.amountYuan, rule.points, share, 1, 1, rule.per));
        }
        break;
      case 'enterprise_training':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.enterpriseTraining;
          const factor = satisfactionFactor(policy, record.satisfaction);
          // trainees × hours ÷ perTraineeHours × points × factor × share
          const traineeHours = hundredths(compiled, record.trainees, record.hours);
          const points = hundredths(compiled, record.trainees, record.hours, rule.points, factor, share, rule.perTraineeHours);
          add(verified, rule.category, 'enterprise_training', [record.id], traineeHours / 100, share, points, factor);
        }
        break;
      case 'technical_service':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.technicalService;
          const factor = satisfactionFactor(policy, record.satisfaction);
          add(verified, rule.category, 'technical_service', [record.id], record.amountYuan, share, hundredths(compiled, record.amountYuan, rule.points, factor, share, 1, rule.per), factor);
        }
        break;
      case 'ethics_violation':
        if (verified && inYear(record.date)) ethicsRecordIds.push(record.id);
        break;
      case 'enterprise_practice':
      case 'practice_exemption':
        break; // counted through practiceStatus below
    }
  }

  const workloadPoints = (hoursSum: ExactSum) => {
    const rule = rules.teachingWorkload;
    if (hoursSum.atLeast(rule.fullHours)) return hundredths(compiled, 1, rule.points);
    // min(hours / fullHours, 1) × points
    const hours = hoursSum.fraction();
    const full = fraction(compiled, rule.fullHours);
    const perPoint = fraction(compiled, rule.points);
    return roundedQuotient([hours.num, full.den, perPoint.num, 100], [hours.den, full.num, perPoint.den]);
  };
  const evaluationPoints = (scoreSum: ExactSum, count: number) => {
    const scores = scoreSum.fraction();
    const factor = fraction(compiled, rules.teachingEvaluation.factor);
    return roundedQuotient([scores.num, factor.num, 100], [scores.den, count, factor.den]);
  };
  if (workloadIds.length > 0) {
    const points = workloadPoints(workloadHours);
    raw[rules.teachingWorkload.category] += points;
    items.push({ category: rules.teachingWorkload.category, rule: 'teaching_workload', recordIds: workloadIds, quantity: workloadHours.toNumber(), share: 1, points: points / 100 });
  }
  rawIfVerified[rules.teachingWorkload.category] += workloadPoints(workloadHoursIfVerified); // no hours: 0 points
  if (evaluationIds.length > 0) {
    const points = evaluationPoints(evaluationScores, evaluationIds.length);
    const scores = evaluationScores.fraction();
    raw[rules.teachingEvaluation.category] += points;
    items.push({ category: rules.teachingEvaluation.category, rule: 'teaching_evaluation', recordIds: evaluationIds, quantity: roundedQuotient([scores.num, 100], [scores.den, evaluationIds.length]) / 100, share: 1, points: points / 100 });
  }
  if (evaluationCountIfVerified > 0) rawIfVerified[rules.teachingEvaluation.category] += evaluationPoints(evaluationScoresIfVerified, evaluationCountIfVerified);

  const practice = practiceStatus(teacher, ownRecords, year, policy);
  const practiceRule = rules.practiceDays;
  if (practice.countedDays > 0) {
    const points = hundredths(compiled, practice.countedDays, practiceRule.pointsPerDay);
    raw[practiceRule.category] += points;
    items.push({ category: practiceRule.category, rule: 'practice_days', recordIds: practice.recordIds, quantity: practice.countedDays, share: 1, points: points / 100 });
  }
  // Pending practice days are exactly the days pending records would add (practiceStatus unions both).
  rawIfVerified[practiceRule.category] += hundredths(compiled, practice.countedDays + practice.pendingDays, practiceRule.pointsPerDay);

  const trainingRule = rules.internationalTraining;
  if (trainingsIfVerified.length > 0) {
    const first = yearFirstDay;
    const last = yearLastDay;
    if (trainings.length > 0) {
      const training = distinctDays(trainings, first, last);
      const points = hundredths(compiled, training.days, trainingRule.pointsPerDay);
      raw[trainingRule.category] += points;
      items.push({ category: trainingRule.category, rule: 'international_training_days', recordIds: training.recordIds, quantity: training.days, share: 1, points: points / 100 });
    }
    rawIfVerified[trainingRule.category] += hundredths(compiled, distinctDays(trainingsIfVerified, first, last).days, trainingRule.pointsPerDay);
  }

  const categories = {} as Record<CategoryId, CategoryScore>;
  let totalHundredths = 0;
  let totalIfVerifiedHundredths = 0;
  for (const id of categoryIds) {
    const cap = compiled.caps[id];
    const capped = Math.min(raw[id], cap);
    totalHundredths += capped;
    totalIfVerifiedHundredths += Math.min(rawIfVerified[id], cap);
    categories[id] = { raw: raw[id] / 100, capped: capped / 100, cap: cap / 100 };
  }
  return { items, categories, totalHundredths, totalIfVerifiedHundredths, practice, ethicsRecordIds, pendingRecordIds };
}

function touchesYear(record: EvidenceRecord, year: number, inYear: (date: string) => boolean, first: string, last: string): boolean {
  switch (record.kind) {
    case 'teaching_workload':
    case 'practice_exemption':
      return record.year === year;
    case 'enterprise_practice':
    case 'international_training':
      return record.start <= last && record.end >= first;
    case 'mentoring':
      return record.end !== undefined && inYear(record.end);
    default:
      return inYear(record.date);
  }
}

function gradeOfTotal(compiled: CompiledRules, totalHundredths: number): Grade {
  for (const band of compiled.bands) if (totalHundredths >= band.min) return band.grade;
  return compiled.policy.appraisal.grades.otherwise;
}

/**
 * Appraise a teacher's own, already validated records for `year`. The internal entry point shared by
 * scoreAppraisal, appraiseAll, growth and title review.
 */
export function appraise(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, policy: Policy, compiled: CompiledRules = compiledFor(policy)): Appraisal {
  const scored = score(teacher, ownRecords, year, compiled);
  const bandGrade = gradeOfTotal(compiled, scored.totalHundredths);
  let grade = bandGrade;
  const vetoes: VetoName[] = [];
  const vetoTrace: VetoTrace[] = [];
  if (!scored.practice.compliant) {
    const after = worseOf(grade, policy.appraisal.vetoes.practiceNoncompliant.maxGrade);
    vetoes.push('practice_noncompliant');
    vetoTrace.push({ veto: 'practice_noncompliant', recordIds: scored.practice.recordIds, gradeBefore: grade, gradeAfter: after, blocksTitleReview: true });
    grade = after;
  }
  if (scored.ethicsRecordIds.length > 0) {
    const after = worseOf(grade, policy.appraisal.vetoes.ethicsViolation.grade);
    vetoes.push('ethics_violation');
    vetoTrace.push({ veto: 'ethics_violation', recordIds: scored.ethicsRecordIds, gradeBefore: grade, gradeAfter: after, blocksTitleReview: true });
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

/** A teacher's appraisal for academic year `year`, with its full trace. */
export function scoreAppraisal(args: { teacher: Teacher; records: readonly EvidenceRecord[]; year: number; policy?: Policy }): Appraisal {
  const policy = resolvePolicy(args.policy);
  const teacher = parseWith(teacherSchema, args.teacher, ['teacher']);
  const records = parseRecords(args.records);
  const year = parseWith(academicYearArg, args.year, ['year']);
  return appraise(teacher, records.filter((record) => record.teacherId === teacher.id), year, policy);
}

/** Tie-break key for the excellence quota: total, then capped transfer + service, then practice days, then id. */
// Points carry at most two decimals, so Math.round(x × 100) recovers their hundredths exactly.
function transferAndServiceHundredths(appraisal: Appraisal): number {
  return Math.round(appraisal.categories.tech_transfer.capped * 100) + Math.round(appraisal.categories.enterprise_service.capped * 100);
}

export function compareForQuota(a: Appraisal, b: Appraisal): number {
  return (
    Math.round(b.total * 100) - Math.round(a.total * 100) ||
    transferAndServiceHundredths(b) - transferAndServiceHundredths(a) ||
    b.practiceDays - a.practiceDays ||
    (a.teacherId < b.teacherId ? -1 : a.teacherId > b.teacherId ? 1 : 0)
  );
}

const quotaEntrySchema = z.array(
  z.object({
    unit: z.string().min(1),
    appraisal: z.looseObject({
      teacherId: z.string(),
      total: z.number().min(0),
      grade: z.enum(grades),
      practiceDays: z.int().min(0),
      categories: z.looseObject({ tech_transfer: z.looseObject({ capped: z.number() }), enterprise_service: z.looseObject({ capped: z.number() }) }),
    }),
  }),
);

/**
 * Within each unit at most `maxShare` of its appraised teachers (rounded down, at least one where anyone
 * qualifies) keep the quota grade; the rest are lowered. Returns the appraisals in the given order, each with
 * `finalGrade` (and `quota` for those who reached the quota grade).
 */
export function applyExcellenceQuota(entries: ReadonlyArray<{ appraisal: Appraisal; unit: string }>, policy?: Policy): Appraisal[] {
  const resolved = resolvePolicy(policy);
  parseWith(quotaEntrySchema, entries, ['entries']);
  return quota(entries, resolved);
}

function quota(entries: ReadonlyArray<{ appraisal: Appraisal; unit: string }>, policy: Policy): Appraisal[] {
  const rule = policy.appraisal.excellenceQuota;
  const share = toFraction(rule.maxShare);
  const units = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    const members = units.get(entry.unit);
    if (members) members.push(index);
    else units.set(entry.unit, [index]);
  });
  const result: Appraisal[] = entries.map((entry) => ({ ...entry.appraisal, finalGrade: entry.appraisal.grade }));
  for (const [unit, members] of units) {
    const qualifiers = members.filter((index) => entries[index]!.appraisal.grade === rule.grade);
    if (qualifiers.length === 0) continue;
    let limit = Number((BigInt(members.length) * BigInt(share.num)) / BigInt(share.den));
    if (rule.atLeastOne && limit === 0) limit = 1;
    qualifiers.sort((a, b) => compareForQuota(entries[a]!.appraisal, entries[b]!.appraisal));
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
 */
export function appraiseAll(args: { teachers: readonly Teacher[]; records: readonly EvidenceRecord[]; year: number; policy?: Policy }): Appraisal[] {
  const policy = resolvePolicy(args.policy);
  const teachers = parseTeachers(args.teachers);
  const records = parseRecords(args.records);
  const year = parseWith(academicYearArg, args.year, ['year']);
  const byTeacher = groupByTeacher(records);
  const compiled = compiledFor(policy);
  const entries = teachers.map((teacher) => ({ unit: teacher.unit, appraisal: appraise(teacher, byTeacher.get(teacher.id) ?? [], year, policy, compiled) }));
  return quota(entries, policy);
}

/** Validate a teacher list: every teacher checked, duplicate ids named. Valid teachers are returned as given. */
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
