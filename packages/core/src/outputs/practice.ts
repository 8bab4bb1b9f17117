import { z } from 'zod';
import { practiceBindings } from '../policy.js';
import { practiceForms, teacherCategories } from '../records.js';
import { ids } from './common.js';

/** `practiceRequirementOf`: the practice requirement that applies to one teacher (by category) and the binding rule. */
export const practiceRequirementSchema = z.object({
  category: z.enum(teacherCategories),
  exempt: z.boolean().describe('the category owes no practice'),
  annualDays: z.int().describe('days a full academic year asks for (before the hire-year proration); 0 when exempt'),
  rollingDays: z.int().describe('days every rollingYears years ask for; 0 when exempt'),
  rollingYears: z.int(),
  binding: z.enum(practiceBindings).describe('the rule that decides compliance and the practice veto'),
  source: z.enum(['category', 'policy']).describe('category: the policy has a line for the category; policy: its general days apply'),
});

/** `evaluatePractice` / `practiceStatus`: enterprise practice of one teacher and academic year. */
export const practiceStatusSchema = z.object({
  year: z.int(),
  countedDays: z.int().describe('distinct days of the year covered by verified practice records'),
  pendingDays: z.int().describe('distinct days covered only by pending records: they would count once verified'),
  requiredDays: z.int(),
  exempt: z.boolean().describe('a verified practice_exemption names the year, or the category owes no practice'),
  exemptBy: z.enum(['year', 'category']).nullable(),
  requirement: practiceRequirementSchema,
  annualMet: z.boolean().describe('the annual rule alone'),
  compliant: z.boolean().describe('under the binding rule (requirement.binding)'),
  shortfall: z.int().describe('days of this year the binding rule still asks for'),
  atRisk: z.boolean().describe('not compliant, the year still open on asOf, and more days short than days left in it'),
  daysLeft: z.int().nullable().describe('days of the year after asOf; null without asOf'),
  standing: z.enum(['met', 'short', 'at_risk', 'missed']),
  recordIds: ids.describe('verified records behind countedDays'),
  pendingRecordIds: ids,
  discounts: z
    .array(z.object({ percent: z.int(), forms: z.array(z.enum(practiceForms)), days: z.int(), countedHundredths: z.int(), recordIds: ids }))
    .describe('why days were discounted: days whose highest-weighted record is of a form the policy counts below 100 percent, by percent'),
  rolling: z.object({ years: z.array(z.int()), countedDays: z.int(), requiredDays: z.int(), met: z.boolean() }).describe('the national six-months-in-five-years rule: binding when requirement.binding is rolling or both, else reported only'),
  bindingFigures: z.array(z.object({ rule: z.enum(['annual', 'rolling']), countedDays: z.int(), requiredDays: z.int(), met: z.boolean() })).describe('the figures the binding rule decides by ("X of Y days"): annual, rolling, or both (annual first)'),
});

/** `practiceOutlook`: what would close a practice shortfall. */
export const practiceOutlookSchema = z.object({
  year: z.int(),
  yearEnd: z.string(),
  pendingRecordIds: ids,
  undeclaredDays: z.int().describe('days short even if every pending record is verified: the teacher’s to declare'),
  yearClosed: z.boolean(),
});

/** `prePostPracticeOf`: pre-post practice (岗前企业实践) of one teacher, owed or not, and its gaps. */
export const prePostPracticeSchema = z.object({
  required: z.boolean().describe('policy.practice.prePost asks it of this teacher (category and stage named, no enterprise experience)'),
  notRequiredBecause: z.enum(['no_policy', 'experience', 'category', 'stage']).nullable(),
  postStart: z.string().describe('the hire date: practice counts when before it'),
  requiredDays: z.int().describe('0 when not required'),
  countedDays: z.int().describe('distinct verified practice days before postStart (forms weighted)'),
  pendingDays: z.int(),
  met: z.boolean(),
  shortfall: z.int(),
  recordIds: ids,
  pendingRecordIds: ids,
  gaps: z.array(z.object({ requirementId: z.literal('pre_post_practice'), zh: z.string(), en: z.string() })),
});
