import { createRoute, z } from '@hono/zod-openapi';
import { academicYearLabel, academicYearOfDate, academicYearPeriod, dayNumber, lastCompletedYears } from '@shizi/core';
import { requireRole } from '../auth.js';
import { nowIso } from '../db/index.js';
import { activePolicy } from '../db/policies.js';
import { roles } from '../env.js';
import { errors, json, newApp, security } from '../openapi.js';
import { DateParam } from './schemas.js';

/**
 * The academic calendar of the active policy as of a date, so that pages never compute a year rule themselves
 * (where a year starts, which completed years an appraisal window covers, how many days are left).
 */
const CalendarOut = z
  .object({
    policyVersion: z.string(),
    asOf: z.string(),
    academicYear: z.int().openapi({ description: 'the academic year asOf falls in, by its first calendar year' }),
    yearLabel: z.string().openapi({ example: '2026-2027' }),
    start: z.string().openapi({ description: 'first day of that academic year' }),
    end: z.string().openapi({ description: 'last day of that academic year' }),
    daysLeft: z.int().openapi({ description: 'days of the year after asOf' }),
    lastCompletedYear: z.int(),
    sinceYear: z.int().nullable().openapi({ description: 'the academic year of `since`, when given' }),
    recentYears: z.array(z.int()).openapi({ description: 'the completed years of the title-review window (policy titleReview.windowYears), oldest first, from sinceYear on' }),
    windowYears: z.int().openapi({ description: 'how many completed years the title-review (and the pages’ appraisal) window covers: policy titleReview.windowYears' }),
    years: z.array(z.object({ year: z.int(), label: z.string() })).openapi({ description: 'the academic year under way and the nine before it, newest first, each with its label: what year pickers offer' }),
  })
  .openapi('Calendar');

/** How many academic years (the one under way and those before it) the calendar lists for year pickers. */
const PICKABLE_YEARS = 10;

const calendarRoute = createRoute({
  method: 'get',
  path: '/calendar',
  tags: ['Policies'],
  summary: 'The academic calendar of the active policy as of a date (year, its first and last day, days left, the recent completed years)',
  security,
  middleware: [requireRole(...roles)] as const,
  request: { query: z.object({ asOf: DateParam.optional(), since: DateParam.optional().openapi({ description: 'e.g. a hire date: recentYears starts at its academic year' }) }) },
  responses: { 200: json(CalendarOut, 'The calendar'), ...errors() },
});

export const calendarApp = newApp().openapi(calendarRoute, async (c) => {
  const { asOf = nowIso().slice(0, 10), since } = c.req.valid('query');
  const policy = await activePolicy(c.get('db').k);
  const yearStart = policy.calendar.yearStart;
  const academicYear = academicYearOfDate(asOf, yearStart);
  const period = academicYearPeriod(academicYear, yearStart);
  const sinceYear = since === undefined ? null : academicYearOfDate(since, yearStart);
  const recentYears = lastCompletedYears(asOf, policy.titleReview.windowYears, yearStart).filter((year) => sinceYear === null || year >= sinceYear);
  return c.json(
    {
      policyVersion: policy.version,
      asOf,
      academicYear,
      yearLabel: academicYearLabel(academicYear),
      start: period.start,
      end: period.end,
      daysLeft: dayNumber(period.end) - dayNumber(asOf),
      lastCompletedYear: academicYear - 1,
      sinceYear,
      recentYears,
      windowYears: policy.titleReview.windowYears,
      years: Array.from({ length: PICKABLE_YEARS }, (_, back) => ({ year: academicYear - back, label: academicYearLabel(academicYear - back) })),
    },
    200,
  );
});
