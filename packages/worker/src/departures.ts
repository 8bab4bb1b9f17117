import { academicYearPeriod, type Policy } from '@shizi/core';

/**
 * The one rule for a teacher who left the college. `departedOn` is the last day of employment (离职日期), null
 * while employed. A teacher is employed on every day up to and including it; an academic year counts the
 * teacher when it starts on or before that day (the year of departure is still the teacher's, a year that starts
 * after it is not: no ranking, no place in the unit's quota headcount). Records and appraisals of earlier years
 * stay readable.
 */
export function employedOn(departedOn: string | null, date: string): boolean {
  return departedOn === null || departedOn >= date;
}

/** Whether academic year `year` (by `policy`'s calendar) counts a teacher who left on `departedOn`. */
export function countsInYear(departedOn: string | null, year: number, policy: Policy): boolean {
  return employedOn(departedOn, academicYearPeriod(year, policy.calendar.yearStart).start);
}
