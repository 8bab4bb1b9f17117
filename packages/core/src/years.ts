import { academicYearOfDate } from './calendar.js';
import { parseWith, ValidationError } from './errors.js';
import { resolvePolicy, type Policy } from './policy.js';
import { dateString, registryOf, type EvidenceRecord } from './records.js';

/** The academic year (by its first calendar year) that `date` falls in: `2025-09-01` → 2025. */
export function academicYearOf(date: string, policy?: Policy): number {
  const resolved = resolvePolicy(policy);
  return academicYearOfDate(parseWith(dateString, date, ['date']), resolved.calendar.yearStart);
}

/**
 * The academic years a record touches, oldest first: one for a dated record, every year a period overlaps,
 * the end year of a mentoring pairing (its start year while open). Storage layers index records by these.
 */
export function recordAcademicYears(record: EvidenceRecord, policy?: Policy): number[] {
  const resolved = resolvePolicy(policy);
  const kind = registryOf(resolved).kind(record.kind);
  if (kind === undefined) throw new ValidationError([{ path: 'record.kind', message: `unknown record kind "${record.kind}"` }]);
  return kind.years(record, resolved.calendar.yearStart);
}

/**
 * Where a record lies, independent of the calendar: its first and last placing dates, or its academic year for
 * a year-valued kind. The policy is asked only for the kind's declaration (a college's own kinds).
 */
export function recordPlacement(record: EvidenceRecord, policy?: Policy): { first: string; last: string; year: null } | { first: null; last: null; year: number } {
  const kind = registryOf(resolvePolicy(policy)).kind(record.kind);
  if (kind === undefined) throw new ValidationError([{ path: 'record.kind', message: `unknown record kind "${record.kind}"` }]);
  return kind.placed(record as never);
}
