import { z } from 'zod';
import { gradeSchema, titleSchema } from './common.js';

export const reasonDetailSchema = z.object({ code: z.string(), zh: z.string(), en: z.string() });

/** `rankTitleReview`: one candidate of the committee's title-review list. */
export const titleReviewEntrySchema = z.object({
  teacherId: z.string(),
  targetTitle: titleSchema,
  eligible: z.boolean(),
  reasons: z.array(z.string()),
  reasonDetails: z.array(reasonDetailSchema),
  score: z.number(),
  minScore: z.number().nullable(),
  passed: z.boolean(),
  rank: z.int().nullable(),
  windowYears: z.array(z.int()),
  tieBreak: z.object({ transferAndServicePoints: z.number(), practiceDays: z.int() }),
  annualTotals: z.array(z.object({ year: z.int(), total: z.number(), grade: gradeSchema })),
});
