/**
 * Each route's OpenAPI error responses are generated from `errors(...codes)` in its createRoute; this checks that
 * those codes are exactly what the route's handler can raise (scripts/check-error-codes.mjs: a static analysis
 * with the TypeScript checker that follows the handler's calls through the worker's sources). Plain Node: the
 * TypeScript compiler does not run inside workerd.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without declarations
import { checkErrorCodes } from '../../../scripts/check-error-codes.mjs';

interface RouteCodes {
  route: string;
  declared: string[];
  raised: string[];
  implied: string[];
  missing: string[];
  dead: string[];
}
interface Result {
  routes: RouteCodes[];
  unresolved: string[];
}

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const byRoute = (result: Result, route: string) => result.routes.find((item) => item.route === route)!;

/**
 * The check over the worker's sources with some texts replaced (file → [from, to]), of the routes declared in
 * `routeFiles` (the calls of their handlers are followed into every file, the planted helpers included).
 */
function planted(plants: Record<string, [string, string][]>, routeFiles: string[]): Result {
  const texts = new Map<string, string>();
  for (const [file, replacements] of Object.entries(plants)) {
    let text = readFileSync(join(src, file), 'utf8');
    for (const [from, to] of replacements) {
      expect(text).toContain(from);
      text = text.replace(from, to);
    }
    texts.set(join(src, file), text);
  }
  return checkErrorCodes({ override: (name: string) => texts.get(name), routeFiles });
}

describe('declared error codes = raisable error codes', () => {
  it('holds for every route of the worker', () => {
    const result: Result = checkErrorCodes();
    expect(result.routes.length).toBeGreaterThanOrEqual(55);
    expect(result.unresolved).toEqual([]);
    expect(result.routes.filter((route) => route.missing.length > 0).map((route) => `${route.route}: ${route.missing}`)).toEqual([]);
    expect(result.routes.filter((route) => route.dead.length > 0).map((route) => `${route.route}: ${route.dead}`)).toEqual([]);
    // The analysis sees through helpers: promotion's codes are thrown in its handler and in idempotentWrite
    // (idempotent.ts); PATCH's If-Match codes in writeIfMatch (if-match.ts).
    expect(byRoute(result, 'POST /v1/teachers/{id}/promotion').raised).toEqual(expect.arrayContaining(['not-eligible', 'top-of-growth-path', 'edit-conflict', 'idempotency-key-reused']));
    expect(byRoute(result, 'PATCH /v1/records/{id}').raised).toEqual(expect.arrayContaining(['precondition-failed', 'precondition-required']));
    // A catch clause that answers per id keeps the bulk transition route from raising the single route's codes.
    expect(byRoute(result, 'POST /v1/records/{id}/transitions').raised).toContain('invalid-transition');
    expect(byRoute(result, 'POST /v1/records/transitions').raised).not.toContain('invalid-transition');
  });

  it('fails on an undeclared code, a dead declared one, one raised in a shared helper, and one it cannot resolve', () => {
    // One program for all plants, checking only the routes of the two files the assertions below are about (a run
    // over every route takes about 20 s).
    const result = planted(
      {
        'routes/records.ts': [
          ["throw new ApiError('not-deleted'", "throw new ApiError('cycle-frozen'"],
          ["throw new ApiError('invalid-transition'", 'throw new ApiError(String(id) as never'],
        ],
        'if-match.ts': [["throw new ApiError('precondition-required'", "throw new ApiError('record-locked'"]],
      },
      ['routes/records.ts', 'routes/teachers.ts'],
    );
    expect(new Set(result.routes.map((route) => route.route.split(' ')[1]!.split('/')[2]))).toEqual(new Set(['records', 'teachers']));
    const restore = byRoute(result, 'POST /v1/records/{id}/restore');
    expect(restore.missing).toEqual(['cycle-frozen']);
    expect(restore.dead).toEqual(['not-deleted']);
    // raised in a shared helper, writeIfMatch (if-match.ts), that four routes call
    const broken = result.routes.filter((route) => route.missing.includes('record-locked')).map((route) => route.route);
    expect(broken).toEqual(expect.arrayContaining(['PATCH /v1/records/{id}', 'PATCH /v1/teachers/{id}', 'POST /v1/teachers/{id}/stage', 'POST /v1/teachers/{id}/departure']));
    expect(result.unresolved.join('\n')).toContain('routes/records.ts');
    expect(byRoute(result, 'PUT /v1/records/{id}').dead).toEqual(['invalid-transition']);
  });
});
