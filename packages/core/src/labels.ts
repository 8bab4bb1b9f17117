import type { CategoryId, Grade } from './policy.js';
import type { certLevels, certTypes, RecordKind, Stage, Title } from './records.js';

/**
 * Bilingual names of the domain's values, for gap texts, reasons and API answers. These are display text,
 * not rules: nothing here changes a result.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

/** How a record kind is spoken of in a sentence: singular and plural English, and the Chinese measure word. */
export interface RecordNoun extends Bilingual {
  enPlural: string;
  /** 量词 used with a count: 还需 2 项教学资源. */
  zhUnit: string;
}

const recordKinds: Record<RecordKind, Bilingual> = {
  enterprise_practice: { zh: '企业实践', en: 'enterprise practice' },
  practice_exemption: { zh: '企业实践免除', en: 'practice exemption' },
  teaching_workload: { zh: '教学工作量', en: 'teaching workload' },
  teaching_evaluation: { zh: '教学评价', en: 'teaching evaluation' },
  teaching_resource: { zh: '教学资源', en: 'teaching resource' },
  teaching_reform_project: { zh: '教改课题', en: 'teaching-reform project' },
  mentoring: { zh: '青蓝工程结对', en: 'mentoring pairing' },
  international_training: { zh: '国际研修', en: 'international training' },
  skill_competition: { zh: '技能竞赛', en: 'skill competition' },
  certificate: { zh: '证书', en: 'certificate' },
  horizontal_project: { zh: '横向课题', en: 'horizontal project' },
  patent: { zh: '专利', en: 'patent' },
  tech_transfer: { zh: '技术成果转化', en: 'technology transfer' },
  enterprise_training: { zh: '企业培训', en: 'enterprise training' },
  technical_service: { zh: '技术服务', en: 'technical service' },
  ethics_violation: { zh: '师德失范', en: 'ethics violation' },
};

const recordNouns: Record<RecordKind, RecordNoun> = {
  enterprise_practice: { ...recordKinds.enterprise_practice, en: 'enterprise practice period', enPlural: 'enterprise practice periods', zhUnit: '次' },
  practice_exemption: { ...recordKinds.practice_exemption, enPlural: 'practice exemptions', zhUnit: '项' },
  teaching_workload: { ...recordKinds.teaching_workload, en: 'teaching workload record', enPlural: 'teaching workload records', zhUnit: '项' },
  teaching_evaluation: { ...recordKinds.teaching_evaluation, enPlural: 'teaching evaluations', zhUnit: '次' },
  teaching_resource: { ...recordKinds.teaching_resource, enPlural: 'teaching resources', zhUnit: '项' },
  teaching_reform_project: { ...recordKinds.teaching_reform_project, enPlural: 'teaching-reform projects', zhUnit: '项' },
  mentoring: { ...recordKinds.mentoring, enPlural: 'mentoring pairings', zhUnit: '次' },
  international_training: { ...recordKinds.international_training, en: 'international training period', enPlural: 'international training periods', zhUnit: '次' },
  skill_competition: { ...recordKinds.skill_competition, en: 'skill competition award', enPlural: 'skill competition awards', zhUnit: '项' },
  certificate: { ...recordKinds.certificate, enPlural: 'certificates', zhUnit: '项' },
  horizontal_project: { ...recordKinds.horizontal_project, enPlural: 'horizontal projects', zhUnit: '项' },
  patent: { ...recordKinds.patent, enPlural: 'patents', zhUnit: '项' },
  tech_transfer: { ...recordKinds.tech_transfer, enPlural: 'technology transfers', zhUnit: '项' },
  enterprise_training: { ...recordKinds.enterprise_training, en: 'enterprise training course', enPlural: 'enterprise training courses', zhUnit: '次' },
  technical_service: { ...recordKinds.technical_service, en: 'technical service contract', enPlural: 'technical service contracts', zhUnit: '项' },
  ethics_violation: { ...recordKinds.ethics_violation, enPlural: 'ethics violations', zhUnit: '次' },
};

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
  certTypes: {
    dual_qualified: { zh: '双师型', en: 'dual-qualified' },
    vocational: { zh: '职业资格', en: 'vocational qualification' },
    one_plus_x: { zh: '1+X', en: '1+X' },
  } satisfies Record<(typeof certTypes)[number], Bilingual>,
  certLevels: {
    junior: { zh: '初级', en: 'junior' },
    intermediate: { zh: '中级', en: 'intermediate' },
    senior: { zh: '高级', en: 'senior' },
  } satisfies Record<(typeof certLevels)[number], Bilingual>,
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
 */
export function ruleLabel(rule: string): Bilingual {
  const words: Record<string, Bilingual> = { ...labels.ruleWords, ...labels.certTypes, ...labels.certLevels };
  const whole = (labels.ruleWords as Record<string, Bilingual>)[rule];
  if (whole) return whole;
  const [kind = '', ...rest] = rule.split('.');
  const parts = [(labels.recordKinds as Record<string, Bilingual>)[kind] ?? { zh: kind, en: kind }, ...rest.map((word) => words[word] ?? { zh: word, en: word })];
  return { zh: parts.map((part) => part.zh).join(' · '), en: parts.map((part) => part.en).join(' · ') };
}
