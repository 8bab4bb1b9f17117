import { academicYearOfDate, defaultYearStart, isValidDate, yearStartLimits, type YearStart } from './calendar.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import { resolvePolicy, type Policy } from './policy.js';
import { registryOf, type EvidenceRecord } from './records.js';

/**
 * The academic year (by its first calendar year) that `date` falls in: `2025-09-01` → 2025. Of `policy` it
 * reads only `calendar.yearStart`, checked here without zod, so a bundle that imports only this function stays
 * small; the rest of a policy is validated by the functions that use it.
 * @example
 * ```ts
 * academicYearOf('2025-09-01'); // 2025 (the 2025-2026 academic year)
 * academicYearOf('2025-08-31'); // 2024
 * ```
 */
export function academicYearOf(date: string, policy?: Policy): number {
  const issues: ValidationIssue[] = [];
  if (typeof date !== 'string' || !isValidDate(date)) issues.push({ path: 'date', message: 'must be a real calendar date YYYY-MM-DD' });
  const yearStart = policy === undefined ? defaultYearStart : checkedYearStart(policy, issues);
  if (issues.length > 0) throw new ValidationError(issues);
  return academicYearOfDate(date, yearStart);
}

function checkedYearStart(policy: Policy, issues: ValidationIssue[]): YearStart {
  const yearStart = (policy as { calendar?: { yearStart?: Partial<YearStart> } } | null)?.calendar?.yearStart;
  const { month, day } = yearStart ?? {};
  if (!Number.isInteger(month) || month! < 1 || month! > 12) issues.push({ path: 'policy.calendar.yearStart.month', message: 'must be an integer 1–12' });
  if (!Number.isInteger(day) || day! < 1 || day! > yearStartLimits.maxDay) issues.push({ path: 'policy.calendar.yearStart.day', message: yearStartLimits.dayMessage });
  return { month: month!, day: day! };
}

/**
 * The academic years a record touches, oldest first: one for a dated record, every year a period overlaps,
 * the end year of a mentoring pairing (its start year while open). Storage layers index records by these.
 * @example
 * ```ts
 * recordAcademicYears({ id: 'r1', teacherId: 't1', status: 'verified', kind: 'enterprise_practice',
 *   start: '2025-07-10', end: '2025-09-05', enterprise: '某工业机器人公司' }); // [2024, 2025]
 * ```
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
 * @example
 * ```ts
 * recordPlacement({ id: 'r1', teacherId: 't1', status: 'verified', kind: 'enterprise_practice',
 *   start: '2024-10-08', end: '2024-11-08', enterprise: '某智能制造企业' });
 * // { first: '2024-10-08', last: '2024-11-08', year: null }
 * recordPlacement({ id: 'r2', teacherId: 't1', status: 'verified', kind: 'teaching_workload', year: 2024, hours: 320 });
 * // { first: null, last: null, year: 2024 }
 * ```
 */
export function recordPlacement(record: EvidenceRecord, policy?: Policy): { first: string; last: string; year: null } | { first: null; last: null; year: number } {
  const kind = registryOf(resolvePolicy(policy)).kind(record.kind);
  if (kind === undefined) throw new ValidationError([{ path: 'record.kind', message: `unknown record kind "${record.kind}"` }]);
  return kind.placed(record as never);
}
