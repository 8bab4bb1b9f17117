/**
 * Deterministic synthetic college for benchmarks: same arguments, same college, byte for byte. Uses a seeded
 * PRNG (sfc32), never Math.random. Every teacher and record is valid per the schemas of @shizi/core.
 *
 *   generateCollege({ teachers: 10_000, recordsPerTeacher: 50, years: 1, seed: 42 })
 *     → { teachers, records, years: [2025] }
 *
 * `years` is how many academic years of history (ending with `lastYear`, default 2025 = 2025-2026) the records
 * are spread over. Units hold 20–100 teachers; stages and titles are mixed; hire dates run from 1998 to the
 * last year, so some teachers are hired mid-year (prorated practice). Statuses: ~88% verified, ~8% pending,
 * ~4% rejected. Every record kind appears (each teacher's first record cycles through the kinds).
 *
 * `exampleKinds: true` adds the example college's own kinds (docs/policies/example-vocational-college.json:
 * 论文 `paper`, 教材 `textbook`, 教学事故 `teaching_accident`) to the mix, with papers of one teacher sharing up to
 * three achievement ids (so its group-once applies) and textbooks of every role (so its filter and count limit
 * apply). Such records are valid only under that policy. Without it the college is byte for byte what it was
 * before the option existed.
 */

/** sfc32 seeded through splitmix32; returns floats in [0, 1). */
export function prng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

const DAY = 86_400_000;
const toDay = (y, m, d) => Date.UTC(y, m - 1, d) / DAY;
const fromDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);

export const kinds = [
  'enterprise_practice',
  'practice_exemption',
  'teaching_workload',
  'teaching_evaluation',
  'teaching_resource',
  'teaching_reform_project',
  'mentoring',
  'international_training',
  'skill_competition',
  'certificate',
  'horizontal_project',
  'patent',
  'tech_transfer',
  'enterprise_training',
  'technical_service',
  'ethics_violation',
];
/** Relative frequency of each kind (same order): evaluations, resources and practice dominate real data. */
const weights = [7, 0.15, 3, 14, 12, 1.5, 1.5, 0.6, 2, 1, 3, 1.5, 2.5, 3, 3, 0.05];
/** The example college's own kinds and their frequencies (exampleKinds). */
export const exampleKinds = ['paper', 'textbook', 'teaching_accident'];
const exampleWeights = [2, 1, 0.05];
const cumulativeOf = (list) => {
  let sum = 0;
  return list.map((w) => (sum += w));
};

const stages = ['new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead'];
const titles = ['assistant', 'lecturer', 'associate_professor', 'professor'];
const levels = ['national', 'provincial', 'municipal', 'school'];
const awards = ['first', 'second', 'third', 'excellence'];
const resourceTypes = ['worksheet', 'slides', 'micro_lecture', 'question_bank'];
const certTypes = ['dual_qualified', 'vocational', 'one_plus_x'];
const certLevels = ['junior', 'intermediate', 'senior'];
const patentTypes = ['invention', 'utility_model', 'software_copyright'];
const enterprises = ['比亚迪', '格力电器', 'ACME Robotics', '华为', '美的集团', 'Shenzhen Tooling Co.', '中车株洲'];
const topics = ['industrial robots', 'digital retrofit', 'PLC', 'CNC', 'IoT'];
const countries = ['DE', 'SG', 'JP', 'FI', 'CH'];
const journalLevels = ['core', 'provincial', 'general'];
const textbookLevels = ['national_planning', 'provincial_planning', 'school'];
const textbookRoles = ['chief_editor', 'deputy_editor', 'editor'];
const severities = ['major', 'minor'];

export function generateCollege({ teachers: teacherCount = 1000, recordsPerTeacher = 50, years = 1, seed = 1, lastYear = 2025, exampleKinds: withExampleKinds = false } = {}) {
  const rand = prng(seed);
  const kindList = withExampleKinds ? [...kinds, ...exampleKinds] : kinds;
  const cumulative = cumulativeOf(withExampleKinds ? [...weights, ...exampleWeights] : weights);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const firstYear = lastYear - years + 1;
  const yearList = [];
  for (let y = firstYear; y <= lastYear; y++) yearList.push(y);
  const firstDay = toDay(firstYear, 9, 1);
  const lastDay = toDay(lastYear + 1, 8, 31);
  const anyDay = () => int(firstDay, lastDay);

  const teachers = [];
  let unitNo = 0;
  let unitLeft = 0;
  for (let i = 0; i < teacherCount; i++) {
    if (unitLeft === 0) {
      unitNo += 1;
      unitLeft = int(20, 100);
    }
    unitLeft -= 1;
    // ~5% hired during the last year (mid-year hires), the rest between 1998 and the year before.
    const hire = rand() < 0.05 ? int(toDay(lastYear, 9, 1), toDay(lastYear + 1, 6, 30)) : int(toDay(1998, 1, 1), toDay(lastYear, 8, 31));
    const stage = pick(stages);
    const stageSince = Math.min(lastDay, hire + int(0, 4000));
    const title = pick(titles);
    const titleSince = Math.min(lastDay, hire + int(0, 4000));
    teachers.push({
      id: `T${String(i + 1).padStart(6, '0')}`,
      name: `教师${i + 1}`,
      unit: `学院${String(unitNo).padStart(3, '0')}`,
      hireDate: fromDay(hire),
      stage,
      stageSince: fromDay(stageSince),
      title,
      titleSince: fromDay(titleSince),
    });
  }

  const team = (record) => {
    const r = rand();
    if (r < 0.55) return record; // no rank: rank 1
    if (r < 0.9) record.rank = int(1, 6);
    else record.share = (int(2, 20) * 5) / 100; // 0.1, 0.15, …, 1
    return record;
  };

  const records = [];
  for (let t = 0; t < teacherCount; t++) {
    const teacher = teachers[t];
    for (let k = 0; k < recordsPerTeacher; k++) {
      const u = rand();
      const status = u < 0.88 ? 'verified' : u < 0.96 ? 'pending' : 'rejected';
      let kind;
      if (k === 0) kind = kindList[t % kindList.length];
      else {
        const x = rand() * cumulative[cumulative.length - 1];
        let idx = 0;
        while (cumulative[idx] <= x) idx++;
        kind = kindList[idx];
      }
      const base = { id: `${teacher.id}-${k}`, teacherId: teacher.id, status, kind };
      let rec;
      switch (kind) {
        case 'enterprise_practice': {
          const start = anyDay();
          const end = Math.min(lastDay, start + int(5, 40));
          rec = { ...base, start: fromDay(start), end: fromDay(end), enterprise: pick(enterprises) };
          if (rand() < 0.5) rec.topics = [pick(topics)];
          break;
        }
        case 'practice_exemption':
          rec = { ...base, year: pick(yearList), reason: '产假' };
          break;
        case 'teaching_workload':
          rec = { ...base, year: pick(yearList), hours: int(60, 200) };
          break;
        case 'teaching_evaluation':
          rec = { ...base, date: fromDay(anyDay()), score: rand() < 0.7 ? int(60, 100) : int(6000, 10000) / 100 };
          break;
        case 'teaching_resource':
          rec = team({ ...base, date: fromDay(anyDay()), resourceType: pick(resourceTypes), title: '项目化工作页' });
          break;
        case 'teaching_reform_project':
          rec = team({ ...base, date: fromDay(anyDay()), level: pick(levels) });
          break;
        case 'mentoring': {
          const start = anyDay() - 365;
          const open = rand() < 0.3;
          rec = { ...base, start: fromDay(start), role: rand() < 0.5 ? 'mentor' : 'mentee', partnerId: pick(teachers).id, outcome: open ? 'ongoing' : rand() < 0.85 ? 'passed' : 'failed' };
          if (!open) rec.end = fromDay(Math.min(lastDay, start + int(180, 720)));
          break;
        }
        case 'international_training': {
          const start = anyDay();
          rec = { ...base, start: fromDay(start), end: fromDay(Math.min(lastDay, start + int(7, 60))), institution: 'TU Dresden', country: pick(countries) };
          break;
        }
        case 'skill_competition':
          rec = team({ ...base, date: fromDay(anyDay()), level: pick(levels), award: pick(awards), role: rand() < 0.6 ? 'coach' : 'contestant' });
          break;
        case 'certificate':
          rec = { ...base, date: fromDay(anyDay()), certType: pick(certTypes), level: pick(certLevels) };
          break;
        case 'horizontal_project':
          rec = team({ ...base, date: fromDay(anyDay()), amountYuan: int(5, 500) * 1000, partner: pick(enterprises) });
          break;
        case 'patent':
          rec = team({ ...base, date: fromDay(anyDay()), patentType: pick(patentTypes) });
          break;
        case 'tech_transfer':
          rec = team({ ...base, date: fromDay(anyDay()), amountYuan: int(1, 300) * 1000 + int(0, 999), partner: pick(enterprises) });
          break;
        case 'enterprise_training': {
          rec = team({ ...base, date: fromDay(anyDay()), trainees: int(5, 80), hours: int(2, 40) });
          if (rand() < 0.7) rec.satisfaction = int(60, 100);
          break;
        }
        case 'technical_service': {
          rec = team({ ...base, date: fromDay(anyDay()), amountYuan: int(1, 200) * 1000, partner: pick(enterprises) });
          if (rand() < 0.7) rec.satisfaction = int(60, 100);
          break;
        }
        case 'ethics_violation':
          rec = { ...base, date: fromDay(anyDay()), description: '违反师德规范' };
          break;
        case 'paper':
          rec = team({ ...base, date: fromDay(anyDay()), title: '产教融合论文', journal: '职业技术教育', journalLevel: pick(journalLevels), achievement: `${teacher.id}-A${int(1, 3)}` });
          break;
        case 'textbook':
          rec = { ...base, date: fromDay(anyDay()), title: '数控加工教材', level: pick(textbookLevels), role: pick(textbookRoles) };
          break;
        case 'teaching_accident':
          rec = { ...base, date: fromDay(anyDay()), severity: pick(severities), description: '调课未报备' };
          break;
      }
      records.push(rec);
    }
  }
  return { teachers, records, years: yearList };
}
