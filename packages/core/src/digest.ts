import { academicYearLabel, academicYearOfDate } from './calendar.js';
import { labels, type Bilingual } from './labels.js';
import { practiceStatus, type PracticeStanding } from './practice.js';
import { reviewSettings, type Policy } from './policy.js';
import type { EvidenceRecord, Teacher } from './records.js';

/**
 * A unit's weekly digest (周报): who may miss this academic year's practice requirement and how many days each
 * still needs, and which records have waited for review longer than the policy's `review.maxWaitDays`. Pure:
 * the caller passes the instant it runs at; the workflow states stay the worker's (passed in with their labels).
 */
export interface DigestWaitingInput {
  recordId: string;
  teacherId: string;
  kind: string;
  state: string;
  stateLabel: Bilingual;
  /** ISO instant the record entered its state. */
  since: string;
}

export interface DigestPracticeEntry {
  teacherId: string;
  name: string;
  standing: Extract<PracticeStanding, 'short' | 'at_risk'>;
  /** Days the teacher still needs this year. */
  daysNeeded: number;
  countedDays: number;
  pendingDays: number;
  requiredDays: number;
  daysLeft: number;
}

export interface DigestWaitingEntry {
  recordId: string;
  teacherId: string;
  name: string;
  kind: string;
  kindLabel: Bilingual;
  state: string;
  stateLabel: Bilingual;
  since: string;
  waitingDays: number;
}

export interface UnitDigest {
  unit: string;
  asOf: string;
  year: number;
  yearLabel: string;
  maxWaitDays: number;
  practice: DigestPracticeEntry[];
  waiting: DigestWaitingEntry[];
  /** The digest as mail text, one per language. */
  text: Bilingual;
}

const DAY_MS = 86_400_000;

/**
 * Whole days from `since` to `at` (ISO instants), as the review queue counts them.
 * @example
 * ```ts
 * waitingDaysBetween('2025-10-01T08:00:00Z', '2025-10-31T09:00:00Z'); // 30
 * ```
 */
export function waitingDaysBetween(since: string, at: string): number {
  return Math.max(0, Math.floor((Date.parse(at) - Date.parse(since)) / DAY_MS));
}

/**
 * A unit's weekly digest as of `at`: who may miss this year's practice, records waiting past `review.maxWaitDays`,
 * and the mail text in zh and en. Trusted: validated teachers, records grouped by teacher, a parsed policy.
 * @example
 * ```ts
 * const digest = unitDigest({ unit: '机电工程学院', at: '2025-06-01T00:00:00Z', teachers,
 *   recordsByTeacher: groupByTeacher(records), waiting: [], policy: defaultPolicy });
 * digest.practice; // [{ teacherId: 't2', standing: 'short', daysNeeded: 30, daysLeft: 91, … }]
 * digest.text.zh;  // '机电工程学院 周报（2025-06-01，2024-2025 学年）…'
 * ```
 */
export function unitDigest(args: {
  unit: string;
  /** The instant the digest is made at (ISO); its date (UTC) is the digest's asOf. */
  at: string;
  teachers: readonly Teacher[];
  recordsByTeacher: ReadonlyMap<string, readonly EvidenceRecord[]>;
  waiting: readonly DigestWaitingInput[];
  policy: Policy;
}): UnitDigest {
  const { unit, at, policy } = args;
  const asOf = at.slice(0, 10);
  const year = academicYearOfDate(asOf, policy.calendar.yearStart);
  const names = new Map(args.teachers.map((teacher) => [teacher.id, teacher.name]));
  const practice: DigestPracticeEntry[] = [];
  for (const teacher of args.teachers) {
    if (teacher.hireDate > asOf) continue; // not yet on the staff
    const status = practiceStatus(teacher, args.recordsByTeacher.get(teacher.id) ?? [], year, policy, asOf);
    if (status.standing !== 'short' && status.standing !== 'at_risk') continue;
    practice.push({
      teacherId: teacher.id,
      name: teacher.name,
      standing: status.standing,
      daysNeeded: status.shortfall,
      countedDays: status.countedDays,
      pendingDays: status.pendingDays,
      requiredDays: status.requiredDays,
      daysLeft: status.daysLeft ?? 0,
    });
  }
  // at risk first, then the most days needed
  practice.sort((x, y) => Number(y.standing === 'at_risk') - Number(x.standing === 'at_risk') || y.daysNeeded - x.daysNeeded || (x.teacherId < y.teacherId ? -1 : 1));

  const { maxWaitDays } = reviewSettings(policy);
  const kindLabels = labels.recordKinds as Record<string, Bilingual>;
  const waiting: DigestWaitingEntry[] = [];
  for (const item of args.waiting) {
    const waitingDays = waitingDaysBetween(item.since, at);
    if (waitingDays <= maxWaitDays) continue;
    waiting.push({ ...item, name: names.get(item.teacherId) ?? '', kindLabel: kindLabels[item.kind] ?? { zh: item.kind, en: item.kind }, waitingDays });
  }
  waiting.sort((x, y) => y.waitingDays - x.waitingDays || (x.recordId < y.recordId ? -1 : 1));

  const yearLabel = academicYearLabel(year);
  return { unit, asOf, year, yearLabel, maxWaitDays, practice, waiting, text: digestText(unit, asOf, yearLabel, maxWaitDays, practice, waiting) };
}

function digestText(unit: string, asOf: string, yearLabel: string, maxWaitDays: number, practice: readonly DigestPracticeEntry[], waiting: readonly DigestWaitingEntry[]): Bilingual {
  const zh = [`${unit} 周报（${asOf}，${yearLabel} 学年）`, '', `企业实践可能不达标的教师：${practice.length} 人`];
  const en = [`${unit} weekly digest (${asOf}, academic year ${yearLabel})`, '', `Teachers who may miss the practice requirement: ${practice.length}`];
  for (const entry of practice) {
    const risk = entry.standing === 'at_risk';
    zh.push(`- ${entry.name}（${entry.teacherId}）：尚需 ${entry.daysNeeded} 天，本学年剩余 ${entry.daysLeft} 天；已认定 ${entry.countedDays} 天 / 要求 ${entry.requiredDays} 天，待审核 ${entry.pendingDays} 天${risk ? '【有风险】' : ''}`);
    en.push(`- ${entry.name} (${entry.teacherId}): needs ${entry.daysNeeded} more days, ${entry.daysLeft} days left in the year; ${entry.countedDays} of ${entry.requiredDays} counted, ${entry.pendingDays} pending${risk ? ' [at risk]' : ''}`);
  }
  zh.push('', `等待审核超过 ${maxWaitDays} 天的材料：${waiting.length} 件`);
  en.push('', `Records waiting for review longer than ${maxWaitDays} days: ${waiting.length}`);
  for (const entry of waiting) {
    zh.push(`- ${entry.recordId} ${entry.kindLabel.zh}（${entry.name}，${entry.teacherId}）：${entry.stateLabel.zh}，自 ${entry.since.slice(0, 10)} 起已等待 ${entry.waitingDays} 天`);
    en.push(`- ${entry.recordId} ${entry.kindLabel.en} (${entry.name}, ${entry.teacherId}): ${entry.stateLabel.en} since ${entry.since.slice(0, 10)}, waiting ${entry.waitingDays} days`);
  }
  return { zh: zh.join('\n'), en: en.join('\n') };
}
