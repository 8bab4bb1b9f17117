import { z } from 'zod';
import { ids } from './common.js';

/** `evaluatePractice` / `practiceStatus`: enterprise practice of one teacher and academic year. */
export const practiceStatusSchema = z.object({
  year: z.int(),
  countedDays: z.int().describe('distinct days of the year covered by verified practice records'),
  pendingDays: z.int().describe('distinct days covered only by pending records: they would count once verified'),
  requiredDays: z.int(),
  exempt: z.boolean(),
  compliant: z.boolean(),
  shortfall: z.int(),
  atRisk: z.boolean().describe('not compliant, the year still open on asOf, and more days short than days left in it'),
  daysLeft: z.int().nullable().describe('days of the year after asOf; null without asOf'),
  standing: z.enum(['met', 'short', 'at_risk', 'missed']),
  recordIds: ids.describe('verified records behind countedDays'),
  pendingRecordIds: ids,
  rolling: z.object({ years: z.array(z.int()), countedDays: z.int(), requiredDays: z.int(), met: z.boolean() }).describe('reported only: the national six-months-in-five-years rule'),
});

/** `practiceOutlook`: what would close a practice shortfall. */
export const practiceOutlookSchema = z.object({
  year: z.int(),
  yearEnd: z.string(),
  pendingRecordIds: ids,
  undeclaredDays: z.int().describe('days short even if every pending record is verified: the teacher’s to declare'),
  yearClosed: z.boolean(),
});
