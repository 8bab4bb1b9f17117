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

/**
 * Expected key count of a team result: `base` plus `rank` and `share` when present, or -1 when either is
 * invalid. Takes the values rather than the record: loaded in each kind's own branch, a property read sees that
 * kind's few shapes instead of every shape of every kind.
 */
function teamKeys(rank: unknown, share: unknown, base: number): number {
  let keys = base;
  if (rank !== undefined) {
    if (!isInt(rank, 1, 1000)) return -1;
    keys++;
  }
  if (share !== undefined) {
    if (!(typeof share === 'number' && share > 0 && share <= 1)) return -1;
    keys++;
  }
  return keys;
}

/** `keys` plus one when the optional satisfaction is present, or -1 when it is invalid. */
function satisfactionKeys(satisfaction: unknown, keys: number): number {
  if (keys < 0 || satisfaction === undefined) return keys;
  return isPercent(satisfaction) ? keys + 1 : -1;
}

/** True when `input` is a valid record exactly as zod would output it (nothing to trim, no unknown key). */
export function isValidRecordFast(input: unknown): input is EvidenceRecord {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return false;
  const record = input as Record<string, unknown>;
  if (!isId(record.id) || !isId(record.teacherId) || !isStatus(record.status)) return false;
  // Own keys only, all known: each branch counts the keys its kind has (4 base keys, the required ones, the
  // optional ones present) and the total is compared with all keys. A key holding `undefined` is counted by
  // for…in but not here: such records take the zod path.
  let keys: number;
  switch (record.kind) {
    case 'enterprise_practice': {
      const { start, end, topics } = record;
      if (!(isDate(start) && isDate(end) && end >= start && isText(record.enterprise))) return false;
      if (topics === undefined) keys = 7;
      else if (Array.isArray(topics) && topics.length <= 50 && topics.every(isText)) keys = 8;
      else return false;
      break;
    }
    case 'practice_exemption':
      if (!(isYear(record.year) && isText(record.reason))) return false;
      keys = 6;
      break;
    case 'teaching_workload':
      if (!(isYear(record.year) && isNumber(record.hours, 0, 10_000))) return false;
      keys = 6;
      break;
    case 'teaching_evaluation':
      if (!(isDate(record.date) && isPercent(record.score))) return false;
      keys = 6;
      break;
    case 'teaching_resource':
      if (!(isDate(record.date) && isResourceType(record.resourceType) && isText(record.title))) return false;
      keys = teamKeys(record.rank, record.share, 7);
      break;
    case 'teaching_reform_project':
      if (!(isDate(record.date) && isLevel(record.level))) return false;
      keys = teamKeys(record.rank, record.share, 6);
      break;
    case 'mentoring': {
      const { start, end } = record;
      if (!(isDate(start) && isMentoringRole(record.role) && isId(record.partnerId) && isOutcome(record.outcome))) return false;
      if (end === undefined) keys = 8;
      else if (isDate(end) && end >= start) keys = 9;
      else return false;
      break;
    }
    case 'international_training': {
      const { start, end } = record;
      if (!(isDate(start) && isDate(end) && end >= start && isText(record.institution) && isText(record.country))) return false;
      keys = 8;
      break;
    }
    case 'skill_competition':
      if (!(isDate(record.date) && isLevel(record.level) && isAward(record.award) && isCompetitionRole(record.role))) return false;
      keys = teamKeys(record.rank, record.share, 8);
      break;
    case 'certificate':
      if (!(isDate(record.date) && isCertType(record.certType) && isCertLevel(record.level))) return false;
      keys = 7;
      break;
    case 'horizontal_project':
    case 'tech_transfer':
      if (!(isDate(record.date) && isMoney(record.amountYuan) && isText(record.partner))) return false;
      keys = teamKeys(record.rank, record.share, 7);
      break;
    case 'patent':
      if (!(isDate(record.date) && isPatentType(record.patentType))) return false;
      keys = teamKeys(record.rank, record.share, 6);
      break;
    case 'enterprise_training':
      if (!(isDate(record.date) && isInt(record.trainees, 0, 1_000_000) && isNumber(record.hours, 0, 100_000))) return false;
      keys = satisfactionKeys(record.satisfaction, teamKeys(record.rank, record.share, 7));
      break;
    case 'technical_service':
      if (!(isDate(record.date) && isMoney(record.amountYuan) && isText(record.partner))) return false;
      keys = satisfactionKeys(record.satisfaction, teamKeys(record.rank, record.share, 7));
      break;
    case 'ethics_violation':
      if (!(isDate(record.date) && isText(record.description))) return false;
      keys = 6;
      break;
    default:
      return false;
  }
  return keys >= 0 && keyCount(record) === keys;
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

/** FNV-1a over the characters, then a final mix (FNV's low bits mix poorly for ids that differ in the last character). */
export function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let char = 0; char < id.length; char++) hash = Math.imul(hash ^ id.charCodeAt(char), 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return hash ^ (hash >>> 12);
}

/** Ids are partitioned into 2^BUCKET_BITS buckets by the top bits of their hash. */
const BUCKET_BITS = 8;
const BUCKETS = 1 << BUCKET_BITS;

/**
 * True when two of `ids` are equal. Each id is hashed once, in order; the indices are then partitioned by the
 * hash's top bits, and each bucket (a few thousand ids at half a million) is checked with a small
 * open-addressing table that stays in the processor's cache. One table over all ids was twice as slow: each
 * insertion was a cache miss somewhere in megabytes. Ids' characters are compared only when hashes are
 * equal. No allocation per id; a bucket that gets every id (an adversarial list) is one big table, never a
 * quadratic scan.
 */
export function hasDuplicate(ids: readonly string[]): boolean {
  const hashes = new Int32Array(ids.length);
  for (let index = 0; index < ids.length; index++) hashes[index] = idHash(ids[index]!);
  return hasDuplicateHash(hashes, (a, b) => ids[a] === ids[b]);
}

/**
 * hasDuplicate for ids already hashed with idHash (`hashes[i]` for the i-th id): a caller that reads each record
 * anyway hashes its id while the characters are in the cache, and needs no list of the ids. `sameId(a, b)`
 * compares the ids at two indices; it is asked only when their hashes are equal.
 */
export function hasDuplicateHash(hashes: Int32Array, sameId: (a: number, b: number) => boolean): boolean {
  const count = hashes.length;
  const bucketStarts = new Int32Array(BUCKETS + 1);
  for (let index = 0; index < count; index++) bucketStarts[(hashes[index]! >>> (32 - BUCKET_BITS)) + 1]!++;
  let largest = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    largest = Math.max(largest, bucketStarts[bucket + 1]!);
    bucketStarts[bucket + 1]! += bucketStarts[bucket]!;
  }
  const byBucket = new Int32Array(count);
  const next = bucketStarts.slice(0, BUCKETS);
  for (let index = 0; index < count; index++) byBucket[next[hashes[index]! >>> (32 - BUCKET_BITS)]!++] = index;

  let size = 16;
  while (size < largest * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size);
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    slots.fill(-1);
    for (let position = bucketStarts[bucket]!; position < bucketStarts[bucket + 1]!; position++) {
      const index = byBucket[position]!;
      const hash = hashes[index]!;
      let slot = hash & mask;
      for (;;) {
        const other = slots[slot]!;
        if (other === -1) {
          slots[slot] = index;
          break;
        }
        if (hashes[other] === hash && sameId(other, index)) return true;
        slot = (slot + 1) & mask;
      }
    }
  }
  return false;
}
