import { z } from 'zod';
import { isValidDate } from '../calendar.js';

/**
 * The vocabulary evidence kinds are declared in. A field is one of a few types; from a field's declaration come
 * its zod schema (and so the API's validation and OpenAPI), its fast guard, its TypeScript type and its labels.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

interface FieldCommon {
  /** The column heading and form label: 开始日期 / start date. */
  label: Bilingual;
  /** May be left out. */
  optional?: true;
}

export type FieldSpec = FieldCommon &
  (
    | { /** A calendar date YYYY-MM-DD. */ type: 'date' }
    | { /** An academic year by its first calendar year (2025 means 2025-2026). */ type: 'year' }
    | { /** Trimmed text, 1 to 500 characters. */ type: 'text' }
    | { /** A list of texts (topics). */ type: 'text_list'; maxItems: number }
    | { /** Another teacher's id. */ type: 'teacher_ref' }
    | { /** One of the listed values; each value has its labels. */ type: 'enum'; values: Readonly<Record<string, Bilingual>> }
    | { /** A whole number within bounds. */ type: 'integer'; min: number; max: number }
    | { /** Whole yuan, 0 to 10,000,000,000. */ type: 'yuan' }
    | { /** A decimal within bounds. */ type: 'decimal'; min: number; max: number }
    | { /** 1-based position in a team. */ type: 'team_rank' }
    | { /** An explicit team share in (0, 1], overriding the rank table. */ type: 'team_share' }
  );
export type FieldType = FieldSpec['type'];

/** The TypeScript type of a field's value. */
export type FieldValue<F> = F extends { type: 'date' | 'text' | 'teacher_ref' } ? string : F extends { type: 'text_list' } ? string[] : F extends { type: 'enum'; values: infer V } ? keyof V & string : number;

export const MAX_TEXT = 500;
export const MAX_ID = 128;
export const YEAR_RANGE = { min: 1900, max: 2999 } as const;
export const YUAN_MAX = 10_000_000_000;
export const RANK_MAX = 1000;

export const dateString = z.string().refine(isValidDate, { message: 'must be a real calendar date YYYY-MM-DD' }).describe('calendar date YYYY-MM-DD');
export const textSchema = z.string().trim().min(1, { message: 'must not be empty' }).max(MAX_TEXT);
export const idSchema = z.string().min(1, { message: 'must not be empty' }).max(MAX_ID);
export const academicYearSchema = z.int().min(YEAR_RANGE.min).max(YEAR_RANGE.max).describe('academic year by its first calendar year: 2025 means 2025-2026');
const yuanSchema = z.int().min(0).max(YUAN_MAX).describe('integer yuan');
const rankSchema = z.int().min(1).max(RANK_MAX);
const shareSchema = z.number().gt(0, { message: 'must be greater than 0' }).lte(1, { message: 'must be at most 1' });

/** A field's zod schema. Exhaustive: a field type without a schema does not compile. */
export function fieldSchema(field: FieldSpec): z.ZodType {
  const schema = requiredFieldSchema(field);
  return field.optional ? schema.optional() : schema;
}

function requiredFieldSchema(field: FieldSpec): z.ZodType {
  switch (field.type) {
    case 'date':
      return dateString;
    case 'year':
      return academicYearSchema;
    case 'text':
      return textSchema;
    case 'text_list':
      return z.array(textSchema).max(field.maxItems);
    case 'teacher_ref':
      return idSchema;
    case 'enum':
      return z.enum(Object.keys(field.values) as [string, ...string[]]);
    case 'integer':
      return z.int().min(field.min).max(field.max);
    case 'yuan':
      return yuanSchema;
    case 'decimal':
      return z.number().min(field.min).max(field.max);
    case 'team_rank':
      return rankSchema;
    case 'team_share':
      return shareSchema;
  }
}

export interface FieldGuard {
  /** The check as JavaScript source over the variable named `v`. */
  expression: (v: string) => string;
  test: (value: unknown) => boolean;
}

/**
 * A field's guard as a JavaScript expression over a variable (the value), for the generated validator, and the same
 * check as a function, for platforms that forbid code generation (Workers). Both say "valid exactly as zod
 * outputs it" (nothing to trim) or "not sure". Exhaustive like fieldSchema.
 */
export function fieldGuard(field: FieldSpec): FieldGuard {
  switch (field.type) {
    case 'date':
      return { expression: (v) => `isDate(${v})`, test: isDate };
    case 'year':
      return intGuard(YEAR_RANGE.min, YEAR_RANGE.max);
    case 'text':
      return { expression: (v) => `isText(${v})`, test: isText };
    case 'text_list': {
      const max = field.maxItems;
      return { expression: (v) => `Array.isArray(${v}) && ${v}.length <= ${max} && ${v}.every(isText)`, test: (v) => Array.isArray(v) && v.length <= max && v.every(isText) };
    }
    case 'teacher_ref':
      return { expression: (v) => `isId(${v})`, test: isId };
    case 'enum': {
      const values = Object.keys(field.values);
      // Comparing against a few literals is cheaper than hashing the value for a Set.
      return { expression: (v) => `(${values.map((value) => `${v} === ${JSON.stringify(value)}`).join(' || ')})`, test: (v) => values.includes(v as string) };
    }
    case 'integer':
      return intGuard(field.min, field.max);
    case 'yuan':
      return intGuard(0, YUAN_MAX);
    case 'decimal': {
      const { min, max } = field;
      // NaN fails both comparisons.
      return { expression: (v) => `typeof ${v} === 'number' && ${v} >= ${min} && ${v} <= ${max}`, test: (v) => typeof v === 'number' && v >= min && v <= max };
    }
    case 'team_rank':
      return intGuard(1, RANK_MAX);
    case 'team_share':
      return { expression: (v) => `typeof ${v} === 'number' && ${v} > 0 && ${v} <= 1`, test: (v) => typeof v === 'number' && v > 0 && v <= 1 };
  }
}

function intGuard(min: number, max: number): FieldGuard {
  return { expression: (v) => `isInt(${v}, ${min}, ${max})`, test: (v: unknown) => isInt(v, min, max) };
}

// ---------------------------------------------------------------------------------------------------------
// Primitive guards, shared by the record and teacher validators.

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(value: string, index: number): number {
  const code = value.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -100_000;
}

export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const year = digit(value, 0) * 1000 + digit(value, 1) * 100 + digit(value, 2) * 10 + digit(value, 3);
  const month = digit(value, 5) * 10 + digit(value, 6);
  const day = digit(value, 8) * 10 + digit(value, 9);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0);
  return day <= (leap ? 29 : DAYS_IN_MONTH[month]!);
}

function isWhitespace(code: number): boolean {
  return code <= 32 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}
/** Non-empty, at most 500 characters, and already trimmed (zod would trim it: leave that to zod). */
export function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_TEXT && !isWhitespace(value.charCodeAt(0)) && !isWhitespace(value.charCodeAt(value.length - 1));
}
export function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_ID;
}
export function isInt(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Own enumerable keys of a plain object (for…in counts a key holding `undefined` too). */
export function keyCount(record: object): number {
  let count = 0;
  for (const _ in record) count++;
  return count;
}
