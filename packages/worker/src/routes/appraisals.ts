import { createRoute, z } from '@hono/zod-openapi';
import { academicYearLabel, applyExcellenceQuota, appraise, compareForQuota, vetoLabel, type Appraisal, type Policy } from '@shizi/core';
import { requireRole } from '../auth.js';
import { csvResponse, toCsv } from '../csv.js';
import { loadCollegeYear } from '../db/college.js';
import { label, langOf, type Lang } from '../i18n.js';
import { refuseYearNotStarted } from './teachers.js';
import { errors, newApp, security } from '../openapi.js';
import { RankedAppraisal as RankedAppraisalOut, TieBreakCategory } from './responses.js';
import { appraisalOut, tieBreakOut } from '../views.js';
import { notFound } from '../errors.js';
import { Format, YearParam } from './schemas.js';
import { writeWorkbook, xlsxResponse, type OutColumn, type OutSheet } from '../sheets/xlsx.js';

const listing = createRoute({
  method: 'get',
  path: '/appraisals',
  tags: ['Committee'],
  summary: 'Ranked annual appraisals of a year (committee, HR): excellence quota applied per unit; format=csv for Excel',
  security,
  middleware: [requireRole('committee', 'hr')] as const,
  request: {
    query: z.object({
      year: YearParam,
      unit: z.string().min(1).max(500).optional(),
      policy: z.string().min(1).max(100).optional().openapi({ description: 'policy version; the active one by default' }),
      format: Format,
    }),
  },
  responses: {
    200: {
      description: 'Ranked appraisals',
      content: {
        'application/json': {
          schema: z.object({
            year: z.int(),
            yearLabel: z.string(),
            unit: z.string().nullable(),
            policyVersion: z.string(),
            tieBreak: z.array(TieBreakCategory).openapi({ description: 'the quota’s tie-break categories, in the policy’s order, with their labels' }),
            items: z.array(RankedAppraisalOut),
          }),
        },
        'text/csv': { schema: z.string() },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...errors('year-not-started'),
  },
});

type RankedAppraisal = { rank: number; name: string; unit: string; appraisal: Appraisal };

/** The policy's categories in the order of its list, each with its label in the reader's language. */
function categoryColumns(policy: Policy, lang: Lang): Array<{ id: string; header: string }> {
  return policy.appraisal.categories.map((category) => ({ id: category.id, header: category.label[lang] }));
}

const LEADING_HEADERS: Record<Lang, string[]> = {
  zh: ['名次', '教师编号', '姓名', '部门', '总分', '等次（配额前）', '最终等次', '一票否决', '可参加职称评审'],
  en: ['rank', 'teacher id', 'name', 'unit', 'total', 'grade (before quota)', 'final grade', 'vetoes', 'title-review eligible'],
};
const PRACTICE_DAYS_HEADER: Record<Lang, string> = { zh: '企业实践天数', en: 'practice days' };
/** Column indexes (of appraisalRows) that hold points: the total and every category. */
const pointsColumns = (categoryCount: number) => new Set([4, ...Array.from({ length: categoryCount }, (_, index) => LEADING_HEADERS.zh.length + index)]);

function appraisalHeaders(policy: Policy, lang: Lang): string[] {
  return [...LEADING_HEADERS[lang], ...categoryColumns(policy, lang).map((column) => column.header), PRACTICE_DAYS_HEADER[lang]];
}

/** One row per appraisal; points as text with two decimals (every points column alike, "25.00" not "25"). */
function appraisalRows(items: RankedAppraisal[], policy: Policy, lang: Lang) {
  const categories = categoryColumns(policy, lang);
  return items.map(({ rank, name, unit, appraisal }) => [
    rank,
    appraisal.teacherId,
    name,
    unit,
    appraisal.total.toFixed(2),
    label.grade(appraisal.grade, lang),
    label.grade(appraisal.finalGrade ?? appraisal.grade, lang),
    appraisal.vetoes.map((veto) => vetoLabel(policy, veto)[lang]).join('; '),
    appraisal.titleReviewEligible ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no',
    ...categories.map((category) => (appraisal.categories[category.id]?.capped ?? 0).toFixed(2)),
    appraisal.practiceDays,
  ]);
}

/** The CSV: a year column first, as the workbook, then the screen's columns; every points column "25.00". */
export function appraisalCsv(items: RankedAppraisal[], policy: Policy, lang: Lang, year: number): string {
  const yearLabel = academicYearLabel(year);
  return toCsv(
    [lang === 'zh' ? '学年' : 'academic year', ...appraisalHeaders(policy, lang)],
    appraisalRows(items, policy, lang).map((row) => [yearLabel, ...row]),
  );
}

/** The same columns as the CSV and the screen, after a year column; points as numbers with two decimals. */
export function appraisalSheet(items: RankedAppraisal[], policy: Policy, lang: Lang, year: number): OutSheet {
  const points = pointsColumns(categoryColumns(policy, lang).length);
  const columns: OutColumn[] = [{ header: lang === 'zh' ? '学年' : 'academic year', width: 12 }, ...appraisalHeaders(policy, lang).map((header, index) => ({ header, ...(points.has(index) ? { numFmt: '0.00' } : {}), ...(index === 2 || index === 3 ? { width: 18 } : {}) }))];
  const yearLabel = academicYearLabel(year);
  const rows = appraisalRows(items, policy, lang).map((row) => [yearLabel, ...row.map((cell, index) => (points.has(index) ? Number(cell) : cell))]);
  return { name: lang === 'zh' ? `${yearLabel}学年考核` : `appraisals ${yearLabel}`, columns, rows };
}

/** appraisals-2024[-<unit>]: the year the listing is of, and the unit when it is one unit's. */
export function listingFileName(year: number, unit: string | undefined, extension: string): string {
  return `appraisals-${year}${unit ? `-${unit}` : ''}.${extension}`;
}

export const appraisalsApp = newApp().openapi(listing, async (c) => {
  const { year, unit, policy: version, format } = c.req.valid('query');
  const db = c.get('db');
  const { teachers, recordsByTeacher: byTeacherRecords, policy } = await loadCollegeYear(db, { year, unit, version });
  if (!policy) throw notFound('policy version');
  refuseYearNotStarted(year, policy);
  // What appraiseAll does, without re-validating every stored row with zod (each teacher and record was
  // validated on write; the policy when parsed): appraise each teacher on their own records, apply the quota.
  const appraisals = applyExcellenceQuota(
    teachers.map((teacher) => ({ unit: teacher.unit, appraisal: appraise(teacher, byTeacherRecords.get(teacher.id) ?? [], year, policy) })),
    policy,
  );
  const byId = new Map(teachers.map((teacher) => [teacher.id, teacher]));
  const ranked = [...appraisals]
    .sort((a, b) => compareForQuota(a, b, policy))
    .map((appraisal, index) => {
      const teacher = byId.get(appraisal.teacherId)!;
      return { rank: index + 1, name: teacher.name, unit: teacher.unit, appraisal };
    });
  const lang = langOf(c);
  if (format === 'csv') return csvResponse(appraisalCsv(ranked, policy, lang, year), listingFileName(year, unit, 'csv')) as never;
  if (format === 'xlsx') return xlsxResponse(await writeWorkbook([appraisalSheet(ranked, policy, lang, year)]), listingFileName(year, unit, 'xlsx')) as never;
  return c.json(
    {
      year,
      yearLabel: academicYearLabel(year),
      unit: unit ?? null,
      policyVersion: policy.version,
      tieBreak: tieBreakOut(policy),
      items: ranked.map(({ rank, name, unit: teacherUnit, appraisal }) => ({
        rank,
        name,
        unit: teacherUnit,
        ...appraisalOut(appraisal, lang, policy),
      })),
    },
    200,
  );
});
