import { createRoute, z } from '@hono/zod-openapi';
import {
  academicYearLabel,
  academicYearOf,
  academicYearPeriod,
  appraise,
  applyExcellenceQuota,
  certLevels,
  collegeDualQualifiedFigures,
  collegeFigures,
  dualQualifiedKinds,
  dualQualifiedOf,
  grades,
  labels,
  practiceBindings,
  ratioTargetOf,
  teacherCategoryOf,
  type AtRiskTeacher,
  type DualQualifiedFigures,
  type DualTier,
  type EvidenceRecord,
  type PracticeBinding,
  type Policy,
  type Teacher,
  type YearFigures,
} from '@shizi/core';
import { requireRole } from '../auth.js';
import { csvResponse, toCsv } from '../csv.js';
import { loadCollegeYear, loadDualQualifiedRecords } from '../db/college.js';
import { nowIso } from '../db/index.js';
import { ApiError, invalid, notFound } from '../errors.js';
import type { Principal } from '../env.js';
import { label, langOf, type Lang } from '../i18n.js';
import { GradeLabel } from './responses.js';
import { gradesOut } from '../views.js';
import { errors, newApp, security } from '../openapi.js';
import { writeWorkbook, xlsxResponse, type OutSheet } from '../sheets/xlsx.js';
import { Format, YearParam } from './schemas.js';

const FigureOut = z.object({ count: z.int(), teacherIds: z.array(z.string()) }).openapi('ReportFigure');
const RateOut = z.object({ numerator: z.int(), denominator: z.int(), hundredthsOfPercent: z.int().nullable().openapi({ description: '5000 means 50.00 %; null when no one is counted' }) }).openapi('ReportRate');
const tierKeys = [...certLevels, 'any'] as const;
const byTierOut = z.object(Object.fromEntries(tierKeys.map((tier) => [tier, FigureOut])) as Record<(typeof tierKeys)[number], typeof FigureOut>);
const DualQualifiedOut = z
  .object({
    asOf: z.string().openapi({ description: 'the date tiers and recognitions are assessed on: the academic year’s last day, or today while the year runs' }),
    basis: z.string().openapi({ description: 'which teachers the ratio is over: `specialised` (专业课 teachers)' }),
    teachers: FigureOut.openapi({ description: 'the 专业课 teachers present in the year: the denominator' }),
    leftOut: FigureOut.openapi({ description: 'teachers of other categories (实习指导, 公共基础课), not in the ratio' }),
    recognised: byTierOut.openapi({ description: 'by the highest tier of a verified recognition valid on asOf (one tier per teacher); `any`: all of them' }),
    rate: RateOut.openapi({ description: 'the 双师型 ratio: recognised.any over teachers' }),
    rateByTier: z.object(Object.fromEntries(certLevels.map((tier) => [tier, RateOut])) as Record<(typeof certLevels)[number], typeof RateOut>),
    target: z.object({ hundredthsOfPercent: z.int(), comparison: z.enum(['above', 'at_least']) }).openapi({ description: 'the policy’s target (policy.dualQualified.ratioTarget; the national “over 50 %” by default)' }),
    meetsTarget: z.boolean().nullable().openapi({ description: 'the exact fraction against the target; null with no 专业课 teacher' }),
    shortOfTarget: z.int().nullable().openapi({ description: 'recognised teachers still needed to meet the target (0 when met)' }),
    criteriaMet: byTierOut.openapi({ description: 'by the highest tier whose criteria the verified records meet on asOf, recognised or not' }),
    metAboveRecognised: FigureOut.openapi({ description: 'teachers meeting a tier above the one recognised (or any tier, holding none): recognitions due' }),
  })
  .openapi('ReportDualQualified');
const ShortOut = z.object({
  rule: z.enum(['annual', 'rolling']),
  label: z.string().openapi({ description: 'the rule named in the asked language, e.g. 年度要求 / 近 5 学年累计要求' }),
  countedDays: z.int(),
  requiredDays: z.int(),
  daysNeeded: z.int().openapi({ description: 'requiredDays − countedDays' }),
});
const ShortTeacherOut = z.object({ teacherId: z.string(), name: z.string(), unit: z.string(), daysNeeded: z.int().openapi({ description: 'the most days any rule of `short` still asks' }), short: z.array(ShortOut) }).openapi('ReportShortTeacher');
const YearFiguresOut = z
  .object({
    year: z.int(),
    yearLabel: z.string(),
    teachers: FigureOut,
    practice: z.object({ compliant: FigureOut, noncompliant: FigureOut, exempt: FigureOut, rate: RateOut }),
    grades: z.object(Object.fromEntries(grades.map((grade) => [grade, FigureOut])) as Record<(typeof grades)[number], typeof FigureOut>),
    atRisk: z.array(ShortTeacherOut).openapi({ description: 'the teachers not compliant under the binding rule (the same as practice.noncompliant), most days needed first, each with the binding rule’s figures it is short on (`short`: annual, rolling, or both under `both`)' }),
    atRiskRule: z.object({ binding: z.enum(practiceBindings), label: z.string() }).openapi({ description: 'the rule `atRisk` follows: the one that decides compliance (policy.practice.binding), named in the asked language (`daysNeeded` is what it still asks)' }),
    referenceShort: z.array(ShortTeacherOut).openapi({ description: 'for reference only: teachers compliant under the binding rule (not exempt) but short on the rule that does not bind (`referenceRule`); empty under `both`. Not in `atRisk`' }),
    referenceRule: z
      .object({ rule: z.enum(['annual', 'rolling']), label: z.string() })
      .nullable()
      .openapi({ description: 'the rule that does not bind, which `referenceShort` measures, named in the asked language; null under `both` (both rules bind)' }),
    dualQualified: DualQualifiedOut.openapi({ description: 'the 双师型 ratio among 专业课 teachers, by tier, against the policy’s target' }),
  })
  .openapi('ReportYearFigures');
const ReportOut = z
  .object({
    year: z.int(),
    yearLabel: z.string(),
    unit: z.string().nullable(),
    policyVersion: z.string(),
    grades: z.array(GradeLabel).openapi({ description: 'the grades best first, with their labels: the order and names of `grades` figures' }),
    tiers: z.array(z.object({ tier: z.enum(certLevels), label: z.string() })).openapi({ description: 'the 双师型 tiers lowest first, named in the asked language (初级双师型 / junior dual-qualified …): the order and names of `dualQualified.recognised` and `rateByTier`' }),
    college: YearFiguresOut.openapi({ description: 'the whole college, or the unit asked for' }),
    units: z.array(z.object({ unit: z.string(), figures: YearFiguresOut })),
    trend: z.array(YearFiguresOut).openapi({ description: 'earlier years first, ending with `year`' }),
    teachers: z.record(z.string(), z.object({ name: z.string(), unit: z.string() })).openapi({ description: 'every teacher the figures name, by id: what a page shows for the ids of a figure' }),
  })
  .openapi('Report');

const report = createRoute({
  method: 'get',
  path: '/reports',
  tags: ['Reports'],
  summary: "A year's report (HR, committee: the college or one unit; a unit reviewer: its unit): practice compliance, teachers short of days, grade distribution, the 双师型 ratio among 专业课 teachers by tier against the policy's target, trends",
  security,
  middleware: [requireRole('committee', 'hr', 'unit_reviewer')] as const,
  request: {
    query: z.object({
      year: YearParam,
      unit: z.string().min(1).max(500).optional(),
      years: z.coerce.number().int().min(1).max(10).default(5).openapi({ description: 'years in the trend, ending with `year`' }),
      format: Format,
    }),
  },
  responses: {
    200: {
      description: 'The report; every figure carries the ids of the teachers behind it',
      content: {
        'application/json': { schema: ReportOut },
        'text/csv': { schema: z.string() },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...errors(),
  },
});

type Names = Map<string, string>;

type Dual = DualQualifiedFigures & { asOf: string; basis: string };
interface DualYear {
  college: Dual;
  units: Map<string, Dual>;
  /** Each counted teacher's tiers, for the xlsx sheet. */
  teachers: { teacherId: string; unit: string; category: string; recognisedTier: DualTier; tierMet: DualTier }[];
}

function shape(figures: YearFigures, names: Names, dualQualified: Dual, rules: PracticeRules) {
  const dress = (entry: AtRiskTeacher) => ({ ...entry, name: names.get(entry.teacherId) ?? '', short: entry.short.map((short) => ({ ...short, label: rules.names[short.rule] })) });
  return { ...figures, yearLabel: academicYearLabel(figures.year), atRisk: figures.atRisk.map(dress), atRiskRule: rules.atRiskRule, referenceShort: figures.referenceShort.map(dress), referenceRule: rules.referenceRule, dualQualified };
}

type AtRiskRule = { binding: PracticeBinding; label: string };
type PracticeRule = 'annual' | 'rolling';
/** The practice rules of a policy as a report names them: the binding one (`atRisk`'s), the other (`referenceShort`'s), each rule. */
interface PracticeRules {
  atRiskRule: AtRiskRule;
  referenceRule: { rule: PracticeRule; label: string } | null;
  names: Record<PracticeRule, string>;
}

/** The rule that decides practice compliance under a policy (what a list of teachers short of days follows), the one that does not, and each rule's name. */
function practiceRulesOf(policy: Policy, lang: Lang): PracticeRules {
  const binding = policy.practice.binding ?? 'annual';
  const years = policy.practice.rolling.years;
  const byRule: Record<PracticeBinding, Record<Lang, string>> = {
    annual: { zh: '按年度要求', en: 'by the annual rule' },
    rolling: { zh: `按近 ${years} 学年累计要求`, en: `by the rolling ${years}-year rule` },
    both: { zh: `按年度与近 ${years} 学年累计要求`, en: `by the annual and the rolling ${years}-year rules` },
  };
  const names: Record<PracticeRule, Record<Lang, string>> = {
    annual: { zh: '年度要求', en: 'the annual rule' },
    rolling: { zh: `近 ${years} 学年累计要求`, en: `the rolling ${years}-year rule` },
  };
  const other: PracticeRule | null = binding === 'annual' ? 'rolling' : binding === 'rolling' ? 'annual' : null;
  return {
    atRiskRule: { binding, label: byRule[binding][lang] },
    referenceRule: other === null ? null : { rule: other, label: names[other][lang] },
    names: { annual: names.annual[lang], rolling: names.rolling[lang] },
  };
}

/** Only 专业课 (`specialised`) teachers are in the ratio; a teacher without a category is one (`teacherCategoryOf`). */
const BASIS = 'specialised';

/**
 * The 双师型 figures of one year: every present teacher assessed on the year's last day (today while the year
 * runs) by core's `dualQualifiedOf`, counted by `collegeDualQualifiedFigures` against the policy's target.
 */
function dualYear(year: number, present: readonly Teacher[], records: Map<string, EvidenceRecord[]>, policy: Policy, today: string): DualYear {
  const end = academicYearPeriod(year, policy.calendar.yearStart).end;
  const asOf = end < today ? end : today;
  const teachers = present.map((teacher) => {
    const assessment = dualQualifiedOf(teacher, records.get(teacher.id) ?? [], asOf, policy);
    return { teacherId: teacher.id, unit: teacher.unit, category: teacherCategoryOf(teacher), recognisedTier: assessment.recognisedTier, tierMet: assessment.tierMet };
  });
  // that year's target (policy.dualQualified.ratioTargetsByYear), so each trend year is judged by its own
  const figures = collegeDualQualifiedFigures(teachers, ratioTargetOf(policy, year), BASIS);
  const dress = (f: DualQualifiedFigures): Dual => ({ asOf, basis: BASIS, ...f });
  return { college: dress(figures.college), units: new Map(figures.units.map(({ unit, figures: f }) => [unit, dress(f)])), teachers };
}

const SUMMARY_HEADERS: Record<Lang, string[]> = {
  zh: ['学年', '范围', '教师数', '企业实践达标', '未达标', '免除', '达标率 %', ...grades.map((g) => label.grade(g, 'zh') ?? g), '专业课教师数', '双师型教师数', '初级', '中级', '高级', '双师型比例 %', '目标 %', '目标', '是否达标', '尚差人数', '符合条件未认定'],
  en: [
    'academic year',
    'scope',
    'teachers',
    'practice compliant',
    'noncompliant',
    'exempt',
    'compliance %',
    ...grades.map((g) => label.grade(g, 'en') ?? g),
    'specialised-course teachers',
    'dual-qualified',
    'junior',
    'intermediate',
    'senior',
    'dual-qualified %',
    'target %',
    'target',
    'target met',
    'still needed',
    'met, not yet recognised',
  ],
};
/** Columns of the summary holding a percentage (two decimals). */
const PERCENT_COLUMNS = new Set([6, 7 + grades.length + 5, 7 + grades.length + 6]);
const DUAL_HEADERS: Record<Lang, string[]> = {
  zh: ['学年', '教师编号', '姓名', '部门', '教师类别', '计入比例', '认定等级（有效）', '符合条件等级'],
  en: ['academic year', 'teacher id', 'name', 'unit', 'category', 'in the ratio', 'recognised tier (valid)', 'tier met'],
};
const RISK_HEADERS: Record<Lang, string[]> = {
  zh: ['学年', '教师编号', '姓名', '部门', '不足的要求', '已计天数', '要求天数', '尚需天数'],
  en: ['academic year', 'teacher id', 'name', 'unit', 'rule short on', 'counted days', 'required days', 'days still needed'],
};

/** The titles of the two practice sheets: the binding rule's list and the reference one, named as the page heads them. */
function shortTitles(year: number, rules: PracticeRules, lang: Lang): { atRisk: string; reference: string } {
  const yearLabel = academicYearLabel(year);
  const binding = rules.atRiskRule.label;
  const other = rules.referenceRule?.label ?? '';
  return lang === 'zh'
    ? { atRisk: `${yearLabel} 学年企业实践天数不足的教师（${binding}）`, reference: `${yearLabel} 学年${binding}达标、但${other}不足的教师（仅供参考）` }
    : { atRisk: `Teachers short of practice days, ${yearLabel} (${binding})`, reference: `Compliant ${binding}, short on ${other}, ${yearLabel} (for reference)` };
}

function summaryRow(scope: string, figures: YearFigures, dual: Dual, lang: Lang): (string | number | null)[] {
  const rate = figures.practice.rate.hundredthsOfPercent;
  const dualRate = dual.rate.hundredthsOfPercent;
  const yes = lang === 'zh' ? ['是', '否'] : ['yes', 'no'];
  return [
    academicYearLabel(figures.year),
    scope,
    figures.teachers.count,
    figures.practice.compliant.count,
    figures.practice.noncompliant.count,
    figures.practice.exempt.count,
    rate === null ? null : rate / 100,
    ...grades.map((grade) => figures.grades[grade].count),
    dual.teachers.count,
    dual.recognised.any.count,
    dual.recognised.junior.count,
    dual.recognised.intermediate.count,
    dual.recognised.senior.count,
    dualRate === null ? null : dualRate / 100,
    dual.target.hundredthsOfPercent / 100,
    dual.target.comparison === 'above' ? (lang === 'zh' ? '高于' : 'above') : lang === 'zh' ? '不低于' : 'at least',
    dual.meetsTarget === null ? null : dual.meetsTarget ? yes[0]! : yes[1]!,
    dual.shortOfTarget,
    dual.metAboveRecognised.count,
  ];
}

const tierLabel = (tier: DualTier, lang: Lang) => labels.dualTiers[tier][lang];
const categoryLabel = (category: string, lang: Lang) => (labels.teacherCategories as Record<string, { zh: string; en: string }>)[category]?.[lang] ?? category;

function reportTables(body: { college: YearFigures; units: { unit: string; figures: YearFigures }[]; trend: YearFigures[] }, duals: Map<number, DualYear>, rules: PracticeRules, scope: string, names: Names, lang: Lang) {
  const current = duals.get(body.college.year)!;
  const summary = [...body.trend.map((figures) => summaryRow(scope, figures, duals.get(figures.year)!.college, lang)), ...body.units.map(({ unit, figures }) => summaryRow(unit, figures, current.units.get(unit)!, lang))];
  // one row per teacher and rule short on (under `both` a teacher may be short on both)
  const rowsOf = (entries: readonly AtRiskTeacher[]) =>
    entries.flatMap((entry) => entry.short.map((short) => [academicYearLabel(body.college.year), entry.teacherId, names.get(entry.teacherId) ?? '', entry.unit, rules.names[short.rule], short.countedDays, short.requiredDays, short.daysNeeded]));
  const risk = rowsOf(body.college.atRisk);
  const reference = rowsOf(body.college.referenceShort);
  const yes = lang === 'zh' ? ['是', '否'] : ['yes', 'no'];
  const dual = [...current.teachers]
    .sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.teacherId < b.teacherId ? -1 : a.teacherId > b.teacherId ? 1 : 0))
    .map((t) => [academicYearLabel(body.college.year), t.teacherId, names.get(t.teacherId) ?? '', t.unit, categoryLabel(t.category, lang), t.category === BASIS ? yes[0]! : yes[1]!, tierLabel(t.recognisedTier, lang), tierLabel(t.tierMet, lang)]);
  return { summary, risk, reference, dual };
}

export function reportFileName(year: number, unit: string | undefined, extension: string): string {
  return `report-${year}${unit ? `-${unit}` : ''}.${extension}`;
}

/**
 * The unit a report is of. A unit reviewer sees its own unit only: named, or its only one by default; another
 * unit is not its to know of (404, as the digests answer).
 */
function reportUnit(principal: Principal, asked: string | undefined): string | undefined {
  if (principal.role !== 'unit_reviewer') return asked;
  const units = principal.units ?? [];
  if (asked !== undefined) {
    if (!units.includes(asked)) throw new ApiError('not-found', 'unit not found');
    return asked;
  }
  if (units.length === 1) return units[0];
  throw invalid([{ path: 'query.unit', message: `a unit reviewer of several units names one of them (${units.join(', ')})` }]);
}

/** Name and unit of every teacher counted in some year of the report, by id (sorted). */
function namedIn(trend: readonly YearFigures[], people: ReadonlyMap<string, { name: string; unit: string }>) {
  const counted = new Set(trend.flatMap((figures) => figures.teachers.teacherIds));
  return Object.fromEntries([...counted].sort().map((id) => [id, people.get(id) ?? { name: '', unit: '' }]));
}

export const reportsApp = newApp().openapi(report, async (c) => {
  const query = c.req.valid('query');
  const { year, years, format } = query;
  const unit = reportUnit(c.get('principal'), query.unit);
  const db = c.get('db');
  const trend: YearFigures[] = [];
  const names: Names = new Map();
  const duals = new Map<number, DualYear>();
  const practiceRules = new Map<number, PracticeRules>();
  const people = new Map<string, { name: string; unit: string }>();
  let current: ReturnType<typeof collegeFigures> | null = null;
  let policyVersion = '';
  let dualRecords: Map<string, EvidenceRecord[]> | null = null;
  const today = nowIso().slice(0, 10);
  for (let trendYear = year - years + 1; trendYear <= year; trendYear++) {
    const { teachers, recordsByTeacher, policy } = await loadCollegeYear(db, { year: trendYear, unit });
    if (!policy) throw notFound('policy version');
    policyVersion = policy.version;
    // 双师型 reads certificates, recognitions and mentoring of any date: loaded once, for every year.
    dualRecords ??= await loadDualQualifiedRecords(db, dualQualifiedKinds(policy), unit);
    for (const teacher of teachers) {
      names.set(teacher.id, teacher.name);
      people.set(teacher.id, { name: teacher.name, unit: teacher.unit });
    }
    // Teachers hired after the year ended were not there to be appraised.
    const present = teachers.filter((teacher) => academicYearOf(teacher.hireDate, policy) <= trendYear);
    const appraisals = applyExcellenceQuota(
      present.map((teacher) => ({ unit: teacher.unit, appraisal: appraise(teacher, recordsByTeacher.get(teacher.id) ?? [], trendYear, policy) })),
      policy,
    );
    const unitOf = new Map(present.map((teacher) => [teacher.id, teacher.unit]));
    const figures = collegeFigures(
      trendYear,
      appraisals.map((appraisal) => ({ unit: unitOf.get(appraisal.teacherId)!, appraisal })),
    );
    trend.push(figures.college);
    duals.set(trendYear, dualYear(trendYear, present, dualRecords, policy, today));
    practiceRules.set(trendYear, practiceRulesOf(policy, langOf(c)));
    if (trendYear === year) current = figures;
  }
  const { college, units } = current!;
  const lang = langOf(c);
  const scope = unit ?? (lang === 'zh' ? '全校' : 'college');
  if (format === 'csv' || format === 'xlsx') {
    const rules = practiceRules.get(year)!;
    const { summary, risk, reference, dual } = reportTables({ college, units, trend }, duals, rules, scope, names, lang);
    if (format === 'csv') return csvResponse(toCsv(SUMMARY_HEADERS[lang], summary), reportFileName(year, unit, 'csv')) as never;
    const sheets: OutSheet[] = [
      {
        name: lang === 'zh' ? `${academicYearLabel(year)}学年报表` : `report ${academicYearLabel(year)}`,
        columns: SUMMARY_HEADERS[lang].map((header, index) => ({ header, ...(PERCENT_COLUMNS.has(index) ? { numFmt: '0.00' } : {}), ...(index < 2 ? { width: 16 } : {}) })),
        rows: summary,
      },
      // titled, as the page's list is headed, by the binding rule it follows (the atRiskRule the JSON answer sends)
      { name: lang === 'zh' ? '企业实践不足' : 'practice short', title: shortTitles(year, rules, lang).atRisk, columns: RISK_HEADERS[lang].map((header) => ({ header, width: 14 })), rows: risk },
      { name: lang === 'zh' ? '双师型' : 'dual-qualified', columns: DUAL_HEADERS[lang].map((header) => ({ header, width: 16 })), rows: dual },
    ];
    // the compliant teachers short on the rule that does not bind: a sheet of their own, for reference (none under `both`)
    if (rules.referenceRule) sheets.push({ name: lang === 'zh' ? '企业实践参考' : 'practice reference', title: shortTitles(year, rules, lang).reference, columns: RISK_HEADERS[lang].map((header) => ({ header, width: 14 })), rows: reference });
    return xlsxResponse(await writeWorkbook(sheets), reportFileName(year, unit, 'xlsx')) as never;
  }
  return c.json(
    {
      year,
      yearLabel: academicYearLabel(year),
      unit: unit ?? null,
      policyVersion,
      grades: gradesOut(),
      tiers: certLevels.map((tier) => ({ tier, label: tierLabel(tier, lang) })),
      college: shape(college, names, duals.get(year)!.college, practiceRules.get(year)!),
      units: units.map(({ unit: name, figures }) => ({ unit: name, figures: shape(figures, names, duals.get(year)!.units.get(name)!, practiceRules.get(year)!) })),
      trend: trend.map((figures) => shape(figures, names, duals.get(figures.year)!.college, practiceRules.get(figures.year)!)),
      teachers: namedIn(trend, people),
    },
    200,
  );
});
