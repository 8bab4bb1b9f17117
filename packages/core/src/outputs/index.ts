/**
 * `@shizi/core/schemas`: zod schemas of what core's functions return, for APIs that document and check their
 * answers (the Shizi worker builds its OpenAPI response schemas from them). A separate entry, so importing the
 * rules alone does not bundle these. Each schema's `z.infer` equals core's TypeScript type (a type-level test).
 */
export { bilingualSchema, categoryIdSchema, gradeSchema, stageSchema, titleSchema } from './common.js';
export { practiceOutlookSchema, practiceRequirementSchema, practiceStatusSchema, prePostPracticeSchema } from './practice.js';
export { appraisalCategoriesSchema, appraisalSchema, categoryScoreSchema, quotaAppraisalSchema, quotaTraceSchema, traceItemSchema, vetoNameSchema, vetoTraceSchema } from './appraisal.js';
export { gapSchema, progressSchema, requirementResultSchema, requirementTypes, yearDetailSchema } from './growth.js';
export { reasonDetailSchema, titleReviewEntrySchema } from './review.js';
export { policySchema, requirementSchema } from '../policy.js';
/** The recursive pieces of a policy (a points table by one or two enum fields): OpenAPI generators need them named. */
export { pointsTable as pointsTableSchema } from '../scoring/schema.js';
