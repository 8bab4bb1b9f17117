import { createRoute, z } from '@hono/zod-openapi';
import { comparePolicies, describePolicy, parsePolicy, parseRecords, registryOf, ValidationError, type EvidenceRecord, type Policy as CorePolicy } from '@shizi/core';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { actor, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { activePolicy, insertPolicy, listPolicies, policyByVersion, policyMeta } from '../db/policies.js';
import { countRecordsOfKinds, selectRecordPayloadsOfKinds } from '../db/records.js';
import { loadCollegeYear } from '../db/college.js';
import { label, langOf, type Lang } from '../i18n.js';
import { errors, json, looseObject, newApp, security } from '../openapi.js';
import { Policy } from './responses.js';
import { YearParam } from './schemas.js';
import { ApiError, invalid, notFound, type FieldIssue } from '../errors.js';
import { StorageError } from '../db/storage.js';

const Summary = z
  .object({
    version: z.string(),
    name: z.object({ zh: z.string(), en: z.string() }),
    createdAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    active: z.boolean(),
    builtIn: z.boolean(),
  })
  .openapi('PolicySummary');

const PolicyBody = looseObject('PolicyInput', 'A whole policy document (schema `Policy`), validated in the handler by @shizi/core parsePolicy, whose errors name every bad path');
const VersionParam = z.object({
  version: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'version', in: 'path' }, example: 'default-2026' }),
});
const readers = requireRole('admin', 'hr', 'committee', 'teacher');

const listRoute = createRoute({
  method: 'get',
  path: '/policies',
  tags: ['Policies'],
  summary: 'List policy versions (newest first; the first is active)',
  security,
  middleware: [readers] as const,
  responses: { 200: json(z.object({ items: z.array(Summary) }), 'Versions'), ...errors() },
});

const getRoute = createRoute({
  method: 'get',
  path: '/policies/{version}',
  tags: ['Policies'],
  summary: 'Get one policy version',
  security,
  middleware: [readers] as const,
  request: { params: VersionParam },
  responses: { 200: json(z.object({ version: z.string(), createdAt: z.string().nullable(), createdBy: z.string().nullable(), policy: Policy }).openapi('PolicyVersion'), 'The policy'), ...errors() },
});

const createPolicy = createRoute({
  method: 'post',
  path: '/policies',
  tags: ['Policies'],
  summary: 'Create a new policy version (admin); versions are immutable and the newest becomes active',
  security,
  middleware: [requireRole('admin')] as const,
  request: { body: { content: { 'application/json': { schema: PolicyBody } }, required: true } },
  responses: { 201: json(Summary, 'Created'), ...errors('already-exists', 'kind-in-use', 'content-too-large', 'unsupported-media-type') },
});

const TableLine = z.object({ id: z.string(), item: z.string(), basis: z.string(), points: z.array(z.object({ when: z.string(), points: z.number() })), limits: z.array(z.string()) });
const PolicyTable = z
  .object({
    version: z.string(),
    name: z.string(),
    categories: z.array(z.object({ id: z.string(), label: z.string(), cap: z.number(), lines: z.array(TableLine) })),
    grades: z.array(z.object({ grade: z.string(), label: z.string(), min: z.number().nullable() })),
    vetoes: z.array(z.string()),
    practice: z.string(),
    quota: z.string(),
  })
  .openapi('PolicyTable');

const tableRoute = createRoute({
  method: 'get',
  path: '/policies/{version}/table',
  tags: ['Policies'],
  summary: 'A policy as the printable appraisal table (量化考核表): every item with its points, filters, caps and vetoes, in zh or en by Accept-Language',
  security,
  middleware: [readers] as const,
  request: { params: VersionParam },
  responses: { 200: json(PolicyTable, 'The table'), ...errors() },
});

const TraceLine = z.object({
  category: z.string(),
  rule: z.string(),
  recordIds: z.array(z.string()),
  quantity: z.number(),
  share: z.number(),
  factor: z.number().optional(),
  points: z.number(),
  leftOut: z.object({ reason: z.string(), keptRecordId: z.string().optional() }).optional(),
});
/** A teacher's outcome under one side of a comparison, with its grades' labels in the asked language. */
function outcomeOut(outcome: { total: number; grade: string; finalGrade: string }, lang: Lang) {
  return { ...outcome, gradeLabel: label.grade(outcome.grade, lang) ?? outcome.grade, finalGradeLabel: label.grade(outcome.finalGrade, lang) ?? outcome.finalGrade };
}
const Outcome = z.object({ total: z.number(), grade: z.string(), finalGrade: z.string(), gradeLabel: z.string(), finalGradeLabel: z.string() });
const Comparison = z
  .object({
    year: z.int(),
    baselineVersion: z.string(),
    candidateVersion: z.string(),
    unit: z.string().nullable(),
    quotaGradeLabel: z.string().openapi({ description: 'the grade the excellence quota limits (the baseline’s), in the asked language: what `enters` and `leaves` refer to' }),
    teachers: z.array(z.object({ teacherId: z.string(), name: z.string(), unit: z.string(), baseline: Outcome, candidate: Outcome, linesOnlyInBaseline: z.array(TraceLine), linesOnlyInCandidate: z.array(TraceLine) })),
    summary: z.object({
      teachers: z.int(),
      totalChanged: z.int(),
      gradeChanged: z.int(),
      finalGradeChanged: z.int(),
      units: z.record(z.string(), z.object({ enters: z.array(z.string()), leaves: z.array(z.string()) })),
    }),
  })
  .openapi('PolicyComparison');

const compareRoute = createRoute({
  method: 'post',
  path: '/policies/compare',
  tags: ['Policies'],
  summary: 'What a draft policy would change (hr, committee, admin): each teacher’s total, grade and quota outcome under the baseline and the candidate, the trace lines that differ, and who enters or leaves excellent per unit',
  security,
  middleware: [requireRole('admin', 'hr', 'committee')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            year: YearParam,
            unit: z.string().min(1).max(500).optional(),
            baseline: z.string().min(1).max(100).optional().openapi({ description: 'a stored policy version; the active one by default' }),
            candidate: PolicyBody,
          }),
        },
      },
      required: true,
    },
  },
  responses: { 200: json(Comparison, 'The comparison'), ...errors('content-too-large', 'unsupported-media-type') },
});

/**
 * The kinds of `counts` (records of each) that `policy` does not declare, one issue each at `<prefix><kind>`, named by
 * `known` (the policy the records were written under), in the reader's language.
 */
function undeclaredKindIssues(counts: ReadonlyMap<string, number>, known: CorePolicy, prefix: string, lang: Lang): FieldIssue[] {
  const registry = registryOf(known);
  // in the order the kinds are declared (a kind `known` lacks, last)
  const order = (kind: string) => {
    const index = registry.kindIds.indexOf(kind);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...counts]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([kind, n]) => {
      const name = registry.label(kind);
      return {
        path: `${prefix}${kind}`,
        message:
          lang === 'zh'
            ? `有 ${n} 条「${name.zh}」（${kind}）记录，这一政策未声明该类型：请保留它的声明（不再计分只需删去其计分项）`
            : `${n} record(s) are of kind ${kind} (${name.en}), which this policy does not declare: keep its declaration (to stop scoring them, remove its scoring item)`,
      };
    });
}

/**
 * What stored records `next` could no longer read, one issue per kind at `evidenceKinds.<kind>`: records of an own
 * kind of `active` that `next` leaves out, and records of one it redeclares that no longer fit the new declaration
 * (an enum value gone, a field made required …). Only redeclared kinds' records are read.
 */
async function storedRecordsUnreadableUnder(k: Kysely<Database>, active: CorePolicy, next: CorePolicy, lang: Lang): Promise<FieldIssue[]> {
  const own = active.evidenceKinds ?? {};
  const nextKinds = registryOf(next);
  const dropped = Object.keys(own).filter((kind) => nextKinds.kind(kind) === undefined);
  const redeclared = Object.keys(own).filter((kind) => nextKinds.kind(kind) !== undefined && JSON.stringify(next.evidenceKinds?.[kind]) !== JSON.stringify(own[kind]));
  const issues = undeclaredKindIssues(await countRecordsOfKinds(k, dropped), active, 'evidenceKinds.', lang);
  if (redeclared.length === 0) return issues;
  const rows = await selectRecordPayloadsOfKinds(k, redeclared);
  const misfits = new Map<string, { records: Set<number>; first: { id: string; path: string; message: string } }>();
  try {
    parseRecords(
      rows.map((row) => JSON.parse(row.payload)),
      next,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const issue of error.issues) {
      const match = /^records\[(\d+)\]\.?(.*)$/.exec(issue.path);
      if (!match) continue;
      const row = rows[Number(match[1])]!;
      const entry = misfits.get(row.kind) ?? { records: new Set<number>(), first: { id: row.id, path: match[2] ?? '', message: issue.message } };
      entry.records.add(Number(match[1]));
      misfits.set(row.kind, entry);
    }
  }
  const activeKinds = registryOf(active);
  for (const [kind, { records, first }] of misfits) {
    const name = activeKinds.label(kind);
    // a whole-record problem (an unknown field) has no field path: the record id alone
    const where = { zh: first.path ? `${first.id} 的 ${first.path}` : first.id, en: first.path ? `${first.id}, ${first.path}` : first.id };
    issues.push({
      path: `evidenceKinds.${kind}`,
      message:
        lang === 'zh'
          ? `有 ${records.size} 条「${name.zh}」（${kind}）记录不符合新的声明（如 ${where.zh}：${first.message}）：请让新的声明仍接受已有记录`
          : `${records.size} record(s) of kind ${kind} (${name.en}) do not fit its new declaration (e.g. ${where.en}: ${first.message}): declare it so that stored records still fit`,
    });
  }
  return issues;
}

export const policiesApp = newApp()
  .openapi(listRoute, async (c) => c.json({ items: await listPolicies(c.get('db').k) }, 200))
  .openapi(getRoute, async (c) => {
    const { version } = c.req.valid('param');
    const db = c.get('db');
    const policy = await policyByVersion(db.k, version);
    if (!policy) throw notFound('policy version');
    const meta = await policyMeta(db.k, version);
    return c.json({ version, createdAt: meta?.created_at ?? null, createdBy: meta?.created_by ?? null, policy }, 200);
  })
  .openapi(tableRoute, async (c) => {
    const { version } = c.req.valid('param');
    const policy = await policyByVersion(c.get('db').k, version);
    if (!policy) throw notFound('policy version');
    return c.json(describePolicy(policy, langOf(c)), 200);
  })
  .openapi(compareRoute, async (c) => {
    const body = c.req.valid('json');
    const candidate = parsePolicy(body.candidate);
    const db = c.get('db');
    const { teachers, recordsByTeacher, policy: baseline } = await loadCollegeYear(db, { year: body.year, unit: body.unit, version: body.baseline, atLeastRollingYears: candidate.practice.rolling.years, alsoCalendar: candidate.calendar });
    if (!baseline) throw notFound('policy version');
    // Stored rows were validated on write; the candidate may declare kinds of its own, so every record is
    // checked against it once (comparePolicies validates both sides).
    const records: EvidenceRecord[] = [];
    const undeclared = new Map<string, number>();
    const candidateKinds = registryOf(candidate);
    for (const list of recordsByTeacher.values()) {
      records.push(...list);
      for (const record of list) if (candidateKinds.kind(record.kind) === undefined) undeclared.set(record.kind, (undeclared.get(record.kind) ?? 0) + 1);
    }
    // Rather than one "unknown kind" per record: the kinds the draft leaves out, with how many of the year's records.
    if (undeclared.size > 0) {
      const lang = langOf(c);
      throw invalid(undeclaredKindIssues(undeclared, baseline, 'candidate.evidenceKinds.', lang), lang === 'zh' ? '草案未声明所比较记录的部分类型' : 'the candidate leaves out evidence kinds the compared records are of');
    }
    const comparison = comparePolicies({ teachers, records, year: body.year, baseline, candidate });
    const names = new Map(teachers.map((teacher) => [teacher.id, teacher.name]));
    const lang = langOf(c);
    return c.json(
      {
        ...comparison,
        baselineVersion: baseline.version,
        candidateVersion: candidate.version,
        unit: body.unit ?? null,
        quotaGradeLabel: label.grade(baseline.appraisal.excellenceQuota.grade, lang) ?? baseline.appraisal.excellenceQuota.grade,
        teachers: comparison.teachers.map((entry) => ({ ...entry, name: names.get(entry.teacherId) ?? '', baseline: outcomeOut(entry.baseline, lang), candidate: outcomeOut(entry.candidate, lang) })),
      },
      200,
    );
  })
  .openapi(createPolicy, async (c) => {
    const policy = parsePolicy(c.req.valid('json'));
    const db = c.get('db');
    if (await policyByVersion(db.k, policy.version)) throw new ApiError('already-exists', `policy version ${policy.version} already exists; versions are immutable`);
    // A version that leaves out an own kind of the active one while records of it are stored, or redeclares it so
    // that they no longer fit, would make them unreadable and unscored. Checked before the write, not in it: a
    // record of that kind written between the two is not seen.
    const lang = langOf(c);
    const unreadable = await storedRecordsUnreadableUnder(db.k, await activePolicy(db.k), policy, lang);
    if (unreadable.length > 0)
      throw new ApiError('kind-in-use', lang === 'zh' ? '新政策删去或改动了已有记录所属的类型，这些记录将无法读取：未保存该版本' : 'the policy leaves out or redeclares evidence kinds so that stored records no longer fit: nothing was stored', { errors: unreadable });
    const now = nowIso();
    const who = actor(c);
    try {
      await db.batch([insertPolicy(db.k, policy, now, who.actor), auditInsert(db.k, { ...who, action: 'policy.create', entity: 'policy', entityId: policy.version })]);
    } catch (error) {
      if (error instanceof StorageError && error.isUniqueViolation('policies')) throw new ApiError('already-exists', `policy version ${policy.version} already exists; versions are immutable`);
      throw error;
    }
    return c.json({ version: policy.version, name: policy.name, createdAt: now, createdBy: who.actor, active: true, builtIn: false }, 201);
  });
