import { academicYearOfDate } from './calendar.js';
import { appraise, type Appraisal } from './appraisal.js';
import { dualQualifiedOf, type DualQualifiedAssessment } from './dual.js';
import type { Policy } from './policy.js';
import { practiceStatus, type PracticeStatus } from './practice.js';
import { registryOf, type EvidenceRecord, type Stage, type Teacher } from './records.js';

/**
 * The growth file (成长档案): everything about one teacher over every academic year they have — the stage
 * history, enterprise practice and the appraisal of each year, the 双师型 standing, and which records belong
 * to which year. Computed from the teacher, their own records, the stage changes the storage recorded, and
 * `asOf`; nothing else.
 */

/** How a stage entry came to be. */
export type StageChangeKind = 'created' | 'promotion' | 'promotion_override' | 'correction' | 'import';

/** A stage change as stored (the worker reads them from its audit log): what it was, what it became, when, why. */
export interface StageEvent {
  /** When the change was made (an ISO timestamp): events are ordered by it. */
  at: string;
  kind: StageChangeKind;
  /** The stage before; null for `created`. `since` may be unknown (a promotion records only the stage). */
  from: { stage: Stage; since: string | null } | null;
  to: { stage: Stage; since: string };
  reason: string | null;
}

export interface StagePeriod {
  stage: Stage;
  /** The date the stage counts from (null when nothing recorded it). */
  since: string | null;
  /** `recorded`: the stage as first known without a recorded change (or as on file when no change was recorded). */
  how: StageChangeKind | 'recorded';
  /** When the change was made; null for a `recorded` entry. */
  at: string | null;
  reason: string | null;
  /** A later correction replaced this entry: it was entered wrongly. */
  superseded: boolean;
}

export interface GrowthFileYear {
  year: number;
  /** The year is over on asOf. */
  closed: boolean;
  practice: PracticeStatus;
  /**
   * The year's appraisal before the unit's excellence quota (the quota needs the whole unit); null for a year
   * before the hire year or after asOf's year (not appraised).
   */
  appraisal: Appraisal | null;
  /** Records placed in this year (a record spanning several years is placed in its first), by date then id. */
  recordIds: string[];
}

export interface GrowthFile {
  teacherId: string;
  asOf: string;
  /** The academic year asOf falls in. */
  currentYear: number;
  stageHistory: StagePeriod[];
  /** Every academic year from the hire year (or an earlier record's) to the current one (or a later record's), oldest first. */
  years: GrowthFileYear[];
  dualQualified: DualQualifiedAssessment;
}

/**
 * The stage history, oldest change first: the stage first known, then one entry per recorded change. A
 * correction marks the entry it replaces `superseded`. When the stored teacher's stage differs from the last
 * change (a stage written without a recorded change), the stored one closes the list as `recorded`.
 * @example
 * ```ts
 * stageHistory({ ...teacher, stage: 'backbone_teacher', stageSince: '2021-09-01' }, [{ at: '2021-09-01T00:00:00Z',
 *   kind: 'promotion', from: { stage: 'new_teacher', since: '2015-09-01' }, to: { stage: 'backbone_teacher', since: '2021-09-01' }, reason: null }]);
 * // [{ stage: 'new_teacher', since: '2015-09-01', how: 'recorded', … }, { stage: 'backbone_teacher', since: '2021-09-01', how: 'promotion', … }]
 * ```
 */
export function stageHistory(teacher: Teacher, events: readonly StageEvent[]): StagePeriod[] {
  const ordered = events.map((event, index) => ({ event, index })).sort((a, b) => (a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : a.index - b.index));
  const periods: StagePeriod[] = [];
  for (const { event } of ordered) {
    if (event.from && event.from.stage === event.to.stage && event.from.since === event.to.since) continue;
    if (periods.length === 0 && event.from) {
      periods.push({ stage: event.from.stage, since: event.from.since, how: 'recorded', at: null, reason: null, superseded: false });
    }
    const last = periods[periods.length - 1];
    if (event.kind === 'correction' && last) last.superseded = true;
    periods.push({ stage: event.to.stage, since: event.to.since, how: event.kind, at: event.at, reason: event.reason, superseded: false });
  }
  const last = periods[periods.length - 1];
  if (!last || last.stage !== teacher.stage || last.since !== teacher.stageSince) {
    periods.push({ stage: teacher.stage, since: teacher.stageSince, how: 'recorded', at: null, reason: null, superseded: false });
  }
  return periods;
}

/**
 * Trusted entry point: a validated teacher, the teacher's own validated records, a valid date and a parsed policy.
 * @example
 * ```ts
 * const file = growthFileOf(teacher, ownRecords, stageEvents, '2025-09-01', defaultPolicy);
 * // { teacherId, asOf, currentYear, stageHistory, years: [ … each year's practice and appraisal … ], dualQualified }
 * ```
 */
export function growthFileOf(teacher: Teacher, records: readonly EvidenceRecord[], stageEvents: readonly StageEvent[], asOf: string, policy: Policy): GrowthFile {
  // By id first, so the traces' record lists do not depend on the order the records came in.
  const ownRecords = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const yearStart = policy.calendar.yearStart;
  const registry = registryOf(policy);
  const hireYear = academicYearOfDate(teacher.hireDate, yearStart);
  const currentYear = academicYearOfDate(asOf, yearStart);
  const placed = ownRecords.map((record) => {
    const kind = registry.kind(record.kind);
    const years = kind ? kind.years(record, yearStart) : [];
    const where = kind ? kind.placed(record as never) : null;
    return { record, year: years[0] ?? hireYear, first: where?.first ?? '' };
  });
  placed.sort((a, b) => a.year - b.year || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
  let firstYear = Math.min(hireYear, currentYear);
  let lastYear = currentYear;
  for (const { year } of placed) {
    firstYear = Math.min(firstYear, year);
    lastYear = Math.max(lastYear, year);
  }
  const years: GrowthFileYear[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const appraised = year >= hireYear && year <= currentYear;
    years.push({
      year,
      closed: year < currentYear,
      practice: practiceStatus(teacher, ownRecords, year, policy, asOf),
      appraisal: appraised ? appraise(teacher, ownRecords, year, policy) : null,
      recordIds: placed.filter((entry) => entry.year === year).map((entry) => entry.record.id),
    });
  }
  return {
    teacherId: teacher.id,
    asOf,
    currentYear,
    stageHistory: stageHistory(teacher, stageEvents),
    years,
    dualQualified: dualQualifiedOf(teacher, ownRecords, asOf, policy),
  };
}
