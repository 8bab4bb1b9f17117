import { describe, expect, it } from 'vitest';
import { rankTitleReview, type TitleReviewEntry } from '../src/review.js';
import { defaultPolicy, type Policy } from '../src/policy.js';
import { ValidationError } from '../src/errors.js';
import type { EvidenceRecord, Teacher, Title } from '../src/records.js';

// As of 2025-10-15 the review window is 2022-2023, 2023-2024 and 2024-2025.
const AS_OF = '2025-10-15';
const WINDOW = [2022, 2023, 2024];

function teacher(id: string, title: Title = 'lecturer', titleSince = '2018-09-01'): Teacher {
  return { id, name: `教师 ${id}`, unit: '机电工程学院', hireDate: '2015-09-01', stage: 'backbone_teacher', stageSince: '2020-09-01', title, titleSince };
}

let counter = 0;
function rec(teacherId: string, kind: EvidenceRecord['kind'], fields: Record<string, unknown>): EvidenceRecord {
  counter += 1;
  return { id: `v${counter}`, teacherId, status: 'verified', kind, ...fields } as unknown as EvidenceRecord;
}

interface YearOptions {
  practiceDays?: number;
  transferYuan?: number;
  serviceYuan?: number;
  worksheet?: boolean;
  reform?: boolean;
}

/**
 * One year of records. By hand, with the defaults: workload 280 h → 15, evaluation 90 → 9, national reform
 * project → 10 (teaching 34), 30 practice days × 0.25 → 7.5: a total of 41.5 (competent).
 * Each extra practice day adds 0.25, a worksheet 1, every 50 yuan of tech transfer 0.01, every 100 yuan of service 0.01.
 */
function year(teacherId: string, y: number, options: YearOptions = {}): EvidenceRecord[] {
  const days = options.practiceDays ?? 30;
  const records: EvidenceRecord[] = [rec(teacherId, 'teaching_workload', { year: y, hours: 280 }), rec(teacherId, 'teaching_evaluation', { date: `${y}-12-01`, score: 90 })];
  if (options.reform !== false) records.push(rec(teacherId, 'teaching_reform_project', { date: `${y + 1}-03-01`, level: 'national' }));
  if (days > 0) {
    // October has 31 days; longer periods run on into November.
    const start = Date.UTC(y, 9, 1);
    const end = new Date(start + (days - 1) * 86400000).toISOString().slice(0, 10);
    records.push(rec(teacherId, 'enterprise_practice', { start: `${y}-10-01`, end, enterprise: '某企业' }));
  }
  if (options.worksheet) records.push(rec(teacherId, 'teaching_resource', { date: `${y}-11-01`, resourceType: 'worksheet', title: '工单' }));
  if (options.transferYuan) records.push(rec(teacherId, 'tech_transfer', { date: `${y + 1}-05-01`, amountYuan: options.transferYuan, partner: '某企业' }));
  if (options.serviceYuan) records.push(rec(teacherId, 'technical_service', { date: `${y + 1}-06-01`, amountYuan: options.serviceYuan, partner: '某企业' }));
  return records;
}

function window(teacherId: string, options: YearOptions | ((y: number) => YearOptions) = {}): EvidenceRecord[] {
  return WINDOW.flatMap((y) => year(teacherId, y, typeof options === 'function' ? options(y) : options));
}

function single(who: Teacher, records: EvidenceRecord[], targetTitle: Title, policy?: Policy): TitleReviewEntry {
  const [entry] = rankTitleReview({ candidates: [{ teacher: who, records, targetTitle }], asOf: AS_OF, policy });
  return entry!;
}

describe('eligibility: each failure named', () => {
  it('an eligible candidate has no reasons and shows its working', () => {
    const entry = single(teacher('a1'), window('a1', { transferYuan: 10000 }), 'associate_professor');
    expect(entry).toEqual({
      teacherId: 'a1',
      targetTitle: 'associate_professor',
      eligible: true,
      reasons: [],
      reasonDetails: [],
      score: 43.5,
      minScore: 45,
      passed: false,
      rank: 1,
      windowYears: WINDOW,
      tieBreak: { transferAndServicePoints: 6, practiceDays: 90 },
      annualTotals: WINDOW.map((y) => ({ year: y, total: 43.5, grade: 'competent' })),
    });
  });

  it('not the next title', () => {
    const entry = single(teacher('a1', 'assistant', '2015-09-01'), window('a1'), 'associate_professor');
    expect(entry.eligible).toBe(false);
    expect(entry.rank).toBeNull();
    expect(entry.passed).toBe(false);
    expect(entry.score).toBe(41.5); // every candidate gets a score
    expect(entry.reasons).toEqual(['not_next_title']);
    expect(entry.reasonDetails).toEqual([{ code: 'not_next_title', en: 'associate professor is not the next title after assistant (next: lecturer)', zh: '申报职称副教授不是助教的下一级（应申报讲师）' }]);
    // Applying for one's own title, or from the top, is not the next title either.
    expect(single(teacher('a2', 'professor', '2010-09-01'), window('a2'), 'professor').reasons).toEqual(['not_next_title']);
    expect(single(teacher('a3', 'lecturer'), window('a3'), 'assistant').reasons).toEqual(['not_next_title']);
  });

  it('years at the current title: 4 of 5 (whole years, to the day)', () => {
    const entry = single(teacher('a1', 'lecturer', '2021-09-01'), window('a1'), 'associate_professor');
    expect(entry.reasons).toEqual(['years_at_title']);
    expect(entry.reasonDetails[0]).toEqual({
      code: 'years_at_title',
      en: '5 whole years at the current title needed for associate professor; has 4 (met from 2026-09-01)',
      zh: '申报副教授需任现职满 5 年，现为 4 年（2026-09-01 起满足）',
    });
    expect(single(teacher('a2', 'lecturer', '2020-10-15'), window('a2'), 'associate_professor').eligible).toBe(true);
    expect(single(teacher('a3', 'lecturer', '2020-10-16'), window('a3'), 'associate_professor').reasons).toEqual(['years_at_title']);
    // To lecturer: 2 years.
    expect(single(teacher('a4', 'assistant', '2023-10-15'), window('a4'), 'lecturer').eligible).toBe(true);
    expect(single(teacher('a5', 'assistant', '2023-10-16'), window('a5'), 'lecturer').reasons).toEqual(['years_at_title']);
  });

  it('practice not compliant in a window year (grade capped at competent, still enough)', () => {
    const entry = single(
      teacher('a1'),
      window('a1', (y) => (y === 2024 ? { practiceDays: 20 } : {})),
      'associate_professor',
    );
    expect(entry.reasons).toEqual(['practice_noncompliant:2024-2025']);
    expect(entry.reasonDetails[0]!.en).toBe('enterprise practice not compliant in 2024-2025 (20 of 30 days)');
    expect(entry.reasonDetails[0]!.zh).toBe('2024-2025 学年企业实践未达标（20/30 天）');
    // under the rolling rule the reason names the window's days (2018–2022: 30, 2019–2023: 60, 2020–2024: 80 of 180); under both, both figures
    const bound = (binding: 'rolling' | 'both'): Policy => ({ ...defaultPolicy, practice: { ...defaultPolicy.practice, binding } });
    const records = window('a1', (y) => (y === 2024 ? { practiceDays: 20 } : {}));
    const rolling = single(teacher('a1'), records, 'associate_professor', bound('rolling'));
    expect(rolling.reasons).toEqual(['practice_noncompliant:2022-2023', 'practice_noncompliant:2023-2024', 'practice_noncompliant:2024-2025']);
    expect(rolling.reasonDetails.map((reason) => reason.en)).toEqual([
      'enterprise practice not compliant in 2022-2023 (30 of 180 days over 5 years)',
      'enterprise practice not compliant in 2023-2024 (60 of 180 days over 5 years)',
      'enterprise practice not compliant in 2024-2025 (80 of 180 days over 5 years)',
    ]);
    expect(rolling.reasonDetails[2]!.zh).toBe('2024-2025 学年企业实践未达标（近 5 学年 80/180 天）');
    const both = single(teacher('a1'), records, 'associate_professor', bound('both'));
    expect(both.reasonDetails[0]!.en).toBe('enterprise practice not compliant in 2022-2023 (30 of 30 days; 30 of 180 days over 5 years)');
    expect(both.reasonDetails[2]!.zh).toBe('2024-2025 学年企业实践未达标（20/30 天；近 5 学年 80/180 天）');
    expect(entry.annualTotals[2]).toEqual({ year: 2024, total: 39, grade: 'competent' });
    // An exempt year is compliant (34 + 1 point of transfer keeps 2024-2025 competent).
    const exempt = [...window('a2', (y) => (y === 2024 ? { practiceDays: 0, transferYuan: 5000 } : {})), rec('a2', 'practice_exemption', { year: 2024, reason: '援疆' })];
    expect(single(teacher('a2'), exempt, 'associate_professor').reasons).toEqual([]);
  });

  it('grade below the minimum in a window year', () => {
    // 2023-2024 without the reform project: 31.5 → basic
    const entry = single(
      teacher('a1'),
      window('a1', (y) => (y === 2023 ? { reform: false } : {})),
      'associate_professor',
    );
    expect(entry.reasons).toEqual(['grade_below_minimum:2023-2024']);
    expect(entry.reasonDetails[0]).toEqual({
      code: 'grade_below_minimum:2023-2024',
      en: 'appraisal grade basic in 2023-2024; competent or better needed',
      zh: '2023-2024 学年考核等次为基本合格，需合格及以上',
    });
    expect(entry.score).toBe(38.17); // (41.5 + 31.5 + 41.5) / 3 = 38.1666…
  });

  it('an ethics violation in the window (a pending one, or one before the window, does not count)', () => {
    const entry = single(teacher('a1'), [...window('a1'), rec('a1', 'ethics_violation', { date: '2025-03-01', description: '违规' })], 'associate_professor');
    expect(entry.reasons).toEqual(['grade_below_minimum:2024-2025', 'ethics_violation:2024-2025']);
    expect(entry.reasonDetails[1]).toEqual({ code: 'ethics_violation:2024-2025', en: 'ethics violation recorded in 2024-2025', zh: '2024-2025 学年有师德失范记录' });
    const pending = [...window('a2'), rec('a2', 'ethics_violation', { date: '2025-03-01', description: '待查', status: 'pending' })];
    expect(single(teacher('a2'), pending, 'associate_professor').eligible).toBe(true);
    const before = [...window('a3'), rec('a3', 'ethics_violation', { date: '2022-08-31', description: '旧事' })];
    expect(single(teacher('a3'), before, 'associate_professor').eligible).toBe(true);
  });

  it('every failure at once, in a stable order', () => {
    const records = [...window('a1', (y) => (y === 2022 ? { practiceDays: 10 } : y === 2023 ? { reform: false } : {})), rec('a1', 'ethics_violation', { date: '2023-01-01', description: '违规' })];
    const entry = single(teacher('a1', 'assistant', '2024-09-01'), records, 'lecturer');
    expect(entry.reasons).toEqual(['years_at_title', 'practice_noncompliant:2022-2023', 'grade_below_minimum:2022-2023', 'grade_below_minimum:2023-2024', 'ethics_violation:2022-2023']);
    expect(entry.reasonDetails.map((detail) => detail.code)).toEqual(entry.reasons);
  });
});

describe('score and minimum per title', () => {
  it('lecturer: 35', () => {
    // 41.5 − 6.5 (no reform: −10, +14 practice days: +3.5) = 35.00
    const at = single(teacher('l1', 'assistant', '2020-09-01'), window('l1', { reform: false, practiceDays: 44 }), 'lecturer');
    expect(at).toMatchObject({ score: 35, minScore: 35, eligible: true, passed: true, rank: 1 });
    const below = single(
      teacher('l2', 'assistant', '2020-09-01'),
      window('l2', (y) => ({ reform: false, practiceDays: y === 2024 ? 43 : 44 })),
      'lecturer',
    );
    // (35 + 35 + 34.75) / 3 = 34.9166… → 34.92. Under the default policy a year below 35 is also below
    // `competent`, so an eligible lecturer candidate always reaches 35; with `basic` allowed the score decides.
    expect(below).toMatchObject({ score: 34.92, eligible: false, passed: false, rank: null, reasons: ['grade_below_minimum:2024-2025'] });
    const lenient = JSON.parse(JSON.stringify(defaultPolicy)) as Policy;
    lenient.titleReview.minGrade = 'basic';
    const belowLenient = single(
      teacher('l2', 'assistant', '2020-09-01'),
      window('l2', (y) => ({ reform: false, practiceDays: y === 2024 ? 43 : 44 })),
      'lecturer',
      lenient,
    );
    expect(belowLenient).toMatchObject({ score: 34.92, eligible: true, passed: false, rank: 1 });
  });

  it('associate professor: 45, with the mean rounded half-up before comparing', () => {
    // +3.5 = 17,500 yuan of transfer → 45.00; 17,450 yuan → 3.49 → 44.99
    const at = single(teacher('a1'), window('a1', { transferYuan: 17500 }), 'associate_professor');
    expect(at).toMatchObject({ score: 45, passed: true });
    const below = single(teacher('a2'), window('a2', { transferYuan: 17450 }), 'associate_professor');
    expect(below).toMatchObject({ score: 44.99, passed: false });
    // 45 + 45 + 44.99 = 134.99 → 44.9966… → 45.00 → passes
    const rounded = single(
      teacher('a3'),
      window('a3', (y) => ({ transferYuan: y === 2024 ? 17450 : 17500 })),
      'associate_professor',
    );
    expect(rounded).toMatchObject({ score: 45, passed: true });
    // 45 + 44.99 + 44.99 = 134.98 → 44.9933… → 44.99 → fails
    const down = single(
      teacher('a4'),
      window('a4', (y) => ({ transferYuan: y === 2022 ? 17500 : 17450 })),
      'associate_professor',
    );
    expect(down).toMatchObject({ score: 44.99, passed: false });
  });

  it('professor: 55', () => {
    // +13.5 = 67,500 yuan → 55.00; 67,450 → 54.99
    const at = single(teacher('p1', 'associate_professor', '2019-09-01'), window('p1', { transferYuan: 67500 }), 'professor');
    expect(at).toMatchObject({ score: 55, minScore: 55, passed: true });
    const below = single(teacher('p2', 'associate_professor', '2019-09-01'), window('p2', { transferYuan: 67450 }), 'professor');
    expect(below).toMatchObject({ score: 54.99, passed: false, eligible: true, rank: 1 });
  });

  it('an ineligible candidate with a high score does not pass', () => {
    const entry = single(teacher('p1', 'associate_professor', '2022-09-01'), window('p1', { transferYuan: 75000 }), 'professor');
    expect(entry).toMatchObject({ score: 56.5, eligible: false, passed: false, rank: null, reasons: ['years_at_title'] });
  });
});

describe('the committee list', () => {
  const college: EvidenceRecord[] = [
    ...window('t9', { transferYuan: 10000 }), // 43.5, transfer + service 6, 90 days
    ...window('t5', { practiceDays: 38 }), // 43.5, 0, 114 days
    ...window('t2', { worksheet: true, practiceDays: 34 }), // 43.5, 0, 102 days
    ...window('t3', { worksheet: true, practiceDays: 34 }), // 43.5, 0, 102 days
    ...window('t4', { serviceYuan: 30000 }), // 44.5: the best score
    ...window('t0'), // years at title
    ...window('t1'), // not the next title
    ...window('t7'), // lecturer candidate
    ...window('t8', { transferYuan: 67500 }), // professor candidate, 55
    ...window('t6', { transferYuan: 67450 }), // professor candidate, 54.99
  ];
  const candidates = [
    { teacher: teacher('t6', 'associate_professor', '2019-09-01'), records: college, targetTitle: 'professor' as const },
    { teacher: teacher('t1', 'assistant', '2015-09-01'), records: college, targetTitle: 'associate_professor' as const },
    { teacher: teacher('t3'), records: college, targetTitle: 'associate_professor' as const },
    { teacher: teacher('t5'), records: college, targetTitle: 'associate_professor' as const },
    { teacher: teacher('t0', 'lecturer', '2021-09-01'), records: college, targetTitle: 'associate_professor' as const },
    { teacher: teacher('t9'), records: college, targetTitle: 'associate_professor' as const },
    { teacher: teacher('t7', 'assistant', '2022-09-01'), records: college, targetTitle: 'lecturer' as const },
    { teacher: teacher('t2'), records: college, targetTitle: 'associate_professor' as const },
    { teacher: teacher('t8', 'associate_professor', '2019-09-01'), records: college, targetTitle: 'professor' as const },
    { teacher: teacher('t4'), records: college, targetTitle: 'associate_professor' as const },
  ];

  it('groups by title in ladder order; ranks by score, transfer + service, practice days, id; ineligible last by id', () => {
    const list = rankTitleReview({ candidates, asOf: AS_OF });
    expect(list.map((entry) => [entry.targetTitle, entry.teacherId, entry.rank])).toEqual([
      ['lecturer', 't7', 1],
      ['associate_professor', 't4', 1],
      ['associate_professor', 't9', 2],
      ['associate_professor', 't5', 3],
      ['associate_professor', 't2', 4],
      ['associate_professor', 't3', 5],
      ['associate_professor', 't0', null],
      ['associate_professor', 't1', null],
      ['professor', 't8', 1],
      ['professor', 't6', 2],
    ]);
    const byId = new Map(list.map((entry) => [entry.teacherId, entry]));
    expect(byId.get('t4')!).toMatchObject({ score: 44.5, passed: false, tieBreak: { transferAndServicePoints: 9, practiceDays: 90 } });
    for (const id of ['t9', 't5', 't2', 't3']) expect(byId.get(id)!.score).toBe(43.5);
    expect(byId.get('t9')!.tieBreak).toEqual({ transferAndServicePoints: 6, practiceDays: 90 });
    expect(byId.get('t5')!.tieBreak).toEqual({ transferAndServicePoints: 0, practiceDays: 114 });
    expect(byId.get('t2')!.tieBreak).toEqual({ transferAndServicePoints: 0, practiceDays: 102 });
    expect(byId.get('t3')!.tieBreak).toEqual({ transferAndServicePoints: 0, practiceDays: 102 });
    expect(byId.get('t0')!).toMatchObject({ eligible: false, reasons: ['years_at_title'], score: 41.5 });
    expect(byId.get('t1')!).toMatchObject({ eligible: false, reasons: ['not_next_title'] });
    expect(byId.get('t7')!).toMatchObject({ score: 41.5, passed: true });
    expect(byId.get('t8')!).toMatchObject({ score: 55, passed: true });
    expect(byId.get('t6')!).toMatchObject({ score: 54.99, passed: false });
  });

  it('records of other teachers are ignored whether the list is shared or per candidate', () => {
    const perCandidate = candidates.map((candidate) => ({ ...candidate, records: college.filter((record) => record.teacherId === candidate.teacher.id) }));
    expect(rankTitleReview({ candidates: perCandidate, asOf: AS_OF })).toEqual(rankTitleReview({ candidates, asOf: AS_OF }));
  });

  it('a custom policy changes the results: lower minimum, shorter window', () => {
    const policy = JSON.parse(JSON.stringify(defaultPolicy)) as Policy;
    policy.titleReview.targets.associate_professor.minScore = 43.5;
    const list = rankTitleReview({ candidates, asOf: AS_OF, policy });
    const passed = list.filter((entry) => entry.targetTitle === 'associate_professor' && entry.passed).map((entry) => entry.teacherId);
    expect(passed).toEqual(['t4', 't9', 't5', 't2', 't3']);

    const short = JSON.parse(JSON.stringify(defaultPolicy)) as Policy;
    short.titleReview.windowYears = 2;
    short.titleReview.targets.associate_professor.minYearsAtTitle = 4;
    const entries = rankTitleReview({ candidates, asOf: AS_OF, policy: short });
    const t0 = entries.find((entry) => entry.teacherId === 't0')!;
    expect(t0).toMatchObject({ eligible: true, windowYears: [2023, 2024] });
    expect(t0.annualTotals.map((total) => total.year)).toEqual([2023, 2024]);
  });

  it('an empty list is an empty list', () => {
    expect(rankTitleReview({ candidates: [], asOf: AS_OF })).toEqual([]);
  });
});

describe('validation', () => {
  it('names each bad path: records of any teacher, the teacher, the target, asOf', () => {
    const good = window('a1');
    const bad = [...window('a2'), { ...rec('zz', 'certificate', { date: '2024-01-01', certType: 'dual_qualified', level: 'master' }) }];
    try {
      rankTitleReview({
        candidates: [
          { teacher: teacher('a1'), records: good, targetTitle: 'associate_professor' },
          { teacher: teacher('a2'), records: bad, targetTitle: 'associate_professor' },
          { teacher: { ...teacher('a3'), hireDate: 'yesterday' }, records: [], targetTitle: 'dean' as Title },
        ],
        asOf: '2025-13-01',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['asOf', `candidates[1].records[${bad.length - 1}].level`, 'candidates[2].teacher.hireDate', 'candidates[2].targetTitle']));
    }
  });

  it('a candidate listed twice is an error', () => {
    const records = window('a1');
    expect(() =>
      rankTitleReview({
        candidates: [
          { teacher: teacher('a1'), records, targetTitle: 'associate_professor' },
          { teacher: teacher('a1'), records, targetTitle: 'associate_professor' },
        ],
        asOf: AS_OF,
      }),
    ).toThrow(ValidationError);
  });

  it('duplicate record ids in a shared list are reported', () => {
    const records = window('a1');
    const dup = [...records, { ...records[0]! }];
    expect(() => rankTitleReview({ candidates: [{ teacher: teacher('a1'), records: dup, targetTitle: 'associate_professor' }], asOf: AS_OF })).toThrow(/duplicate record id/);
  });
});
