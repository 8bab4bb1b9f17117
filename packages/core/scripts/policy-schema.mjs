// Writes dist/policy.schema.json: the JSON Schema of a policy, generated from the zod schema that validates it,
// so an editor can validate and complete a policy file (`"$schema": "…/policy.schema.json"`).
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { policySchema } from '../dist/index.js';

const schema = z.toJSONSchema(policySchema, { unrepresentable: 'any', io: 'input' });
schema.title = 'Shizi policy';
schema.description = 'A college’s teacher-development policy for @shizi/core: calendar, practice, appraisal (kinds, categories, items), growth path, title review.';
writeFileSync(new URL('../dist/policy.schema.json', import.meta.url), JSON.stringify(schema, null, 2) + '\n');
