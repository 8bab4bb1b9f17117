import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the benchmark, without types
import { generateCollege } from '../bench/generate.mjs';
import { certTypes } from '../src/records.js';
import { appraiseAll, defaultPolicy, parsePolicy, type EvidenceRecord, type Policy, type Teacher, type TraceItem } from '../src/index.js';

/**
 * The default policy's named rules written out by hand as generic scoring items (issue 9 §3: "the default policy
 * is re-expressed in this form"), independently of the converter (itemsOfRules) the engine reads stored rules
 * through. The policy below zeroes every named rule and scores through these items instead; it must give every
 * teacher the same totals, categories, grades, pending total and trace lines, in the same order.
 */
const label = (en: string) => ({ zh: en, en });
const rules = defaultPolicy.appraisal.rules;
const satisfaction = { field: 'satisfaction', bands: rules.satisfaction.bands.map((band) => ({ ...band })), below: rules.satisfaction.below, absent: rules.satisfaction.absent };
const items = [
  { id: 'teaching_workload', label: label('workload'), category: rules.teachingWorkload.category, kinds: ['teaching_workload'], rule: { type: 'saturating_sum', field: 'hours', full: rules.teachingWorkload.fullHours, points: rules.teachingWorkload.points } },
  { id: 'teaching_evaluation', label: label('evaluation'), category: rules.teachingEvaluation.category, kinds: ['teaching_evaluation'], rule: { type: 'mean', field: 'score', factor: rules.teachingEvaluation.factor } },
  { id: 'teaching_resource', label: label('resource'), category: rules.teachingResource.category, kinds: ['teaching_resource'], rule: { type: 'table', keys: ['resourceType'], points: rules.teachingResource.points } },
  { id: 'teaching_reform_project', label: label('reform'), category: rules.teachingReform.category, kinds: ['teaching_reform_project'], rule: { type: 'table', keys: ['level'], points: rules.teachingReform.points } },
  {
    id: 'mentoring.mentor_passed',
    label: label('mentoring'),
    category: rules.mentoring.category,
    kinds: ['mentoring'],
    where: [
      { field: 'role', in: ['mentor'] },
      { field: 'outcome', in: ['passed'] },
    ],
    scoredOn: 'end',
    rule: { type: 'fixed', points: rules.mentoring.mentorPassed },
  },
  { id: 'skill_competition', label: label('competition'), category: rules.skillCompetition.category, kinds: ['skill_competition'], rule: { type: 'table', keys: ['level', 'award'], points: rules.skillCompetition.points } },
  {
    id: 'certificate',
    label: label('certificate'),
    category: rules.certificate.category,
    kinds: ['certificate'],
    shareWeighted: false,
    rule: { type: 'table', keys: ['certType', 'level'], points: Object.fromEntries(certTypes.map((type) => [type, rules.certificate.points])) },
  },
  { id: 'horizontal_project', label: label('horizontal'), category: rules.horizontalProject.category, kinds: ['horizontal_project'], rule: { type: 'per_amount', amount: ['amountYuan'], per: rules.horizontalProject.per, points: rules.horizontalProject.points } },
  { id: 'patent', label: label('patent'), category: rules.patent.category, kinds: ['patent'], rule: { type: 'table', keys: ['patentType'], points: rules.patent.points } },
  { id: 'tech_transfer', label: label('transfer'), category: rules.techTransfer.category, kinds: ['tech_transfer'], rule: { type: 'per_amount', amount: ['amountYuan'], per: rules.techTransfer.per, points: rules.techTransfer.points } },
  {
    id: 'enterprise_training',
    label: label('training'),
    category: rules.enterpriseTraining.category,
    kinds: ['enterprise_training'],
    factor: satisfaction,
    rule: { type: 'per_amount', amount: ['trainees', 'hours'], per: rules.enterpriseTraining.perTraineeHours, points: rules.enterpriseTraining.points },
  },
  { id: 'technical_service', label: label('service'), category: rules.technicalService.category, kinds: ['technical_service'], factor: satisfaction, rule: { type: 'per_amount', amount: ['amountYuan'], per: rules.technicalService.per, points: rules.technicalService.points } },
  // Line items settle after the record pass in item order: the default's lines come in this order.
  { id: 'practice_days', label: label('practice'), category: rules.practiceDays.category, kinds: ['enterprise_practice'], rule: { type: 'practice_days', pointsPerDay: rules.practiceDays.pointsPerDay } },
  { id: 'international_training_days', label: label('training'), category: rules.internationalTraining.category, kinds: ['international_training'], rule: { type: 'distinct_days', pointsPerDay: rules.internationalTraining.pointsPerDay } },
];

function zeroed(table: unknown): unknown {
  return typeof table === 'number' ? 0 : Object.fromEntries(Object.entries(table as object).map(([key, value]) => [key, zeroed(value)]));
}

function asItems(): Policy {
  const raw = JSON.parse(JSON.stringify(defaultPolicy));
  const r = raw.appraisal.rules;
  r.teachingWorkload.points = 0;
  r.teachingEvaluation.factor = 0;
  for (const name of ['teachingResource', 'teachingReform', 'skillCompetition', 'certificate', 'patent']) r[name].points = zeroed(r[name].points);
  r.mentoring.mentorPassed = 0;
  r.internationalTraining.pointsPerDay = 0;
  r.practiceDays.pointsPerDay = 0;
  for (const name of ['horizontalProject', 'techTransfer', 'enterpriseTraining', 'technicalService']) r[name].points = 0;
  raw.version = 'default-as-items';
  raw.appraisal.items = items;
  return parsePolicy(raw);
}

/**
 * The zeroed named rules still write their lines (0 points) beside the items' lines; the lines that score are
 * compared, in order.
 */
const scoring = (lines: readonly TraceItem[]) => lines.filter((line) => line.points !== 0);

describe('the default policy written as scoring items', () => {
  const policy = asItems();
  for (const seed of [1, 7, 2025]) {
    it(`scores a generated college (seed ${seed}) exactly as the named rules do, trace lines in the same order`, () => {
      const { teachers, records } = generateCollege({ teachers: 120, recordsPerTeacher: 60, years: 2, seed, lastYear: 2025 }) as { teachers: Teacher[]; records: EvidenceRecord[] };
      const seen = new Set<string>();
      for (const year of [2024, 2025]) {
        const named = appraiseAll({ teachers, records, year });
        const asItemsResult = appraiseAll({ teachers, records, year, policy });
        expect(named.some((result) => result.pending.recordIds.length > 0)).toBe(true); // pending records take part
        named.forEach((expected, index) => {
          const actual = asItemsResult[index]!;
          expect({ total: actual.total, grade: actual.grade, finalGrade: actual.finalGrade, categories: actual.categories, pending: actual.pending, practice: actual.practice }).toEqual({
            total: expected.total,
            grade: expected.grade,
            finalGrade: expected.finalGrade,
            categories: expected.categories,
            pending: expected.pending,
            practice: expected.practice,
          });
          expect(scoring(actual.items)).toEqual(scoring(expected.items));
          for (const line of expected.items) if (line.points > 0) seen.add(items.find((item) => line.rule === item.id || line.rule.startsWith(`${item.id}.`))?.id ?? line.rule);
        });
      }
      // Every item took part with points (so a wrong number in any of them would show).
      expect([...seen].sort()).toEqual(items.map((item) => item.id).sort());
    });
  }
});
