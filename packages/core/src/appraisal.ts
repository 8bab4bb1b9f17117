import { z } from 'zod';
import { academicYearPeriod, academicYearDays } from './calendar.js';
import { issuesFromZod, parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { ExactSum, roundedQuotient, toFraction, toHundredths, type Fraction } from './exact.js';
import { categoryIds, defaultPolicy, gradeAtLeast, grades, resolvePolicy, shareOf, type CategoryId, type Grade, type Policy } from './policy.js';
import { academicYearArg, distinctDays, practiceStatus, type PracticeStatus } from './practice.js';
import { groupByTeacher, parseRecords, teacherSchema, type EvidenceRecord, type Teacher } from './records.js';

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

/** Policy numbers turned into exact fractions once per policy. */
interface CompiledRules {
  policy: Policy;
  caps: Record<CategoryId, number>;
  fractions: Map<number, Fraction>;
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
  return { policy, caps, fractions: new Map() };
}

let compiledDefault: CompiledRules | undefined;
function compiledFor(policy: Policy): CompiledRules {
  // The default policy is frozen, so its compiled form can be shared; custom policies compile per call.
  if (policy === defaultPolicy) return (compiledDefault ??= compileRules(policy));
  return compileRules(policy);
}

/** Points in hundredths of `Π integers × Π multipliers ÷ Π divisors`, rounded half-up. */
function hundredths(compiled: CompiledRules, integers: number[], multipliers: number[], divisors: number[] = []): number {
  const numerators: Array<number | bigint> = [...integers, 100];
  const denominators: Array<number | bigint> = [];
  for (const value of multipliers) {
    const f = fraction(compiled, value);
    numerators.push(f.num);
    denominators.push(f.den);
  }
  for (const value of divisors) {
    const f = fraction(compiled, value);
    numerators.push(f.den);
    denominators.push(f.num);
  }
  return roundedQuotient(numerators, denominators);
}

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
  items: Array<TraceItem & { hundredths: number }>;
  categories: Record<CategoryId, CategoryScore>;
  cappedHundredths: Record<CategoryId, number>;
  totalHundredths: number;
  practice: PracticeStatus;
  ethicsRecordIds: string[];
  pendingRecordIds: string[];
}

/** Score the verified records of `year`. */
function score(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, compiled: CompiledRules): Scored {
  const policy = compiled.policy;
  const rules = policy.appraisal.rules;
  const { start: yearFirstDate, end: yearLastDate } = academicYearPeriod(year, policy.calendar.yearStart);
  const items: Array<TraceItem & { hundredths: number }> = [];
  const add = (category: CategoryId, rule: string, recordIds: string[], quantity: number, share: number, points: number, factor?: number) => {
    const item: TraceItem & { hundredths: number } = { category, rule, recordIds, quantity, share, points: points / 100, hundredths: points };
    if (factor !== undefined) item.factor = factor;
    items.push(item);
  };
  const inYear = (date: string) => date >= yearFirstDate && date <= yearLastDate;

  // Line inputs are summed exactly and the line is rounded once (SPEC §4).
  const workloadHours = new ExactSum();
  const workloadIds: string[] = [];
  const evaluationScores = new ExactSum();
  const evaluationIds: string[] = [];
  const trainings: Array<{ id: string; start: string; end: string }> = [];
  const ethicsRecordIds: string[] = [];
  const pendingRecordIds: string[] = [];

  for (const record of ownRecords) {
    if (record.status !== 'verified') {
      if (record.status === 'pending' && touchesYear(record, year, inYear, yearFirstDate, yearLastDate)) pendingRecordIds.push(record.id);
      continue;
    }
    switch (record.kind) {
      case 'teaching_workload':
        if (record.year === year) {
          workloadHours.addDecimal(record.hours);
          workloadIds.push(record.id);
        }
        break;
      case 'teaching_evaluation':
        if (inYear(record.date)) {
          evaluationScores.addDecimal(record.score);
          evaluationIds.push(record.id);
        }
        break;
      case 'teaching_resource':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(rules.teachingResource.category, `teaching_resource.${record.resourceType}`, [record.id], 1, share, hundredths(compiled, [], [rules.teachingResource.points[record.resourceType], share]));
        }
        break;
      case 'teaching_reform_project':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(rules.teachingReform.category, `teaching_reform_project.${record.level}`, [record.id], 1, share, hundredths(compiled, [], [rules.teachingReform.points[record.level], share]));
        }
        break;
      case 'mentoring':
        // Scores in the year the pairing ends, for the mentor, when the mentee passed; open pairings score nothing.
        if (record.role === 'mentor' && record.outcome === 'passed' && record.end !== undefined && inYear(record.end)) {
          add(rules.mentoring.category, 'mentoring.mentor_passed', [record.id], 1, 1, hundredths(compiled, [], [rules.mentoring.mentorPassed]));
        }
        break;
      case 'skill_competition':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(rules.skillCompetition.category, `skill_competition.${record.level}.${record.award}`, [record.id], 1, share, hundredths(compiled, [], [rules.skillCompetition.points[record.level][record.award], share]));
        }
        break;
      case 'certificate':
        if (inYear(record.date)) {
          add(rules.certificate.category, `certificate.${record.certType}.${record.level}`, [record.id], 1, 1, hundredths(compiled, [], [rules.certificate.points[record.level]]));
        }
        break;
      case 'international_training':
        if (record.start <= yearLastDate && record.end >= yearFirstDate) trainings.push(record);
        break;
      case 'horizontal_project':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.horizontalProject;
          add(rule.category, 'horizontal_project', [record.id], record.amountYuan, share, hundredths(compiled, [record.amountYuan], [rule.points, share], [rule.per]));
        }
        break;
      case 'patent':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          add(rules.patent.category, `patent.${record.patentType}`, [record.id], 1, share, hundredths(compiled, [], [rules.patent.points[record.patentType], share]));
        }
        break;
      case 'tech_transfer':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.techTransfer;
          add(rule.category, 'tech_transfer', [record.id], record.amountYuan, share, hundredths(compiled, [record.amountYuan], [rule.points, share], [rule.per]));
        }
        break;
      case 'enterprise_training':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.enterpriseTraining;
          const factor = satisfactionFactor(policy, record.satisfaction);
          const hours = fraction(compiled, record.hours);
          const traineeHoursHundredths = roundedQuotient([record.trainees, hours.num, 100], [hours.den]);
          add(
            rule.category,
            'enterprise_training',
            [record.id],
            traineeHoursHundredths / 100,
            share,
            hundredths(compiled, [record.trainees], [record.hours, rule.points, factor, share], [rule.perTraineeHours]),
            factor,
          );
        }
        break;
      case 'technical_service':
        if (inYear(record.date)) {
          const share = shareOf(record, policy);
          const rule = rules.technicalService;
          const factor = satisfactionFactor(policy, record.satisfaction);
          add(rule.category, 'technical_service', [record.id], record.amountYuan, share, hundredths(compiled, [record.amountYuan], [rule.points, factor, share], [rule.per]), factor);
        }
        break;
      case 'ethics_violation':
        if (inYear(record.date)) ethicsRecordIds.push(record.id);
        break;
      case 'enterprise_practice':
      case 'practice_exemption':
        break; // counted through practiceStatus below
    }
  }

  // Lines over several records are rounded once, as a line.
  if (workloadIds.length > 0) {
    const rule = rules.teachingWorkload;
    const hours = workloadHours.fraction();
    const full = fraction(compiled, rule.fullHours);
    const perPoint = fraction(compiled, rule.points);
    // min(hours / fullHours, 1) × points
    const points = workloadHours.atLeast(rule.fullHours)
      ? hundredths(compiled, [], [rule.points])
      : roundedQuotient([hours.num, full.den, perPoint.num, 100], [hours.den, full.num, perPoint.den]);
    add(rule.category, 'teaching_workload', workloadIds, workloadHours.toNumber(), 1, points);
  }
  if (evaluationIds.length > 0) {
    const rule = rules.teachingEvaluation;
    const scores = evaluationScores.fraction();
    const factor = fraction(compiled, rule.factor);
    const count = evaluationIds.length;
    const meanHundredths = roundedQuotient([scores.num, 100], [scores.den, count]);
    const points = roundedQuotient([scores.num, factor.num, 100], [scores.den, count, factor.den]);
    add(rule.category, 'teaching_evaluation', evaluationIds, meanHundredths / 100, 1, points);
  }
  const practice = practiceStatus(teacher, ownRecords, year, policy);
  if (practice.countedDays > 0) {
    const rule = rules.practiceDays;
    add(rule.category, 'practice_days', practice.recordIds, practice.countedDays, 1, hundredths(compiled, [practice.countedDays], [rule.pointsPerDay]));
  }
  if (trainings.length > 0) {
    const rule = rules.internationalTraining;
    const { first, last } = academicYearDays(year, policy.calendar.yearStart);
    const training = distinctDays(trainings, first, last);
    add(rule.category, 'international_training_days', training.recordIds, training.days, 1, hundredths(compiled, [training.days], [rule.pointsPerDay]));
  }

  const rawHundredths = {} as Record<CategoryId, number>;
  for (const id of categoryIds) rawHundredths[id] = 0;
  for (const item of items) rawHundredths[item.category] += item.hundredths;
  const categories = {} as Record<CategoryId, CategoryScore>;
  const cappedHundredths = {} as Record<CategoryId, number>;
  let totalHundredths = 0;
  for (const id of categoryIds) {
    const capped = Math.min(rawHundredths[id], compiled.caps[id]);
    cappedHundredths[id] = capped;
    totalHundredths += capped;
    categories[id] = { raw: rawHundredths[id] / 100, capped: capped / 100, cap: compiled.caps[id] / 100 };
  }
  return { items, categories, cappedHundredths, totalHundredths, practice, ethicsRecordIds, pendingRecordIds };
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

function gradeOfTotal(policy: Policy, totalHundredths: number): Grade {
  for (const band of policy.appraisal.grades.bands) if (totalHundredths >= toHundredths(band.min)) return band.grade;
  return policy.appraisal.grades.otherwise;
}

/**
 * Appraise a teacher's own, already validated records for `year`. The internal entry point shared by
 * scoreAppraisal, appraiseAll, growth and title review.
 */
export function appraise(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, policy: Policy, compiled: CompiledRules = compiledFor(policy)): Appraisal {
  const scored = score(teacher, ownRecords, year, compiled);
  const bandGrade = gradeOfTotal(policy, scored.totalHundredths);
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
  let totalIfVerified = scored.totalHundredths;
  if (scored.pendingRecordIds.length > 0) {
    const pendingIds = new Set(scored.pendingRecordIds);
    const asIfVerified = ownRecords.map((record) => (pendingIds.has(record.id) ? { ...record, status: 'verified' as const } : record));
    totalIfVerified = score(teacher, asIfVerified, year, compiled).totalHundredths;
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
    items: scored.items.map(({ hundredths: _, ...item }) => item),
    pending: { recordIds: scored.pendingRecordIds, totalIfVerified: totalIfVerified / 100 },
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
function transferAndServiceHundredths(appraisal: Appraisal): number {
  return toHundredths(appraisal.categories.tech_transfer.capped) + toHundredths(appraisal.categories.enterprise_service.capped);
}

export function compareForQuota(a: Appraisal, b: Appraisal): number {
  return (
    toHundredths(b.total) - toHundredths(a.total) ||
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

/** Validate a teacher list: every teacher checked, duplicate ids named. */
export function parseTeachers(input: unknown, pathName = 'teachers'): Teacher[] {
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
