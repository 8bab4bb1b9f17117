import { academicYearLabel } from './calendar.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import { roundedQuotient, toFraction } from './exact.js';
import type { Bilingual } from './labels.js';

/** Helpers shared by growth.ts and review.ts; internal to the package (not re-exported by index.ts). */

/** Run a parser, gathering its ValidationError issues instead of stopping at the first bad argument. */
export function collect<T>(issues: ValidationIssue[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) {
      issues.push(...error.issues);
      return undefined;
    }
    throw error;
  }
}

/** Mean of hundredths, rounded half-up to a hundredth: exact integer arithmetic. */
export function meanHundredths(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const value of values) sum += value;
  return roundedQuotient([sum], [values.length]);
}

/** Smallest number of hundredths ≥ `value` (a policy number may have more than two decimals). */
export function ceilHundredths(value: number): number {
  const { num, den } = toFraction(value);
  const n = BigInt(num) * 100n;
  const d = BigInt(den);
  return Number((n + d - 1n) / d);
}

/** `2022-2023 to 2024-2025` / `2022-2023 至 2024-2025`; a single year is just its label. */
export function yearRange(years: readonly number[]): Bilingual {
  if (years.length === 0) return { en: '', zh: '' };
  const firstLabel = academicYearLabel(years[0]!);
  if (years.length === 1) return { en: firstLabel, zh: firstLabel };
  const lastLabel = academicYearLabel(years[years.length - 1]!);
  return { en: `${firstLabel} to ${lastLabel}`, zh: `${firstLabel} 至 ${lastLabel}` };
}

/** `25000` → `25,000`; `2.5` → `2.5`; `1234.56` → `1,234.56`. Locale-independent. */
export function fmt(value: number): string {
  const text = String(value);
  if (/e/i.test(text)) return text;
  const [integer, fraction] = text.split('.');
  const grouped = integer!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function parenEn(parts: readonly string[]): string {
  const kept = parts.filter((part) => part !== '');
  return kept.length === 0 ? '' : ` (${kept.join('; ')})`;
}

export function parenZh(parts: readonly string[]): string {
  const kept = parts.filter((part) => part !== '');
  return kept.length === 0 ? '' : `（${kept.join('；')}）`;
}
