import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  academicYearOf,
  appraise,
  assessProgress,
  expiryWarningDaysOf,
  recognitionsOf,
  type Policy,
  academicYearLabel,
  isValidDate,
  practiceOutlook,
  practiceRequirementOf,
  practiceStatus,
  prePostPracticeOf,
  progressOf,
  reviewSettings,
  stages,
  teacherCategories,
  teacherCategoryOf,
  teacherSchema,
  titles,
  type Teacher,
} from '@shizi/core';
import { actor, loadVisibleBundle, loadVisibleTeacher, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import type { TeacherBundle } from '../db/bundles.js';
import { practiceNextSteps, recognitionNextSteps } from '../next-steps.js';
import { nowIso } from '../db/index.js';
import { getTeacher, insertTeachers, listTeachers, stageFieldsChanged, updateDeparture, updateTeacher, type TeacherRow } from '../db/teachers.js';
import type { AppEnv } from '../env.js';
import { type GuardedChange, writeIfMatch } from '../if-match.js';
import { countsInYear } from '../departures.js';
import { label, langOf, type Lang } from '../i18n.js';
import { idempotentWrite } from '../idempotent.js';
import { errors, json, newApp, security } from '../openapi.js';
import { AppraisalView, PracticeView, Progress, ProgressView } from './responses.js';
import { ApiError, invalid, notFound } from '../errors.js';
import { StorageError } from '../db/storage.js';
import { appraisalOut, etagOf, gapsOut, requirementsOut, teacherOut, viewHead } from '../views.js';
import { Cursor, DateParam, decodeCursor, encodeCursor, ifMatchHeader, Limit, TeacherId, TeacherInput, TeacherOut, TeacherPatch, YearParam } from './schemas.js';

const createTeacher = createRoute({
  method: 'post',
  path: '/teachers',
  tags: ['Teachers'],
  summary: 'Create a teacher (HR)',
  security,
  middleware: [requireRole('hr')] as const,
  request: { body: { content: { 'application/json': { schema: TeacherInput } }, required: true } },
  responses: { 201: json(TeacherOut, 'Created'), ...errors('already-exists', 'content-too-large', 'unsupported-media-type') },
});

const listRoute = createRoute({
  method: 'get',
  path: '/teachers',
  tags: ['Teachers'],
  summary: 'List teachers (HR), filtered by unit, stage, title or category, with cursor pagination',
  security,
  middleware: [requireRole('hr')] as const,
  request: {
    query: z.object({
      unit: z.string().min(1).max(500).optional(),
      stage: z.enum(stages).optional(),
      title: z.enum(titles).optional(),
      category: z.enum(teacherCategories).optional(),
      includeDeparted: z.enum(['true', 'false']).optional().openapi({ description: 'true: also teachers who have left the college (by default a teacher drops out the day after their departure date)' }),
      cursor: Cursor,
      limit: Limit,
    }),
  },
  responses: { 200: json(z.object({ items: z.array(TeacherOut), nextCursor: z.string().nullable() }), 'A page of teachers'), ...errors() },
});

const getRoute = createRoute({
  method: 'get',
  path: '/teachers/{id}',
  tags: ['Teachers'],
  summary: "Get a teacher (HR, the teacher themself, or a unit reviewer of the teacher's unit); ETag for PATCH",
  security,
  middleware: [requireRole('hr', 'teacher', 'unit_reviewer')] as const,
  request: { params: TeacherId },
  responses: { 200: { ...json(TeacherOut, 'The teacher'), headers: { ETag: { schema: { type: 'string' } } } }, ...errors() },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/teachers/{id}',
  tags: ['Teachers'],
  summary: 'Update a teacher (HR); requires If-Match with the current ETag',
  security,
  middleware: [requireRole('hr')] as const,
  request: {
    params: TeacherId,
    headers: ifMatchHeader('GET'),
    body: { content: { 'application/json': { schema: TeacherPatch } }, required: true },
  },
  responses: { 200: json(TeacherOut, 'Updated'), ...errors('stage-change-refused', 'precondition-failed', 'precondition-required', 'content-too-large', 'unsupported-media-type') },
});

/**
 * An audited HR write on one teacher (POST /teachers/{id}/<action>, If-Match required, answering the teacher):
 * what the stage correction and the departure share; only the path, texts and body schema differ.
 */
function teacherWriteRoute<P extends string, B extends z.ZodType>(spec: { path: P; summary: string; description: string; body: B; answered: string }) {
  return createRoute({
    method: 'post',
    path: spec.path,
    tags: ['Teachers'],
    summary: spec.summary,
    description: spec.description,
    security,
    middleware: [requireRole('hr')] as const,
    request: {
      params: TeacherId,
      headers: ifMatchHeader('GET'),
      body: { content: { 'application/json': { schema: spec.body } }, required: true },
    },
    responses: { 200: json(TeacherOut, spec.answered), ...errors('precondition-failed', 'precondition-required', 'content-too-large', 'unsupported-media-type') },
  });
}

const stageCorrectionRoute = teacherWriteRoute({
  path: '/teachers/{id}/stage',
  summary: 'Correct a teacher’s stage (HR): an explicit, audited correction with a written reason; requires If-Match',
  description: 'For a stage entered wrongly (at creation or import). It does not check promotion’s rule: the reason is kept in the audit log with the stage before and after. Promotions go through POST /v1/teachers/{id}/promotion.',
  body: z
    .object({
      stage: z.enum(stages),
      stageSince: DateParam,
      reason: z.string().trim().min(10, { message: 'a written reason of at least 10 characters' }).max(2000),
    })
    .strict()
    .openapi('StageCorrection'),
  answered: 'Corrected',
});

const departureRoute = teacherWriteRoute({
  path: '/teachers/{id}/departure',
  summary: 'Record that a teacher leaves the college (HR): the last day of employment, with a reason; audited; requires If-Match',
  description:
    'From the day after `departedOn` the teacher drops out of GET /v1/teachers (unless `includeDeparted=true`); an academic year that starts after it no longer lists, ranks or counts the teacher in the unit quota headcount. Nothing is deleted: records and the appraisals of the years worked stay readable. `departedOn: null` withdraws a departure entered by mistake.',
  body: z
    .object({
      departedOn: DateParam.nullable().openapi({ description: 'last day of employment (离职日期) YYYY-MM-DD; null withdraws the departure' }),
      reason: z.string().trim().min(2, { message: 'a written reason (调离、辞职、退休…)' }).max(2000),
    })
    .strict()
    .openapi('TeacherDeparture'),
  answered: 'Recorded',
});

const promotionRoute = createRoute({
  method: 'post',
  path: '/teachers/{id}/promotion',
  tags: ['Teachers'],
  summary: 'Record a stage promotion (HR): refused unless assessProgress says eligible, or an override with a written reason',
  security,
  middleware: [requireRole('hr')] as const,
  description: 'Send `Idempotency-Key` to make retries safe (e.g. after a 503): the same key and body replays the first answer instead of promoting again; a different body answers 422.',
  request: {
    params: TeacherId,
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              asOf: DateParam,
              override: z.object({ reason: z.string().trim().min(10, { message: 'a written reason of at least 10 characters' }).max(2000) }).optional(),
            })
            .openapi('PromotionRequest'),
        },
      },
      required: true,
    },
  },
  responses: {
    200: json(z.object({ teacher: TeacherOut, from: z.enum(stages), to: z.enum(stages), overridden: z.boolean(), progress: Progress }).openapi('Promotion'), 'Promoted'),
    ...errors('not-eligible', 'top-of-growth-path', 'edit-conflict', 'idempotency-key-reused', 'content-too-large', 'unsupported-media-type'),
  },
});

const progressRoute = createRoute({
  method: 'get',
  path: '/teachers/{id}/progress',
  tags: ['Teacher views'],
  summary: 'Growth-path progress toward the next stage, with trace and gaps',
  security,
  middleware: [requireRole('hr', 'teacher', 'unit_reviewer')] as const,
  request: { params: TeacherId, query: z.object({ asOf: DateParam }) },
  responses: { 200: json(ProgressView, 'Progress'), ...errors() },
});

const practiceRoute = createRoute({
  method: 'get',
  path: '/teachers/{id}/practice',
  tags: ['Teacher views'],
  summary: 'Enterprise-practice status for an academic year',
  security,
  middleware: [requireRole('hr', 'teacher', 'unit_reviewer')] as const,
  request: { params: TeacherId, query: z.object({ year: YearParam, asOf: DateParam.optional() }) },
  responses: { 200: json(PracticeView, 'Practice status'), ...errors() },
});

const appraisalRoute = createRoute({
  method: 'get',
  path: '/teachers/{id}/appraisals/{year}',
  tags: ['Teacher views'],
  summary: 'Annual appraisal score with its full trace (before the unit quota)',
  security,
  middleware: [requireRole('hr', 'teacher', 'unit_reviewer')] as const,
  request: { params: TeacherId.extend({ year: YearParam.openapi({ param: { name: 'year', in: 'path' } }) }) },
  responses: { 200: json(AppraisalView, 'Appraisal'), ...errors('year-not-started', 'teacher-departed') },
});

/** An HR write of a stored teacher guarded by If-Match (`writeIfMatch`): 404 for an unknown teacher, then the plan's change and audit row in one batch; answers the teacher as written. */
async function writeTeacher(c: Context<AppEnv>, id: string, plan: (row: TeacherRow, now: string, version: number) => GuardedChange<TeacherRow>): Promise<TeacherRow> {
  const row = await getTeacher(c.get('db').k, id);
  if (!row) throw notFound('teacher');
  return writeIfMatch(c, 'teacher', row.version, (now, version) => plan(row, now, version));
}

/** An appraisal of an academic year that has not started (by the policy's calendar, today in UTC) is a clear 422, not a 0 total with a practice veto. */
export function refuseYearNotStarted(year: number, policy: Policy): void {
  const current = academicYearOf(nowIso().slice(0, 10), policy);
  if (year > current) throw new ApiError('year-not-started', `the academic year ${year}-${year + 1} has not started (the current one is ${current}-${current + 1})`, { year, currentYear: current });
}

function checkDate(value: string | undefined, path: string): void {
  if (value !== undefined && !isValidDate(value)) throw invalid([{ path, message: 'must be a real calendar date YYYY-MM-DD' }]);
}

/** Pre-post practice (core's prePostPracticeOf) with each gap's text in the asked language. */
function prePostOut(bundle: TeacherBundle, lang: Lang) {
  const prePost = prePostPracticeOf(bundle.row.teacher, bundle.records, bundle.policy);
  return { ...prePost, gaps: gapsOut(prePost.gaps, lang) };
}

function nextStepContext(bundle: TeacherBundle, lang: Lang) {
  return { records: new Map(bundle.records.map((record) => [record.id, record])), workflow: bundle.workflow, unit: bundle.row.teacher.unit, levels: reviewSettings(bundle.policy).levels, lang };
}

export const teachersApp = newApp()
  .openapi(createTeacher, async (c) => {
    const input = c.req.valid('json');
    // A teacher created without a category is a 专业课 teacher: stored, audited and answered as such.
    const teacher: Teacher = { ...input, category: teacherCategoryOf(input) };
    const db = c.get('db');
    const now = nowIso();
    try {
      await db.batch([...insertTeachers(db.k, [teacher], now), auditInsert(db.k, { ...actor(c), action: 'teacher.create', entity: 'teacher', entityId: teacher.id, detail: teacher })]);
    } catch (error) {
      if (error instanceof StorageError && error.isUniqueViolation('teachers')) throw new ApiError('already-exists', `teacher ${teacher.id} already exists`);
      throw error;
    }
    const row = { teacher, departedOn: null, version: 1, createdAt: now, updatedAt: now };
    c.header('ETag', etagOf(1));
    c.header('Location', `/v1/teachers/${encodeURIComponent(teacher.id)}`);
    return c.json(teacherOut(row, langOf(c)), 201);
  })
  .openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const after = decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw invalid([{ path: 'query.cursor', message: 'invalid cursor' }]);
    const employedOn = query.includeDeparted === 'true' ? undefined : nowIso().slice(0, 10);
    const page = await listTeachers(c.get('db').k, { unit: query.unit, stage: query.stage, title: query.title, category: query.category, employedOn, after, limit: query.limit });
    const lang = langOf(c);
    return c.json({ items: page.items.map((row) => teacherOut(row, lang)), nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await loadVisibleTeacher(c, id);
    c.header('ETag', etagOf(row.version));
    return c.json(teacherOut(row, langOf(c)), 200);
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const updated = await writeTeacher(c, id, (row, now, version) => {
      const merged = teacherSchema.safeParse({ ...row.teacher, ...patch, id });
      if (!merged.success) throw invalid(merged.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
      const stageFields = stageFieldsChanged(row.teacher, patch);
      if (stageFields.length > 0) {
        throw new ApiError('stage-change-refused', `the stage changes only through POST /v1/teachers/${id}/promotion, or the audited correction POST /v1/teachers/${id}/stage with a reason`, {
          errors: stageFields.map((path) => ({ path, message: `is ${row.teacher[path]}; it changes only through promotion or the audited stage correction` })),
        });
      }
      const db = c.get('db');
      return {
        change: updateTeacher(db.k, merged.data, row.version, now),
        rest: [auditInsert(db.k, { ...actor(c), action: 'teacher.update', entity: 'teacher', entityId: id, detail: { before: row.teacher, patch } }, { onlyIfChanged: true })],
        answer: { ...row, teacher: merged.data, version, updatedAt: now },
      };
    });
    return c.json(teacherOut(updated, langOf(c)), 200);
  })
  .openapi(stageCorrectionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const updated = await writeTeacher(c, id, (row, now, version) => {
      const merged = teacherSchema.safeParse({ ...row.teacher, stage: body.stage, stageSince: body.stageSince });
      if (!merged.success) throw invalid(merged.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
      const db = c.get('db');
      const detail = { before: { stage: row.teacher.stage, stageSince: row.teacher.stageSince }, after: { stage: body.stage, stageSince: body.stageSince }, reason: body.reason };
      return {
        change: updateTeacher(db.k, merged.data, row.version, now),
        rest: [auditInsert(db.k, { ...actor(c), action: 'teacher.stage.correct', entity: 'teacher', entityId: id, detail }, { onlyIfChanged: true })],
        answer: { ...row, teacher: merged.data, version, updatedAt: now },
      };
    });
    return c.json(teacherOut(updated, langOf(c)), 200);
  })
  .openapi(departureRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const updated = await writeTeacher(c, id, (row, now, version) => {
      if (body.departedOn !== null && body.departedOn < row.teacher.hireDate) throw invalid([{ path: 'departedOn', message: `must not be before the hire date ${row.teacher.hireDate}` }]);
      const db = c.get('db');
      return {
        change: updateDeparture(db.k, id, body.departedOn, row.version, now),
        rest: [auditInsert(db.k, { ...actor(c), action: 'teacher.departure', entity: 'teacher', entityId: id, detail: { before: row.departedOn, after: body.departedOn, reason: body.reason } }, { onlyIfChanged: true })],
        answer: { ...row, departedOn: body.departedOn, version, updatedAt: now },
      };
    });
    return c.json(teacherOut(updated, langOf(c)), 200);
  })
  .openapi(promotionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    checkDate(body.asOf, 'asOf');
    const db = c.get('db');
    const idempotency = await idempotentWrite(c, 'promotion', `${id}:${JSON.stringify(body)}`);
    const earlier = await idempotency.replayed();
    if (earlier) return earlier as never;
    const bundle = await loadVisibleBundle(c, id);
    const progress = assessProgress({ teacher: bundle.row.teacher, records: bundle.records, asOf: body.asOf, policy: bundle.policy });
    const lang = langOf(c);
    if (progress.nextStage === null) throw new ApiError('top-of-growth-path', 'already at the top of the growth path');
    if (!progress.eligible && !body.override) {
      throw new ApiError('not-eligible', 'not eligible for promotion; HR may override with a written reason', { gaps: gapsOut(progress.gaps, lang) });
    }
    const promoted: Teacher = { ...bundle.row.teacher, stage: progress.nextStage, stageSince: body.asOf };
    const now = nowIso();
    const expected = bundle.row.version;
    const updated = { teacher: promoted, departedOn: bundle.row.departedOn, version: expected + 1, createdAt: bundle.row.createdAt, updatedAt: now };
    const response = { teacher: teacherOut(updated, lang), from: progress.stage, to: progress.nextStage, overridden: !progress.eligible, progress: { ...progress, gaps: gapsOut(progress.gaps, lang) } };
    const twin = await idempotency.commit(
      updateTeacher(db.k, promoted, expected, now),
      [
        auditInsert(
          db.k,
          {
            ...actor(c),
            action: body.override && !progress.eligible ? 'teacher.promote.override' : 'teacher.promote',
            entity: 'teacher',
            entityId: id,
            detail: { from: progress.stage, to: progress.nextStage, asOf: body.asOf, eligible: progress.eligible, reason: body.override?.reason ?? null, gaps: progress.gaps, policyVersion: bundle.policy.version },
          },
          { onlyIfChanged: true },
        ),
      ],
      response,
      now,
      // Lost the race to another change of the teacher (a concurrent retry of this request is replayed instead).
      () => new ApiError('edit-conflict', 'the teacher changed while promoting; retry'),
    );
    if (twin) return twin as never;
    c.header('ETag', etagOf(updated.version));
    return c.json(response, 200);
  })
  .openapi(progressRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { asOf } = c.req.valid('query');
    checkDate(asOf, 'query.asOf');
    const bundle = await loadVisibleBundle(c, id);
    // Stored teachers and records were validated on write and the policy when parsed: core's trusted entry.
    const progress = progressOf(bundle.row.teacher, bundle.records, asOf, bundle.policy);
    const lang = langOf(c);
    return c.json(
      {
        ...viewHead(id, asOf, bundle.policy, lang),
        ...progress,
        stageLabel: labelOrNull('stage', progress.stage, lang),
        nextStageLabel: labelOrNull('stage', progress.nextStage, lang),
        requirements: requirementsOut(progress.requirements, lang),
        // The enterprise-practice requirement that applies to this teacher: the category's days and the binding rule.
        practiceRequirement: practiceRequirementOf(bundle.row.teacher, bundle.policy),
        // Practice owed before taking up the post (policy.practice.prePost), with its gaps.
        prePostPractice: prePostOut(bundle, lang),
        gaps: gapsOut(progress.gaps, lang).map((gap) => (gap.practice ? { ...gap, nextSteps: practiceNextSteps(gap.practice, nextStepContext(bundle, lang)) } : gap)),
        // Steps that are no gap of the next stage: a 双师型 recognition about to expire.
        nextSteps: recognitionNextSteps(recognitionsOf(bundle.records, asOf, expiryWarningDaysOf(bundle.policy)).warnings, lang),
      },
      200,
    );
  })
  .openapi(practiceRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { year, asOf } = c.req.valid('query');
    checkDate(asOf, 'query.asOf');
    const bundle = await loadVisibleBundle(c, id);
    const status = practiceStatus(bundle.row.teacher, bundle.records, year, bundle.policy, asOf);
    const outlook = practiceOutlook(status, asOf, bundle.policy);
    const lang = langOf(c);
    return c.json(
      {
        teacherId: id,
        policyVersion: bundle.policy.version,
        yearLabel: academicYearLabel(year),
        ...status,
        rollingYearLabels: status.rolling.years.map(academicYearLabel),
        outlook,
        nextSteps: practiceNextSteps(outlook, nextStepContext(bundle, lang)),
        prePostPractice: prePostOut(bundle, lang),
      },
      200,
    );
  })
  .openapi(appraisalRoute, async (c) => {
    const { id, year } = c.req.valid('param');
    const bundle = await loadVisibleBundle(c, id);
    refuseYearNotStarted(year, bundle.policy);
    if (!countsInYear(bundle.row.departedOn, year, bundle.policy)) {
      throw new ApiError('teacher-departed', `the teacher left the college on ${bundle.row.departedOn}, before the academic year ${year}-${year + 1} started`, { departedOn: bundle.row.departedOn, year });
    }
    const appraisal = appraise(bundle.row.teacher, bundle.records, year, bundle.policy);
    return c.json({ policyVersion: bundle.policy.version, ...appraisalOut(appraisal, langOf(c), bundle.policy) }, 200);
  });

function labelOrNull(kind: 'stage', value: string | null, lang: 'zh' | 'en'): string | null {
  return value === null ? null : label[kind](value, lang);
}
