import { describe, expectTypeOf, it, expect } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import { collegeArb, dateArb, yearArb } from './arbitraries.js';
import { teacher } from './fixtures.js';
import {
  appraisalSchema,
  type gapSchema,
  policySchema,
  practiceOutlookSchema,
  type practiceRequirementSchema,
  type prePostPracticeSchema,
  practiceStatusSchema,
  progressSchema,
  quotaAppraisalSchema,
  type reasonDetailSchema,
  type requirementResultSchema,
  type requirementTypes,
  titleReviewEntrySchema,
  type traceItemSchema,
  type vetoTraceSchema,
  type quotaTraceSchema,
  type categoryScoreSchema,
} from '../src/outputs/index.js';
import {
  appraiseAll,
  assessProgress,
  defaultPolicy,
  evaluatePractice,
  practiceOutlook,
  rankTitleReview,
  scoreAppraisal,
  type Appraisal,
  type CategoryScore,
  type Gap,
  type Policy,
  type PracticeOutlook,
  type PracticeRequirement,
  type PrePostPractice,
  type PracticeStatus,
  type Progress,
  type QuotaAppraisal,
  type QuotaTrace,
  type ReasonDetail,
  type RequirementResult,
  type RequirementType,
  type TitleReviewEntry,
  type TraceItem,
  type VetoTrace,
} from '../src/index.js';

// Type level: each output schema's z.infer is exactly core's type (expect-type's deep equality: a field added,
// removed, made optional or widened on either side fails `npx tsc -b`, which typechecks this file).
expectTypeOf<z.infer<typeof practiceStatusSchema>>().toEqualTypeOf<PracticeStatus>();
expectTypeOf<z.infer<typeof practiceOutlookSchema>>().toEqualTypeOf<PracticeOutlook>();
expectTypeOf<z.infer<typeof practiceRequirementSchema>>().toEqualTypeOf<PracticeRequirement>();
expectTypeOf<z.infer<typeof prePostPracticeSchema>>().toEqualTypeOf<PrePostPractice>();
expectTypeOf<z.infer<typeof traceItemSchema>>().toEqualTypeOf<TraceItem>();
expectTypeOf<z.infer<typeof categoryScoreSchema>>().toEqualTypeOf<CategoryScore>();
expectTypeOf<z.infer<typeof vetoTraceSchema>>().toEqualTypeOf<VetoTrace>();
expectTypeOf<z.infer<typeof quotaTraceSchema>>().toEqualTypeOf<QuotaTrace>();
expectTypeOf<z.infer<typeof appraisalSchema>>().toEqualTypeOf<Appraisal>();
expectTypeOf<z.infer<typeof quotaAppraisalSchema>>().toEqualTypeOf<QuotaAppraisal>();
expectTypeOf<z.infer<typeof requirementResultSchema>>().toEqualTypeOf<RequirementResult>();
expectTypeOf<(typeof requirementTypes)[number]>().toEqualTypeOf<RequirementType>();
expectTypeOf<z.infer<typeof gapSchema>>().toEqualTypeOf<Gap>();
expectTypeOf<z.infer<typeof progressSchema>>().toEqualTypeOf<Progress>();
expectTypeOf<z.infer<typeof reasonDetailSchema>>().toEqualTypeOf<ReasonDetail>();
expectTypeOf<z.infer<typeof titleReviewEntrySchema>>().toEqualTypeOf<TitleReviewEntry>();
expectTypeOf<z.infer<typeof policySchema>>().toEqualTypeOf<Policy>();

/** The schema accepts the value and declares every field of it: parsing (which drops undeclared keys) changes nothing. */
function expectDescribes(schema: z.ZodType, value: unknown) {
  const parsed = schema.safeParse(value);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  expect(parsed.data).toEqual(value);
}

describe('output schemas at run time', () => {
  it('describe every appraisal, quota appraisal, practice status, outlook, progress and title-review entry of random colleges', () => {
    fc.assert(
      fc.property(collegeArb, yearArb, dateArb, ({ teachers, records }, year, asOf) => {
        for (const appraisal of appraiseAll({ teachers, records, year })) expectDescribes(quotaAppraisalSchema, appraisal);
        const [first] = teachers;
        if (!first) return;
        expectDescribes(appraisalSchema, scoreAppraisal({ teacher: first, records, year }));
        const status = evaluatePractice({ teacher: first, records, year, asOf });
        expectDescribes(practiceStatusSchema, status);
        expectDescribes(practiceOutlookSchema, practiceOutlook(status, asOf, defaultPolicy));
        expectDescribes(progressSchema, assessProgress({ teacher: first, records, asOf }));
        const candidates = teachers.map((teacher) => ({ teacher, records, targetTitle: teacher.title === 'professor' ? ('professor' as const) : ('lecturer' as const) }));
        for (const entry of rankTitleReview({ candidates, asOf })) expectDescribes(titleReviewEntrySchema, entry);
      }),
      { numRuns: 60 },
    );
  });

  it('describe the default policy, and reject a value of the wrong shape naming the field', () => {
    expectDescribes(policySchema, JSON.parse(JSON.stringify(defaultPolicy)));
    const appraisal = scoreAppraisal({ teacher: teacher(), records: [], year: 2024 });
    expectDescribes(appraisalSchema, appraisal);
    const broken = appraisalSchema.safeParse({ ...appraisal, categories: { ...appraisal.categories, teaching: { raw: 1, capped: 1 } } });
    expect(broken.success).toBe(false);
    expect(broken.error?.issues[0]?.path).toEqual(['categories', 'teaching', 'cap']);
  });
});

describe('the schemas entry', () => {
  it('is its own export, and the rules entry imports none of it (importing the rules does not bundle the schemas)', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '..');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.exports['./schemas']).toEqual({ types: './dist/outputs/index.d.ts', import: './dist/outputs/index.js', default: './dist/outputs/index.js' });
    for (const file of readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.startsWith('outputs')) continue;
      expect(readFileSync(join(root, 'src', file), 'utf8'), file).not.toMatch(/from '\.{1,2}\/(\.\.\/)*outputs\//);
    }
    const schemas = await import('@shizi/core/schemas');
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['appraisalSchema', 'progressSchema', 'practiceStatusSchema', 'titleReviewEntrySchema', 'policySchema']));
  });
});
