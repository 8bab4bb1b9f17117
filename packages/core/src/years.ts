import { academicYearOfDate } from './calendar.js';
import { parseWith } from './errors.js';
import { resolvePolicy, type Policy } from './policy.js';
import { dateString, type EvidenceRecord } from './records.js';

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
  const yearStart = resolvePolicy(policy).calendar.yearStart;
  switch (record.kind) {
    case 'teaching_workload':
    case 'practice_exemption':
      return [record.year];
    case 'enterprise_practice':
    case 'international_training': {
      const first = academicYearOfDate(record.start, yearStart);
      const last = academicYearOfDate(record.end, yearStart);
      const years: number[] = [];
      for (let year = first; year <= last; year++) years.push(year);
      return years;
    }
    case 'mentoring':
      return [academicYearOfDate(record.end ?? record.start, yearStart)];
    default:
      return [academicYearOfDate(record.date, yearStart)];
  }
}
