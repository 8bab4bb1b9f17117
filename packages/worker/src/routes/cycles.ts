import { createRoute, z } from '@hono/zod-openapi';
import { academicYearLabel, academicYearOf, isValidDate, lastCompletedYears, rankTitleReview, titles, type EvidenceRecord, type Policy, type Teacher, type TitleReviewEntry } from '@shizi/core';
import type { Context } from 'hono';
import { actor, requireRole } from '../auth.js';
import { csvResponse, toCsv } from '../csv.js';
import { auditInsert } from '../db/audit.js';
import { cycleView, freezeCycle, insertCycle, listCycles, selectCandidateRecords, selectCandidates, selectCandidateTeachers, selectCycle, upsertCandidates, type CycleView } from '../db/cycles.js';
import { nowIso } from '../db/index.js';
import { newId, sha256Hex } from '../db/keys.js';
import { activePolicy, policyByVersion } from '../db/policies.js';
import { recordFromRow } from '../db/records.js';
import type { CycleCandidatesTable, ReviewCyclesTable, TeachersTable } from '../db/schema.js';
import { existingTeacherIds, teacherFromRow } from '../db/teachers.js';
import { employedOn } from '../departures.js';
import type { AppEnv } from '../env.js';
import { label, langOf, type Lang } from '../i18n.js';
import { idempotentWrite } from '../idempotent.js';
import { errors, json, newApp, security } from '../openapi.js';
import { TieBreakCategory, TitleReviewEntry as TitleReviewEntryOut } from './responses.js';
import { tieBreakOut } from '../views.js';
import { ApiError, invalid, notFound } from '../errors.js';
import { DateParam, Format } from './schemas.js';
import { writeWorkbook, xlsxResponse, XLSX_MEDIA_TYPE, type OutColumn, type OutSheet } from '../sheets/xlsx.js';

const CycleOut = z
  .object({
    id: z.string(),
    name: z.string(),
    asOf: z.string(),
    policyVersion: z.string(),
    status: z.enum(['open', 'frozen']),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    frozenAt: z.string().nullable(),
    frozenBy: z.string().nullable(),
    snapshotHash: z.string().nullable().openapi({ description: 'SHA-256 of the canonical inputs, set when frozen' }),
  })
  .openapi('ReviewCycle');
const Candidate = z.object({ teacherId: z.string().min(1).max(128), targetTitle: z.enum(titles) }).openapi('Candidate');
const CycleId = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const Ranking = z
  .object({
    cycle: CycleOut,
    frozen: z.boolean(),
    policyVersion: z.string(),
    inputsHash: z.string().openapi({ description: 'SHA-256 of the canonical inputs (candidates, their records, as-of date, policy)' }),
    tieBreak: z.array(TieBreakCategory).openapi({ description: 'the categories whose capped points, summed over the window, break ties (`tieBreak.transferAndServicePoints`)' }),
    windowYears: z.array(z.int()).openapi({ description: 'the review window: the policy’s last completed academic years as of the cycle’s date, oldest first' }),
    windowYearLabels: z.array(z.string()),
    entries: z.array(TitleReviewEntryOut),
  })
  .openapi('CycleRanking');

const readers = requireRole('hr', 'committee');
const writers = requireRole('hr');

const createCycle = createRoute({
  method: 'post',
  path: '/review-cycles',
  tags: ['Review cycles'],
  summary: 'Open a title-review cycle (HR) at an as-of date, pinned to a policy version (the active one by default)',
  security,
  middleware: [writers] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ name: z.string().trim().min(1).max(200), asOf: DateParam, policyVersion: z.string().min(1).max(100).optional() }).openapi('CreateCycle'),
        },
      },
      required: true,
    },
  },
  responses: { 201: json(CycleOut, 'Created'), ...errors('content-too-large', 'unsupported-media-type') },
});
const listRoute = createRoute({
  method: 'get',
  path: '/review-cycles',
  tags: ['Review cycles'],
  summary: 'List review cycles (HR, committee)',
  security,
  middleware: [readers] as const,
  responses: { 200: json(z.object({ items: z.array(CycleOut) }), 'Cycles'), ...errors() },
});
const getRoute = createRoute({
  method: 'get',
  path: '/review-cycles/{id}',
  tags: ['Review cycles'],
  summary: 'A review cycle and its candidates (HR, committee)',
  security,
  middleware: [readers] as const,
  request: { params: CycleId },
  responses: { 200: json(CycleOut.extend({ candidates: z.array(Candidate.extend({ addedAt: z.string() })) }), 'The cycle'), ...errors() },
});
const addCandidates = createRoute({
  method: 'post',
  path: '/review-cycles/{id}/candidates',
  tags: ['Review cycles'],
  summary: 'Add (or retarget) candidates with their target titles (HR); 409 once frozen',
  security,
  middleware: [writers] as const,
  request: {
    params: CycleId,
    body: { content: { 'application/json': { schema: z.object({ candidates: z.array(Candidate).min(1).max(2000) }).openapi('AddCandidates') } }, required: true },
  },
  responses: { 200: json(z.object({ cycleId: z.string(), candidates: z.int() }), 'Candidates set'), ...errors('cycle-frozen', 'content-too-large', 'unsupported-media-type') },
});
const rankingRoute = createRoute({
  method: 'get',
  path: '/review-cycles/{id}/ranking',
  tags: ['Review cycles'],
  summary: 'The ranked list (HR, committee): live while open, the frozen snapshot afterwards; format=csv for Excel',
  security,
  middleware: [readers] as const,
  request: { params: CycleId, query: z.object({ format: Format }) },
  responses: { 200: { description: 'Ranking', content: { 'application/json': { schema: Ranking }, 'text/csv': { schema: z.string() }, [XLSX_MEDIA_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } } }, ...errors('policy-missing') },
});
const freezeRoute = createRoute({
  method: 'post',
  path: '/review-cycles/{id}/freeze',
  tags: ['Review cycles'],
  summary: 'Freeze the cycle (HR): store the ranking, stamped with the policy version and a SHA-256 of its inputs; later changes answer 409',
  description: 'Send `Idempotency-Key` to make retries safe (e.g. after a 503): a retry with the same key replays the frozen answer instead of answering 409 already frozen.',
  security,
  middleware: [writers] as const,
  request: { params: CycleId, headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }) },
  responses: { 200: json(Ranking, 'Frozen'), ...errors('cycle-frozen', 'idempotency-key-reused', 'policy-missing', 'content-too-large') },
});

/** Deterministic JSON: object keys sorted, so equal inputs hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function loadCycle(c: Context<AppEnv>, id: string) {
  const db = c.get('db');
  const [cycleResult, candidateResult] = await db.batch([selectCycle(db.k, id), selectCandidates(db.k, id)]);
  const row = cycleResult?.results[0] as ReviewCyclesTable | undefined;
  if (!row) throw notFound('review cycle');
  return { row, candidates: (candidateResult?.results ?? []) as unknown as CycleCandidatesTable[] };
}

interface Computed {
  entries: ReturnType<typeof shapeEntries>;
  inputsHash: string;
  policy: Policy;
}

function shapeEntries(ranking: TitleReviewEntry[], teachers: Map<string, Teacher>) {
  return ranking.map((entry) => ({ ...entry, name: teachers.get(entry.teacherId)?.name ?? '', unit: teachers.get(entry.teacherId)?.unit ?? '' }));
}

async function compute(c: Context<AppEnv>, row: ReviewCyclesTable, candidates: CycleCandidatesTable[]): Promise<Computed> {
  const db = c.get('db');
  const policy = await cyclePolicy(c, row.policy_version);
  // Two statements in one round trip, however many candidates (subqueries on cycle_candidates, no id lists).
  const results = candidates.length === 0 ? [] : await db.batch([selectCandidateTeachers(db.k, row.id), selectCandidateRecords(db.k, row.id)]);
  const teacherRows = (results[0]?.results ?? []) as unknown as TeachersTable[];
  const records: EvidenceRecord[] = ((results[1]?.results ?? []) as { payload: string }[]).map(recordFromRow);
  // A candidate who left the college before the cycle's date is not ranked (departures.ts).
  const teachers = new Map(teacherRows.filter((teacherRow) => employedOn(teacherRow.departed_on ?? null, row.as_of)).map((teacherRow) => [teacherRow.id, teacherFromRow(teacherRow)]));
  const byTeacher = new Map<string, EvidenceRecord[]>();
  for (const record of records) {
    const list = byTeacher.get(record.teacherId);
    if (list) list.push(record);
    else byTeacher.set(record.teacherId, [record]);
  }
  const inputs = candidates
    .filter((candidate) => teachers.has(candidate.teacher_id))
    .map((candidate) => ({
      teacher: teachers.get(candidate.teacher_id)!,
      records: (byTeacher.get(candidate.teacher_id) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1)),
      targetTitle: candidate.target_title as Teacher['title'],
    }));
  const ranking = inputs.length === 0 ? [] : rankTitleReview({ candidates: inputs, asOf: row.as_of, policy });
  const inputsHash = await sha256Hex(canonicalJson({ asOf: row.as_of, policyVersion: policy.version, policy, candidates: inputs }));
  return { entries: shapeEntries(ranking, teachers), inputsHash, policy };
}

function withLabels(entries: Computed['entries'], lang: Lang) {
  return entries.map((entry) => ({
    ...entry,
    targetTitleLabel: label.title(entry.targetTitle, lang),
    reasonTexts: (entry.reasonDetails ?? []).map((detail) => detail[lang]),
  }));
}

function rankingHeader(lang: Lang): string[] {
  return lang === 'zh' ? ['申报职称', '名次', '教师编号', '姓名', '部门', '评审得分', '最低分', '通过', '符合条件', '原因'] : ['target title', 'rank', 'teacher id', 'name', 'unit', 'score', 'minimum', 'passed', 'eligible', 'reasons'];
}

function rankingRows(entries: Computed['entries'], lang: Lang) {
  const yes = lang === 'zh' ? '是' : 'yes';
  const no = lang === 'zh' ? '否' : 'no';
  return entries.map((entry) => [
    label.title(entry.targetTitle, lang),
    entry.rank,
    entry.teacherId,
    entry.name,
    entry.unit,
    entry.score.toFixed(2),
    entry.minScore,
    entry.passed ? yes : no,
    entry.eligible ? yes : no,
    (entry.reasonDetails ?? []).map((detail) => detail[lang]).join('\n'),
  ]);
}

function rankingCsv(entries: Computed['entries'], lang: Lang): string {
  return toCsv(rankingHeader(lang), rankingRows(entries, lang));
}

/** The CSV's columns after the cycle's name, as-of date and academic year; scores as two-decimal numbers. */
function rankingSheet(cycle: CycleView, entries: Computed['entries'], lang: Lang): OutSheet {
  const yearLabel = academicYearLabel(academicYearOf(cycle.asOf));
  const columns: OutColumn[] = [
    { header: lang === 'zh' ? '评审批次' : 'review cycle', width: 20 },
    { header: lang === 'zh' ? '评审基准日' : 'as of', width: 12 },
    { header: lang === 'zh' ? '学年' : 'academic year', width: 12 },
    ...rankingHeader(lang).map((header, index) => ({ header, ...(index === 5 || index === 6 ? { numFmt: '0.00' } : {}), ...(index === 9 ? { width: 60 } : {}) })),
  ];
  const rows = rankingRows(entries, lang).map((row) => [cycle.name, cycle.asOf, yearLabel, ...row.map((cell, index) => (index === 5 ? Number(cell) : cell))]);
  return { name: cycle.name, columns, rows };
}

/** review-cycle-<as-of year>-<cycle name>: what a download of one cycle is called. */
function cycleFileName(cycle: CycleView, extension: string): string {
  return `review-cycle-${cycle.asOf.slice(0, 4)}-${cycle.name.replace(/[\\/:*?"<>|]/g, '_')}.${extension}`;
}

interface Snapshot {
  policyVersion: string;
  inputsHash: string;
  entries: Computed['entries'];
}

/** The ranking as answered: the policy's tie-break categories and review window come with it, so no page computes them. */
function rankingBody(cycle: CycleView, snapshot: Snapshot, policy: Policy, lang: Lang) {
  const windowYears = lastCompletedYears(cycle.asOf, policy.titleReview.windowYears, policy.calendar.yearStart);
  return {
    cycle,
    frozen: cycle.status === 'frozen',
    policyVersion: snapshot.policyVersion,
    inputsHash: snapshot.inputsHash,
    tieBreak: tieBreakOut(policy),
    windowYears,
    windowYearLabels: windowYears.map(academicYearLabel),
    entries: withLabels(snapshot.entries, lang),
  };
}

/** The policy a cycle is pinned to; a cycle whose policy is not stored answers policy-missing. */
async function cyclePolicy(c: Context<AppEnv>, version: string): Promise<Policy> {
  const policy = await policyByVersion(c.get('db').k, version);
  if (!policy) throw new ApiError('policy-missing', `policy version ${version} of this review cycle is not stored`);
  return policy;
}

export const cyclesApp = newApp()
  .openapi(createCycle, async (c) => {
    const body = c.req.valid('json');
    const db = c.get('db');
    if (!isValidDate(body.asOf)) {
      throw invalid([{ path: 'asOf', message: 'must be a real calendar date YYYY-MM-DD' }]);
    }
    let version = body.policyVersion;
    if (version !== undefined) {
      if (!(await policyByVersion(db.k, version))) throw invalid([{ path: 'policyVersion', message: 'unknown policy version' }]);
    } else version = (await activePolicy(db.k)).version;
    const id = newId('cyc');
    const now = nowIso();
    const who = actor(c);
    await db.batch([
      insertCycle(db.k, { id, name: body.name, asOf: body.asOf, policyVersion: version, now, createdBy: who.actor }),
      auditInsert(db.k, { ...who, action: 'cycle.create', entity: 'review_cycle', entityId: id, detail: { name: body.name, asOf: body.asOf, policyVersion: version } }),
    ]);
    return c.json({ id, name: body.name, asOf: body.asOf, policyVersion: version, status: 'open' as const, createdAt: now, createdBy: who.actor, frozenAt: null, frozenBy: null, snapshotHash: null }, 201);
  })
  .openapi(listRoute, async (c) => c.json({ items: await listCycles(c.get('db').k) }, 200))
  .openapi(getRoute, async (c) => {
    const { row, candidates } = await loadCycle(c, c.req.valid('param').id);
    return c.json({ ...cycleView(row), candidates: candidates.map((candidate) => ({ teacherId: candidate.teacher_id, targetTitle: candidate.target_title as Teacher['title'], addedAt: candidate.added_at })) }, 200);
  })
  .openapi(addCandidates, async (c) => {
    const { id } = c.req.valid('param');
    const { candidates } = c.req.valid('json');
    const db = c.get('db');
    const { row } = await loadCycle(c, id);
    if (row.status === 'frozen') throw new ApiError('cycle-frozen', 'the review cycle is frozen; it can no longer change');
    const seen = new Set<string>();
    const issues = [];
    for (const [index, candidate] of candidates.entries()) {
      if (seen.has(candidate.teacherId)) issues.push({ path: `candidates[${index}].teacherId`, message: 'listed twice' });
      seen.add(candidate.teacherId);
    }
    const known = await existingTeacherIds(db.k, [...seen]);
    candidates.forEach((candidate, index) => {
      if (!known.has(candidate.teacherId)) issues.push({ path: `candidates[${index}].teacherId`, message: `unknown teacher "${candidate.teacherId}"` });
    });
    if (issues.length > 0) throw invalid(issues);
    const now = nowIso();
    const statements = upsertCandidates(db.k, id, candidates, now);
    const results = await db.batch([...statements, auditInsert(db.k, { ...actor(c), action: 'cycle.candidates', entity: 'review_cycle', entityId: id, detail: { candidates } }, { onlyIfChanged: true })]);
    const changed = results.slice(0, statements.length).reduce((sum, result) => sum + (result.meta.changes ?? 0), 0);
    if (changed === 0) throw new ApiError('cycle-frozen', 'the review cycle is frozen; it can no longer change');
    return c.json({ cycleId: id, candidates: candidates.length }, 200);
  })
  .openapi(rankingRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { format } = c.req.valid('query');
    const { row, candidates } = await loadCycle(c, id);
    const lang = langOf(c);
    const stored = row.status === 'frozen' && row.snapshot ? (JSON.parse(row.snapshot) as Snapshot) : null;
    const computed = stored ? null : await compute(c, row, candidates);
    const snapshot: Snapshot = stored ?? { policyVersion: computed!.policy.version, inputsHash: computed!.inputsHash, entries: computed!.entries };
    if (format === 'csv') return csvResponse(rankingCsv(snapshot.entries, lang), cycleFileName(cycleView(row), 'csv')) as never;
    if (format === 'xlsx') return xlsxResponse(await writeWorkbook([rankingSheet(cycleView(row), snapshot.entries, lang)]), cycleFileName(cycleView(row), 'xlsx')) as never;
    const policy = computed ? computed.policy : await cyclePolicy(c, snapshot.policyVersion);
    return c.json(rankingBody(cycleView(row), snapshot, policy, lang), 200);
  })
  .openapi(freezeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.get('db');
    const idempotency = await idempotentWrite(c, 'freeze', id);
    const earlier = await idempotency.replayed();
    if (earlier) return earlier as never;
    const { row, candidates } = await loadCycle(c, id);
    if (row.status === 'frozen') throw new ApiError('cycle-frozen', 'the review cycle is already frozen');
    const computed = await compute(c, row, candidates);
    const snapshot: Snapshot = { policyVersion: computed.policy.version, inputsHash: computed.inputsHash, entries: computed.entries };
    const now = nowIso();
    const who = actor(c);
    const frozen = cycleView({ ...row, status: 'frozen', frozen_at: now, frozen_by: who.actor, snapshot_hash: computed.inputsHash });
    const response = rankingBody(frozen, snapshot, computed.policy, langOf(c));
    const twin = await idempotency.commit(
      freezeCycle(db.k, { id, now, by: who.actor, snapshot: JSON.stringify(snapshot), hash: computed.inputsHash }),
      [auditInsert(db.k, { ...who, action: 'cycle.freeze', entity: 'review_cycle', entityId: id, detail: { inputsHash: computed.inputsHash, policyVersion: snapshot.policyVersion, candidates: candidates.length } }, { onlyIfChanged: true })],
      response,
      now,
      () => new ApiError('cycle-frozen', 'the review cycle is already frozen'),
    );
    if (twin) return twin as never;
    return c.json(response, 200);
  });
