import type { Context } from 'hono';
import type { Compilable } from 'kysely';
import { nowIso } from './db/index.js';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';
import { etagOf } from './views.js';

/** What an If-Match guarded write is of, and how its 428 and 412 are worded. */
const WORDING = {
  teacher: { required: 'If-Match header with the teacher’s ETag is required', stale: 'the teacher changed since this ETag was read' },
  record: { required: 'If-Match header with the record’s ETag (from GET /v1/records/{id}) is required', stale: 'the record changed since this ETag was read' },
} as const;
export type Versioned = keyof typeof WORDING;

/** What a guarded write sends: `change`, the UPDATE conditioned on the version read, first; `rest` (the audit row, guarded by `onlyIfChanged`) after it in the same batch; and the answer to give once it applied. */
export interface GuardedChange<T> {
  change: Compilable;
  rest: Compilable[];
  answer: T;
}

/**
 * THE optimistic-concurrency write of a versioned row (PATCH a teacher or a record, correct a teacher's stage,
 * record a departure): without If-Match 428, with an ETag of another version 412 (strong or weak form, checked
 * before the body is judged); then `plan(now, next)` builds the change (it may still refuse with its own error),
 * which runs as ONE batch so a failed write changes nothing; when the conditional UPDATE changed no row another
 * write came between the read and this one: 412. Sets the ETag of version `next` and returns the plan's answer.
 */
export async function writeIfMatch<T>(c: Context<AppEnv>, entity: Versioned, version: number, plan: (now: string, next: number) => GuardedChange<T> | Promise<GuardedChange<T>>): Promise<T> {
  const header = c.req.header('if-match');
  if (!header) throw new ApiError('precondition-required', WORDING[entity].required);
  const ifMatch = header.trim();
  if (ifMatch !== etagOf(version) && ifMatch !== `W/${etagOf(version)}`) throw new ApiError('precondition-failed', WORDING[entity].stale);
  const next = version + 1;
  const { change, rest, answer } = await plan(nowIso(), next);
  const [result] = await c.get('db').batch([change, ...rest]);
  if ((result?.meta.changes ?? 0) === 0) throw new ApiError('precondition-failed', WORDING[entity].stale);
  c.header('ETag', etagOf(next));
  return answer;
}
