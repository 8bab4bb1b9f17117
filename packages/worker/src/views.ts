import { academicYearLabel, gradeAtLeast, grades, labels, teacherCategoryOf, traceRuleLabel, vetoLabel, type Appraisal, type PracticeOutlook, type Policy } from '@shizi/core';
import type { StoredRecord } from './db/records.js';
import type { TeacherRow } from './db/teachers.js';
import { label, type Lang } from './i18n.js';
import { stateLabels } from './workflow.js';

/** Response shaping only: labels in the asked language next to core's values. No rule lives here. */

export function teacherOut(row: TeacherRow, lang: Lang) {
  const category = teacherCategoryOf(row.teacher);
  return {
    ...row.teacher,
    category,
    departedOn: row.departedOn,
    version: row.version,
    stageLabel: label.stage(row.teacher.stage, lang)!,
    titleLabel: label.title(row.teacher.title, lang)!,
    categoryLabel: label.teacherCategory(category, lang)!,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function etagOf(version: number): string {
  return `"v${version}"`;
}

export function storedRecordOut(stored: StoredRecord, lang: Lang) {
  return {
    record: stored.record,
    kindLabel: stored.kindLabel[lang],
    state: stored.state,
    stateLabel: stateLabels[stored.state][lang],
    stateSince: stored.stateSince,
    academicYears: stored.academicYears,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

/** An appraisal as the API answers it: category labels are the policy's own (renamed and added ones too). */
export function appraisalOut(appraisal: Appraisal, lang: Lang, policy: Policy) {
  const categories = new Map(policy.appraisal.categories.map((category) => [category.id, category.label]));
  const categoryLabel = (id: string) => categories.get(id)?.[lang] ?? label.category(id, lang);
  const finalGrade = appraisal.finalGrade ?? appraisal.grade;
  const finalGradeLabel = label.grade(finalGrade, lang) ?? finalGrade;
  // Why a teacher is where they are, said here so no page decides it: vetoes, a grade below competent (unless
  // an ethics veto already says why), and the excellence quota lowering the grade.
  const vetoName = (veto: string) => vetoLabel(policy, veto)[lang];
  const reasons: Array<{ code: string; label: string }> = appraisal.vetoes.map((veto) => ({ code: veto, label: vetoName(veto) }));
  if (!gradeAtLeast(appraisal.grade, 'competent') && !appraisal.vetoes.includes('ethics_violation')) {
    const competent = label.grade('competent', lang);
    reasons.push({ code: 'below_competent', label: lang === 'zh' ? `等次低于${competent}` : `grade below ${competent}` });
  }
  if (finalGrade !== appraisal.grade) {
    reasons.push({ code: 'excellence_quota', label: lang === 'zh' ? `${label.grade(policy.appraisal.excellenceQuota.grade, 'zh')}名额已满，降为${finalGradeLabel}` : `lowered to ${finalGradeLabel} by the excellence quota` });
  }
  return {
    ...appraisal,
    yearLabel: academicYearLabel(appraisal.year),
    /** Position of the final grade, best first (0 = excellent): what a board sorts the grade column by. */
    finalGradeRank: grades.indexOf(finalGrade),
    reasons,
    gradeLabel: label.grade(appraisal.grade, lang),
    finalGradeLabel: label.grade(appraisal.finalGrade ?? null, lang),
    vetoLabels: appraisal.vetoes.map(vetoName),
    vetoTrace: appraisal.vetoTrace.map((trace) => ({ ...trace, label: vetoName(trace.veto), gradeBeforeLabel: label.grade(trace.gradeBefore, lang) ?? trace.gradeBefore, gradeAfterLabel: label.grade(trace.gradeAfter ?? appraisal.grade, lang) ?? appraisal.grade })),
    categories: Object.fromEntries(Object.entries(appraisal.categories).map(([id, score]) => [id, { ...score, label: categoryLabel(id) }])),
    // in hundredths, exactly, as every points figure
    totalCap: Object.values(appraisal.categories).reduce((sum, score) => sum + Math.round(score.cap * 100), 0) / 100,
    items: appraisal.items.map((item) => ({ ...item, categoryLabel: categoryLabel(item.category), ruleLabel: traceRuleLabel(item.rule, policy)[lang] })),
  };
}

/** The grades best first, each with its zh/en label: what a page lists and names grades by (it holds no grade of its own). */
export function gradesOut(): Array<{ grade: (typeof grades)[number]; label: { zh: string; en: string } }> {
  return grades.map((grade) => ({ grade, label: { zh: label.grade(grade, 'zh') ?? grade, en: label.grade(grade, 'en') ?? grade } }));
}

/** The head of a teacher view (`teacherViewHead` in routes/responses.ts): whose, as of when, under which policy, in which language. */
export function viewHead(teacherId: string, asOf: string, policy: Policy, lang: Lang) {
  return { teacherId, asOf, policyVersion: policy.version, lang };
}

/**
 * The excellence quota's tie-break categories (`appraisal.excellenceQuota.tieBreak`), in the policy's order, each
 * with the policy's own zh/en label: what a board shows as its tie-break columns.
 */
export function tieBreakOut(policy: Policy): Array<{ id: string; label: { zh: string; en: string } }> {
  const byId = new Map(policy.appraisal.categories.map((category) => [category.id, category.label]));
  return policy.appraisal.excellenceQuota.tieBreak.map((id) => ({ id, label: byId.get(id) ?? { zh: id, en: id } }));
}

export interface GapLike {
  requirementId: string;
  zh: string;
  en: string;
  practice?: PracticeOutlook | undefined;
}
export function gapsOut<G extends GapLike>(gaps: readonly G[], lang: Lang): (G & { text: string })[] {
  return gaps.map((gap) => ({ ...gap, text: gap[lang] }));
}

interface YearLike {
  current: number | string;
  required?: number | string | undefined;
}
interface RequirementLike {
  type: string;
  current?: number | string | null | undefined;
  required?: number | string | undefined;
  label?: { zh: string; en: string } | undefined;
  perYear?: YearLike[] | undefined;
  children?: RequirementLike[] | undefined;
}
/**
 * The name of a requirement's value in the asked language: a grade_each_year line's grades (core's grade labels),
 * a certificate or dual_qualified_tier line's levels (core's certificate-level labels). Null for a number or none.
 */
export function requirementValueLabel(type: string, value: number | string | null | undefined, lang: Lang): string | null {
  if (typeof value !== 'string') return null;
  if (type === 'grade_each_year') return label.grade(value, lang);
  if (type === 'certificate' || type === 'dual_qualified_tier') return (labels.certLevels as Record<string, { zh: string; en: string }>)[value]?.[lang] ?? value;
  return null;
}
/** A requirement line with `labelText`, `currentLabel` and `requiredLabel`, and so every line below it. */
export type LabelledRequirement<T extends RequirementLike> = Omit<T, 'children' | 'perYear'> & {
  labelText: string | null;
  currentLabel: string | null;
  requiredLabel: string | null;
  perYear?: Array<NonNullable<T['perYear']>[number] & { currentLabel: string | null; requiredLabel: string | null }>;
  children?: LabelledRequirement<T>[];
};
/**
 * Adds `labelText` (in the asked language) to every requirement line of a requirement tree, and the names of its
 * values (`currentLabel` / `requiredLabel`, also per year): what a page shows instead of naming grades itself.
 */
export function requirementsOut<T extends RequirementLike>(node: T | null, lang: Lang): LabelledRequirement<T> | null {
  if (node === null) return null;
  const { children, perYear, ...line } = node;
  const named = (value: number | string | null | undefined) => requirementValueLabel(node.type, value, lang);
  return {
    ...line,
    labelText: node.label ? node.label[lang] : null,
    currentLabel: named(node.current),
    requiredLabel: named(node.required),
    ...(perYear ? { perYear: perYear.map((year) => ({ ...year, currentLabel: named(year.current), requiredLabel: named(year.required) })) } : {}),
    ...(children ? { children: children.map((child) => requirementsOut(child as T, lang)!) } : {}),
  };
}
