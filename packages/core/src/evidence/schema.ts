import { z } from 'zod';
import type { KindDeclaration } from './declaration.js';
import type { FieldSpec } from './fields.js';

/**
 * The schema of a policy's own evidence kinds (`policy.evidenceKinds`): the declaration vocabulary as data.
 * Names are identifiers, so they are safe as property names everywhere (the generated validator included).
 */

const bilingual = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
/**
 * Names every JavaScript object already has (`constructor`, `toString`, `valueOf` …): a record without such a field
 * would still read one, inherited, so a kind or field may not be named so.
 */
const OBJECT_MEMBERS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
const notObjectMember = (name: string) => !OBJECT_MEMBERS.has(name);
const objectMemberMessage = { message: 'is one every JavaScript object already has (constructor, toString, valueOf …); choose another' };
export const kindIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be lower-case letters, digits and _ (at most 64), starting with a letter' })
  .refine(notObjectMember, objectMemberMessage);
const fieldName = z
  .string()
  .regex(/^[a-z][A-Za-z0-9_]{0,63}$/, { message: 'must be letters, digits and _ (at most 64), starting with a lower-case letter' })
  .refine(notObjectMember, objectMemberMessage);
/** Base and team field names a kind may not declare itself. */
const RESERVED_FIELDS = ['id', 'teacherId', 'kind', 'status', 'rank', 'share'];
const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const common = { label: bilingual, optional: z.literal(true).optional() };

const fieldSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('date') }),
  z.strictObject({ ...common, type: z.literal('year') }),
  z.strictObject({ ...common, type: z.literal('text') }),
  z.strictObject({ ...common, type: z.literal('text_list'), maxItems: z.int().min(1).max(1000) }),
  z.strictObject({ ...common, type: z.literal('teacher_ref') }),
  z.strictObject({
    ...common,
    type: z.literal('enum'),
    values: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9_]{1,64}$/, { message: 'enum values must be letters, digits and _' })
          .refine(notObjectMember, objectMemberMessage),
        bilingual,
      )
      .refine((values) => Object.keys(values).length > 0, { message: 'must list at least one value' }),
  }),
  z.strictObject({ ...common, type: z.literal('integer'), min: z.int(), max: z.int() }),
  z.strictObject({ ...common, type: z.literal('yuan') }),
  z.strictObject({ ...common, type: z.literal('decimal'), min: finite, max: finite }),
]);

const placementSchema = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('date'), field: fieldName, whileAbsent: fieldName.optional() }),
  z.strictObject({ by: z.literal('period'), start: fieldName, end: fieldName }),
  z.strictObject({ by: z.literal('year'), field: fieldName }),
]);

export const kindDeclarationSchema = z
  .strictObject({
    label: bilingual,
    noun: z.strictObject({ en: z.string().min(1), enPlural: z.string().min(1), zhUnit: z.string().min(1) }),
    fields: z.record(fieldName, fieldSpecSchema),
    team: z.literal(true).optional(),
    placement: placementSchema,
    period: z.strictObject({ start: fieldName, end: fieldName }).optional(),
    scoredOn: fieldName.optional(),
    declarable: z.boolean().optional(),
  })
  .superRefine((kind, ctx) => {
    const fields = kind.fields as Record<string, FieldSpec>;
    for (const [name, spec] of Object.entries(fields)) {
      if (RESERVED_FIELDS.includes(name)) ctx.addIssue({ code: 'custom', path: ['fields', name], message: `"${name}" is a base or team field` });
      if ((spec.type === 'integer' || spec.type === 'decimal') && spec.min > spec.max) ctx.addIssue({ code: 'custom', path: ['fields', name, 'max'], message: 'must not be below min' });
    }
    const expect = (path: PropertyKey[], name: string | undefined, type: 'date' | 'year', required: boolean) => {
      if (name === undefined) return;
      const spec = fields[name];
      if (spec === undefined) ctx.addIssue({ code: 'custom', path, message: `no field "${name}"` });
      else if (spec.type !== type) ctx.addIssue({ code: 'custom', path, message: `field "${name}" must be a ${type}` });
      else if (required && spec.optional) ctx.addIssue({ code: 'custom', path, message: `field "${name}" must not be optional` });
    };
    const placement = kind.placement;
    if (placement.by === 'date') {
      expect(['placement', 'field'], placement.field, 'date', placement.whileAbsent === undefined);
      expect(['placement', 'whileAbsent'], placement.whileAbsent, 'date', true);
    } else if (placement.by === 'period') {
      expect(['placement', 'start'], placement.start, 'date', true);
      expect(['placement', 'end'], placement.end, 'date', true);
    } else expect(['placement', 'field'], placement.field, 'year', true);
    expect(['period', 'start'], kind.period?.start, 'date', true);
    expect(['period', 'end'], kind.period?.end, 'date', false);
    expect(['scoredOn'], kind.scoredOn, 'date', false);
  }) satisfies z.ZodType<KindDeclaration, unknown>;
