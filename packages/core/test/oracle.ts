/**
 * An independent, deliberately naive reading of SPEC §3 (enterprise practice) and §4 (annual appraisal) under
 * the default policy: day sets instead of interval unions, BigInt rationals instead of hundredths. Written
 * from the specification only, to be compared with the library.
 */
import type { EvidenceRecord, Teacher } from '../src/index.js';

// ---- calendar (naive) ----------------------------------------------------------------------------------
const MS = 86_400_000;
const day = (date: string) => Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / MS;
const yearOf = (date: string) => (date.slice(5) >= '09-01' ? +date.slice(0, 4) : +date.slice(0, 4) - 1);
const bounds = (y: number) => ({ first: day(`${y}-09-01`), last: day(`${y + 1}-08-31`) });

// ---- exact rationals -----------------------------------------------------------------------------------
type Q = { n: bigint; d: bigint };
const q = (n: bigint | number, d: bigint | number = 1n): Q => ({ n: BigInt(n), d: BigInt(d) });
const mul = (...xs: Q[]): Q => xs.reduce((a, b) => ({ n: a.n * b.n, d: a.d * b.d }), q(1));
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const div = (a: Q, b: Q): Q => ({ n: a.n * b.d, d: a.d * b.n });
const geq = (a: Q, b: Q) => a.n * b.d >= b.n * a.d;
/** A JS number as the exact decimal its shortest spelling denotes. */
function dec(x: number): Q {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new Error(`oracle cannot read ${x}`);
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? 0) - frac.length;
  const digits = BigInt(m[1]! + frac);
  return exp >= 0 ? q(digits * 10n ** BigInt(exp)) : q(digits, 10n ** BigInt(-exp));
}
/** Half-up to integer hundredths. */
const cents = (x: Q): bigint => (2n * x.n * 100n + x.d) / (2n * x.d);

// ---- practice ------------------------------------------------------------------------------------------
function daySet(records: EvidenceRecord[], y: number): Set<number> {
  const { first, last } = bounds(y);
  const days = new Set<number>();
  for (const r of records) {
    if (r.kind !== 'enterprise_practice' && r.kind !== 'international_training') continue;
    for (let d = Math.max(day(r.start), first); d <= Math.min(day(r.end), last); d++) days.add(d);
  }
  return days;
}

/**
 * Days of year y as forms weight them (SPEC §3 forms of practice): day by day, the highest percent among the
 * records covering it (a record without a form, or of a form not named, 100); the sum divided by 100, rounded
 * down. Without weights, the plain count of distinct days.
 */
function weightedCount(records: EvidenceRecord[], y: number, forms: OracleRule['forms']): number {
  if (forms === undefined) return daySet(records, y).size;
  const { first, last } = bounds(y);
  const best = new Map<number, number>();
  for (const r of records) {
    if (r.kind !== 'enterprise_practice') continue;
    const form = (r as { form?: string }).form;
    const percent = form === undefined ? 100 : (forms[form] ?? 100);
    for (let d = Math.max(day(r.start), first); d <= Math.min(day(r.end), last); d++) best.set(d, Math.max(best.get(d) ?? 0, percent));
  }
  let sum = 0;
  for (const percent of best.values()) sum += percent;
  return Math.floor(sum / 100);
}

/**
 * A practice rule beyond the default (SPEC §3 as policy may set it): the rule that binds compliance, and the
 * teacher's category days (annual, rolling) or none at all.
 */
export interface OracleRule {
  binding: 'annual' | 'rolling' | 'both';
  days: { annual: number; rolling: number } | 'exempt';
  /** policy.practice.forms: the percent a day of each form counts; absent, every day counts in full. */
  forms?: Partial<Record<string, number>>;
}

export function oraclePractice(teacher: Teacher, all: EvidenceRecord[], y: number, asOf?: string, rule: OracleRule = { binding: 'annual', days: { annual: 30, rolling: 180 } }) {
  const annualDays = rule.days === 'exempt' ? 0 : rule.days.annual;
  const rollingDays = rule.days === 'exempt' ? 0 : rule.days.rolling;
  const own = all.filter((r) => r.teacherId === teacher.id && r.kind === 'enterprise_practice');
  const verified = own.filter((r) => r.status === 'verified');
  const countedDays = weightedCount(verified, y, rule.forms);
  // what the pending records would add once verified: the year counted with them, less without
  const pendingDays = weightedCount(verified.concat(own.filter((r) => r.status === 'pending')), y, rule.forms) - countedDays;
  const exemptYears = new Set(all.filter((r) => r.teacherId === teacher.id && r.kind === 'practice_exemption' && r.status === 'verified').map((r) => (r as { year: number }).year));
  const hireYear = yearOf(teacher.hireDate);
  const required = (year: number) => {
    if (year < hireYear) return 0;
    if (year > hireYear) return annualDays;
    const { first, last } = bounds(year);
    return Math.ceil((annualDays * (last - day(teacher.hireDate) + 1)) / (last - first + 1));
  };
  const requiredDays = required(y);
  const exempt = exemptYears.has(y) || rule.days === 'exempt';
  let daysLeft: number | null = null;
  if (asOf !== undefined) {
    const { first, last } = bounds(y);
    daysLeft = 0;
    for (let d = first; d <= last; d++) if (d > day(asOf)) daysLeft++;
  }
  // the rolling window, then the binding rule: every rule it names met; short by the largest gap
  const years: number[] = [];
  let rollingCounted = 0;
  for (let year = y - 4; year <= y; year++) {
    if (year < hireYear || exemptYears.has(year)) continue;
    years.push(year);
    rollingCounted += weightedCount(verified, year, rule.forms);
  }
  const rollingRequired = Math.ceil((rollingDays * years.length) / 5);
  const gaps: number[] = [0];
  if (rule.binding !== 'rolling') gaps.push(requiredDays - countedDays);
  if (rule.binding !== 'annual') gaps.push(rollingRequired - rollingCounted);
  const shortfall = exempt ? 0 : Math.max(...gaps);
  const compliant = shortfall === 0;
  const standing = compliant ? 'met' : daysLeft === null ? 'short' : daysLeft === 0 ? 'missed' : shortfall > daysLeft ? 'at_risk' : 'short';
  const atRisk = standing === 'at_risk';
  return {
    year: y,
    countedDays,
    pendingDays,
    requiredDays,
    exempt,
    annualMet: exempt || countedDays >= requiredDays,
    compliant,
    shortfall,
    atRisk,
    daysLeft,
    standing,
    rolling: { years, countedDays: rollingCounted, requiredDays: rollingRequired, met: rollingCounted >= rollingRequired },
  };
}

// ---- appraisal -----------------------------------------------------------------------------------------
const CAPS = { teaching: 35, engineering_practice: 20, technical_innovation: 15, tech_transfer: 15, enterprise_service: 15 } as const;
type Cat = keyof typeof CAPS;
const RANK_SHARE = [1, 0.5, 0.3, 0.2, 0.1];
const share = (r: { rank?: number; share?: number }) => dec(r.share ?? RANK_SHARE[Math.min(r.rank ?? 1, 5) - 1]!);
const factor = (s: number | undefined) => dec(s === undefined ? 1 : s >= 90 ? 1 : s >= 80 ? 0.9 : 0.7);
const RESOURCE = { worksheet: 1, slides: 1, micro_lecture: 2, question_bank: 2 };
const REFORM = { national: 10, provincial: 6, municipal: 3, school: 1 };
const COMPETITION = {
  national: { first: 15, second: 12, third: 9, excellence: 5 },
  provincial: { first: 10, second: 7, third: 5, excellence: 2 },
  municipal: { first: 5, second: 3, third: 2, excellence: 1 },
  school: { first: 2, second: 1, third: 1, excellence: 0 },
};
const CERT = { junior: 1, intermediate: 3, senior: 5 };
const PATENT = { invention: 6, utility_model: 2, software_copyright: 1 };
const ORDER = ['excellent', 'competent', 'basic', 'incompetent'] as const;
type G = (typeof ORDER)[number];
const worse = (a: G, b: G): G => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

export function oracleAppraisal(teacher: Teacher, all: EvidenceRecord[], y: number) {
  const own = all.filter((r) => r.teacherId === teacher.id && r.status === 'verified');
  const first = `${y}-09-01`;
  const last = `${y + 1}-08-31`;
  const inYear = (d: string) => d >= first && d <= last;
  const raw: Record<Cat, bigint> = { teaching: 0n, engineering_practice: 0n, technical_innovation: 0n, tech_transfer: 0n, enterprise_service: 0n };
  const put = (c: Cat, x: Q) => void (raw[c] += cents(x));
  let hours = q(0);
  let workloadCount = 0;
  let scores = q(0);
  let scoreCount = 0;
  let ethics = false;
  for (const r of own) {
    switch (r.kind) {
      case 'teaching_workload':
        if (r.year === y) (hours = add(hours, dec(r.hours))), workloadCount++;
        break;
      case 'teaching_evaluation':
        if (inYear(r.date)) (scores = add(scores, dec(r.score))), scoreCount++;
        break;
      case 'teaching_resource':
        if (inYear(r.date)) put('teaching', mul(q(RESOURCE[r.resourceType]), share(r)));
        break;
      case 'teaching_reform_project':
        if (inYear(r.date)) put('teaching', mul(q(REFORM[r.level]), share(r)));
        break;
      case 'mentoring':
        if (r.role === 'mentor' && r.outcome === 'passed' && r.end !== undefined && inYear(r.end)) put('teaching', q(3));
        break;
      case 'skill_competition':
        if (inYear(r.date)) put('engineering_practice', mul(q(COMPETITION[r.level][r.award]), share(r)));
        break;
      case 'certificate':
        if (inYear(r.date)) put('engineering_practice', q(CERT[r.level]));
        break;
      case 'horizontal_project':
        if (inYear(r.date)) put('technical_innovation', mul(q(r.amountYuan, 10_000), share(r)));
        break;
      case 'patent':
        if (inYear(r.date)) put('technical_innovation', mul(q(PATENT[r.patentType]), share(r)));
        break;
      case 'tech_transfer':
        if (inYear(r.date)) put('tech_transfer', mul(q(2 * r.amountYuan, 10_000), share(r)));
        break;
      case 'enterprise_training':
        if (inYear(r.date)) put('enterprise_service', mul(q(r.trainees, 40), dec(r.hours), factor(r.satisfaction), share(r)));
        break;
      case 'technical_service':
        if (inYear(r.date)) put('enterprise_service', mul(q(r.amountYuan, 10_000), factor(r.satisfaction), share(r)));
        break;
      case 'ethics_violation':
        if (inYear(r.date)) ethics = true;
        break;
      default:
        break;
    }
  }
  if (workloadCount > 0) put('teaching', geq(hours, q(280)) ? q(15) : mul(div(hours, q(280)), q(15)));
  if (scoreCount > 0) put('teaching', mul(div(scores, q(scoreCount)), q(1, 10)));
  const practice = oraclePractice(teacher, all, y);
  put('engineering_practice', mul(q(practice.countedDays), q(1, 4)));
  const training = daySet(
    own.filter((r) => r.kind === 'international_training'),
    y,
  ).size;
  put('engineering_practice', mul(q(training), q(1, 5)));

  let total = 0n;
  const categories = {} as Record<Cat, { raw: number; capped: number; cap: number }>;
  for (const c of Object.keys(CAPS) as Cat[]) {
    const capped = raw[c] < BigInt(CAPS[c] * 100) ? raw[c] : BigInt(CAPS[c] * 100);
    total += capped;
    categories[c] = { raw: Number(raw[c]) / 100, capped: Number(capped) / 100, cap: CAPS[c] };
  }
  const bandGrade: G = total >= 6000n ? 'excellent' : total >= 3500n ? 'competent' : total >= 2500n ? 'basic' : 'incompetent';
  let grade = bandGrade;
  const vetoes: string[] = [];
  if (!practice.compliant) (grade = worse(grade, 'competent')), vetoes.push('practice_noncompliant');
  if (ethics) (grade = worse(grade, 'incompetent')), vetoes.push('ethics_violation');
  return {
    total: Number(total) / 100,
    bandGrade,
    grade,
    vetoes,
    titleReviewEligible: vetoes.length === 0 && ORDER.indexOf(grade) <= 1,
    practiceDays: practice.countedDays,
    categories,
  };
}
