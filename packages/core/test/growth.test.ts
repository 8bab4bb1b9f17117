import { describe, expect, it } from 'vitest';
import { assessProgress, type Progress, type RequirementResult } from '../src/growth.js';
import { builtinKinds } from '../src/evidence/builtin.js';
import { labels } from '../src/labels.js';
import { defaultPolicy, type Policy } from '../src/policy.js';
import { ValidationError } from '../src/errors.js';
import type { EvidenceRecord, Stage, Teacher } from '../src/records.js';

// As of 2025-10-15 the last three completed academic years are 2022-2023, 2023-2024 and 2024-2025.
const AS_OF = '2025-10-15';
const WINDOW = [2022, 2023, 2024];
const RANGE_EN = '2022-2023 to 2024-2025';
const RANGE_ZH = '2022-2023 至 2024-2025 学年';

function teacher(overrides: Partial<Teacher> = {}): Teacher {
  return {
    id: 't1',
    name: '李老师',
    unit: '机电工程学院',
    hireDate: '2015-09-01',
    stage: 'new_teacher',
    stageSince: '2021-09-01', // 4 whole years as of AS_OF
    title: 'lecturer',
    titleSince: '2018-09-01',
    ...overrides,
  };
}

let counter = 0;
function rec(kind: EvidenceRecord['kind'], fields: Record<string, unknown>): EvidenceRecord {
  counter += 1;
  return { id: `g${counter}`, teacherId: 't1', status: 'verified', kind, ...fields } as unknown as EvidenceRecord;
}

/**
 * Tags let a test knock out one thing at a time. Annual totals by hand (each year Y of the window):
 *   teaching 15 (280 h) + 9 (evaluation 90) + 1 (worksheet) + 10 (national reform) = 35 (cap 35)
 *   engineering practice 30 days × 0.25 = 7.5 (+ 7 for the provincial second prize in 2023)
 *   technical innovation invention 6 + utility model 2 + software copyright 1 = 9 (+ 3 for the 30,000-yuan project in 2024)
 *   tech transfer 20,000 yuan × 2 / 10,000 = 4; enterprise service 40,000 yuan × 1 / 10,000 = 4
 *   → 2022: 59.5, 2023: 66.5, 2024: 62.5; mean 188.5 / 3 = 62.83.
 */
type Tagged = EvidenceRecord & { tag?: string };
function tagged(tag: string, record: EvidenceRecord): Tagged {
  Object.defineProperty(record, 'tag', { value: tag, enumerable: false });
  return record as Tagged;
}

function fullRecords(): Tagged[] {
  const records: Tagged[] = [
    tagged('mentee', rec('mentoring', { start: '2016-09-01', end: '2017-06-30', role: 'mentee', partnerId: 't90', outcome: 'passed' })),
    tagged('mentor1', rec('mentoring', { start: '2018-09-01', end: '2019-06-30', role: 'mentor', partnerId: 't91', outcome: 'passed' })),
    tagged('mentor2', rec('mentoring', { start: '2019-09-01', end: '2020-06-30', role: 'mentor', partnerId: 't92', outcome: 'passed' })),
    tagged('cert', rec('certificate', { date: '2019-05-01', certType: 'dual_qualified', level: 'senior' })),
    tagged('competition', rec('skill_competition', { date: '2023-11-10', level: 'provincial', award: 'second', role: 'contestant' })),
    tagged('horizontal', rec('horizontal_project', { date: '2025-03-01', amountYuan: 30000, partner: '某机器人公司' })),
  ];
  for (const year of WINDOW) {
    records.push(
      tagged(`practice${year}`, rec('enterprise_practice', { start: `${year}-10-01`, end: `${year}-10-30`, enterprise: '某智能制造企业' })),
      tagged(`workload${year}`, rec('teaching_workload', { year, hours: 280 })),
      tagged(`evaluation${year}`, rec('teaching_evaluation', { date: `${year + 1}-01-10`, score: 90 })),
      tagged(`resource${year}`, rec('teaching_resource', { date: `${year}-12-01`, resourceType: 'worksheet', title: `工单 ${year}` })),
      tagged(`reform${year}`, rec('teaching_reform_project', { date: `${year + 1}-03-01`, level: 'national' })),
      tagged(`invention${year}`, rec('patent', { date: `${year + 1}-04-01`, patentType: 'invention' })),
      tagged(`utility${year}`, rec('patent', { date: `${year + 1}-04-02`, patentType: 'utility_model' })),
      tagged(`software${year}`, rec('patent', { date: `${year + 1}-04-03`, patentType: 'software_copyright' })),
      tagged(`transfer${year}`, rec('tech_transfer', { date: `${year + 1}-05-01`, amountYuan: 20000, partner: '某企业' })),
      tagged(`service${year}`, rec('technical_service', { date: `${year + 1}-06-01`, amountYuan: 40000, partner: '某企业' })),
    );
  }
  return records;
}

/** Full records without the tagged ones, with replacements appended. */
function without(tags: string[], ...extra: EvidenceRecord[]): EvidenceRecord[] {
  return [...fullRecords().filter((record) => !tags.some((tag) => record.tag === tag || record.tag?.startsWith(tag + ':') || (tag.endsWith('*') && record.tag?.startsWith(tag.slice(0, -1))))), ...extra];
}

function replaced(tagPrefix: string, change: (record: EvidenceRecord) => EvidenceRecord): EvidenceRecord[] {
  return fullRecords().map((record) => (record.tag?.startsWith(tagPrefix) ? change(record) : record));
}

function assess(stage: Stage, records: EvidenceRecord[], overrides: Partial<Teacher> = {}, asOf = AS_OF, policy?: Policy): Progress {
  return assessProgress({ teacher: teacher({ stage, ...overrides }), records, asOf, policy });
}

function find(result: RequirementResult | null, id: string): RequirementResult {
  const stack = result ? [result] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.id === id) return node;
    stack.push(...(node.children ?? []));
  }
  throw new Error(`no requirement ${id}`);
}

/** The unmet leaves that make the result unmet (alternatives of a met any_of are not listed). */
function unmetLeaves(result: RequirementResult | null): string[] {
  const out: string[] = [];
  const walk = (node: RequirementResult) => {
    if (node.met) return;
    if (node.children) node.children.forEach(walk);
    else out.push(node.id);
  };
  if (result) walk(result);
  return out.sort();
}

describe('new_teacher → backbone_teacher', () => {
  const stage = 'new_teacher';

  it('meets everything with the full record set', () => {
    const result = assess(stage, fullRecords());
    expect(result.stage).toBe('new_teacher');
    expect(result.nextStage).toBe('backbone_teacher');
    expect(result.eligible).toBe(true);
    expect(result.gaps).toEqual([]);
    expect(result.requirements!.id).toBe('to_backbone_teacher');
    expect(result.requirements!.type).toBe('all_of');
    expect(result.requirements!.children!.map((child) => child.id)).toEqual(['years_in_stage', 'mentee_passed', 'practice_compliant', 'grade_each_year', 'dual_qualified', 'teaching_resources']);
    expect(find(result.requirements, 'years_in_stage')).toMatchObject({ met: true, current: 4, required: 3 });
    expect(find(result.requirements, 'teaching_resources')).toMatchObject({ met: true, current: 3, required: 2, windowYears: WINDOW });
    expect(find(result.requirements, 'grade_each_year')).toMatchObject({ met: true, current: 'competent', required: 'competent' });
    expect(find(result.requirements, 'grade_each_year').perYear!.map((detail) => detail.current)).toEqual(['competent', 'excellent', 'excellent']);
    expect(find(result.requirements, 'dual_qualified')).toMatchObject({ met: true, current: 'senior', required: 'junior' });
  });

  it('years in stage: 2 of 3', () => {
    const result = assess(stage, fullRecords(), { stageSince: '2023-09-01' });
    expect(result.eligible).toBe(false);
    expect(unmetLeaves(result.requirements)).toEqual(['years_in_stage']);
    expect(find(result.requirements, 'years_in_stage')).toMatchObject({ met: false, current: 2, required: 3 });
    expect(result.gaps).toEqual([{ requirementId: 'years_in_stage', en: '1 more year in stage (from 2026-09-01)', zh: '还需在当前阶段任职 1 年（2026-09-01 起满足）' }]);
  });

  it('mentoring as mentee: missing, then pending', () => {
    const missing = assess(stage, without(['mentee']));
    expect(unmetLeaves(missing.requirements)).toEqual(['mentee_passed']);
    expect(missing.gaps).toEqual([{ requirementId: 'mentee_passed', en: 'passed mentoring as mentee: 1 more needed', zh: '青蓝工程结对（徒弟，已出师）：还需 1 次' }]);

    const pending = assess(
      stage,
      replaced('mentee', (record) => ({ ...record, status: 'pending' })),
    );
    expect(pending.gaps).toEqual([{ requirementId: 'mentee_passed', en: 'passed mentoring as mentee: 1 more needed (1 pending)', zh: '青蓝工程结对（徒弟，已出师）：还需 1 次（1 次待审核）' }]);

    // An ongoing pairing as mentee, or a passed one as mentor, is not this requirement.
    const ongoing = assess(
      stage,
      replaced('mentee', (record) => ({ ...record, outcome: 'ongoing' }) as EvidenceRecord),
    );
    expect(unmetLeaves(ongoing.requirements)).toEqual(['mentee_passed']);
  });

  it('enterprise practice: 18 days in 2023-2024 → one gap for that year', () => {
    const result = assess(
      stage,
      replaced('practice2023', (record) => ({ ...record, end: '2023-10-18' }) as EvidenceRecord),
    );
    expect(unmetLeaves(result.requirements)).toEqual(['practice_compliant']);
    expect(find(result.requirements, 'practice_compliant')).toMatchObject({ met: false, current: 2, required: 3 });
    expect(result.gaps).toEqual([
      {
        requirementId: 'practice_compliant',
        en: '12 more practice days in 2023-2024',
        zh: '还需 12 天企业实践（2023-2024 学年）',
        // Nothing waits for review: the 12 days are the teacher's to declare, and the year is over.
        practice: { year: 2023, yearEnd: '2024-08-31', pendingRecordIds: [], undeclaredDays: 12, yearClosed: true },
      },
    ]);
  });

  it('enterprise practice: one gap per failing year, with pending days', () => {
    const records = [...without(['practice2022', 'practice2024']), rec('enterprise_practice', { start: '2022-10-01', end: '2022-10-05', enterprise: 'A', status: 'pending' })];
    const result = assess(stage, records);
    expect(result.gaps.map((gap) => gap.en)).toEqual(['30 more practice days in 2022-2023 (5 pending)', '30 more practice days in 2024-2025']);
    expect(result.gaps[0]!.zh).toBe('还需 30 天企业实践（2022-2023 学年；5 天待审核）');
    // 5 of the 30 wait for review; 25 were never declared.
    expect(result.gaps[0]!.practice).toMatchObject({ year: 2022, pendingRecordIds: [records[records.length - 1]!.id], undeclaredDays: 25 });
  });

  it('an exempt year is compliant', () => {
    const records = [...without(['practice2023']), rec('practice_exemption', { year: 2023, reason: '援疆' })];
    const result = assess(stage, records);
    expect(find(result.requirements, 'practice_compliant').met).toBe(true);
  });

  it('appraisal grade: 2023-2024 basic (32.5)', () => {
    // 66.5 − reform 10 − patents 9 − competition 7 − transfer 4 − service 4 = 32.5 → basic
    const result = assess(stage, without(['reform2023', 'invention2023', 'utility2023', 'software2023', 'competition', 'transfer2023', 'service2023']));
    expect(unmetLeaves(result.requirements)).toEqual(['grade_each_year']);
    expect(find(result.requirements, 'grade_each_year')).toMatchObject({ met: false, current: 'basic', required: 'competent' });
    expect(find(result.requirements, 'grade_each_year').perYear![1]).toMatchObject({ year: 2023, met: false, current: 'basic' });
    expect(result.gaps).toEqual([{ requirementId: 'grade_each_year', en: 'appraisal grade competent or better needed in 2023-2024 (was basic)', zh: '2023-2024 学年考核等次需达到合格及以上（实际：基本合格）' }]);
  });

  it('dual-qualified certificate: none, or only another type', () => {
    const result = assess(
      stage,
      replaced('cert', (record) => ({ ...record, certType: 'vocational' }) as EvidenceRecord),
    );
    expect(unmetLeaves(result.requirements)).toEqual(['dual_qualified']);
    expect(find(result.requirements, 'dual_qualified')).toMatchObject({ current: null, required: 'junior' });
    expect(result.gaps).toEqual([{ requirementId: 'dual_qualified', en: 'a dual-qualified certificate at junior level or above', zh: '需取得初级及以上双师型证书' }]);
  });

  it('teaching resources: 1 of 2 in the window (one before the window does not count)', () => {
    const records = [...without(['resource2022', 'resource2023']), rec('teaching_resource', { date: '2022-08-31', resourceType: 'slides', title: '旧课件' })];
    const result = assess(stage, records);
    expect(unmetLeaves(result.requirements)).toEqual(['teaching_resources']);
    expect(find(result.requirements, 'teaching_resources')).toMatchObject({ current: 1, required: 2 });
    expect(result.gaps).toEqual([{ requirementId: 'teaching_resources', en: `1 more teaching resource in ${RANGE_EN}`, zh: `还需 1 项教学资源（${RANGE_ZH}）` }]);
  });

  it('several failures give several gaps, in tree order', () => {
    const result = assess(stage, without(['mentee', 'cert']), { stageSince: '2024-09-01' });
    expect(result.gaps.map((gap) => gap.requirementId)).toEqual(['years_in_stage', 'mentee_passed', 'dual_qualified']);
    expect(result.gaps[0]!.en).toBe('2 more years in stage (from 2027-09-01)');
    expect(result.gaps[0]!.zh).toBe('还需在当前阶段任职 2 年（2027-09-01 起满足）');
  });
});

describe('backbone_teacher → program_leader', () => {
  const stage = 'backbone_teacher';

  it('meets everything with the full record set', () => {
    const result = assess(stage, fullRecords());
    expect(result.nextStage).toBe('program_leader');
    expect(result.eligible).toBe(true);
    expect(result.gaps).toEqual([]);
    expect(find(result.requirements, 'appraisal_mean')).toMatchObject({ met: true, current: 62.83, required: 50 });
    expect(find(result.requirements, 'appraisal_mean').perYear!.map((detail) => detail.current)).toEqual([59.5, 66.5, 62.5]);
  });

  it('years in stage: 3 of 4', () => {
    const result = assess(stage, fullRecords(), { stageSince: '2022-09-01' });
    expect(unmetLeaves(result.requirements)).toEqual(['years_in_stage']);
    expect(result.gaps).toEqual([{ requirementId: 'years_in_stage', en: '1 more year in stage (from 2026-09-01)', zh: '还需在当前阶段任职 1 年（2026-09-01 起满足）' }]);
  });

  it('mentoring as mentor: none passed (a failed one does not count)', () => {
    const records = [...without(['mentor1', 'mentor2']), rec('mentoring', { start: '2018-09-01', end: '2019-06-30', role: 'mentor', partnerId: 't93', outcome: 'failed' })];
    const result = assess(stage, records);
    expect(unmetLeaves(result.requirements)).toEqual(['mentor_passed']);
    expect(result.gaps).toEqual([{ requirementId: 'mentor_passed', en: 'passed mentoring as mentor: 1 more needed', zh: '青蓝工程结对（师傅，徒弟已出师）：还需 1 次' }]);
  });

  it('enterprise practice', () => {
    const result = assess(
      stage,
      replaced('practice2024', (record) => ({ ...record, end: '2024-10-20' }) as EvidenceRecord),
    );
    expect(unmetLeaves(result.requirements)).toEqual(['practice_compliant']);
    expect(result.gaps).toEqual([
      {
        requirementId: 'practice_compliant',
        en: '10 more practice days in 2024-2025',
        zh: '还需 10 天企业实践（2024-2025 学年）',
        practice: { year: 2024, yearEnd: '2025-08-31', pendingRecordIds: [], undeclaredDays: 10, yearClosed: true },
      },
    ]);
  });

  it('appraisal mean: 43.83 of 50', () => {
    // Without patents (9 a year) and reform projects (10 a year): 40.5, 47.5, 43.5 → 131.5 / 3 = 43.83
    const result = assess(stage, without(['invention*', 'utility*', 'software*', 'reform*']));
    expect(unmetLeaves(result.requirements)).toEqual(['appraisal_mean']);
    expect(find(result.requirements, 'appraisal_mean')).toMatchObject({ met: false, current: 43.83, required: 50 });
    expect(result.gaps).toEqual([{ requirementId: 'appraisal_mean', en: `mean appraisal total 43.83 over ${RANGE_EN}; 6.17 more points needed`, zh: '2022-2023 至 2024-2025 学年考核平均分 43.83，还需提高 6.17 分' }]);
  });

  it('competition or international training: neither → the gaps of both alternatives', () => {
    const result = assess(stage, without(['competition']));
    expect(unmetLeaves(result.requirements)).toEqual(['competition_award', 'international_training_days']);
    expect(find(result.requirements, 'competition_or_international')).toMatchObject({ met: false, current: 0, required: 1 });
    expect(result.gaps).toEqual([
      {
        requirementId: 'competition_award',
        anyOf: 'competition_or_international',
        en: `provincial-or-higher competition award (first to third): 1 more needed in ${RANGE_EN}`,
        zh: `省级及以上技能竞赛三等奖及以上：还需 1 项（${RANGE_ZH}）`,
      },
      {
        requirementId: 'international_training_days',
        anyOf: 'competition_or_international',
        en: `30 more days of international training in ${RANGE_EN}`,
        zh: `还需 30 天国际研修（${RANGE_ZH}）`,
      },
    ]);
  });

  it('competition: a municipal award, an excellence award or an award before the window does not count', () => {
    const records = [
      ...without(['competition']),
      rec('skill_competition', { date: '2023-11-10', level: 'municipal', award: 'first', role: 'contestant' }),
      rec('skill_competition', { date: '2023-11-11', level: 'national', award: 'excellence', role: 'coach' }),
      rec('skill_competition', { date: '2022-08-31', level: 'national', award: 'first', role: 'contestant' }),
    ];
    expect(unmetLeaves(assess(stage, records).requirements)).toEqual(['competition_award', 'international_training_days']);
    // A national third prize as coach counts.
    const coach = [...without(['competition']), rec('skill_competition', { date: '2025-08-31', level: 'national', award: 'third', role: 'coach' })];
    expect(assess(stage, coach).eligible).toBe(true);
  });

  it('international training: 30 distinct days in the window is enough; overlaps count once', () => {
    const records = [
      ...without(['competition']),
      rec('international_training', { start: '2023-07-01', end: '2023-07-20', institution: 'TU', country: 'DE' }),
      rec('international_training', { start: '2023-07-11', end: '2023-07-30', institution: 'TU', country: 'DE' }), // 10 days overlap
    ];
    const met = assess(stage, records);
    expect(find(met.requirements, 'international_training_days')).toMatchObject({ met: true, current: 30, required: 30 });
    expect(met.eligible).toBe(true);
    // Part of a period before the window is cut off: 2022-08-25..2022-09-23 gives 23 days inside.
    const cut = [...without(['competition']), rec('international_training', { start: '2022-08-25', end: '2022-09-23', institution: 'TU', country: 'DE' })];
    const result = assess(stage, cut);
    expect(find(result.requirements, 'international_training_days')).toMatchObject({ met: false, current: 23 });
    expect(result.gaps.find((gap) => gap.requirementId === 'international_training_days')!.en).toBe(`7 more days of international training in ${RANGE_EN}`);
  });

  it('lead project: a rank-2 horizontal project does not satisfy the rank-1 leaf', () => {
    const records = replaced('horizontal', (record) => ({ ...record, rank: 2 }) as EvidenceRecord).map((record) => (record.kind === 'tech_transfer' ? ({ ...record, rank: 2 } as EvidenceRecord) : record));
    const result = assess(stage, records);
    expect(unmetLeaves(result.requirements)).toEqual(['lead_horizontal_project', 'lead_tech_transfer']);
    expect(find(result.requirements, 'lead_horizontal_project')).toMatchObject({ met: false, current: 0, required: 1 });
    expect(result.gaps).toEqual([
      { requirementId: 'lead_horizontal_project', anyOf: 'lead_project', en: `horizontal project led (rank 1): 1 more needed in ${RANGE_EN}`, zh: `主持横向课题：还需 1 项（${RANGE_ZH}）` },
      { requirementId: 'lead_tech_transfer', anyOf: 'lead_project', en: `technology transfer led (rank 1): 1 more needed in ${RANGE_EN}`, zh: `主持技术成果转化：还需 1 项（${RANGE_ZH}）` },
    ]);
    // Rank defaults to 1: a horizontal project without rank is a lead project.
    const lead = [...records, rec('horizontal_project', { date: '2023-03-01', amountYuan: 1000, partner: 'X' })];
    expect(assess(stage, lead).eligible).toBe(true);
    // An explicit share does not change the rank.
    const shared = [...records, rec('horizontal_project', { date: '2023-03-01', amountYuan: 1000, partner: 'X', share: 0.2 })];
    expect(assess(stage, shared).eligible).toBe(true);
  });

  it('dual-qualified certificate: junior held, intermediate needed', () => {
    const result = assess(
      stage,
      replaced('cert', (record) => ({ ...record, level: 'junior' }) as EvidenceRecord),
    );
    expect(unmetLeaves(result.requirements)).toEqual(['dual_qualified']);
    expect(find(result.requirements, 'dual_qualified')).toMatchObject({ current: 'junior', required: 'intermediate' });
    expect(result.gaps).toEqual([{ requirementId: 'dual_qualified', en: 'a dual-qualified certificate at intermediate level or above (held: junior)', zh: '需取得中级及以上双师型证书（现有：初级）' }]);
  });
});

describe('program_leader → cluster_lead', () => {
  const stage = 'program_leader';

  it('meets everything with the full record set', () => {
    const result = assess(stage, fullRecords());
    expect(result.nextStage).toBe('cluster_lead');
    expect(result.eligible).toBe(true);
    expect(result.gaps).toEqual([]);
    expect(find(result.requirements, 'tech_transfer_yuan')).toMatchObject({ met: true, current: 60000, required: 50000 });
    expect(find(result.requirements, 'technical_service_yuan')).toMatchObject({ met: true, current: 120000, required: 100000 });
    expect(find(result.requirements, 'training_trainee_hours')).toMatchObject({ met: false, current: 0, required: 200 });
    expect(find(result.requirements, 'enterprise_service')).toMatchObject({ met: true, current: 1, required: 1 });
  });

  it('years in stage: 2 of 3', () => {
    const result = assess(stage, fullRecords(), { stageSince: '2023-09-01' });
    expect(unmetLeaves(result.requirements)).toEqual(['years_in_stage']);
    expect(result.gaps[0]!.en).toBe('1 more year in stage (from 2026-09-01)');
  });

  it('dual-qualified certificate: intermediate held, senior needed; a pending senior one is mentioned', () => {
    const records = [...replaced('cert', (record) => ({ ...record, level: 'intermediate' }) as EvidenceRecord), rec('certificate', { date: '2025-06-01', certType: 'dual_qualified', level: 'senior', status: 'pending' })];
    const result = assess(stage, records);
    expect(unmetLeaves(result.requirements)).toEqual(['dual_qualified']);
    expect(result.gaps).toEqual([{ requirementId: 'dual_qualified', en: 'a dual-qualified certificate at senior level or above (held: intermediate; 1 pending)', zh: '需取得高级及以上双师型证书（现有：中级；1 项待审核）' }]);
  });

  it('enterprise practice', () => {
    const result = assess(stage, without(['practice2022']));
    // Without 2022's practice, 2022's total drops 7.5 to 52 — the mean (181 / 3 = 60.33) still holds.
    expect(unmetLeaves(result.requirements)).toEqual(['practice_compliant']);
    expect(result.gaps[0]!.en).toBe('30 more practice days in 2022-2023');
  });

  it('appraisal mean: 59.83 of 60 (the 0.17 counts)', () => {
    // Without utility models and software copyrights (3 a year): 188.5 − 9 = 179.5 → 59.83
    const result = assess(stage, without(['utility*', 'software*']));
    expect(unmetLeaves(result.requirements)).toEqual(['appraisal_mean']);
    expect(find(result.requirements, 'appraisal_mean')).toMatchObject({ current: 59.83, required: 60 });
    expect(result.gaps[0]!.en).toBe(`mean appraisal total 59.83 over ${RANGE_EN}; 0.17 more points needed`);
  });

  it('appraisal mean: rounded half-up before comparing (179.99 / 3 = 59.996… → 60.00 → met)', () => {
    // Without 2022's and 2023's utility models and software copyrights (−3 each) and 2024's utility model (−2):
    // 2022: 56.5, 2023: 63.5, 2024: 60.5. A 19,950-yuan transfer in 2024 instead of 20,000 gives 3.99 points.
    const records = without(['utility2022', 'software2022', 'utility2023', 'software2023', 'utility2024', 'transfer2024'], rec('tech_transfer', { date: '2025-05-01', amountYuan: 19950, partner: 'Y' }));
    const check = assess(stage, records);
    expect(find(check.requirements, 'appraisal_mean').perYear!.map((detail) => detail.current)).toEqual([56.5, 63.5, 60.49]);
    // 17,450 yuan gives 3.49 points: 2024 is 59.99, the sum 179.99, the mean 59.996… → 60.00 → met.
    const edge = without(['utility2022', 'software2022', 'utility2023', 'software2023', 'utility2024', 'transfer2024'], rec('tech_transfer', { date: '2025-05-01', amountYuan: 17450, partner: 'Y' }));
    const result = assess(stage, edge);
    expect(find(result.requirements, 'appraisal_mean').perYear!.map((detail) => detail.current)).toEqual([56.5, 63.5, 59.99]);
    expect(find(result.requirements, 'appraisal_mean')).toMatchObject({ met: true, current: 60 });
  });

  it('enterprise service: technical service at rank 2 → 60,000 of 100,000, and no training', () => {
    // share 0.5: 2 points a year less, mean 182.5 / 3 = 60.83 still ≥ 60
    const records = fullRecords().map((record) => (record.kind === 'technical_service' ? ({ ...record, rank: 2 } as EvidenceRecord) : record));
    const result = assess(stage, records);
    expect(unmetLeaves(result.requirements)).toEqual(['technical_service_yuan', 'training_trainee_hours']);
    expect(find(result.requirements, 'technical_service_yuan')).toMatchObject({ current: 60000 });
    expect(result.gaps).toEqual([
      {
        requirementId: 'training_trainee_hours',
        anyOf: 'enterprise_service',
        en: `200 more trainee-hours of enterprise training (share-weighted) in ${RANGE_EN}`,
        zh: `还需 200 人时企业培训（按份额计；${RANGE_ZH}）`,
      },
      {
        requirementId: 'technical_service_yuan',
        anyOf: 'enterprise_service',
        en: `40,000 more yuan of technical service (share-weighted) in ${RANGE_EN}`,
        zh: `还需 40,000 元技术服务（按份额计；${RANGE_ZH}）`,
      },
    ]);
  });

  it('trainee-hours: share-weighted, no satisfaction factor, exact at 200', () => {
    const base = fullRecords().map((record) => (record.kind === 'technical_service' ? ({ ...record, rank: 2 } as EvidenceRecord) : record));
    // 10 trainees × 40 h × 0.5 (rank 2) = 200, satisfaction 50 ignored
    const met = assess(stage, [...base, rec('enterprise_training', { date: '2024-01-10', trainees: 10, hours: 40, rank: 2, satisfaction: 50 })]);
    expect(find(met.requirements, 'training_trainee_hours')).toMatchObject({ met: true, current: 200 });
    expect(met.eligible).toBe(true);
    // decimal hours: 7 × 12.5 × 0.3 (rank 3) = 26.25, plus 10 × 17.3 = 173 → 199.25
    const short = assess(stage, [...base, rec('enterprise_training', { date: '2024-01-10', trainees: 7, hours: 12.5, rank: 3 }), rec('enterprise_training', { date: '2024-01-11', trainees: 10, hours: 17.3 })]);
    expect(find(short.requirements, 'training_trainee_hours')).toMatchObject({ met: false, current: 199.25 });
    expect(short.gaps[0]!.en).toBe(`0.75 more trainee-hours of enterprise training (share-weighted) in ${RANGE_EN}`);
  });

  it('tech transfer: 45,000 of 50,000', () => {
    const records = replaced('transfer', (record) => ({ ...record, amountYuan: 15000 }) as EvidenceRecord);
    const result = assess(stage, records);
    expect(unmetLeaves(result.requirements)).toEqual(['tech_transfer_yuan']);
    expect(result.gaps).toEqual([{ requirementId: 'tech_transfer_yuan', en: `5,000 more yuan of technology transfer (share-weighted) in ${RANGE_EN}`, zh: `还需 5,000 元技术成果转化（按份额计；${RANGE_ZH}）` }]);
  });

  it('tech transfer: 100,000 yuan at share 0.5 is exactly 50,000 → met; 99,999 is 0.5 short', () => {
    const exact = without(['transfer*'], rec('tech_transfer', { date: '2024-05-01', amountYuan: 100000, partner: 'Z', rank: 2 }));
    const met = assess(stage, exact);
    expect(find(met.requirements, 'tech_transfer_yuan')).toMatchObject({ met: true, current: 50000 });
    expect(met.eligible).toBe(true);
    const short = without(['transfer*'], rec('tech_transfer', { date: '2024-05-01', amountYuan: 99999, partner: 'Z', share: 0.5 }));
    const result = assess(stage, short);
    expect(find(result.requirements, 'tech_transfer_yuan')).toMatchObject({ met: false, current: 49999.5 });
    expect(result.gaps.find((gap) => gap.requirementId === 'tech_transfer_yuan')!.en).toBe(`0.5 more yuan of technology transfer (share-weighted) in ${RANGE_EN}`);
    // 3 × 16,667 at share 0.3 = 15,000.3 ≥ 15,000 exactly with a custom threshold — no float drift.
    const policy = withLeaf('program_leader', 'tech_transfer_yuan', { min: 15000.3 });
    const thirds = without(['transfer*'], ...[2022, 2023, 2024].map((year) => rec('tech_transfer', { date: `${year}-12-01`, amountYuan: 16667, partner: 'Z', rank: 3 })));
    expect(find(assess(stage, thirds, {}, AS_OF, policy).requirements, 'tech_transfer_yuan').met).toBe(true);
  });

  it('mentoring as mentor: 1 of 2', () => {
    const result = assess(stage, without(['mentor2']));
    expect(unmetLeaves(result.requirements)).toEqual(['mentor_passed']);
    expect(find(result.requirements, 'mentor_passed')).toMatchObject({ current: 1, required: 2 });
    expect(result.gaps[0]!.en).toBe('passed mentoring as mentor: 1 more needed');
  });
});

describe('as-of date and calendar', () => {
  it('years in stage from 29 February: 2 years on 27 Feb 2023, 3 years on 28 Feb 2023', () => {
    const before = assess('new_teacher', fullRecords(), { stageSince: '2020-02-29' }, '2023-02-27');
    expect(find(before.requirements, 'years_in_stage')).toMatchObject({ met: false, current: 2 });
    expect(before.gaps.find((gap) => gap.requirementId === 'years_in_stage')!.en).toBe('1 more year in stage (from 2023-02-28)');
    const on = assess('new_teacher', fullRecords(), { stageSince: '2020-02-29' }, '2023-02-28');
    expect(find(on.requirements, 'years_in_stage')).toMatchObject({ met: true, current: 3 });
    const leap = assess('new_teacher', fullRecords(), { stageSince: '2020-02-29' }, '2024-02-28');
    expect(find(leap.requirements, 'years_in_stage').current).toBe(3);
    expect(find(assess('new_teacher', fullRecords(), { stageSince: '2020-02-29' }, '2024-02-29').requirements, 'years_in_stage').current).toBe(4);
  });

  it('records dated after asOf are ignored', () => {
    const records = [
      ...without(['cert', 'mentee']),
      rec('certificate', { date: '2025-10-16', certType: 'dual_qualified', level: 'senior' }),
      // a pairing is dated by its end: passed, but only after asOf
      rec('mentoring', { start: '2024-09-01', end: '2025-12-31', role: 'mentee', partnerId: 't95', outcome: 'passed' }),
    ];
    const result = assess('new_teacher', records);
    expect(unmetLeaves(result.requirements)).toEqual(['dual_qualified', 'mentee_passed']);
    // The same records a day later count.
    expect(assess('new_teacher', records, {}, '2026-01-01').requirements!.children!.find((child) => child.id === 'dual_qualified')!.met).toBe(true);
  });

  it('periods are cut at asOf (a custom leaf with no window)', () => {
    const policy = customPolicy({
      id: 'root',
      type: 'all_of',
      children: [{ id: 'abroad', type: 'record_sum', kinds: ['international_training'], measure: 'days', shareWeighted: false, min: 20 }],
    });
    const records = [rec('international_training', { start: '2025-10-01', end: '2025-12-31', institution: 'TU', country: 'DE' })];
    const result = assess('new_teacher', records, {}, '2025-10-15', policy);
    expect(find(result.requirements, 'abroad')).toMatchObject({ met: false, current: 15, required: 20 });
    expect(find(result.requirements, 'abroad').label!.en).toBe('at least 20 days of international training');
    expect(result.gaps).toEqual([{ requirementId: 'abroad', en: '5 more days of international training', zh: '还需 5 天国际研修' }]);
    expect(assess('new_teacher', records, {}, '2025-10-20', policy).eligible).toBe(true);
  });

  it('records of other teachers are ignored but validated', () => {
    const other = { ...fullRecords()[3]!, id: 'x1', teacherId: 't2', level: 'senior' } as EvidenceRecord;
    const result = assess('new_teacher', [...without(['cert']), other]);
    expect(unmetLeaves(result.requirements)).toEqual(['dual_qualified']);
    const bad = { ...other, date: '2025-02-30' };
    try {
      assess('new_teacher', [...fullRecords(), bad as EvidenceRecord]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([`records[${fullRecords().length}].date`]);
    }
  });

  it('a bad asOf, teacher and policy are all named at once', () => {
    try {
      assessProgress({ teacher: { ...teacher(), stage: 'veteran' } as unknown as Teacher, records: [], asOf: '2025-02-30', policy: { ...defaultPolicy, version: '' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toContain('asOf');
      expect(paths).toContain('teacher.stage');
      expect(paths).toContain('policy.version');
    }
    expect(() => assessProgress({ teacher: teacher(), records: [], asOf: '15/10/2025' })).toThrow(ValidationError);
  });
});

describe('cluster_lead and custom trees', () => {
  it('cluster_lead: nothing further', () => {
    expect(assess('cluster_lead', fullRecords())).toEqual({ stage: 'cluster_lead', nextStage: null, eligible: false, requirements: null, gaps: [] });
  });

  it('the evaluator follows the policy tree: a custom any_of of counts with filters and no labels', () => {
    const policy = customPolicy({
      id: 'root',
      type: 'any_of',
      children: [
        { id: 'patents', type: 'record_count', kinds: ['patent'], where: [{ field: 'patentType', in: ['invention'] }], years: 1, min: 2 },
        { id: 'service', type: 'record_sum', kinds: ['technical_service', 'tech_transfer'], measure: 'amountYuan', shareWeighted: false, years: 2, min: 200000 },
      ],
    });
    const result = assess('new_teacher', fullRecords(), {}, AS_OF, policy);
    expect(result.eligible).toBe(false);
    // 2024-2025: one invention; 2023-2025: (40,000 + 20,000) × 2 = 120,000
    expect(find(result.requirements, 'patents')).toMatchObject({ current: 1, required: 2, windowYears: [2024] });
    expect(find(result.requirements, 'service')).toMatchObject({ current: 120000, windowYears: [2023, 2024] });
    expect(result.gaps).toEqual([
      { requirementId: 'patents', anyOf: 'root', en: '1 more patent (patentType: invention) in 2024-2025', zh: '还需 1 项专利（patentType：invention；2024-2025 学年）' },
      {
        requirementId: 'service',
        anyOf: 'root',
        en: '80,000 more yuan of technical service or technology transfer in 2023-2024 to 2024-2025',
        zh: '还需 80,000 元技术服务或技术成果转化（2023-2024 至 2024-2025 学年）',
      },
    ]);
    const two = assess('new_teacher', [...fullRecords(), rec('patent', { date: '2025-08-01', patentType: 'invention' })], {}, AS_OF, policy);
    expect(two.eligible).toBe(true);
    expect(two.gaps).toEqual([]);
  });

  it('a custom label replaces the default noun; a custom stage threshold is honoured', () => {
    const policy = withLeaf('new_teacher', 'teaching_resources', { min: 5, label: { zh: '优质教学资源', en: 'quality teaching resources' } });
    const result = assess('new_teacher', fullRecords(), {}, AS_OF, policy);
    expect(result.gaps).toEqual([{ requirementId: 'teaching_resources', en: `quality teaching resources: 2 more needed in ${RANGE_EN}`, zh: `优质教学资源：还需 2 项（${RANGE_ZH}）` }]);
    expect(find(result.requirements, 'teaching_resources').label).toEqual({ zh: '优质教学资源', en: 'quality teaching resources' });
  });

  it('labels cover every stage, title, grade, category and veto in both languages', () => {
    expect(Object.keys(labels.stages)).toEqual(['new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead']);
    expect(labels.stages.backbone_teacher).toEqual({ zh: '骨干教师', en: 'backbone teacher' });
    expect(labels.titles.associate_professor.zh).toBe('副教授');
    expect(labels.grades.basic.zh).toBe('基本合格');
    expect(Object.keys(labels.categories)).toHaveLength(5);
    expect(Object.keys(labels.vetoes)).toEqual(['ethics_violation', 'practice_noncompliant']);
    // every built-in kind of the registry, in its order (a new kind is labelled by its declaration)
    expect(Object.keys(labels.recordKinds)).toEqual(Object.keys(builtinKinds));
    for (const label of Object.values(labels.recordKinds)) expect(label.zh && label.en).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------------------

function clonePolicy(): Policy {
  return JSON.parse(JSON.stringify(defaultPolicy)) as Policy;
}

function customPolicy(tree: unknown): Policy {
  const policy = clonePolicy() as unknown as { growth: { transitions: Record<string, unknown> } };
  policy.growth.transitions.new_teacher = tree;
  return policy as unknown as Policy;
}

function withLeaf(stage: 'new_teacher' | 'backbone_teacher' | 'program_leader', id: string, change: Record<string, unknown>): Policy {
  const policy = clonePolicy();
  const walk = (node: Record<string, unknown>) => {
    if (node.id === id) Object.assign(node, change);
    for (const child of (node.children as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(policy.growth.transitions[stage] as unknown as Record<string, unknown>);
  return policy;
}
