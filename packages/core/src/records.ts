import { z } from 'zod';
import { dayNumber, isValidDate, type Period } from './calendar.js';
import { parseWith, ValidationError, type ValidationIssue, issuesFromZod } from './errors.js';
import { hasDuplicateHash, idHash, isValidRecordFast } from './fast-check.js';

/**
 * Evidence records and teachers. One zod schema per record kind, discriminated on `kind`; these schemas are
 * the single source of truth for the library, the API's validation and its OpenAPI document.
 */

export const dateString = z
  .string()
  .refine(isValidDate, { message: 'must be a real calendar date YYYY-MM-DD' })
  .describe('calendar date YYYY-MM-DD');
const text = z.string().trim().min(1, { message: 'must not be empty' }).max(500);
const id = z.string().min(1, { message: 'must not be empty' }).max(128);
const academicYear = z.int().min(1900).max(2999).describe('academic year by its first calendar year: 2025 means 2025-2026');
const money = z.int().min(0).max(10_000_000_000).describe('integer yuan');
const percentScore = z.number().min(0).max(100);

export const stages = ['new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead'] as const;
export type Stage = (typeof stages)[number];
export const titles = ['assistant', 'lecturer', 'associate_professor', 'professor'] as const;
export type Title = (typeof titles)[number];
export const statuses = ['verified', 'pending', 'rejected'] as const;
export type RecordStatus = (typeof statuses)[number];
export const levels = ['national', 'provincial', 'municipal', 'school'] as const;
export type Level = (typeof levels)[number];
export const awards = ['first', 'second', 'third', 'excellence'] as const;
export const resourceTypes = ['worksheet', 'slides', 'micro_lecture', 'question_bank'] as const;
export const certTypes = ['dual_qualified', 'vocational', 'one_plus_x'] as const;
export const certLevels = ['junior', 'intermediate', 'senior'] as const;
export type CertLevel = (typeof certLevels)[number];
export const patentTypes = ['invention', 'utility_model', 'software_copyright'] as const;

const base = {
  id,
  teacherId: id,
  status: z.enum(statuses),
};
/** Team results: 1-based position in the team, and an optional explicit share overriding the rank table. */
const team = {
  rank: z.int().min(1).max(1000).optional(),
  share: z.number().gt(0, { message: 'must be greater than 0' }).lte(1, { message: 'must be at most 1' }).optional(),
};

function endNotBeforeStart(value: { start: string; end?: string | undefined }, ctx: z.core.$RefinementCtx) {
  if (value.end !== undefined && isValidDate(value.start) && isValidDate(value.end) && value.end < value.start) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'before start' });
  }
}

export const enterprisePracticeSchema = z
  .strictObject({ ...base, kind: z.literal('enterprise_practice'), start: dateString, end: dateString, enterprise: text, topics: z.array(text).max(50).optional() })
  .superRefine(endNotBeforeStart);
export const practiceExemptionSchema = z.strictObject({ ...base, kind: z.literal('practice_exemption'), year: academicYear, reason: text });
export const teachingWorkloadSchema = z.strictObject({ ...base, kind: z.literal('teaching_workload'), year: academicYear, hours: z.number().min(0).max(10_000) });
export const teachingEvaluationSchema = z.strictObject({ ...base, kind: z.literal('teaching_evaluation'), date: dateString, score: percentScore });
export const teachingResourceSchema = z.strictObject({ ...base, kind: z.literal('teaching_resource'), date: dateString, resourceType: z.enum(resourceTypes), title: text, ...team });
export const teachingReformProjectSchema = z.strictObject({ ...base, kind: z.literal('teaching_reform_project'), date: dateString, level: z.enum(levels), ...team });
export const mentoringSchema = z
  .strictObject({
    ...base,
    kind: z.literal('mentoring'),
    start: dateString,
    end: dateString.optional(),
    role: z.enum(['mentor', 'mentee']),
    partnerId: id,
    outcome: z.enum(['ongoing', 'passed', 'failed']),
  })
  .superRefine(endNotBeforeStart);
export const internationalTrainingSchema = z
  .strictObject({ ...base, kind: z.literal('international_training'), start: dateString, end: dateString, institution: text, country: text })
  .superRefine(endNotBeforeStart);
export const skillCompetitionSchema = z.strictObject({
  ...base,
  kind: z.literal('skill_competition'),
  date: dateString,
  level: z.enum(levels),
  award: z.enum(awards),
  role: z.enum(['contestant', 'coach']),
  ...team,
});
export const certificateSchema = z.strictObject({ ...base, kind: z.literal('certificate'), date: dateString, certType: z.enum(certTypes), level: z.enum(certLevels) });
export const horizontalProjectSchema = z.strictObject({ ...base, kind: z.literal('horizontal_project'), date: dateString, amountYuan: money, partner: text, ...team });
export const patentSchema = z.strictObject({ ...base, kind: z.literal('patent'), date: dateString, patentType: z.enum(patentTypes), ...team });
export const techTransferSchema = z.strictObject({ ...base, kind: z.literal('tech_transfer'), date: dateString, amountYuan: money, partner: text, ...team });
export const enterpriseTrainingSchema = z.strictObject({
  ...base,
  kind: z.literal('enterprise_training'),
  date: dateString,
  trainees: z.int().min(0).max(1_000_000),
  hours: z.number().min(0).max(100_000),
  satisfaction: percentScore.optional(),
  ...team,
});
export const technicalServiceSchema = z.strictObject({
  ...base,
  kind: z.literal('technical_service'),
  date: dateString,
  amountYuan: money,
  partner: text,
  satisfaction: percentScore.optional(),
  ...team,
});
export const ethicsViolationSchema = z.strictObject({ ...base, kind: z.literal('ethics_violation'), date: dateString, description: text });

export const recordSchema = z.discriminatedUnion('kind', [
  enterprisePracticeSchema,
  practiceExemptionSchema,
  teachingWorkloadSchema,
  teachingEvaluationSchema,
  teachingResourceSchema,
  teachingReformProjectSchema,
  mentoringSchema,
  internationalTrainingSchema,
  skillCompetitionSchema,
  certificateSchema,
  horizontalProjectSchema,
  patentSchema,
  techTransferSchema,
  enterpriseTrainingSchema,
  technicalServiceSchema,
  ethicsViolationSchema,
]);

export type EvidenceRecord = z.infer<typeof recordSchema>;
export type RecordKind = EvidenceRecord['kind'];
export type RecordOfKind<K extends RecordKind> = Extract<EvidenceRecord, { kind: K }>;
export const recordKinds = recordSchema.options.map((option) => option.shape.kind.value) as RecordKind[];

/** Kinds that carry `rank`/`share`; all other kinds count with share 1. */
export const teamKinds = recordSchema.options.filter((option) => 'rank' in option.shape).map((option) => option.shape.kind.value) as RecordKind[];
/** Kinds that span a period `{start, end}` instead of a single date. */
export const periodKinds = ['enterprise_practice', 'international_training', 'mentoring'] as const satisfies RecordKind[];
export type PeriodRecord = RecordOfKind<(typeof periodKinds)[number]>;

export const teacherSchema = z
  .strictObject({
    id,
    name: text,
    unit: text,
    hireDate: dateString,
    stage: z.enum(stages),
    stageSince: dateString,
    title: z.enum(titles),
    titleSince: dateString,
  })
  .describe('a teacher');
export type Teacher = z.infer<typeof teacherSchema>;

/**
 * The date a record is scored on: its `date`; a mentoring pairing's `end` (an open pairing has none); for
 * periods, null (they are split by day instead); for year-valued kinds, null.
 */
export function scoringDate(record: EvidenceRecord): string | null {
  if ('date' in record) return record.date;
  if (record.kind === 'mentoring') return record.end ?? null;
  return null;
}

/** The inclusive day range a period record covers, as day numbers (a mentoring pairing still open: start only). */
export function periodDays(record: PeriodRecord): { first: number; last: number } {
  const first = dayNumber(record.start);
  return { first, last: record.end === undefined ? first : dayNumber(record.end) };
}

export function isPeriod(record: EvidenceRecord): record is Extract<EvidenceRecord, Period> {
  return record.kind === 'enterprise_practice' || record.kind === 'international_training';
}

const recordListSchema = z.array(z.unknown());

/**
 * Validate a whole record list. Every record is checked whoever it belongs to; duplicate ids are an error.
 * All problems are gathered into one ValidationError (`records[3].end: before start`).
 *
 * Valid records are returned as given (they are never modified): a fast hand-written check accepts them,
 * and only a list where it has doubts goes through zod, which then names every issue.
 */
export function parseRecords(input: unknown, pathName = 'records'): EvidenceRecord[] {
  if (Array.isArray(input) && acceptFast(input)) return input as EvidenceRecord[];
  return parseRecordsWithZod(input, pathName);
}

/** parseRecords' slow path: zod checks every record and names every issue; valid records come back as zod outputs them. */
function parseRecordsWithZod(input: unknown, pathName: string): EvidenceRecord[] {
  const list = parseWith(recordListSchema, input, [pathName]);
  const issues: ValidationIssue[] = [];
  const records: EvidenceRecord[] = new Array(list.length);
  const seen = new Map<string, number>();
  for (let index = 0; index < list.length; index++) {
    const result = recordSchema.safeParse(list[index]);
    if (!result.success) {
      issues.push(...issuesFromZod(result.error, [pathName, index]));
      continue;
    }
    const record = result.data;
    const earlier = seen.get(record.id);
    if (earlier !== undefined) issues.push({ path: `${pathName}[${index}].id`, message: `duplicate record id "${record.id}" (also ${pathName}[${earlier}])` });
    else seen.set(record.id, index);
    records[index] = record;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return records;
}

export function parseRecord(input: unknown, pathName = 'record'): EvidenceRecord {
  return parseWith(recordSchema, input, [pathName]);
}

export function parseTeacher(input: unknown, pathName = 'teacher'): Teacher {
  return parseWith(teacherSchema, input, [pathName]);
}

/** The records of one teacher, in input order. */
export function recordsOf(records: readonly EvidenceRecord[], teacherId: string): EvidenceRecord[] {
  return records.filter((record) => record.teacherId === teacherId);
}

/** Group records by teacher once, so whole-college work is linear in teachers + records. */
export function groupByTeacher(records: readonly EvidenceRecord[]): Map<string, EvidenceRecord[]> {
  const grouping = new Grouping(records.length);
  for (let index = 0; index < records.length; index++) grouping.add(index, records[index]!.teacherId);
  return grouping.groups(records);
}

/**
 * parseRecords and groupByTeacher in one pass over the records: whole-college calls read each record once
 * before scoring instead of twice.
 */
export function parseRecordsByTeacher(input: unknown, pathName = 'records'): Map<string, EvidenceRecord[]> {
  if (Array.isArray(input)) {
    const grouping = new Grouping(input.length);
    if (acceptFast(input, grouping)) return grouping.groups(input as EvidenceRecord[]);
  }
  return groupByTeacher(parseRecordsWithZod(input, pathName));
}

/**
 * True when every record passes the fast check (fast-check.ts) and no id repeats: the list can be used as
 * given. Adds each record to `grouping` on the way. False means "not sure": zod then checks the list.
 */
function acceptFast(input: readonly unknown[], grouping?: Grouping): boolean {
  const idHashes = new Int32Array(input.length);
  for (let index = 0; index < input.length; index++) {
    const record = input[index];
    if (!isValidRecordFast(record)) return false;
    idHashes[index] = idHash(record.id); // now, while the id's characters are in the cache
    grouping?.add(index, record.teacherId);
  }
  return !hasDuplicateHash(idHashes, (a, b) => (input[a] as EvidenceRecord).id === (input[b] as EvidenceRecord).id);
}

/**
 * Records grouped by teacher in two passes, so each group is allocated once at its final size instead of
 * growing push by push (at half a million records the regrown arrays were a tenth of the garbage of a
 * whole-college appraisal). Indexed loops: this runs once per call, and an iterator loop allocates until the
 * optimiser takes over.
 */
class Grouping {
  private readonly groupOf: Int32Array;
  private readonly groupIndex = new Map<string, number>();
  private readonly sizes: number[] = [];
  private readonly teacherIds: string[] = [];
  // Records usually arrive in runs per teacher (a query ordered by teacher): a run needs one lookup.
  private runTeacherId: string | undefined;
  private runGroup = -1;

  constructor(count: number) {
    this.groupOf = new Int32Array(count);
  }

  add(index: number, teacherId: string): void {
    if (teacherId !== this.runTeacherId) {
      this.runTeacherId = teacherId;
      let group = this.groupIndex.get(teacherId);
      if (group === undefined) {
        group = this.sizes.length;
        this.groupIndex.set(teacherId, group);
        this.sizes.push(0);
        this.teacherIds.push(teacherId);
      }
      this.runGroup = group;
    }
    this.groupOf[index] = this.runGroup;
    this.sizes[this.runGroup]!++;
  }

  /** The groups, given the records whose indices were added. */
  groups(records: readonly EvidenceRecord[]): Map<string, EvidenceRecord[]> {
    const { groupOf, sizes, teacherIds } = this;
    const lists: EvidenceRecord[][] = sizes.map((size) => new Array<EvidenceRecord>(size));
    const filled = new Int32Array(sizes.length);
    for (let index = 0; index < records.length; index++) {
      const group = groupOf[index]!;
      lists[group]![filled[group]!++] = records[index]!;
    }
    const groups = new Map<string, EvidenceRecord[]>();
    for (let group = 0; group < lists.length; group++) groups.set(teacherIds[group]!, lists[group]!);
    return groups;
  }
}
