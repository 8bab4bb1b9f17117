/**
 * The demo college: three units, 30 teachers at every stage, five completed academic years of varied records,
 * the current year under way, and one open title-review cycle. Deterministic for a given `today` (seeded
 * PRNG): the years are laid out relative to the academic year containing `today`, so a demo started on any
 * date shows a live current year. Self-contained so `scripts/start.mjs` can import it directly with Node's
 * type stripping; it only needs @shizi/core at runtime.
 */
import { academicYearOf, addYears, dateOfDay, dayNumber, defaultPolicy, dualQualifiedOf, recordPlacement, type EvidenceRecord, type Teacher } from '@shizi/core';

/** A small seeded PRNG (mulberry32): the demo, and the load test's request mix, are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const date = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

const UNITS = ['智能制造学院', '信息工程学院', '汽车工程学院'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚'];
const ENTERPRISES = ['比亚迪股份有限公司', '华为技术有限公司', '三一重工', '格力电器', '中车株洲所', '美的集团', '海尔智家', '徐工集团'];
const TOPICS = ['工业机器人', '数字化改造', '智能产线', '新能源汽车电池', '工业互联网', 'PLC 编程'];
/**
 * The teachers' categories, by number and without drawing from the generator (so every other value stays as it
 * was): most teach specialised courses (专业课), every tenth from the 7th guides practical training (实习指导),
 * and the 4th and 9th of every ten teach public basic courses (公共基础课: mathematics, English, politics).
 */
const categoryOfNumber = (n: number): NonNullable<Teacher['category']> => (n % 10 === 4 || n % 10 === 9 ? 'public_basic' : n % 10 === 7 ? 'practical_guidance' : 'specialised');

export interface DemoCollege {
  teachers: Teacher[];
  records: EvidenceRecord[];
  cycle: { id: string; name: string; asOf: string; policyVersion: string; candidates: { teacherId: string; targetTitle: Teacher['title'] }[] };
}

/** The academic year the fixed layout below was written for; `today` shifts every year by the difference. */
const LAYOUT_YEAR = 2026;

export function demoCollege(today = '2026-11-01'): DemoCollege {
  const current = academicYearOf(today);
  const shift = current - LAYOUT_YEAR;
  const Y = (year: number) => year + shift;
  const random = mulberry32(20260901);
  // The current year draws from its own generator, so the completed years stay the same whatever `today` is.
  const currentRandom = mulberry32(20261001);
  const currentInt = (min: number, max: number) => min + Math.floor(currentRandom() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const teachers: Teacher[] = [];
  const records: EvidenceRecord[] = [];
  const plan: Array<[Teacher['stage'], Teacher['title'], number]> = [
    ['new_teacher', 'assistant', 10],
    ['backbone_teacher', 'lecturer', 9],
    ['program_leader', 'associate_professor', 7],
    ['cluster_lead', 'professor', 4],
  ];
  let n = 0;
  for (const [stage, title, count] of plan) {
    for (let i = 0; i < count; i++) {
      n++;
      const id = `T${String(n).padStart(3, '0')}`;
      const hireYear = stage === 'new_teacher' ? int(Y(2017), Y(2023)) : stage === 'backbone_teacher' ? int(Y(2010), Y(2016)) : int(Y(2003), Y(2010));
      const stageYear = stage === 'new_teacher' ? hireYear : Math.min(Y(2022), hireYear + int(3, 8));
      const titleYear = Math.min(Y(2023), hireYear + int(1, 6));
      teachers.push({
        id,
        name: pick(SURNAMES) + pick(GIVEN),
        unit: UNITS[n % UNITS.length]!,
        hireDate: date(hireYear, 9, 1),
        stage,
        stageSince: date(stageYear, 9, 1),
        title,
        titleSince: date(titleYear, 7, 1),
        category: categoryOfNumber(n),
      });
    }
  }
  let r = 0;
  const rid = () => `R${String(++r).padStart(5, '0')}`;
  const status = (): EvidenceRecord['status'] => (random() < 0.9 ? 'verified' : 'pending');
  for (const teacher of teachers) {
    const seniority = ['new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead'].indexOf(teacher.stage);
    const diligent = random() < 0.8;
    for (let year = Y(2021); year <= Y(2025); year++) {
      if (date(year + 1, 8, 31) < teacher.hireDate) continue;
      // enterprise practice: most do a month or more in summer, some fall short
      const days = diligent ? int(30, 45) : int(10, 28);
      const start = new Date(Date.UTC(year + 1, 6, 1));
      const end = new Date(start.getTime() + (days - 1) * 86_400_000);
      records.push({
        id: rid(),
        teacherId: teacher.id,
        kind: 'enterprise_practice',
        status: status(),
        start: start.toISOString().slice(0, 10),
        end: end.toISOString().slice(0, 10),
        enterprise: pick(ENTERPRISES),
        topics: [pick(TOPICS)],
      });
      records.push({ id: rid(), teacherId: teacher.id, kind: 'teaching_workload', status: 'verified', year, hours: int(200, 360) });
      records.push({ id: rid(), teacherId: teacher.id, kind: 'teaching_evaluation', status: 'verified', date: date(year + 1, 1, 10), score: int(78, 98) });
      if (random() < 0.7) {
        records.push({ id: rid(), teacherId: teacher.id, kind: 'teaching_resource', status: status(), date: date(year, 11, int(1, 28)), resourceType: pick(['worksheet', 'slides', 'micro_lecture', 'question_bank'] as const), title: `${pick(TOPICS)}项目工作页` });
      }
      if (seniority >= 1 && random() < 0.5) {
        records.push({ id: rid(), teacherId: teacher.id, kind: 'horizontal_project', status: status(), date: date(year + 1, 3, int(1, 28)), amountYuan: int(2, 30) * 10_000, partner: pick(ENTERPRISES), rank: int(1, 3) });
      }
      if (seniority >= 1 && random() < 0.4) {
        records.push({ id: rid(), teacherId: teacher.id, kind: 'tech_transfer', status: status(), date: date(year + 1, 5, int(1, 28)), amountYuan: int(1, 12) * 10_000, partner: pick(ENTERPRISES), rank: int(1, 2) });
      }
      if (seniority >= 1 && random() < 0.4) {
        records.push({ id: rid(), teacherId: teacher.id, kind: 'enterprise_training', status: 'verified', date: date(year, 12, int(1, 28)), trainees: int(20, 60), hours: int(8, 40), satisfaction: int(75, 99) });
      }
      if (seniority >= 2 && random() < 0.4) {
        records.push({ id: rid(), teacherId: teacher.id, kind: 'technical_service', status: 'verified', date: date(year + 1, 4, int(1, 28)), amountYuan: int(5, 40) * 10_000, partner: pick(ENTERPRISES), satisfaction: int(80, 99) });
      }
      if (random() < 0.25) {
        records.push({
          id: rid(),
          teacherId: teacher.id,
          kind: 'skill_competition',
          status: 'verified',
          date: date(year + 1, 5, int(1, 28)),
          level: pick(['national', 'provincial', 'municipal', 'school'] as const),
          award: pick(['first', 'second', 'third', 'excellence'] as const),
          role: 'coach',
        });
      }
      if (seniority >= 1 && random() < 0.15) {
        records.push({ id: rid(), teacherId: teacher.id, kind: 'patent', status: 'verified', date: date(year + 1, 2, int(1, 28)), patentType: pick(['invention', 'utility_model', 'software_copyright'] as const) });
      }
      if (random() < 0.15) {
        records.push({ id: rid(), teacherId: teacher.id, kind: 'teaching_reform_project', status: 'verified', date: date(year, 10, int(1, 28)), level: pick(['provincial', 'municipal', 'school'] as const) });
      }
    }
    // The current academic year, under way: autumn practice (some still pending) and teaching so far.
    if (teacher.hireDate <= date(current, 9, 1)) {
      const days = currentInt(5, 20);
      const start = date(current, 10, 8);
      const end = date(current, 10, 8 + days - 1);
      const verified = currentRandom() < 0.6;
      if (end <= today)
        records.push({ id: `C${teacher.id}P`, teacherId: teacher.id, kind: 'enterprise_practice', status: verified ? 'verified' : 'pending', start, end, enterprise: ENTERPRISES[currentInt(0, ENTERPRISES.length - 1)]!, topics: [TOPICS[currentInt(0, TOPICS.length - 1)]!] });
      const resourceDate = date(current, 10, currentInt(1, 28));
      if (currentRandom() < 0.5 && resourceDate <= today) {
        records.push({ id: `C${teacher.id}R`, teacherId: teacher.id, kind: 'teaching_resource', status: 'pending', date: resourceDate, resourceType: 'micro_lecture', title: `${TOPICS[currentInt(0, TOPICS.length - 1)]}微课` });
      }
    }
    // certificates and mentoring across the career
    records.push({ id: rid(), teacherId: teacher.id, kind: 'certificate', status: 'verified', date: date(Number(teacher.hireDate.slice(0, 4)) + 1, 6, 15), certType: 'dual_qualified', level: (['junior', 'intermediate', 'senior', 'senior'] as const)[seniority]! });
    if (teacher.stage === 'new_teacher') {
      const start = Number(teacher.hireDate.slice(0, 4));
      records.push({
        id: rid(),
        teacherId: teacher.id,
        kind: 'mentoring',
        status: 'verified',
        start: date(start, 9, 15),
        end: date(start + 2, 6, 30),
        role: 'mentee',
        partnerId: `T0${String(11 + (n++ % 9)).padStart(2, '0')}`,
        outcome: start + 2 <= Y(2025) ? 'passed' : 'ongoing',
      });
    } else if (random() < 0.8) {
      records.push({ id: rid(), teacherId: teacher.id, kind: 'mentoring', status: 'verified', start: date(Y(2022), 9, 15), end: date(Y(2024), 6, 30), role: 'mentor', partnerId: 'T001', outcome: 'passed' });
    }
    if (seniority >= 1 && random() < 0.3) {
      records.push({ id: rid(), teacherId: teacher.id, kind: 'international_training', status: 'verified', start: date(Y(2024), 7, 5), end: date(Y(2024), 8, int(4, 20)), institution: 'TU Dresden', country: 'Germany' });
    }
  }
  dualQualified(teachers, records, today, Y);
  // a few special cases: an exemption, a rejected claim, an ethics violation
  records.push({ id: rid(), teacherId: 'T003', kind: 'practice_exemption', status: 'verified', year: Y(2024), reason: '产假' });
  records.push({ id: rid(), teacherId: 'T012', kind: 'tech_transfer', status: 'rejected', date: date(Y(2025), 4, 1), amountYuan: 500_000, partner: '未核实企业' });
  records.push({ id: rid(), teacherId: 'T020', kind: 'ethics_violation', status: 'verified', date: date(Y(2024), 3, 12), description: '学术不端（演示数据）' });

  const candidates = teachers
    .filter((teacher) => teacher.title !== 'professor')
    .filter((_, index) => index % 4 === 0)
    .map((teacher) => ({ teacherId: teacher.id, targetTitle: (teacher.title === 'assistant' ? 'lecturer' : teacher.title === 'lecturer' ? 'associate_professor' : 'professor') as Teacher['title'] }));
  return {
    teachers,
    records,
    cycle: { id: 'cyc_demo', name: `${current} 年度职称评审`, asOf: date(current, 9, 1), policyVersion: defaultPolicy.version, candidates },
  };
}

/**
 * 双师型 in the demo: a winter placement for most, industry certificates (vocational / 1+X) by seniority, then the college's recognitions of
 * the tier each teacher meets on `today` (core's `dualQualifiedOf` under the default policy), valid five years.
 * Some recognitions fall due within the 90 warning days and two have lapsed, so a report shows a ratio per unit
 * below the tiers met and a teacher's answer shows the warning. Its own PRNG: the records drawn above stay as
 * they were. T001 (the demo teacher the page tests read) gets none of this.
 */
function dualQualified(teachers: readonly Teacher[], records: EvidenceRecord[], today: string, Y: (year: number) => number): void {
  const random = mulberry32(20261203);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const stages = ['new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead'];
  const levels = ['junior', 'intermediate', 'senior'] as const;
  const todayDay = dayNumber(today);
  let recognised = 0;
  for (const teacher of teachers) {
    if (teacher.id === 'T001') continue;
    const seniority = stages.indexOf(teacher.stage);
    // new teachers: a junior certificate or none; others one or two levels up, a few one level short
    const level = seniority === 0 ? (random() < 0.6 ? 0 : -1) : Math.min(2, seniority - (random() < 0.3 ? 1 : 0));
    const hireYear = Number(teacher.hireDate.slice(0, 4));
    // a winter placement (跟岗) of six to ten weeks in 2022-2023 for most who were there: the days that
    // recognition asks over five years
    if (hireYear <= Y(2021) && random() < 0.7) {
      const days = int(42, 70);
      records.push({ id: `D${teacher.id}P`, teacherId: teacher.id, kind: 'enterprise_practice', status: 'verified', start: `${Y(2023)}-01-03`, end: dateOfDay(dayNumber(`${Y(2023)}-01-03`) + days - 1), enterprise: '中车株洲所', topics: ['跟岗实践'] });
    }
    if (level < 0) continue;
    records.push({
      id: `D${teacher.id}C`,
      teacherId: teacher.id,
      kind: 'certificate',
      status: 'verified',
      // before the appraisal years the reports show, so no year's score moves
      date: `${Math.min(hireYear, Number(today.slice(0, 4)) - 7)}-06-15`,
      certType: random() < 0.7 ? 'vocational' : 'one_plus_x',
      level: levels[level]!,
    });
  }
  for (const teacher of teachers) {
    if (teacher.id === 'T001') continue;
    const own = records.filter((record) => record.teacherId === teacher.id);
    const { tierMet } = dualQualifiedOf(teacher, own, today, defaultPolicy);
    // about one in six who meet a tier has not been recognised yet
    if (tierMet === 'none' || random() < 1 / 6) continue;
    recognised++;
    let validUntil: string;
    if (recognised % 4 === 1)
      validUntil = dateOfDay(todayDay + int(10, 85)); // within the 90 warning days
    else if (recognised === 6 || recognised === 11)
      validUntil = dateOfDay(todayDay - int(5, 40)); // lapsed
    else validUntil = dateOfDay(todayDay + int(200, 1500));
    // recognised for five years: issued the day after validUntil, five years earlier
    const date = addYears(dateOfDay(dayNumber(validUntil) + 1), -5);
    records.push({ id: `D${teacher.id}R`, teacherId: teacher.id, kind: 'dual_qualified_recognition', status: 'verified', date, tier: tierMet, issuingLevel: random() < 0.7 ? 'school' : 'city', validUntil });
  }
}

const q = (value: string | number | null): string => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);

/** The demo college as SQL INSERT statements (one per row), for `wrangler d1 execute --file` or a test. */
export function demoSql(now = '2026-11-01T00:00:00.000Z'): string[] {
  const college = demoCollege(now.slice(0, 10));
  const out: string[] = [];
  for (const t of college.teachers) {
    out.push(
      `INSERT INTO teachers (id, name, unit, hire_date, stage, stage_since, title, title_since, category, version, created_at, updated_at) VALUES (${[t.id, t.name, t.unit, t.hireDate, t.stage, t.stageSince, t.title, t.titleSince, t.category ?? 'specialised'].map(q).join(', ')}, 1, ${q(now)}, ${q(now)});`,
    );
  }
  for (const record of college.records) {
    const placed = recordPlacement(record, defaultPolicy);
    const any = record as Record<string, unknown>;
    const start = (any.date ?? any.start ?? null) as string | null;
    const end = (any.end ?? any.date ?? null) as string | null;
    // A pending record has waited since two days after it ended (when it would have been declared).
    const since = record.status === 'pending' && end !== null ? `${new Date(Date.parse(`${end}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z` : now;
    out.push(
      `INSERT INTO records (id, teacher_id, kind, status, state, state_since, start_date, end_date, place_first, place_last, place_year, payload, created_at, updated_at, deleted_at) VALUES (${[record.id, record.teacherId, record.kind, record.status, record.status === 'pending' ? 'submitted' : record.status, since, start, end, placed.first, placed.last, placed.year, JSON.stringify(record), now, now].map(q).join(', ')}, NULL);`,
    );
  }
  const c = college.cycle;
  out.push(`INSERT INTO review_cycles (id, name, as_of, policy_version, status, created_at, created_by) VALUES (${[c.id, c.name, c.asOf, c.policyVersion, 'open', now, 'demo'].map(q).join(', ')});`);
  for (const candidate of c.candidates) {
    out.push(`INSERT INTO cycle_candidates (cycle_id, teacher_id, target_title, added_at) VALUES (${[c.id, candidate.teacherId, candidate.targetTitle, now].map(q).join(', ')});`);
  }
  out.push(`INSERT INTO audit_log (at, actor, role, action, entity, entity_id, detail) VALUES (${q(now)}, 'demo', 'system', 'seed.demo', 'import', NULL, ${q(JSON.stringify({ teachers: college.teachers.length, records: college.records.length }))});`);
  return out;
}
