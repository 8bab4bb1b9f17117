import { z } from 'zod';
import { parseWith, ValidationError, type ValidationIssue, issuesFromZod } from './errors.js';
import { builtinKinds, certLevelValues, certTypeValues, levelValues, patentTypeValues, practiceFormValues, resourceTypeValues, awardValues, type BuiltinKind } from './evidence/builtin.js';
import type { KindDeclaration, RecordOfDeclaration } from './evidence/declaration.js';
import { dateString, idSchema, isDate, isId, isText, keyCount, textSchema } from './evidence/fields.js';
import { EvidenceRegistry, recordStatuses } from './evidence/registry.js';
import { hasDuplicateHash, idHash } from './ids.js';

/**
 * Evidence records and teachers. Record kinds are declared once, in evidence/builtin.ts (and in a policy's
 * `evidenceKinds`); their schemas, validators, year placement and labels are compiled from there.
 */

export { dateString };

export const stages = ['new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead'] as const;
export type Stage = (typeof stages)[number];
export const titles = ['assistant', 'lecturer', 'associate_professor', 'professor'] as const;
export type Title = (typeof titles)[number];
/**
 * The teacher's category (教师类别) as the 2016 enterprise-practice rule and the 双师型 ratio speak of it:
 * 专业课 (specialised courses), 实习指导 (practical/internship guidance), 公共基础课 (public basic courses).
 * A teacher without one is a 专业课 teacher (`teacherCategoryOf`).
 */
export const teacherCategories = ['specialised', 'practical_guidance', 'public_basic'] as const;
export type TeacherCategory = (typeof teacherCategories)[number];
export const defaultTeacherCategory: TeacherCategory = 'specialised';
export const statuses = recordStatuses;
export type RecordStatus = (typeof statuses)[number];
const keysOf = <T extends object>(values: T) => Object.keys(values) as Array<keyof T & string>;
export const levels = keysOf(levelValues) as ['national', 'provincial', 'municipal', 'school'];
export type Level = (typeof levels)[number];
export const awards = keysOf(awardValues) as ['first', 'second', 'third', 'excellence'];
export const resourceTypes = keysOf(resourceTypeValues) as ['worksheet', 'slides', 'micro_lecture', 'question_bank'];
export const certTypes = keysOf(certTypeValues) as ['dual_qualified', 'vocational', 'one_plus_x'];
/** Forms of enterprise practice: 考察观摩, 技能培训, 跟岗 / 顶岗, 研发 / 技术创新 (the record's optional `form`). */
export const practiceForms = keysOf(practiceFormValues) as ['observation', 'skill_training', 'placement', 'research'];
export type PracticeForm = (typeof practiceForms)[number];
export const certLevels = keysOf(certLevelValues) as ['junior', 'intermediate', 'senior'];
export type CertLevel = (typeof certLevels)[number];
export const patentTypes = keysOf(patentTypeValues) as ['invention', 'utility_model', 'software_copyright'];

/** A record of a built-in kind, typed from its declaration. */
export type EvidenceRecord = { [K in BuiltinKind]: RecordOfDeclaration<K, (typeof builtinKinds)[K]> }[BuiltinKind];
export type RecordKind = BuiltinKind;
export type RecordOfKind<K extends RecordKind> = Extract<EvidenceRecord, { kind: K }>;

/** The built-in kinds compiled: the registry every policy without kinds of its own uses. */
export const builtinRegistry = new EvidenceRegistry(builtinKinds);
export const recordKinds = builtinRegistry.kindIds as RecordKind[];
/** Kinds that carry `rank`/`share`; all other kinds count with share 1. */
export const teamKinds = builtinRegistry.teamKinds as RecordKind[];
/** The schema of a record of a built-in kind, discriminated on `kind`. */
export const recordSchema = builtinRegistry.recordSchema as unknown as z.ZodType<EvidenceRecord, unknown>;

const registries = new WeakMap<object, EvidenceRegistry>();
/**
 * The evidence kinds a policy scores: the built-in ones plus the policy's own `evidenceKinds`, compiled once
 * per policy object.
 * @example
 * ```ts
 * registryOf().kindIds.length;           // 17 built-in kinds
 * registryOf(myPolicy).kind('textbook'); // a college's own kind, compiled once per policy object
 * ```
 */
export function registryOf(policy?: { evidenceKinds?: Readonly<Record<string, KindDeclaration>> | undefined }): EvidenceRegistry {
  const own = policy?.evidenceKinds;
  if (own === undefined || Object.keys(own).length === 0) return builtinRegistry;
  let registry = registries.get(policy!);
  if (registry === undefined) {
    registry = new EvidenceRegistry({ ...builtinKinds, ...own });
    registries.set(policy!, registry);
  }
  return registry;
}

/**
 * True when `input` is a valid built-in record exactly as zod outputs it; false means "not sure".
 * @example
 * ```ts
 * isValidRecordFast({ id: 'r1', teacherId: 't1', status: 'verified', kind: 'enterprise_practice',
 *   start: '2024-10-08', end: '2024-11-08', enterprise: '某智能制造企业' }); // true
 * isValidRecordFast({}); // false: go through parseRecord for the reasons
 * ```
 */
export const isValidRecordFast = builtinRegistry.isValidFast as (input: unknown) => input is EvidenceRecord;

export const teacherSchema = z
  .strictObject({
    id: idSchema,
    name: textSchema,
    unit: textSchema,
    hireDate: dateString,
    stage: z.enum(stages),
    stageSince: dateString,
    title: z.enum(titles),
    titleSince: dateString,
    category: z.enum(teacherCategories).optional().describe('教师类别: specialised (专业课, the default), practical_guidance (实习指导), public_basic (公共基础课)'),
    enterpriseExperience: z.boolean().optional().describe('企业工作经历: the teacher worked in an enterprise before the post (absent: not stated, as without); policy.practice.prePost asks pre-post practice of those without'),
  })
  .describe('a teacher');
export type Teacher = z.infer<typeof teacherSchema>;

/**
 * The teacher's category; one without is a 专业课 (`specialised`) teacher.
 * @example
 * ```ts
 * teacherCategoryOf({});                           // 'specialised'
 * teacherCategoryOf({ category: 'public_course' }); // 'public_course'
 * ```
 */
export function teacherCategoryOf(teacher: Pick<Teacher, 'category'>): TeacherCategory {
  return teacher.category ?? defaultTeacherCategory;
}

/**
 * True when `input` is a valid teacher exactly as zod would output it. Same contract as isValidRecordFast.
 * @example
 * ```ts
 * isValidTeacherFast(teacher); // true
 * isValidTeacherFast({});      // false
 * ```
 */
export function isValidTeacherFast(input: unknown): boolean {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return false;
  const teacher = input as Record<string, unknown>;
  return (
    isId(teacher.id) &&
    isText(teacher.name) &&
    isText(teacher.unit) &&
    isDate(teacher.hireDate) &&
    (stages as readonly unknown[]).includes(teacher.stage) &&
    isDate(teacher.stageSince) &&
    (titles as readonly unknown[]).includes(teacher.title) &&
    isDate(teacher.titleSince) &&
    (teacher.category === undefined || (teacherCategories as readonly unknown[]).includes(teacher.category)) &&
    (teacher.enterpriseExperience === undefined || typeof teacher.enterpriseExperience === 'boolean') &&
    keyCount(teacher) === 8 + (teacher.category === undefined ? 0 : 1) + (teacher.enterpriseExperience === undefined ? 0 : 1)
  );
}

type PolicyLike = Parameters<typeof registryOf>[0];
const recordListSchema = z.array(z.unknown());

/**
 * Validate a whole record list against the kinds of `policy` (default: the built-in kinds). Every record is
 * checked whoever it belongs to; duplicate ids are an error. All problems are gathered into one
 * ValidationError (`records[3].end: before start`).
 *
 * Valid records are returned as given (they are never modified): the fast validator accepts them, and only a
 * list where it has doubts goes through zod, which then names every issue.
 * @example
 * ```ts
 * parseRecords([{ ...practiceRecord, end: '2024-02-30' }]);
 * // throws ValidationError: records[0].end: must be a real calendar date YYYY-MM-DD
 * ```
 */
export function parseRecords(input: unknown, policy?: PolicyLike, pathName = 'records'): EvidenceRecord[] {
  const registry = registryOf(policy);
  if (Array.isArray(input) && acceptFast(registry, input)) return input as EvidenceRecord[];
  return parseRecordsWithZod(registry, input, pathName);
}

/** parseRecords' slow path: zod checks every record and names every issue; valid records come back as zod outputs them. */
function parseRecordsWithZod(registry: EvidenceRegistry, input: unknown, pathName: string): EvidenceRecord[] {
  const list = parseWith(recordListSchema, input, [pathName]);
  const issues: ValidationIssue[] = [];
  const records: EvidenceRecord[] = new Array(list.length);
  const seen = new Map<string, number>();
  for (let index = 0; index < list.length; index++) {
    const result = registry.recordSchema.safeParse(list[index]);
    if (!result.success) {
      issues.push(...issuesFromZod(result.error, [pathName, index]));
      continue;
    }
    const record = result.data as EvidenceRecord;
    const earlier = seen.get(record.id);
    if (earlier !== undefined) issues.push({ path: `${pathName}[${index}].id`, message: `duplicate record id "${record.id}" (also ${pathName}[${earlier}])` });
    else seen.set(record.id, index);
    records[index] = record;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return records;
}

/**
 * Validate one record (a college's own kinds with `policy`); a ValidationError names each bad field.
 * @example
 * ```ts
 * const record = parseRecord(JSON.parse(body)); // an EvidenceRecord, or a ValidationError naming record.<field>
 * ```
 */
export function parseRecord(input: unknown, policy?: PolicyLike, pathName = 'record'): EvidenceRecord {
  return parseWith(registryOf(policy).recordSchema, input, [pathName]) as EvidenceRecord;
}

/**
 * Validate one teacher; a ValidationError names each bad field.
 * @example
 * ```ts
 * parseTeacher({ ...teacher, hireDate: 'x' });
 * // throws ValidationError: teacher.hireDate: must be a real calendar date YYYY-MM-DD
 * ```
 */
export function parseTeacher(input: unknown, pathName = 'teacher'): Teacher {
  return parseWith(teacherSchema, input, [pathName]);
}

/**
 * The records of one teacher, in input order.
 * @example
 * ```ts
 * recordsOf(records, 't1').map((record) => record.id); // ['r1', 'r2']
 * ```
 */
export function recordsOf(records: readonly EvidenceRecord[], teacherId: string): EvidenceRecord[] {
  return records.filter((record) => record.teacherId === teacherId);
}

/**
 * Group records by teacher once, so whole-college work is linear in teachers + records.
 * @example
 * ```ts
 * const byTeacher = groupByTeacher(records);
 * byTeacher.get('t2')?.map((record) => record.id); // ['r3']
 * ```
 */
export function groupByTeacher(records: readonly EvidenceRecord[]): Map<string, EvidenceRecord[]> {
  const grouping = new Grouping(records.length);
  for (let index = 0; index < records.length; index++) grouping.add(index, records[index]!.teacherId);
  return grouping.groups(records);
}

/**
 * parseRecords and groupByTeacher in one pass over the records: whole-college calls read each record once
 * before scoring instead of twice.
 * @example
 * ```ts
 * [...parseRecordsByTeacher(records).keys()]; // ['t1', 't2'], every record validated on the way
 * ```
 */
export function parseRecordsByTeacher(input: unknown, policy?: PolicyLike, pathName = 'records'): Map<string, EvidenceRecord[]> {
  const registry = registryOf(policy);
  if (Array.isArray(input)) {
    const grouping = new Grouping(input.length);
    if (acceptFast(registry, input, grouping)) return grouping.groups(input as EvidenceRecord[]);
  }
  return groupByTeacher(parseRecordsWithZod(registry, input, pathName));
}

/**
 * True when every record passes the registry's fast validator and no id repeats: the list can be used as
 * given. Adds each record to `grouping` on the way. False means "not sure": zod then checks the list.
 */
function acceptFast(registry: EvidenceRegistry, input: readonly unknown[], grouping?: Grouping): boolean {
  const isValid = registry.isValidFast;
  const idHashes = new Int32Array(input.length);
  for (let index = 0; index < input.length; index++) {
    const record = input[index] as EvidenceRecord;
    if (!isValid(record)) return false;
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
