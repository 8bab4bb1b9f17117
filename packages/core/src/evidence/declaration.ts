import type { Bilingual, FieldSpec, FieldValue } from './fields.js';

/**
 * How an evidence kind is declared: once, in one entry. The record schema, the fast validator, the academic
 * years a record touches, the labels of forms and import templates all come from this declaration.
 */
export interface KindDeclaration {
  /** 企业实践 / enterprise practice. */
  label: Bilingual;
  /** How the kind is spoken of with a count: `2 more teaching resources`, `还需 2 项教学资源`. */
  noun: { en: string; enPlural: string; zhUnit: string };
  /** The kind's own fields (besides id, teacherId, kind, status), in form order. */
  fields: Readonly<Record<string, FieldSpec>>;
  /** A team result: adds `rank` and `share` (share by rank unless an explicit share is given). */
  team?: true;
  /** Which academic years a record touches. */
  placement: Placement;
  /** A `{start, end}` pair that must not run backwards (`end` may be optional). */
  period?: { start: string; end: string };
  /** The date field that places the record for scoring, when it differs from `placement` (mentoring scores at its end). */
  scoredOn?: string;
  /** Teachers may declare it themselves (not a veto or an exemption). Default true. */
  declarable?: boolean;
}

export type Placement =
  /** In the academic year of a date field; while that optional field is absent, of `whileAbsent`. */
  | { by: 'date'; field: string; whileAbsent?: string }
  /** Split at year boundaries: every academic year the inclusive period overlaps. */
  | { by: 'period'; start: string; end: string }
  /** In the academic year a year field names. */
  | { by: 'year'; field: string };

/** Every record's own fields. */
export interface RecordBase<K extends string = string> {
  id: string;
  teacherId: string;
  kind: K;
  status: 'verified' | 'pending' | 'rejected';
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<F> = { [K in keyof F]: F[K] extends { optional: true } ? never : K }[keyof F];
type OptionalKeys<F> = { [K in keyof F]: F[K] extends { optional: true } ? K : never }[keyof F];
type TeamFields<D> = D extends { team: true } ? { rank?: number | undefined; share?: number | undefined } : unknown;

/** The record type a declaration describes. */
export type RecordOfDeclaration<K extends string, D extends { fields: object }> = Simplify<
  RecordBase<K> & { -readonly [P in RequiredKeys<D['fields']>]: FieldValue<D['fields'][P]> } & { -readonly [P in OptionalKeys<D['fields']>]?: FieldValue<D['fields'][P]> | undefined } & TeamFields<D>
>;
