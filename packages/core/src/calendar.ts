/**
 * Calendar dates without time zones. A date is `YYYY-MM-DD`; internally it becomes a day number (days since
 * 1970-01-01) so counting days and cutting periods at year boundaries is integer arithmetic. No clock is read.
 */

/** Inclusive period of calendar dates. */
export interface Period {
  start: string;
  end: string;
}

/** When an academic year begins: month 1–12 and day. The default policy uses 1 September. */
export interface YearStart {
  month: number;
  day: number;
}

/** The default policy's first day of an academic year (`defaultPolicy.calendar.yearStart` is built from it). */
export const defaultYearStart: Readonly<YearStart> = { month: 9, day: 1 };

/** A year may start on day 1–28 of its month, so that every year has that day (the policy schema's rule). */
export const yearStartLimits = { maxDay: 28, dayMessage: 'must be 1–28 so every year has it' } as const;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * True for a real calendar date in `YYYY-MM-DD` form (2025-02-30 is not one).
 * @example
 * ```ts
 * isValidDate('2024-02-29'); // true
 * isValidDate('2025-02-29'); // false
 * ```
 */
export function isValidDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Days since 1970-01-01 (Howard Hinnant's days_from_civil). Assumes a valid date.
 * @example
 * ```ts
 * dayNumber('2025-09-01'); // 20332
 * dayNumber('2025-09-30') - dayNumber('2025-09-01') + 1; // 30 days, both ends counted
 * ```
 */
export function dayNumber(date: string): number {
  const year = (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10 + (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  return daysFromCivil(year, month, day);
}

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Inverse of dayNumber.
 * @example
 * ```ts
 * dateOfDay(20332); // '2025-09-01'
 * ```
 */
export function dateOfDay(dayNum: number): string {
  const z = dayNum + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The academic year (its starting calendar year) that contains `date`.
 * @example
 * ```ts
 * academicYearOfDate('2026-03-01', { month: 9, day: 1 }); // 2025
 * ```
 */
export function academicYearOfDate(date: string, yearStart: YearStart): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return month > yearStart.month || (month === yearStart.month && day >= yearStart.day) ? year : year - 1;
}

/**
 * `2025` → `"2025-2026"`.
 * @example
 * ```ts
 * academicYearLabel(2025); // '2025-2026'
 * ```
 */
export function academicYearLabel(year: number): string {
  return `${year}-${year + 1}`;
}

/** First and last day of academic year `year`, inclusive, as day numbers. */
export function academicYearDays(year: number, yearStart: YearStart): { first: number; last: number } {
  const first = daysFromCivil(year, yearStart.month, yearStart.day);
  const last = daysFromCivil(year + 1, yearStart.month, yearStart.day) - 1;
  return { first, last };
}

/**
 * First and last date of academic year `year`, inclusive.
 * @example
 * ```ts
 * academicYearPeriod(2025, defaultPolicy.calendar.yearStart); // { start: '2025-09-01', end: '2026-08-31' }
 * ```
 */
export function academicYearPeriod(year: number, yearStart: YearStart): Period {
  const { first, last } = academicYearDays(year, yearStart);
  return { start: dateOfDay(first), end: dateOfDay(last) };
}

/**
 * The latest academic year that is completed as of `asOf` (year Y is completed when asOf > its last day).
 * @example
 * ```ts
 * latestCompletedYear('2026-09-01', { month: 9, day: 1 }); // 2025 (2025-2026 ended on 31 August)
 * ```
 */
export function latestCompletedYear(asOf: string, yearStart: YearStart): number {
  return academicYearOfDate(asOf, yearStart) - 1;
}

/**
 * The last `count` completed academic years as of `asOf`, oldest first.
 * @example
 * ```ts
 * lastCompletedYears('2026-09-01', 3, { month: 9, day: 1 }); // [2023, 2024, 2025]
 * ```
 */
export function lastCompletedYears(asOf: string, count: number, yearStart: YearStart): number[] {
  const latest = latestCompletedYear(asOf, yearStart);
  const years: number[] = [];
  for (let year = latest - count + 1; year <= latest; year++) years.push(year);
  return years;
}

/**
 * `date` plus `years` calendar years; 29 February lands on 28 February in a common year.
 * @example
 * ```ts
 * addYears('2020-09-01', 5); // '2025-09-01'
 * addYears('2024-02-29', 1); // '2025-02-28'
 * ```
 */
export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const month = Number(date.slice(5, 7));
  let day = Number(date.slice(8, 10));
  if (month === 2 && day === 29 && !isLeapYear(year)) day = 28;
  return `${String(year).padStart(4, '0')}-${date.slice(5, 7)}-${String(day).padStart(2, '0')}`;
}

/**
 * Largest n ≥ 0 with `from + n years ≤ to`. Years in stage and years at a title are counted this way.
 * @example
 * ```ts
 * wholeYearsBetween('2020-09-01', '2023-08-31'); // 2
 * wholeYearsBetween('2020-09-01', '2023-09-01'); // 3
 * ```
 */
export function wholeYearsBetween(from: string, to: string): number {
  if (to < from) return 0;
  let years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  while (years > 0 && addYears(from, years) > to) years--;
  return years;
}
