import { academicYearLabel, dayNumber, type EvidenceRecord, type PracticeOutlook } from '@shizi/core';
import type { RecordWorkflow } from './db/bundles.js';
import type { Lang } from './i18n.js';

/**
 * What would close a practice shortfall, and who must act: each pending record with the review it waits for
 * (and since when), a returned one with the reviewer's reason, and the days the teacher still has to declare.
 * Core decides which records and how many days (`practiceOutlook`); this only words them with the workflow's
 * states, which core does not know.
 */
export interface NextStep {
  /** Who acts: the teacher, the unit's reviewers, or the personnel office; null when the year is over. */
  actor: 'teacher' | 'unit' | 'hr' | null;
  recordId: string | null;
  zh: string;
  en: string;
  text: string;
}

interface Context {
  records: ReadonlyMap<string, EvidenceRecord>;
  workflow: ReadonlyMap<string, RecordWorkflow>;
  unit: string;
  levels: 1 | 2;
  lang: Lang;
}

function describe(record: EvidenceRecord): { zh: string; en: string } {
  const r = record as Record<string, unknown>;
  const where = typeof r.enterprise === 'string' ? r.enterprise : null;
  if (typeof r.start === 'string' && typeof r.end === 'string') {
    const days = dayNumber(r.end) - dayNumber(r.start) + 1;
    return {
      zh: `${record.id}（${where ? `${where}，` : ''}${r.start} 至 ${r.end}，${days} 天）`,
      en: `${record.id} (${where ? `${where}, ` : ''}${r.start}–${r.end}, ${days} ${days === 1 ? 'day' : 'days'})`,
    };
  }
  return { zh: record.id, en: record.id };
}

function step(actor: NextStep['actor'], recordId: string | null, zh: string, en: string, lang: Lang): NextStep {
  return { actor, recordId, zh, en, text: lang === 'zh' ? zh : en };
}

export function practiceNextSteps(outlook: PracticeOutlook, context: Context): NextStep[] {
  const steps: NextStep[] = [];
  for (const id of outlook.pendingRecordIds) {
    const record = context.records.get(id);
    const workflow = context.workflow.get(id);
    if (!record || !workflow) continue;
    const name = describe(record);
    const since = workflow.since.slice(0, 10);
    if (workflow.state === 'returned') {
      const reason = workflow.reason ?? '';
      steps.push(step('teacher', id, `${name.zh}已退回修改${reason ? `：${reason}` : ''}。请修改后重新提交`, `${name.en} was returned for correction${reason ? `: ${reason}` : ''}. Correct it and resubmit`, context.lang));
    } else if (workflow.state === 'submitted' && context.levels === 2) {
      steps.push(step('unit', id, `${name.zh}自 ${since} 起等待${context.unit}审核`, `${name.en} waits for ${context.unit} review since ${since}`, context.lang));
    } else {
      steps.push(step('hr', id, `${name.zh}自 ${since} 起等待人事处认定`, `${name.en} waits for the personnel office (人事处) to verify it since ${since}`, context.lang));
    }
  }
  if (outlook.undeclaredDays > 0) {
    const n = outlook.undeclaredDays;
    const days = n === 1 ? 'day' : 'days';
    if (outlook.yearClosed) {
      const label = academicYearLabel(outlook.year);
      steps.push(step(null, null, `${label} 学年已于 ${outlook.yearEnd} 结束，有 ${n} 天企业实践未申报`, `${label} ended on ${outlook.yearEnd} with ${n} practice ${days} never declared`, context.lang));
    } else {
      steps.push(step('teacher', null, `在 ${outlook.yearEnd} 前再申报 ${n} 天企业实践`, `declare ${n} more practice ${days} by ${outlook.yearEnd}`, context.lang));
    }
  }
  return steps;
}

/**
 * A held 双师型 recognition close to its validUntil (core's `recognitionsOf` warnings, the policy's warning
 * days): the teacher applies for re-recognition before it stops counting.
 */
export function recognitionNextSteps(warnings: readonly { recordId: string; zh: string; en: string }[], lang: Lang): NextStep[] {
  return warnings.map((warning) => step('teacher', warning.recordId, warning.zh, warning.en, lang));
}
