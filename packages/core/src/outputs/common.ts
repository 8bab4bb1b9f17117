import { z } from 'zod';
import { categoryIds, grades, type CategoryId } from '../policy.js';
import { stages, titles } from '../records.js';

/** Shared pieces of the output schemas. Each schema's `z.infer` equals core's type (test/outputs.test.ts). */

export const bilingualSchema = z.object({ zh: z.string(), en: z.string() });
export const gradeSchema = z.enum(grades);
export const stageSchema = z.enum(stages);
export const titleSchema = z.enum(titles);
export const ids = z.array(z.string());
/** A category id of the policy's list (`appraisal.categories`; JSON: a string). */
export const categoryIdSchema = z.string() as unknown as z.ZodType<CategoryId | (string & {}), string>;
export { categoryIds };
