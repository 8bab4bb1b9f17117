import { certTypeValues } from '../evidence/builtin.js';
import { ruleLabel } from '../labels.js';
import type { PointsTable, ScoringItem } from './schema.js';

/**
 * The default policy's rules as they were once stored: fifteen named rules (`appraisal.rules`), each a fixed
 * shape in code. Policies stored in that shape are read as the scoring items below, which score them exactly
 * as the named rules did, with the same trace rule ids and the same labels.
 */
export interface LegacyRules {
  teachingWorkload: { category: string; fullHours: number; points: number };
  teachingEvaluation: { category: string; factor: number };
  teachingResource: { category: string; points: Record<string, number> };
  teachingReform: { category: string; points: Record<string, number> };
  mentoring: { category: string; mentorPassed: number };
  practiceDays: { category: string; pointsPerDay: number };
  skillCompetition: { category: string; points: Record<string, Record<string, number>> };
  certificate: { category: string; points: Record<string, number> };
  internationalTraining: { category: string; pointsPerDay: number };
  horizontalProject: { category: string; points: number; per: number };
  patent: { category: string; points: Record<string, number> };
  techTransfer: { category: string; points: number; per: number };
  enterpriseTraining: { category: string; points: number; perTraineeHours: number };
  technicalService: { category: string; points: number; per: number };
  /** Factor on enterprise-service results by client satisfaction: bands best first, then below, then absent. */
  satisfaction: { bands: ReadonlyArray<{ min: number; factor: number }>; below: number; absent: number };
}

/** The named rule each item of itemsOfRules is read from (a stored policy's problem is named by its rule). */
export const legacyRuleOfItem: Readonly<Record<string, keyof LegacyRules>> = {
  teaching_workload: 'teachingWorkload',
  teaching_evaluation: 'teachingEvaluation',
  teaching_resource: 'teachingResource',
  teaching_reform_project: 'teachingReform',
  'mentoring.mentor_passed': 'mentoring',
  practice_days: 'practiceDays',
  skill_competition: 'skillCompetition',
  certificate: 'certificate',
  international_training_days: 'internationalTraining',
  horizontal_project: 'horizontalProject',
  patent: 'patent',
  tech_transfer: 'techTransfer',
  enterprise_training: 'enterpriseTraining',
  technical_service: 'technicalService',
};

/** A copy of a points table (the items own their data; the input is not shared or changed). */
function copy(table: Readonly<Record<string, number | Readonly<Record<string, number>>>>): PointsTable {
  return Object.fromEntries(Object.entries(table).map(([key, value]) => [key, typeof value === 'number' ? value : copy(value)]));
}

/** An item with the label its trace lines have always been shown with (`ruleLabel`). */
function item(id: string, rest: Omit<ScoringItem, 'id' | 'label'>): ScoringItem {
  const label = ruleLabel(id);
  return { id, label: { zh: label.zh, en: label.en }, ...rest };
}

/**
 * The named rules of a policy in the older shape, as the equivalent scoring items, in the order the printed table
 * has always listed them. The line items (teaching workload, teaching evaluation, enterprise practice days,
 * international training days) keep the order their trace lines have always come in; the per-record items'
 * lines come in record order wherever they stand. Each item's id is the rule id of its trace lines
 * (`teaching_resource` gives `teaching_resource.micro_lecture`), and its label is the one those lines are shown
 * with. Pure: the input is not changed.
 * @example
 * ```ts
 * const items = itemsOfRules(storedPolicy.appraisal.rules);
 * items.map((item) => item.id);
 * // ['teaching_workload', 'teaching_evaluation', 'teaching_resource', 'teaching_reform_project', 'mentoring.mentor_passed',
 * //  'practice_days', 'skill_competition', 'certificate', 'international_training_days', 'horizontal_project', 'patent',
 * //  'tech_transfer', 'enterprise_training', 'technical_service']
 * items[0]; // { id: 'teaching_workload', label: { zh: '教学工作量', en: 'teaching workload' }, category: 'teaching',
 * //   kinds: ['teaching_workload'], rule: { type: 'saturating_sum', field: 'hours', full: 280, points: 15 } }
 * ```
 */
export function itemsOfRules(rules: LegacyRules): ScoringItem[] {
  const satisfaction = () => ({ field: 'satisfaction', bands: rules.satisfaction.bands.map((band) => ({ min: band.min, factor: band.factor })), below: rules.satisfaction.below, absent: rules.satisfaction.absent });
  return [
    item('teaching_workload', { category: rules.teachingWorkload.category, kinds: ['teaching_workload'], rule: { type: 'saturating_sum', field: 'hours', full: rules.teachingWorkload.fullHours, points: rules.teachingWorkload.points } }),
    item('teaching_evaluation', { category: rules.teachingEvaluation.category, kinds: ['teaching_evaluation'], rule: { type: 'mean', field: 'score', factor: rules.teachingEvaluation.factor } }),
    item('teaching_resource', { category: rules.teachingResource.category, kinds: ['teaching_resource'], rule: { type: 'table', keys: ['resourceType'], points: copy(rules.teachingResource.points) } }),
    item('teaching_reform_project', { category: rules.teachingReform.category, kinds: ['teaching_reform_project'], rule: { type: 'table', keys: ['level'], points: copy(rules.teachingReform.points) } }),
    item('mentoring.mentor_passed', {
      category: rules.mentoring.category,
      kinds: ['mentoring'],
      where: [
        { field: 'role', in: ['mentor'] },
        { field: 'outcome', in: ['passed'] },
      ],
      scoredOn: 'end',
      rule: { type: 'fixed', points: rules.mentoring.mentorPassed },
    }),
    item('practice_days', { category: rules.practiceDays.category, kinds: ['enterprise_practice'], rule: { type: 'practice_days', pointsPerDay: rules.practiceDays.pointsPerDay } }),
    item('skill_competition', { category: rules.skillCompetition.category, kinds: ['skill_competition'], rule: { type: 'table', keys: ['level', 'award'], points: copy(rules.skillCompetition.points) } }),
    // One table for every certificate type: the named rule paid by level alone, and its lines name the type too.
    item('certificate', {
      category: rules.certificate.category,
      kinds: ['certificate'],
      shareWeighted: false,
      rule: { type: 'table', keys: ['certType', 'level'], points: Object.fromEntries(Object.keys(certTypeValues).map((type) => [type, copy(rules.certificate.points)])) },
    }),
    item('international_training_days', { category: rules.internationalTraining.category, kinds: ['international_training'], rule: { type: 'distinct_days', pointsPerDay: rules.internationalTraining.pointsPerDay } }),
    item('horizontal_project', { category: rules.horizontalProject.category, kinds: ['horizontal_project'], rule: { type: 'per_amount', amount: ['amountYuan'], per: rules.horizontalProject.per, points: rules.horizontalProject.points } }),
    item('patent', { category: rules.patent.category, kinds: ['patent'], rule: { type: 'table', keys: ['patentType'], points: copy(rules.patent.points) } }),
    item('tech_transfer', { category: rules.techTransfer.category, kinds: ['tech_transfer'], rule: { type: 'per_amount', amount: ['amountYuan'], per: rules.techTransfer.per, points: rules.techTransfer.points } }),
    item('enterprise_training', {
      category: rules.enterpriseTraining.category,
      kinds: ['enterprise_training'],
      factor: satisfaction(),
      rule: { type: 'per_amount', amount: ['trainees', 'hours'], per: rules.enterpriseTraining.perTraineeHours, points: rules.enterpriseTraining.points },
    }),
    item('technical_service', { category: rules.technicalService.category, kinds: ['technical_service'], factor: satisfaction(), rule: { type: 'per_amount', amount: ['amountYuan'], per: rules.technicalService.per, points: rules.technicalService.points } }),
  ];
}
