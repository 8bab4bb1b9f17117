import { createRoute, z } from '@hono/zod-openapi';
import { academicYearLabel, growthFileOf, progressOf, registryOf, stages, statuses, type GrowthFile, type Progress } from '@shizi/core';
import { loadVisibleBundle, requireRole } from '../auth.js';
import type { TeacherBundle } from '../db/bundles.js';
import { isCycleCandidate } from '../db/files.js';
import { loadGrowthFileRows, type GrowthFileFile } from '../db/growth-file.js';
import { nowIso } from '../db/index.js';
import { label, langOf, type Lang } from '../i18n.js';
import { errors, json, newApp, security } from '../openapi.js';
import { answerHead, AppraisalOut, Gap, PracticeStatus, RequirementLine } from './responses.js';
import { appraisalOut, gapsOut, requirementsOut, teacherOut } from '../views.js';
import { stateLabels, states } from '../workflow.js';
import { dualQualifiedOut, DualQualifiedView } from './dual.js';
import { DateParam, TeacherId, TeacherOut } from './schemas.js';

/**
 * GET /v1/teachers/{id}/growth-file: the teacher's growth file (成长档案), every academic year of it, as
 * @shizi/core's growthFileOf computes it from the teacher, their records and the stage changes in the audit
 * log; this route only loads rows, decides who may read it, and adds labels.
 */

const HOW_LABELS: Record<GrowthFile['stageHistory'][number]['how'], { zh: string; en: string }> = {
  recorded: { zh: '档案记载', en: 'on file' },
  created: { zh: '建档录入', en: 'entered at creation' },
  promotion: { zh: '晋升', en: 'promotion' },
  promotion_override: { zh: '特批晋升', en: 'promotion by override' },
  correction: { zh: '更正', en: 'correction' },
  import: { zh: '导入更新', en: 'changed by import' },
};
const PRACTICE_STANDING_LABELS = {
  met: { zh: '达标', en: 'met' },
  short: { zh: '未达标', en: 'short' },
  at_risk: { zh: '有风险', en: 'at risk' },
  missed: { zh: '未达标（学年已结束）', en: 'missed (year over)' },
} as const;
/** A stored record: its envelope, and its kind's fields, whose values are text, numbers or lists of texts (GET /v1/kinds gives each kind's fields). */
const GrowthFileRecord = z
  .object({ id: z.string(), teacherId: z.string(), kind: z.string(), status: z.enum(statuses) })
  .catchall(z.union([z.string(), z.number(), z.array(z.string())]))
  .openapi('GrowthFileRecord', { description: 'the evidence record as stored (schema `Record`, or a kind the policy declares)' });
const GrowthFilePractice = PracticeStatus.extend({ standingLabel: z.string() }).openapi('GrowthFilePractice', { description: 'practiceStatus of the year (@shizi/core) with `standingLabel`' });
const GrowthFileAppraisal = AppraisalOut.openapi('GrowthFileAppraisal', { description: 'the year’s appraisal with its full trace and labels, before the unit quota (as GET /v1/teachers/{id}/appraisals/{year})' });
const FileOut = z.object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.int(), createdAt: z.string() });
const GrowthFileRecordOut = z.object({
  record: GrowthFileRecord,
  kindLabel: z.string(),
  state: z.enum(states),
  stateLabel: z.string(),
  stateSince: z.string(),
  files: z.array(FileOut).nullable().openapi({ description: 'the record’s live evidence files; null when the caller may not see them (the committee, for a teacher who is no review-cycle candidate)' }),
});
const GrowthPathOut = z
  .object({
    stage: z.enum(stages),
    stageLabel: z.string(),
    nextStage: z.enum(stages).nullable().openapi({ description: 'null at the top of the growth path' }),
    nextStageLabel: z.string().nullable(),
    eligible: z.boolean().openapi({ description: 'every requirement of the next stage met on asOf' }),
    requirements: z.union([RequirementLine, z.null()]).openapi({ description: 'the next stage’s requirement tree (met / current / required per line); null at the top' }),
    gaps: z.array(Gap).openapi({ description: 'what the teacher still needs for the next stage, in zh and en (empty when eligible)' }),
  })
  .openapi('GrowthFileGrowthPath', { description: 'the growth-path gaps: core’s progressOf on asOf, as GET /v1/teachers/{id}/progress answers it (without its next steps)' });
export const GrowthFileOut = z
  .object({
    teacher: TeacherOut,
    ...answerHead,
    currentYear: z.int(),
    currentYearLabel: z.string(),
    evidenceListed: z.boolean().openapi({ description: 'false when evidence file names are withheld from the caller (files are null)' }),
    stageHistory: z.array(
      z.object({
        stage: z.enum(stages),
        stageLabel: z.string(),
        since: z.string().nullable(),
        how: z.enum(['recorded', 'created', 'promotion', 'promotion_override', 'correction', 'import']),
        howLabel: z.string(),
        at: z.string().nullable(),
        reason: z.string().nullable(),
        superseded: z.boolean().openapi({ description: 'a later correction replaced this entry' }),
      }),
    ),
    years: z.array(
      z.object({
        year: z.int(),
        yearLabel: z.string(),
        closed: z.boolean(),
        practice: GrowthFilePractice,
        appraisal: z.union([GrowthFileAppraisal, z.null()]).openapi({ description: 'null before the hire year or after the current one' }),
        records: z.array(GrowthFileRecordOut),
      }),
    ),
    growthPath: GrowthPathOut,
    dualQualified: DualQualifiedView.omit({ teacherId: true, asOf: true, policyVersion: true, lang: true, expiryWarningDays: true }),
  })
  .openapi('GrowthFile');

const growthFileRoute = createRoute({
  method: 'get',
  path: '/teachers/{id}/growth-file',
  tags: ['Teacher views'],
  summary: 'The teacher’s growth file (成长档案): stage history, practice and appraisal of every academic year, 双师型 standing, records with evidence file names',
  description:
    'Readable by the teacher themself, a unit reviewer of the teacher’s unit, HR, the committee and admin (anyone else: 404). Evidence file names are given to the committee only for candidates of a review cycle, as the files themselves are. `asOf` defaults to today (UTC).',
  security,
  middleware: [requireRole('admin', 'hr', 'committee', 'teacher', 'unit_reviewer')] as const,
  request: {
    params: TeacherId,
    query: z.object({ asOf: DateParam.optional() }),
  },
  responses: { 200: json(GrowthFileOut, 'The growth file'), ...errors() },
});

/** The growth-path progress as the file shows it: labels in the asked language, the gaps' text. */
function growthPathOut(progress: Progress, lang: Lang) {
  return {
    stage: progress.stage,
    stageLabel: label.stage(progress.stage, lang)!,
    nextStage: progress.nextStage,
    nextStageLabel: progress.nextStage === null ? null : label.stage(progress.nextStage, lang)!,
    eligible: progress.eligible,
    requirements: requirementsOut(progress.requirements, lang),
    gaps: gapsOut(progress.gaps, lang),
  };
}

export function growthFileOut(bundle: TeacherBundle, file: GrowthFile, files: GrowthFileFile[] | null, lang: Lang, progress: Progress) {
  const byId = new Map(bundle.records.map((record) => [record.id, record]));
  const filesOf = new Map<string, GrowthFileFile[]>();
  for (const entry of files ?? []) filesOf.set(entry.recordId, [...(filesOf.get(entry.recordId) ?? []), entry]);
  return {
    teacher: teacherOut(bundle.row, lang),
    asOf: file.asOf,
    policyVersion: bundle.policy.version,
    lang,
    currentYear: file.currentYear,
    currentYearLabel: academicYearLabel(file.currentYear),
    evidenceListed: files !== null,
    stageHistory: file.stageHistory.map((period) => ({ ...period, stageLabel: label.stage(period.stage, lang)!, howLabel: HOW_LABELS[period.how][lang] })),
    years: file.years.map((year) => ({
      year: year.year,
      yearLabel: academicYearLabel(year.year),
      closed: year.closed,
      practice: { ...year.practice, standingLabel: PRACTICE_STANDING_LABELS[year.practice.standing][lang] },
      appraisal: year.appraisal === null ? null : appraisalOut(year.appraisal, lang, bundle.policy),
      records: year.recordIds.map((id) => {
        const record = byId.get(id)!;
        const workflow = bundle.workflow.get(id)!;
        return {
          record,
          kindLabel: registryOf(bundle.policy).label(record.kind)[lang],
          state: workflow.state,
          stateLabel: stateLabels[workflow.state][lang],
          stateSince: workflow.since,
          files: files === null ? null : (filesOf.get(id) ?? []).map(({ recordId: _recordId, ...rest }) => rest),
        };
      }),
    })),
    growthPath: growthPathOut(progress, lang),
    dualQualified: dualQualifiedOut(file.dualQualified, lang),
  };
}

export const growthFileApp = newApp().openapi(growthFileRoute, async (c) => {
  const { id } = c.req.valid('param');
  const { asOf = nowIso().slice(0, 10) } = c.req.valid('query');
  const principal = c.get('principal');
  const db = c.get('db');
  // Another unit's or another teacher's file: 404, as if it did not exist.
  const bundle = await loadVisibleBundle(c, id);
  const [rows, evidenceListed] = await Promise.all([loadGrowthFileRows(db, id), principal.role === 'committee' ? isCycleCandidate(db.k, id) : Promise.resolve(true)]);
  const file = growthFileOf(bundle.row.teacher, bundle.records, rows.stageEvents, asOf, bundle.policy);
  // the growth-path gaps: the same core answer GET /v1/teachers/{id}/progress gives
  const progress = progressOf(bundle.row.teacher, bundle.records, asOf, bundle.policy);
  return c.json(growthFileOut(bundle, file, evidenceListed ? rows.files : null, langOf(c), progress), 200);
});
