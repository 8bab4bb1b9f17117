import { createRoute, z } from '@hono/zod-openapi';
import { academicYearLabel, academicYearOf, appraise, applyExcellenceQuota, collegeFigures, grades, type YearFigures } from '@shizi/core';
import { requireRole } from '../auth.js';
import { csvResponse, toCsv } from '../csv.js';
import { loadCollegeYear } from '../db/college.js';
import { ApiError, invalid, notFound } from '../errors.js';
import type { Principal } from '../env.js';
import { label, langOf, type Lang } from '../i18n.js';
import { errors, newApp, security } from '../openapi.js';
import { writeWorkbook, xlsxResponse, type OutSheet } from '../sheets/xlsx.js';
import { Format, YearParam } from './schemas.js';

const FigureOut = z.object({ count: z.int(), teacherIds: z.array(z.string()) }).openapi('ReportFigure');
const RateOut = z
  .object({ numerator: z.int(), denominator: z.int(), hundredthsOfPercent: z.int().nullable().openapi({ description: '5000 means 50.00 %; null when no one is counted' }) })
  .openapi('ReportRate');
const YearFiguresOut = z
  .object({
    year: z.int(),
    yearLabel: z.string(),
    teachers: FigureOut,
    practice: z.object({ compliant: FigureOut, noncompliant: FigureOut, exempt: FigureOut, rate: RateOut }),
    grades: z.object(Object.fromEntries(grades.map((grade) => [grade, FigureOut])) as Record<(typeof grades)[number], typeof FigureOut>),
    atRisk: z.array(
      z.object({ teacherId: z.string(), name: z.string(), unit: z.string(), daysNeeded: z.int(), countedDays: z.int(), requiredDays: z.int(), rollingDaysNeeded: z.int() }),
    ),
  })
  .openapi('ReportYearFigures');
const ReportOut = z
  .object({
    year: z.int(),
    yearLabel: z.string(),
    unit: z.string().nullable(),
    policyVersion: z.string(),
    college: YearFiguresOut.openapi({ description: 'the whole college, or the unit asked for' }),
    units: z.array(z.object({ unit: z.string(), figures: YearFiguresOut })),
    trend: z.array(YearFiguresOut).openapi({ description: 'earlier years first, ending with `year`' }),
  })
  .openapi('Report');

const report = createRoute({
  method: 'get',
  path: '/reports',
  tags: ['Reports'],
  summary: "A year's report (HR, committee: the college or one unit; a unit reviewer: its unit): practice compliance, teachers short of days, grade distribution, trends",
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

function shape(figures: YearFigures, names: Names) {
  return { ...figures, yearLabel: academicYearLabel(figures.year), atRisk: figures.atRisk.map((entry) => ({ ...entry, name: names.get(entry.teacherId) ?? '' })) };
}

const SUMMARY_HEADERS: Record<Lang, string[]> = {
  zh: ['学年', '范围', '教师数', '企业实践达标', '未达标', '免除', '达标率 %', ...grades.map((g) => label.grade(g, 'zh') ?? g)],
  en: ['academic year', 'scope', 'teachers', 'practice compliant', 'noncompliant', 'exempt', 'compliance %', ...grades.map((g) => label.grade(g, 'en') ?? g)],
};
const RISK_HEADERS: Record<Lang, string[]> = {
  zh: ['学年', '教师编号', '姓名', '部门', '本学年尚需天数', '已计天数', '要求天数', '五年累计尚需天数'],
  en: ['academic year', 'teacher id', 'name', 'unit', 'days still needed', 'counted days', 'required days', 'rolling days still needed'],
};

function summaryRow(scope: string, figures: YearFigures): (string | number | null)[] {
  const rate = figures.practice.rate.hundredthsOfPercent;
  return [
    academicYearLabel(figures.year),
    scope,
    figures.teachers.count,
    figures.practice.compliant.count,
    figures.practice.noncompliant.count,
    figures.practice.exempt.count,
    rate === null ? null : rate / 100,
    ...grades.map((grade) => figures.grades[grade].count),
  ];
}

function reportTables(body: { college: YearFigures; units: { unit: string; figures: YearFigures }[]; trend: YearFigures[] }, scope: string, names: Names, lang: Lang) {
  const summary = [
    ...body.trend.map((figures) => summaryRow(scope, figures)),
    ...body.units.map(({ unit, figures }) => summaryRow(unit, figures)),
  ];
  const risk = body.college.atRisk.map((entry) => [academicYearLabel(body.college.year), entry.teacherId, names.get(entry.teacherId) ?? '', entry.unit, entry.daysNeeded, entry.countedDays, entry.requiredDays, entry.rollingDaysNeeded]);
  return { summary, risk };
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

export const reportsApp = newApp().openapi(report, async (c) => {
  const query = c.req.valid('query');
  const { year, years, format } = query;
  const unit = reportUnit(c.get('principal'), query.unit);
  const db = c.get('db');
  const trend: YearFigures[] = [];
  const names: Names = new Map();
  let current: ReturnType<typeof collegeFigures> | null = null;
  let policyVersion = '';
  for (let trendYear = year - years + 1; trendYear <= year; trendYear++) {
    const { teachers, recordsByTeacher, policy } = await loadCollegeYear(db, { year: trendYear, unit });
    if (!policy) throw notFound('policy version');
    policyVersion = policy.version;
    for (const teacher of teachers) names.set(teacher.id, teacher.name);
    // Teachers hired after the year ended were not there to be appraised.
    const present = teachers.filter((teacher) => academicYearOf(teacher.hireDate, policy) <= trendYear);
    const appraisals = applyExcellenceQuota(
      present.map((teacher) => ({ unit: teacher.unit, appraisal: appraise(teacher, recordsByTeacher.get(teacher.id) ?? [], trendYear, policy) })),
      policy,
    );
    const unitOf = new Map(present.map((teacher) => [teacher.id, teacher.unit]));
    const figures = collegeFigures(trendYear, appraisals.map((appraisal) => ({ unit: unitOf.get(appraisal.teacherId)!, appraisal })));
    trend.push(figures.college);
    if (trendYear === year) current = figures;
  }
  const { college, units } = current!;
  const lang = langOf(c);
  const scope = unit ?? (lang === 'zh' ? '全校' : 'college');
  if (format === 'csv' || format === 'xlsx') {
    const { summary, risk } = reportTables({ college, units, trend }, scope, names, lang);
    if (format === 'csv') return csvResponse(toCsv(SUMMARY_HEADERS[lang], summary), reportFileName(year, unit, 'csv')) as never;
    const sheets: OutSheet[] = [
      {
        name: lang === 'zh' ? `${academicYearLabel(year)}学年报表` : `report ${academicYearLabel(year)}`,
        columns: SUMMARY_HEADERS[lang].map((header, index) => ({ header, ...(index === 6 ? { numFmt: '0.00' } : {}), ...(index < 2 ? { width: 16 } : {}) })),
        rows: summary,
      },
      { name: lang === 'zh' ? '企业实践不足' : 'practice short', columns: RISK_HEADERS[lang].map((header) => ({ header, width: 14 })), rows: risk },
    ];
    return xlsxResponse(await writeWorkbook(sheets), reportFileName(year, unit, 'xlsx')) as never;
  }
  return c.json(
    {
      year,
      yearLabel: academicYearLabel(year),
      unit: unit ?? null,
      policyVersion,
      college: shape(college, names),
      units: units.map(({ unit: name, figures }) => ({ unit: name, figures: shape(figures, names) })),
      trend: trend.map((figures) => shape(figures, names)),
    },
    200,
  );
});
