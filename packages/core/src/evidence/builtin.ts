import type { KindDeclaration } from './declaration.js';
import type { Bilingual, FieldSpec } from './fields.js';

/**
 * The sixteen evidence kinds of the default policy (SPEC §2). Adding a built-in kind is one entry here plus its
 * policy numbers; a college's own kinds are policy data (`policy.evidenceKinds`) in the same vocabulary.
 */

const date = (zh: string, en: string) => ({ type: 'date', label: { zh, en } }) as const;
const text = (zh: string, en: string) => ({ type: 'text', label: { zh, en } }) as const;
const yuan = (zh: string, en: string) => ({ type: 'yuan', label: { zh, en } }) as const;
const optional = <F extends FieldSpec>(field: F) => ({ ...field, optional: true }) as F & { optional: true };
function enumOf<const V extends Record<string, Bilingual>>(zh: string, en: string, values: V) {
  return { type: 'enum', label: { zh, en }, values } as const;
}

export const levelValues = {
  national: { zh: '国家级', en: 'national' },
  provincial: { zh: '省级', en: 'provincial' },
  municipal: { zh: '市级', en: 'municipal' },
  school: { zh: '校级', en: 'school' },
} as const;
export const awardValues = {
  first: { zh: '一等奖', en: 'first prize' },
  second: { zh: '二等奖', en: 'second prize' },
  third: { zh: '三等奖', en: 'third prize' },
  excellence: { zh: '优秀奖', en: 'excellence award' },
} as const;
export const resourceTypeValues = {
  worksheet: { zh: '项目工作页', en: 'worksheet' },
  slides: { zh: '课件', en: 'slides' },
  micro_lecture: { zh: '微课', en: 'micro-lecture' },
  question_bank: { zh: '题库', en: 'question bank' },
} as const;
export const certTypeValues = {
  dual_qualified: { zh: '双师型', en: 'dual-qualified' },
  vocational: { zh: '职业资格', en: 'vocational qualification' },
  one_plus_x: { zh: '1+X', en: '1+X' },
} as const;
export const certLevelValues = {
  junior: { zh: '初级', en: 'junior' },
  intermediate: { zh: '中级', en: 'intermediate' },
  senior: { zh: '高级', en: 'senior' },
} as const;
export const patentTypeValues = {
  invention: { zh: '发明专利', en: 'invention' },
  utility_model: { zh: '实用新型', en: 'utility model' },
  software_copyright: { zh: '软件著作权', en: 'software copyright' },
} as const;
export const issuingLevelValues = {
  school: { zh: '校', en: 'school' },
  city: { zh: '市', en: 'city' },
  province: { zh: '省', en: 'province' },
} as const;
/** Forms of enterprise practice (企业实践形式) the 2016 rule names; policy may weight or leave out each (`practice.forms`). */
export const practiceFormValues = {
  observation: { zh: '考察观摩', en: 'observation visit' },
  skill_training: { zh: '技能培训', en: 'skills training' },
  placement: { zh: '跟岗 / 顶岗', en: 'job shadowing / placement' },
  research: { zh: '研发 / 技术创新', en: 'R&D / technical innovation' },
} as const;
const satisfaction = optional({ type: 'decimal', min: 0, max: 100, label: { zh: '客户满意度', en: 'client satisfaction' } } as const);
const byDate = { by: 'date', field: 'date' } as const;

export const builtinKinds = {
  enterprise_practice: {
    label: { zh: '企业实践', en: 'enterprise practice' },
    noun: { en: 'enterprise practice period', enPlural: 'enterprise practice periods', zhUnit: '次' },
    fields: {
      start: date('开始日期', 'start date'),
      end: date('结束日期', 'end date'),
      enterprise: text('实践企业', 'enterprise'),
      topics: optional({ type: 'text_list', maxItems: 50, label: { zh: '实践内容', en: 'topics' } } as const),
      form: optional(enumOf('实践形式', 'form of practice', practiceFormValues)),
    },
    placement: { by: 'period', start: 'start', end: 'end' },
    period: { start: 'start', end: 'end' },
  },
  practice_exemption: {
    label: { zh: '企业实践免除', en: 'practice exemption' },
    noun: { en: 'practice exemption', enPlural: 'practice exemptions', zhUnit: '项' },
    fields: { year: { type: 'year', label: { zh: '学年', en: 'academic year' } }, reason: text('原因', 'reason') },
    placement: { by: 'year', field: 'year' },
    declarable: false,
  },
  teaching_workload: {
    label: { zh: '教学工作量', en: 'teaching workload' },
    noun: { en: 'teaching workload record', enPlural: 'teaching workload records', zhUnit: '项' },
    fields: {
      year: { type: 'year', label: { zh: '学年', en: 'academic year' } },
      hours: { type: 'decimal', min: 0, max: 10_000, label: { zh: '课时', en: 'class hours' } },
    },
    placement: { by: 'year', field: 'year' },
  },
  teaching_evaluation: {
    label: { zh: '教学评价', en: 'teaching evaluation' },
    noun: { en: 'teaching evaluation', enPlural: 'teaching evaluations', zhUnit: '次' },
    fields: { date: date('评价日期', 'date'), score: { type: 'decimal', min: 0, max: 100, label: { zh: '评价得分', en: 'score' } } },
    placement: byDate,
  },
  teaching_resource: {
    label: { zh: '教学资源', en: 'teaching resource' },
    noun: { en: 'teaching resource', enPlural: 'teaching resources', zhUnit: '项' },
    fields: { date: date('完成日期', 'date'), resourceType: enumOf('资源类型', 'resource type', resourceTypeValues), title: text('名称', 'title') },
    team: true,
    placement: byDate,
  },
  teaching_reform_project: {
    label: { zh: '教改课题', en: 'teaching-reform project' },
    noun: { en: 'teaching-reform project', enPlural: 'teaching-reform projects', zhUnit: '项' },
    fields: { date: date('立项日期', 'date'), level: enumOf('级别', 'level', levelValues) },
    team: true,
    placement: byDate,
  },
  mentoring: {
    label: { zh: '青蓝工程结对', en: 'mentoring pairing' },
    noun: { en: 'mentoring pairing', enPlural: 'mentoring pairings', zhUnit: '次' },
    fields: {
      start: date('结对开始', 'start date'),
      end: optional(date('结对结束', 'end date')),
      role: enumOf('角色', 'role', { mentor: { zh: '师傅', en: 'mentor' }, mentee: { zh: '徒弟', en: 'mentee' } }),
      partnerId: { type: 'teacher_ref', label: { zh: '结对教师工号', en: 'partner teacher id' } },
      outcome: enumOf('结果', 'outcome', { ongoing: { zh: '进行中', en: 'ongoing' }, passed: { zh: '已出师', en: 'passed' }, failed: { zh: '未通过', en: 'failed' } }),
    },
    placement: { by: 'date', field: 'end', whileAbsent: 'start' },
    period: { start: 'start', end: 'end' },
    scoredOn: 'end',
  },
  international_training: {
    label: { zh: '国际研修', en: 'international training' },
    noun: { en: 'international training period', enPlural: 'international training periods', zhUnit: '次' },
    fields: { start: date('开始日期', 'start date'), end: date('结束日期', 'end date'), institution: text('研修机构', 'institution'), country: text('国家/地区', 'country') },
    placement: { by: 'period', start: 'start', end: 'end' },
    period: { start: 'start', end: 'end' },
  },
  skill_competition: {
    label: { zh: '技能竞赛', en: 'skill competition' },
    noun: { en: 'skill competition award', enPlural: 'skill competition awards', zhUnit: '项' },
    fields: {
      date: date('获奖日期', 'date'),
      level: enumOf('级别', 'level', levelValues),
      award: enumOf('奖项', 'award', awardValues),
      role: enumOf('角色', 'role', { contestant: { zh: '参赛选手', en: 'contestant' }, coach: { zh: '指导教师', en: 'coach' } }),
    },
    team: true,
    placement: byDate,
  },
  certificate: {
    label: { zh: '证书', en: 'certificate' },
    noun: { en: 'certificate', enPlural: 'certificates', zhUnit: '项' },
    fields: { date: date('取得日期', 'date'), certType: enumOf('证书类型', 'certificate type', certTypeValues), level: enumOf('等级', 'level', certLevelValues) },
    placement: byDate,
  },
  dual_qualified_recognition: {
    // A 双师型 recognition (认定) the college or an authority issued; it counts only until validUntil.
    label: { zh: '双师型认定', en: 'dual-qualified recognition' },
    noun: { en: 'dual-qualified recognition', enPlural: 'dual-qualified recognitions', zhUnit: '项' },
    fields: {
      date: date('认定日期', 'date'),
      tier: enumOf('认定等级', 'tier', certLevelValues),
      issuingLevel: enumOf('认定层级', 'issuing level', issuingLevelValues),
      validUntil: date('有效期至', 'valid until'),
    },
    placement: byDate,
  },
  horizontal_project: {
    label: { zh: '横向课题', en: 'horizontal project' },
    noun: { en: 'horizontal project', enPlural: 'horizontal projects', zhUnit: '项' },
    fields: { date: date('到账日期', 'date'), amountYuan: yuan('到账金额（元）', 'funds received (yuan)'), partner: text('合作单位', 'partner') },
    team: true,
    placement: byDate,
  },
  patent: {
    label: { zh: '专利', en: 'patent' },
    noun: { en: 'patent', enPlural: 'patents', zhUnit: '项' },
    fields: { date: date('授权日期', 'date'), patentType: enumOf('专利类型', 'patent type', patentTypeValues) },
    team: true,
    placement: byDate,
  },
  tech_transfer: {
    label: { zh: '技术成果转化', en: 'technology transfer' },
    noun: { en: 'technology transfer', enPlural: 'technology transfers', zhUnit: '项' },
    fields: { date: date('到账日期', 'date'), amountYuan: yuan('转化收入（元）', 'income (yuan)'), partner: text('受让单位', 'partner') },
    team: true,
    placement: byDate,
  },
  enterprise_training: {
    label: { zh: '企业培训', en: 'enterprise training' },
    noun: { en: 'enterprise training course', enPlural: 'enterprise training courses', zhUnit: '次' },
    fields: {
      date: date('培训日期', 'date'),
      trainees: { type: 'integer', min: 0, max: 1_000_000, label: { zh: '培训人数', en: 'trainees' } },
      hours: { type: 'decimal', min: 0, max: 100_000, label: { zh: '培训学时', en: 'hours' } },
      satisfaction,
    },
    team: true,
    placement: byDate,
  },
  technical_service: {
    label: { zh: '技术服务', en: 'technical service' },
    noun: { en: 'technical service contract', enPlural: 'technical service contracts', zhUnit: '项' },
    fields: { date: date('到账日期', 'date'), amountYuan: yuan('合同到账（元）', 'contract income (yuan)'), partner: text('服务单位', 'partner'), satisfaction },
    team: true,
    placement: byDate,
  },
  ethics_violation: {
    label: { zh: '师德失范', en: 'ethics violation' },
    noun: { en: 'ethics violation', enPlural: 'ethics violations', zhUnit: '次' },
    fields: { date: date('认定日期', 'date'), description: text('情况说明', 'description') },
    placement: byDate,
    declarable: false,
  },
} as const satisfies Record<string, KindDeclaration>;

export type BuiltinKind = keyof typeof builtinKinds;
