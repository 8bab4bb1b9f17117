import type { z } from 'zod';

/** One bad input location: `records[3].end`, `policy.appraisal.categories[0].cap`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Thrown by every public function when its input breaks a schema. It lists every bad path at once, so a
 * caller (or an HR import screen) can show all problems in one go instead of one per attempt.
 */
export class ValidationError extends Error {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super(issues.length === 0 ? 'Invalid input' : `Invalid input: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** `['records', 3, 'end']` → `records[3].end`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function issuesFromZod(error: z.core.$ZodError, prefix: ReadonlyArray<PropertyKey> = []): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issueMessage(issue) }));
}

/** zod's message, except for a bad key of a record, where zod says only "Invalid key in record": then why the name is refused. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return `the name ${issue.issues.map((inner) => inner.message).join('; ')}`;
  return issue.message;
}

/** Parse with a zod schema, throwing a ValidationError whose paths start with `prefix`. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, prefix: ReadonlyArray<PropertyKey> = []): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(issuesFromZod(result.error, prefix));
  return result.data;
}
