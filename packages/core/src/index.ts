/**
 * @shizi/core — the teacher-development rules of a vocational college as pure functions: the growth path,
 * the enterprise-practice requirement, the quantitative appraisal and title review. No clock, no I/O, no
 * globals: `asOf` is always passed in, and every number comes from a validated policy.
 */
export { ValidationError, type ValidationIssue } from './errors.js';
export {
  academicYearLabel,
  academicYearOfDate,
  academicYearPeriod,
  addYears,
  dayNumber,
  dateOfDay,
  isValidDate,
  lastCompletedYears,
  latestCompletedYear,
  wholeYearsBetween,
  type Period,
} from './calendar.js';
export * from './records.js';
export { builtinKinds, type BuiltinKind } from './evidence/builtin.js';
export type { KindDeclaration, Placement, RecordBase } from './evidence/declaration.js';
export type { Bilingual, FieldSpec, FieldType } from './evidence/fields.js';
export { EvidenceRegistry, type CompiledKind, type KindDescription } from './evidence/registry.js';
export { kindDeclarationSchema } from './evidence/schema.js';
export { scoringItemSchema, type ItemRule, type PointsTable, type ScoringItem } from './scoring/schema.js';
export type { LeftOutReason } from './scoring/tally.js';
export { categoryIds, gradeAtLeast, grades, shareOf, type CategoryId, type Grade } from './grades.js';
export {
  defaultPolicy,
  dualQualifiedPreset,
  parsePolicy,
  reviewSettings,
  policySchema,
  practiceBindings,
  type PracticeBinding,
  requirementSchema,
  type Policy,
  type Requirement,
  type RequirementType,
  type RecordFilter,
} from './policy.js';
export {
  decidingPracticeFigure,
  evaluatePractice,
  practiceFiguresText,
  practiceOutlook,
  practiceRequirementOf,
  prePostPracticeOf,
  requiredPracticeDays,
  type PracticeFigure,
  type PrePostPractice,
  type PracticeOutlook,
  type PracticeRequirement,
  type PracticeStanding,
  type PracticeStatus,
} from './practice.js';
export { applyExcellenceQuota, appraiseAll, compareForQuota, parseTeachers, scoreAppraisal, type Appraisal, type AppraisalCategories, type CategoryScore, type QuotaAppraisal, type QuotaTrace, type TraceItem, type VetoName, type VetoTrace } from './appraisal.js';
export { academicYearOf, recordAcademicYears, recordPlacement } from './years.js';
/**
 * Trusted entry points, like `progressOf`: they skip validation, for callers whose inputs were validated on
 * the way in (the worker validates every teacher and record before storing it). `ownRecords` must be the
 * teacher's own records and `policy` a parsed policy.
 */
export { appraise } from './appraisal.js';
export { practiceStatus } from './practice.js';
export * from './growth.js';
export * from './review.js';
export * from './labels.js';
export { comparePolicies, describePolicy, diffPolicies, vetoLabel, type Lang as PolicyLang, type PolicyChange, type PolicyComparison, type PolicyTable, type TableLine } from './authoring.js';
export {
  assessDualQualified,
  dualQualifiedKinds,
  dualQualifiedOf,
  expiryWarningDaysOf,
  ratioTargetOf,
  recognitionsOf,
  type RatioTarget,
  type RecognitionStanding,
  type AssessDualQualifiedInput,
  type DualQualifiedAssessment,
  type DualTier,
  type DualTierAssessment,
  type HeldRecognition,
} from './dual.js';
export * from './reports.js';
export { unitDigest, waitingDaysBetween, type DigestPracticeEntry, type DigestWaitingEntry, type DigestWaitingInput, type UnitDigest } from './digest.js';
export { growthFileOf, stageHistory, type GrowthFile, type GrowthFileYear, type StageChangeKind, type StageEvent, type StagePeriod } from './file.js';
export { traceRuleLabel } from './trace-labels.js';
