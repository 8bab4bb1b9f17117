import type { CategoryId, Grade } from './policy.js';
import { builtinKinds, certLevelValues, certTypeValues, issuingLevelValues } from './evidence/builtin.js';
import type { RecordKind, Stage, TeacherCategory, Title } from './records.js';

/**
 * Bilingual names of the domain's values, for gap texts, reasons and API answers. These are display text,
 * not rules: nothing here changes a result.
 */
export type { Bilingual } from './evidence/fields.js';
import type { Bilingual } from './evidence/fields.js';

/** How a record kind is spoken of in a sentence: singular and plural English, and the Chinese measure word. */
export interface RecordNoun extends Bilingual {
  enPlural: string;
  /** 量词 used with a count: 还需 2 项教学资源. */
  zhUnit: string;
}

// Kind names come from the kinds' declarations (evidence/builtin.ts): one entry per kind.
const recordKinds = Object.fromEntries(Object.entries(builtinKinds).map(([kind, declaration]) => [kind, declaration.label])) as Record<RecordKind, Bilingual>;
const recordNouns = Object.fromEntries(Object.entries(builtinKinds).map(([kind, declaration]) => [kind, { zh: declaration.label.zh, ...declaration.noun }])) as Record<RecordKind, RecordNoun>;

export const labels = {
  recordKinds,
  /** Phrasing of a record kind with a count (`2 more teaching resources`, `还需 2 项教学资源`). */
  recordNouns,
  stages: {
    new_teacher: { zh: '新教师', en: 'new teacher' },
    backbone_teacher: { zh: '骨干教师', en: 'backbone teacher' },
    program_leader: { zh: '专业带头人', en: 'program leader' },
    cluster_lead: { zh: '专业群负责人', en: 'cluster lead' },
  } satisfies Record<Stage, Bilingual>,
  titles: {
    assistant: { zh: '助教', en: 'assistant' },
    lecturer: { zh: '讲师', en: 'lecturer' },
    associate_professor: { zh: '副教授', en: 'associate professor' },
    professor: { zh: '教授', en: 'professor' },
  } satisfies Record<Title, Bilingual>,
  teacherCategories: {
    specialised: { zh: '专业课教师', en: 'specialised-course teacher' },
    practical_guidance: { zh: '实习指导教师', en: 'practical-guidance teacher' },
    public_basic: { zh: '公共基础课教师', en: 'public-course teacher' },
  } satisfies Record<TeacherCategory, Bilingual>,
  grades: {
    excellent: { zh: '优秀', en: 'excellent' },
    competent: { zh: '合格', en: 'competent' },
    basic: { zh: '基本合格', en: 'basic' },
    incompetent: { zh: '不合格', en: 'incompetent' },
  } satisfies Record<Grade, Bilingual>,
  categories: {
    teaching: { zh: '教学', en: 'teaching' },
    engineering_practice: { zh: '工程实践', en: 'engineering practice' },
    technical_innovation: { zh: '技术创新', en: 'technical innovation' },
    tech_transfer: { zh: '技术成果转化', en: 'technology transfer' },
    enterprise_service: { zh: '企业服务成效', en: 'enterprise service' },
  } satisfies Record<CategoryId, Bilingual>,
  vetoes: {
    ethics_violation: { zh: '师德失范一票否决', en: 'ethics violation veto' },
    practice_noncompliant: { zh: '企业实践未达标', en: 'enterprise practice not compliant' },
  } satisfies Record<'ethics_violation' | 'practice_noncompliant', Bilingual>,
  certTypes: certTypeValues,
  certLevels: certLevelValues,
  /** Who issued a 双师型 recognition: 校 / 市 / 省. */
  issuingLevels: issuingLevelValues,
  /** 双师型 tiers, and `none` for a teacher at no tier. */
  dualTiers: {
    none: { zh: '未达到', en: 'none' },
    junior: { zh: '初级双师型', en: 'junior dual-qualified' },
    intermediate: { zh: '中级双师型', en: 'intermediate dual-qualified' },
    senior: { zh: '高级双师型', en: 'senior dual-qualified' },
  } satisfies Record<'none' | 'junior' | 'intermediate' | 'senior', Bilingual>,
  /** Standing of a held recognition on the as-of date. */
  recognitionStandings: {
    valid: { zh: '有效', en: 'valid' },
    expiring: { zh: '即将到期', en: 'expiring soon' },
    expired: { zh: '已过期', en: 'expired' },
  } satisfies Record<'valid' | 'expiring' | 'expired', Bilingual>,
  /** Names of the words in appraisal rule ids (`skill_competition.national.first`) and of whole-line rules. */
  ruleWords: {
    practice_days: { zh: '企业实践天数', en: 'enterprise practice days' },
    international_training_days: { zh: '国际研修天数', en: 'international training days' },
    worksheet: { zh: '项目工作页', en: 'worksheet' },
    slides: { zh: '课件', en: 'slides' },
    micro_lecture: { zh: '微课', en: 'micro-lecture' },
    question_bank: { zh: '题库', en: 'question bank' },
    national: { zh: '国家级', en: 'national' },
    provincial: { zh: '省级', en: 'provincial' },
    municipal: { zh: '市级', en: 'municipal' },
    school: { zh: '校级', en: 'school' },
    first: { zh: '一等奖', en: 'first prize' },
    second: { zh: '二等奖', en: 'second prize' },
    third: { zh: '三等奖', en: 'third prize' },
    excellence: { zh: '优秀奖', en: 'excellence award' },
    invention: { zh: '发明专利', en: 'invention' },
    utility_model: { zh: '实用新型', en: 'utility model' },
    software_copyright: { zh: '软件著作权', en: 'software copyright' },
    mentor_passed: { zh: '师傅（徒弟已出师）', en: 'mentor, mentee passed' },
  } satisfies Record<string, Bilingual>,
} as const;

export type Labels = typeof labels;

/**
 * The display name of an appraisal rule id: `skill_competition.national.first` → 技能竞赛 · 国家级 · 一等奖 /
 * skill competition · national · first prize. Unknown words are shown as they are.
 * @example
 * ```ts
 * ruleLabel('skill_competition.national.first'); // { zh: '技能竞赛 · 国家级 · 一等奖', en: 'skill competition · national · first prize' }
 * ```
 */
export function ruleLabel(rule: string): Bilingual {
  const words: Record<string, Bilingual> = { ...labels.ruleWords, ...labels.certTypes, ...labels.certLevels };
  const whole = (labels.ruleWords as Record<string, Bilingual>)[rule];
  if (whole) return whole;
  const [kind = '', ...rest] = rule.split('.');
  const parts = [(labels.recordKinds as Record<string, Bilingual>)[kind] ?? { zh: kind, en: kind }, ...rest.map((word) => words[word] ?? { zh: word, en: word })];
  return { zh: parts.map((part) => part.zh).join(' · '), en: parts.map((part) => part.en).join(' · ') };
}
