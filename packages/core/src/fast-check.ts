import type { EvidenceRecord } from './records.js';

/**
 * A fast acceptance test for records, mirroring the zod schemas in records.ts field for field. It only ever
 * says "valid, and already in output form" or "not sure": on false, callers run zod, which produces every
 * issue. Whole-college calls validate hundreds of thousands of records, and zod's copy of each was most of
 * their cost. A property test (test/fast-check.test.ts) holds this in step with the schemas.
 */

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
function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= 500 && !isWhitespace(value.charCodeAt(0)) && !isWhitespace(value.charCodeAt(value.length - 1));
}
function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= 128;
}
function isInt(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}
/** NaN fails both comparisons. */
function isNumber(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && value >= min && value <= max;
}
const isYear = (value: unknown) => isInt(value, 1900, 2999);
const isMoney = (value: unknown) => isInt(value, 0, 10_000_000_000);
const isPercent = (value: unknown) => isNumber(value, 0, 100);
const isOptionalPercent = (value: unknown) => value === undefined || isPercent(value);
function isTeam(record: Record<string, unknown>): boolean {
  const { rank, share } = record;
  return (rank === undefined || isInt(rank, 1, 1000)) && (share === undefined || (typeof share === 'number' && share > 0 && share <= 1));
}
// Enumerations as switches: comparing against a few literals is cheaper than hashing the value for a Set.
function isStatus(value: unknown): boolean {
  return value === 'verified' || value === 'pending' || value === 'rejected';
}
function isLevel(value: unknown): boolean {
  return value === 'national' || value === 'provincial' || value === 'municipal' || value === 'school';
}
function isResourceType(value: unknown): boolean {
  return value === 'worksheet' || value === 'slides' || value === 'micro_lecture' || value === 'question_bank';
}
function isAward(value: unknown): boolean {
  return value === 'first' || value === 'second' || value === 'third' || value === 'excellence';
}
function isCompetitionRole(value: unknown): boolean {
  return value === 'contestant' || value === 'coach';
}
function isCertType(value: unknown): boolean {
  return value === 'dual_qualified' || value === 'vocational' || value === 'one_plus_x';
}
function isCertLevel(value: unknown): boolean {
  return value === 'junior' || value === 'intermediate' || value === 'senior';
}
function isPatentType(value: unknown): boolean {
  return value === 'invention' || value === 'utility_model' || value === 'software_copyright';
}
function isMentoringRole(value: unknown): boolean {
  return value === 'mentor' || value === 'mentee';
}
function isOutcome(value: unknown): boolean {
  return value === 'ongoing' || value === 'passed' || value === 'failed';
}

/** Field count of each kind: 4 base fields (id, teacherId, status, kind) + required + optional present. */
function keyCount(record: object): number {
  let count = 0;
  for (const _ in record) count++;
  return count;
}

/** True when `input` is a valid record exactly as zod would output it (nothing to trim, no unknown key). */
export function isValidRecordFast(input: unknown): input is EvidenceRecord {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return false;
  const record = input as Record<string, unknown>;
  if (!isId(record.id) || !isId(record.teacherId) || !isStatus(record.status)) return false;
  // Own keys only, all known: count the keys the kind allows that are present and compare with all keys.
  let expected = 4;
  let ok: boolean;
  // Which optional keys the kind has; any other key present makes the counts differ.
  let team = false;
  let satisfaction = false;
  switch (record.kind) {
    case 'enterprise_practice': {
      const topics = record.topics;
      ok =
        isDate(record.start) && isDate(record.end) && record.end >= record.start && isText(record.enterprise) &&
        (topics === undefined || (Array.isArray(topics) && topics.length <= 50 && topics.every(isText)));
      expected += 3;
      break;
    }
    case 'practice_exemption':
      ok = isYear(record.year) && isText(record.reason);
      expected += 2;
      break;
    case 'teaching_workload':
      ok = isYear(record.year) && isNumber(record.hours, 0, 10_000);
      expected += 2;
      break;
    case 'teaching_evaluation':
      ok = isDate(record.date) && isPercent(record.score);
      expected += 2;
      break;
    case 'teaching_resource':
      ok = isDate(record.date) && isResourceType(record.resourceType) && isText(record.title) && isTeam(record);
      team = true;
      expected += 3;
      break;
    case 'teaching_reform_project':
      ok = isDate(record.date) && isLevel(record.level) && isTeam(record);
      team = true;
      expected += 2;
      break;
    case 'mentoring':
      ok =
        isDate(record.start) && (record.end === undefined || (isDate(record.end) && record.end >= record.start)) &&
        isMentoringRole(record.role) && isId(record.partnerId) && isOutcome(record.outcome);
      expected += 4;
      break;
    case 'international_training':
      ok = isDate(record.start) && isDate(record.end) && record.end >= record.start && isText(record.institution) && isText(record.country);
      expected += 4;
      break;
    case 'skill_competition':
      ok = isDate(record.date) && isLevel(record.level) && isAward(record.award) && isCompetitionRole(record.role) && isTeam(record);
      team = true;
      expected += 4;
      break;
    case 'certificate':
      ok = isDate(record.date) && isCertType(record.certType) && isCertLevel(record.level);
      expected += 3;
      break;
    case 'horizontal_project':
    case 'tech_transfer':
      ok = isDate(record.date) && isMoney(record.amountYuan) && isText(record.partner) && isTeam(record);
      team = true;
      expected += 3;
      break;
    case 'patent':
      ok = isDate(record.date) && isPatentType(record.patentType) && isTeam(record);
      team = true;
      expected += 2;
      break;
    case 'enterprise_training':
      ok =
        isDate(record.date) && isInt(record.trainees, 0, 1_000_000) && isNumber(record.hours, 0, 100_000) && isOptionalPercent(record.satisfaction) &&
        isTeam(record);
      team = true;
      satisfaction = true;
      expected += 3;
      break;
    case 'technical_service':
      ok = isDate(record.date) && isMoney(record.amountYuan) && isText(record.partner) && isOptionalPercent(record.satisfaction) && isTeam(record);
      team = true;
      satisfaction = true;
      expected += 3;
      break;
    case 'ethics_violation':
      ok = isDate(record.date) && isText(record.description);
      expected += 2;
      break;
    default:
      return false;
  }
  if (!ok) return false;
  // Optional keys present. A key holding `undefined` is counted by for…in but not here: such records take
  // the zod path.
  if (team && record.rank !== undefined) expected++;
  if (team && record.share !== undefined) expected++;
  if (satisfaction && record.satisfaction !== undefined) expected++;
  if (record.kind === 'enterprise_practice' && record.topics !== undefined) expected++;
  if (record.kind === 'mentoring' && record.end !== undefined) expected++;
  return keyCount(record) === expected;
}

function isStage(value: unknown): boolean {
  return value === 'new_teacher' || value === 'backbone_teacher' || value === 'program_leader' || value === 'cluster_lead';
}
function isTitle(value: unknown): boolean {
  return value === 'assistant' || value === 'lecturer' || value === 'associate_professor' || value === 'professor';
}

/** True when `input` is a valid teacher exactly as zod would output it. Same contract as isValidRecordFast. */
export function isValidTeacherFast(input: unknown): boolean {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return false;
  const teacher = input as Record<string, unknown>;
  return (
    isId(teacher.id) && isText(teacher.name) && isText(teacher.unit) && isDate(teacher.hireDate) && isStage(teacher.stage) && isDate(teacher.stageSince) &&
    isTitle(teacher.title) && isDate(teacher.titleSince) && keyCount(teacher) === 8
  );
}

/**
 * True when two of `ids` are equal. An open-addressing table of indices (FNV-1a over the characters, then a
 * final mix) at least twice the size of the list. Each slot keeps the id's hash beside its index, so a probe
 * reads another id's characters only when the hashes match: at half a million ids the strings are scattered
 * over the heap, and reading them is the cost. Several times faster than a Set, and no allocation per id.
 */
export function hasDuplicate(ids: readonly string[]): boolean {
  let size = 1024;
  while (size < ids.length * 2) size *= 2;
  const mask = size - 1;
  const indices = new Int32Array(size).fill(-1);
  const hashes = new Int32Array(size);
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    let hash = 0x811c9dc5;
    for (let char = 0; char < id.length; char++) hash = Math.imul(hash ^ id.charCodeAt(char), 0x01000193);
    // FNV's low bits mix poorly for short ids that differ in their last character; the table uses low bits.
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    hash ^= hash >>> 12;
    let slot = hash & mask;
    for (;;) {
      const other = indices[slot]!;
      if (other === -1) {
        indices[slot] = index;
        hashes[slot] = hash;
        break;
      }
      if (hashes[slot] === hash && ids[other] === id) return true;
      slot = (slot + 1) & mask;
    }
  }
  return false;
}
