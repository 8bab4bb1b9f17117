import { dayNumber } from './calendar.js';
import { parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { collect } from './shared.js';
import { evaluateRequirements, type Gap, type RequirementResult } from './growth.js';
import { labels } from './labels.js';
import { dualQualifiedPreset, resolvePolicy, type Policy, type Requirement } from './policy.js';
import { certLevels, dateString, parseRecords, parseTeacher, type EvidenceRecord, type Teacher } from './records.js';

/**
 * 双师型 recognition (认定): which tier a teacher's record meets against the policy's criteria
 * (`policy.dualQualified.tiers`, the same requirement leaves as the growth path), and the standing of the
 * recognitions the teacher already holds (valid, expiring soon, expired).
 */

export type DualTier = 'none' | (typeof certLevels)[number];

export interface DualTierAssessment {
  tier: (typeof certLevels)[number];
  met: boolean;
  requirements: RequirementResult;
  gaps: Gap[];
}

export interface HeldRecognition {
  recordId: string;
  tier: (typeof certLevels)[number];
  issuingLevel: string;
  date: string;
  validUntil: string;
  /** valid: counts; expiring: counts, validUntil within the warning days; expired: no longer counts. */
  standing: 'valid' | 'expiring' | 'expired';
  /** Days from asOf to validUntil (negative once expired). */
  daysLeft: number;
}

export interface DualQualifiedAssessment {
  /** The highest tier whose criteria are met as of asOf. */
  tierMet: DualTier;
  /** The highest tier of a verified recognition valid on asOf. */
  recognisedTier: DualTier;
  tiers: DualTierAssessment[];
  recognitions: HeldRecognition[];
  /** One per recognition within the warning days of its validUntil, in zh and en. */
  warnings: Array<{ recordId: string; zh: string; en: string }>;
}

export interface AssessDualQualifiedInput {
  teacher: Teacher;
  records: readonly EvidenceRecord[];
  /** The as-of date, YYYY-MM-DD. */
  asOf: string;
  policy?: Policy | undefined;
}

/**
 * Validate everything, then assess the teacher's own records (see `dualQualifiedOf`).
 * @example
 * ```ts
 * assessDualQualified({ teacher, records, asOf: '2025-09-01' });
 * // { tierMet: 'none', recognisedTier: 'none', tiers: [{ tier: 'junior', met: false, requirements: { … } }, …], … }
 * ```
 */
export function assessDualQualified(input: AssessDualQualifiedInput): DualQualifiedAssessment {
  const args = (input ?? {}) as Partial<AssessDualQualifiedInput>;
  const issues: ValidationIssue[] = [];
  const policy = collect(issues, () => resolvePolicy(args.policy));
  const teacher = collect(issues, () => parseTeacher(args.teacher));
  const records = collect(issues, () => parseRecords(args.records, policy));
  const asOf = collect(issues, () => parseWith(dateString, args.asOf, ['asOf']));
  if (issues.length > 0 || !policy || !teacher || !records || asOf === undefined) throw new ValidationError(issues);
  return dualQualifiedOf(
    teacher,
    records.filter((record) => record.teacherId === teacher.id),
    asOf,
    policy,
  );
}

/**
 * Trusted entry point: validated teacher, the teacher's own validated records, a valid date and policy.
 * @example
 * ```ts
 * // trusted: the teacher's own validated records, a valid date, a parsed policy
 * dualQualifiedOf(teacher, ownRecords, '2025-09-01', defaultPolicy).tierMet; // 'none'
 * ```
 */
export function dualQualifiedOf(teacher: Teacher, ownRecords: readonly EvidenceRecord[], asOf: string, policy: Policy): DualQualifiedAssessment {
  // A policy written before 双师型 recognition existed is assessed against the preset.
  const settings = policy.dualQualified ?? (dualQualifiedPreset as unknown as NonNullable<Policy['dualQualified']>);
  const tiers: DualTierAssessment[] = certLevels.map((tier) => {
    const { requirements, gaps } = evaluateRequirements(settings.tiers[tier] as Requirement, teacher, ownRecords, asOf, policy);
    return { tier, met: requirements.met, requirements, gaps };
  });
  let tierMet: DualTier = 'none';
  for (const tier of tiers) if (tier.met) tierMet = tier.tier;

  const { recognisedTier, recognitions, warnings } = recognitionsOf(ownRecords, asOf, settings.expiryWarningDays);
  return { tierMet, recognisedTier, tiers, recognitions, warnings };
}

/**
 * The record kinds the policy's 双师型 assessment reads (its tier trees, and the recognitions), or null when a
 * tree reads appraisals (grade_each_year, appraisal_mean), which read every kind. For callers that load records
 * for many teachers: these kinds, any date, are all `dualQualifiedOf` needs.
 * @example
 * ```ts
 * dualQualifiedKinds(defaultPolicy); // ['certificate', 'dual_qualified_recognition', 'enterprise_practice', …]
 * ```
 */
export function dualQualifiedKinds(policy: Policy): string[] | null {
  const settings = policy.dualQualified ?? (dualQualifiedPreset as unknown as NonNullable<Policy['dualQualified']>);
  const kinds = new Set<string>(['dual_qualified_recognition']);
  const visit = (node: Requirement): boolean => {
    switch (node.type) {
      case 'all_of':
      case 'any_of':
        return node.children.every(visit);
      case 'grade_each_year':
      case 'appraisal_mean':
        return false;
      case 'practice_compliant':
        kinds.add('enterprise_practice');
        kinds.add('practice_exemption');
        return true;
      case 'certificate':
        kinds.add('certificate');
        return true;
      case 'dual_qualified_tier':
        return true;
      case 'record_count':
      case 'record_sum':
        for (const kind of node.kinds) kinds.add(kind);
        return true;
      case 'years_in_stage':
        return true;
    }
  };
  for (const tier of certLevels) if (!visit(settings.tiers[tier] as Requirement)) return null;
  return [...kinds].sort();
}

/**
 * The policy's days of warning before a recognition expires (the preset's for a policy without `dualQualified`).
 * @example
 * ```ts
 * expiryWarningDaysOf(defaultPolicy); // 90
 * ```
 */
export function expiryWarningDaysOf(policy: Policy): number {
  return (policy.dualQualified ?? dualQualifiedPreset).expiryWarningDays;
}

export interface RatioTarget {
  /** 5000 = 50.00 %. */
  hundredthsOfPercent: number;
  /** `above`: the ratio must exceed it (the national "over 50 %"); `at_least`: reach it. */
  comparison: 'above' | 'at_least';
}

/**
 * The policy's 双师型 ratio target (the preset's, over 50 %, for a policy without one); with `year`, that academic
 * year's: the latest `ratioTargetsByYear` entry from that year or before, else `ratioTarget`.
 * @example
 * ```ts
 * ratioTargetOf(defaultPolicy); // { hundredthsOfPercent: 5000, comparison: 'above' }: more than 50 %
 * // dualQualified.ratioTargetsByYear: [{ fromYear: 2025, hundredthsOfPercent: 6000, comparison: 'at_least' }]
 * ratioTargetOf(planned, 2024); // { hundredthsOfPercent: 5000, comparison: 'above' }
 * ratioTargetOf(planned, 2026); // { hundredthsOfPercent: 6000, comparison: 'at_least' }
 * ```
 */
export function ratioTargetOf(policy: Policy, year?: number): RatioTarget {
  const base = policy.dualQualified?.ratioTarget ?? dualQualifiedPreset.ratioTarget;
  const schedule = policy.dualQualified?.ratioTargetsByYear;
  if (year === undefined || schedule === undefined) return base;
  let target: RatioTarget = base;
  for (const entry of schedule) if (entry.fromYear <= year) target = { hundredthsOfPercent: entry.hundredthsOfPercent, comparison: entry.comparison };
  return target;
}

export interface RecognitionStanding {
  /** The highest tier of a verified recognition valid on asOf ('none' without one). */
  recognisedTier: DualTier;
  recognitions: HeldRecognition[];
  warnings: DualQualifiedAssessment['warnings'];
}

/**
 * The teacher's verified recognitions dated on or before `asOf`, each valid, expiring or expired. A recognition
 * counts through its `validUntil` day (daysLeft 0) and no longer from the day after (daysLeft −1); it is
 * `expiring`, and warned of, from `warningDays` days before `validUntil` (daysLeft ≤ warningDays). Cheap: no
 * requirement tree is evaluated, so reports and the progress answer use it for every teacher.
 * @example
 * ```ts
 * recognitionsOf(ownRecords, '2025-09-01', expiryWarningDaysOf(defaultPolicy));
 * // { recognisedTier: 'none', recognitions: [], warnings: [] } for a teacher without recognition records
 * ```
 */
export function recognitionsOf(ownRecords: readonly EvidenceRecord[], asOf: string, warningDays: number): RecognitionStanding {
  const asOfDay = dayNumber(asOf);
  const recognitions: HeldRecognition[] = [];
  const warnings: DualQualifiedAssessment['warnings'] = [];
  let best = -1;
  for (const record of ownRecords) {
    if (record.kind !== 'dual_qualified_recognition' || record.status !== 'verified' || record.date > asOf) continue;
    const daysLeft = dayNumber(record.validUntil) - asOfDay;
    const standing = daysLeft < 0 ? 'expired' : daysLeft <= warningDays ? 'expiring' : 'valid';
    recognitions.push({ recordId: record.id, tier: record.tier, issuingLevel: record.issuingLevel, date: record.date, validUntil: record.validUntil, standing, daysLeft });
    if (standing !== 'expired') best = Math.max(best, certLevels.indexOf(record.tier));
    if (standing === 'expiring') {
      const tier = labels.certLevels[record.tier];
      warnings.push({
        recordId: record.id,
        en: `the ${tier.en} dual-qualified recognition expires on ${record.validUntil} (${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left); apply for re-recognition`,
        zh: `${tier.zh}双师型认定将于 ${record.validUntil} 到期（剩余 ${daysLeft} 天），请申请复核认定`,
      });
    }
  }
  // Deterministic whatever the records' order.
  recognitions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
  warnings.sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
  return { recognisedTier: best >= 0 ? certLevels[best]! : 'none', recognitions, warnings };
}
