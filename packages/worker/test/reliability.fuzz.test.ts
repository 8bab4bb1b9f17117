import { defaultPolicy } from '@shizi/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../src/app.js';
import { toCsv } from '../src/csv.js';
import { dumpDb } from './faults.js';
import { env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * Fuzz every write route with fast-check bodies, valid-shaped and malformed (wrong types, huge strings,
 * unicode incl. emoji/CJK/RTL/NUL/lone surrogates, negative and enormous numbers, impossible dates, deep
 * nesting, broken JSON, wrong content types, odd path ids and headers). For every request:
 *   - never a 5xx;
 *   - every 4xx is application/problem+json with type, title, status (= the HTTP status), instance, requestId;
 *   - a rejected request (≥ 400) leaves every table byte-identical (full dump before and after).
 *
 * Runs per route: FUZZ_RUNS (default 40). Longer: `FUZZ_RUNS=2000 npm test -w @shizi/worker -- reliability.fuzz`.
 * A failure prints fast-check's seed and path; replay with FUZZ_SEED=<seed> (and the same FUZZ_RUNS).
 */

const RUNS = Number(env.FUZZ_RUNS) > 0 ? Number(env.FUZZ_RUNS) : 40;
const SEED = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : undefined;
const params = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true };
/** Per-test timeout that grows with FUZZ_RUNS (a run costs up to ~0.1 s once the database has grown). */
const TIMEOUT = Math.max(30_000, RUNS * 250);

let keys: Keys;
const teacherIds: string[] = [];
const recordIds: string[] = [];
let openCycle = '';
let frozenCycle = '';
const spareKeyIds: string[] = [];
/** Records the fixture teacher declared itself (for PUT and transitions), and a unit reviewer of its unit. */
const declaredIds: string[] = [];
let reviewerToken = '';

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  keys = await setupKeys();
  teacherIds.push(keys.teacherId);
  const prefix = uid('fx');
  const teachers = [teacher(`${prefix}-a`, { title: 'lecturer', stage: 'backbone_teacher' }), teacher(`${prefix}-b`, { name: '王 芳 👩‍🏫' })];
  teacherIds.push(...teachers.map((t) => t.id));
  const records = teacherIds.flatMap((id, index) => [
    { id: `${prefix}-w${index}`, teacherId: id, kind: 'teaching_workload', status: 'pending', year: 2024, hours: 200 },
    { id: `${prefix}-p${index}`, teacherId: id, kind: 'enterprise_practice', status: 'verified', start: '2025-07-01', end: '2025-07-31', enterprise: '比亚迪' },
  ]);
  recordIds.push(...records.map((r) => r.id));
  expect((await send({ token: keys.hr, method: 'POST', path: '/v1/import', body: { teachers, records } })).status).toBe(201);
  openCycle = (await jsonOf(await send({ token: keys.hr, method: 'POST', path: '/v1/review-cycles', body: { name: 'fuzz open', asOf: '2026-09-01' } }))).id;
  await send({ token: keys.hr, method: 'POST', path: `/v1/review-cycles/${openCycle}/candidates`, body: { candidates: [{ teacherId: teacherIds[1], targetTitle: 'associate_professor' }] } });
  frozenCycle = (await jsonOf(await send({ token: keys.hr, method: 'POST', path: '/v1/review-cycles', body: { name: 'fuzz frozen', asOf: '2026-09-01' } }))).id;
  await send({ token: keys.hr, method: 'POST', path: `/v1/review-cycles/${frozenCycle}/freeze` });
  reviewerToken = (await jsonOf(await send({ token: keys.admin, method: 'POST', path: '/v1/keys', body: { role: 'unit_reviewer', units: ['智能制造学院'] } }))).token;
  for (let n = 0; n < 3; n++) {
    const declared = await jsonOf(await send({ token: keys.teacher, method: 'POST', path: '/v1/records', body: { kind: 'enterprise_practice', start: `2025-0${n + 4}-01`, end: `2025-0${n + 4}-05`, enterprise: '比亚迪' } }));
    declaredIds.push(declared.record.id);
  }
  for (const role of ['hr', 'committee', 'teacher']) {
    const created = await jsonOf(await send({ token: keys.admin, method: 'POST', path: '/v1/keys', body: role === 'teacher' ? { role, teacherId: keys.teacherId } : { role } }));
    spareKeyIds.push(created.id);
  }
});

// ---- sending and checking -------------------------------------------------------------------------------

interface Req {
  token: string;
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

async function send(req: Req): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${req.token}`, ...(req.headers ?? {}) };
  let body: string | undefined;
  if (req.raw !== undefined) body = req.raw;
  else if (req.body !== undefined) body = JSON.stringify(req.body);
  const contentType = req.contentType === undefined ? (body !== undefined ? 'application/json' : null) : req.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  return app.request(`http://localhost${req.path}`, { method: req.method, headers, ...(body !== undefined ? { body } : {}) }, env);
}

/** The invariants every fuzzed request must keep. */
async function check(req: Req): Promise<void> {
  const before = await dumpDb(env.DB);
  const response = await send(req);
  const text = await response.text();
  const where = `${req.method} ${req.path} → ${response.status}: ${text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type'), where).toContain('application/problem+json');
    const problem = JSON.parse(text);
    expect(problem, where).toMatchObject({ type: expect.stringMatching(/^urn:shizi:problem:/), title: expect.any(String), status: response.status, instance: expect.any(String), requestId: expect.any(String) });
    expect(response.headers.get('x-request-id'), where).toBe(problem.requestId);
    expect(text, where).not.toMatch(/SQLITE|D1_|INSERT INTO|SELECT .* FROM|\bat \//);
    expect(await dumpDb(env.DB), `${where}\nrejected, yet the database changed`).toBe(before);
  } else {
    expect(response.headers.get('content-type'), where).toMatch(/json/);
  }
}

// ---- value generators -------------------------------------------------------------------------------------

const specials = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '👩‍🏫',
  '🇨🇳',
  '师资队伍建设',
  '\u202Eevil\u202C',
  'שלום עולם',
  'مرحبا',
  '\uFEFF',
  '\u200B',
  'e\u0301',
  "'; DROP TABLE teachers; --",
  '%00',
  '../../etc/passwd',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '\r\n',
  '"',
  '\\',
  '{}',
  'NaN',
  'Infinity',
  '-0',
  '1e999',
];
const weirdString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 4, arbitrary: fc.constantFrom(...specials) },
  { weight: 1, arbitrary: fc.constantFrom('长'.repeat(501), 'x'.repeat(10_000), '😀'.repeat(129)) },
);
const weirdNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, -0, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 63, 5e-324, 1899, 3000, 10_000_000_001));
const validDate = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const badDate = fc.constantFrom('2025-02-30', '2023-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-32', '0000-01-01', '9999-12-31', '2025-2-3', ' 2025-01-01', '2025-01-01T00:00:00Z', '20250101', '2025/01/01', '+002025-01-01', '-2025-01-01', '２０２５-０１-０１');
const anyDate = fc.oneof({ weight: 3, arbitrary: validDate }, { weight: 2, arbitrary: badDate }, { weight: 1, arbitrary: weirdString });
const nested = (depth: number) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  { weight: 3, arbitrary: weirdNumber },
  { weight: 2, arbitrary: anyDate },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(nested(1000), [[[[[]]]]], { $gt: '' }, { __proto__: { admin: true } }) },
);

/** Valid-shaped object, then 0–3 edits: a key set to a weird value, deleted, or an unknown key added. */
function mutated<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  const edit = fc.tuple(fc.oneof(fc.constantFrom('id', 'name', 'teacherId', 'kind', 'status', 'date', 'year', 'hours', 'asOf', 'role'), fc.string({ maxLength: 8 })), fc.option(weirdValue, { nil: undefined }));
  return fc.tuple(valid, fc.array(edit, { maxLength: 3 })).map(([value, edits]) => {
    const out: Record<string, unknown> = { ...value };
    for (const [key, replacement] of edits) {
      if (replacement === undefined) delete out[key];
      else out[key] = replacement;
    }
    return out;
  });
}

/** Whole bodies that are not what the route wants at all. */
const malformedRaw = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
  fc.anything().map((value) => {
    try {
      return JSON.stringify(value) ?? 'undefined';
    } catch {
      return String(value);
    }
  }),
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    '[',
    'null',
    'true',
    '0',
    '"x"',
    '[]',
    '{}',
    'NaN',
    '{"x": NaN}',
    '{"x": Infinity}',
    '{"x": 1e999}',
    '{"x": -0}',
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '\uFEFF{}',
    '{"a":1,"a":2}',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
    '{"x":"\\ud800"}',
    '{"x":"\\u0000"}',
  ),
  fc.constantFrom('{"a":'.repeat(1000) + '1' + '}'.repeat(1000), '['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), JSON.stringify({ x: 'x'.repeat(1_000_000) })),
);
const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/problem+json', null);

type Body = { body: unknown } | { raw: string; contentType: string | null };
/** A mix of valid-shaped, mutated and malformed bodies for a route. */
function bodies(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((body) => ({ body })) },
    { weight: 4, arbitrary: mutated(valid).map((body) => ({ body })) },
    { weight: 1, arbitrary: weirdValue.map((body) => ({ body })) },
    { weight: 2, arbitrary: fc.tuple(malformedRaw, contentTypes).map(([raw, contentType]) => ({ raw, contentType })) },
    { weight: 1, arbitrary: valid.chain((body) => contentTypes.map((contentType) => ({ raw: JSON.stringify(body), contentType }))) },
  );
}

// Path segments: known ids, odd ids, percent-encoding that does not decode, too long.
const oddSegment = fc.oneof(fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).map(encodeURIComponent), fc.constantFrom('%FF', '%E4%B8', '%00', '%2F', '..', '.', '%20', 'a%2Fb', 'x'.repeat(129), 'x'.repeat(5000), '师资', '%F0%9F%91%A9', 'null'));
const segment = (known: () => string[]) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .constant(null)
        .map(() => known())
        .chain((ids) => fc.constantFrom(...ids))
        .map(encodeURIComponent),
    },
    { weight: 2, arbitrary: oddSegment },
  );
const headerValue = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), fc.constantFrom('', ' ', 'x'.repeat(201), 'x'.repeat(10_000)));
const idemHeader = fc.option(
  headerValue.filter((value) => value.trim() === value || true).map((value) => ({ 'idempotency-key': value })),
  { nil: undefined },
);
const langHeader = fc.option(
  fc.constantFrom('en', 'zh-CN', 'fr', '*', 'en;q=0.5, zh;q=0.9', '').map((value) => ({ 'accept-language': value })),
  { nil: undefined },
);

// Valid-shaped entities: every field passes the schema (so requests reach the database), but the text is
// as odd as the schema allows — emoji, CJK, RTL, NUL, combining marks, lone surrogates, 128/500-char limits.
const loneSurrogate = fc.tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 })).map(([a, code, b]) => `${a}${String.fromCharCode(code)}${b}`);
const oddText = fc.oneof(
  { weight: 2, arbitrary: loneSurrogate },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...specials.filter((value) => value.trim() !== '')) },
  { weight: 1, arbitrary: fc.constantFrom('长'.repeat(500), 'x'.repeat(128), '😀'.repeat(64)) },
);
const idArb = fc.oneof({ weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).map((s) => `fz-${s}`) }, { weight: 2, arbitrary: oddText.filter((value) => value.length <= 128) });
const textArb = fc.oneof({ weight: 2, arbitrary: fc.constantFrom('张三', '智能制造学院', 'Li Na', '比亚迪股份有限公司', 'O\'Brien "Jr."') }, { weight: 3, arbitrary: oddText.filter((value) => value.trim() !== '' && value.length <= 500) });
const teacherArb = fc.record({
  id: idArb,
  name: textArb,
  unit: textArb,
  hireDate: validDate,
  stage: fc.constantFrom('new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead'),
  stageSince: validDate,
  title: fc.constantFrom('assistant', 'lecturer', 'associate_professor', 'professor'),
  titleSince: validDate,
}) as fc.Arbitrary<Record<string, unknown>>;
const statusArb = fc.constantFrom('verified', 'pending', 'rejected');
const yearArb = fc.integer({ min: 1900, max: 2999 });
const moneyArb = fc.oneof(fc.integer({ min: 0, max: 10_000_000_000 }), fc.constantFrom(0, 10_000_000_000));
const shareArb = fc.oneof(fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), fc.constantFrom(1, 5e-324, 0.3));
const datePair = fc.tuple(validDate, validDate).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [string, string]);
const teacherRef = fc.oneof({ weight: 3, arbitrary: fc.constant(null).chain(() => fc.constantFrom(...teacherIds)) }, { weight: 1, arbitrary: idArb });
const team = { rank: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }), share: fc.option(shareArb, { nil: undefined }) };
const teamKeys = ['id', 'teacherId', 'kind', 'status', 'date'] as const;
const recordArb = fc.oneof(
  fc.record({ id: idArb, teacherId: teacherRef, kind: fc.constant('teaching_workload'), status: statusArb, year: yearArb, hours: fc.oneof(fc.double({ min: 0, max: 10_000, noNaN: true }), fc.constantFrom(0, 10_000)) }),
  fc.record({ id: idArb, teacherId: teacherRef, kind: fc.constant('teaching_evaluation'), status: statusArb, date: validDate, score: fc.double({ min: 0, max: 100, noNaN: true }) }),
  fc.record({ id: idArb, teacherId: teacherRef, status: statusArb, period: datePair, enterprise: textArb, topics: fc.array(textArb, { maxLength: 4 }) }).map(({ period, ...rest }) => ({ ...rest, kind: 'enterprise_practice', start: period[0], end: period[1] })),
  fc.record({ id: idArb, teacherId: teacherRef, kind: fc.constant('tech_transfer'), status: statusArb, date: validDate, amountYuan: moneyArb, partner: textArb, ...team }, { requiredKeys: [...teamKeys, 'amountYuan', 'partner'] }),
  fc.record({ id: idArb, teacherId: teacherRef, kind: fc.constant('horizontal_project'), status: statusArb, date: validDate, amountYuan: moneyArb, partner: textArb, ...team }, { requiredKeys: [...teamKeys, 'amountYuan', 'partner'] }),
  fc.record(
    {
      id: idArb,
      teacherId: teacherRef,
      kind: fc.constant('enterprise_training'),
      status: statusArb,
      date: validDate,
      trainees: fc.integer({ min: 0, max: 100_000 }),
      hours: fc.double({ min: 0, max: 10_000, noNaN: true }),
      satisfaction: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
      ...team,
    },
    { requiredKeys: [...teamKeys, 'trainees', 'hours'] },
  ),
  fc.record({ id: idArb, teacherId: teacherRef, kind: fc.constant('practice_exemption'), status: statusArb, year: yearArb, reason: textArb }),
  fc.record({ id: idArb, teacherId: teacherRef, kind: fc.constant('ethics_violation'), status: statusArb, date: validDate, description: textArb }),
  fc
    .record({ id: idArb, teacherId: teacherRef, status: statusArb, period: datePair, open: fc.boolean(), role: fc.constantFrom('mentor', 'mentee'), partnerId: idArb, outcome: fc.constantFrom('ongoing', 'passed', 'failed') })
    .map(({ period, open, ...rest }) => ({ ...rest, kind: 'mentoring', start: period[0], ...(open ? {} : { end: period[1] }) })),
  fc.record({ id: idArb, teacherId: teacherRef, kind: weirdString, status: statusArb }),
) as fc.Arbitrary<Record<string, unknown>>;

/** Policies: the default one with edits, sometimes with an all_of requirement tree nested 5 … 20,000 deep. */
function policyArb(): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }).map((s) => `fz-${s}`),
        weirdString,
      ),
      fc.array(fc.tuple(fc.constantFrom('calendar', 'practice', 'appraisal', 'growth', 'title', 'name', 'shareByRank', 'version', 'grades'), fc.option(weirdValue, { nil: undefined })), { maxLength: 2 }),
      fc.option(fc.constantFrom(5, 30, 100, 1000, 10_000, 20_000), { nil: undefined }),
    )
    .map(([version, edits, depth]) => {
      const policy = JSON.parse(JSON.stringify(defaultPolicy)) as Record<string, unknown>;
      policy.version = version;
      for (const [key, value] of edits) {
        if (value === undefined) delete policy[key];
        else policy[key] = value;
      }
      if (depth !== undefined) {
        const transitions = (policy.growth as { transitions?: Record<string, unknown> } | undefined)?.transitions;
        if (transitions && typeof transitions === 'object') transitions.new_teacher = `__DEEP_${depth}__`;
        else policy.growth = `__DEEP_${depth}__`;
      }
      return policy;
    });
}

/** Deep trees travel as text: building them as objects would overflow the test's own JSON.stringify. */
function expandDeep(b: Body): Body {
  if (!('body' in b)) return b;
  const text = JSON.stringify(b.body);
  const match = /"__DEEP_(\d+)__"/.exec(text ?? '');
  if (!text || !match) return b;
  const depth = Number(match[1]);
  let tree = '';
  for (let level = 0; level < depth; level++) tree += `{"id":"n${level}","type":"all_of","children":[`;
  tree += '{"id":"leaf","type":"years_in_stage","min":1}' + ']}'.repeat(depth);
  return { raw: text.replace(match[0], tree), contentType: 'application/json' };
}

// ---- routes -----------------------------------------------------------------------------------------------

interface Route {
  name: string;
  arb: () => fc.Arbitrary<Req>;
}

const withBody = (b: Body) => ('raw' in b ? { raw: b.raw, contentType: b.contentType } : { body: b.body });

const routes: Route[] = [
  { name: 'POST /v1/teachers', arb: () => fc.tuple(bodies(teacherArb), langHeader).map(([b, lang]) => ({ token: keys.hr, method: 'POST', path: '/v1/teachers', ...withBody(b), headers: { ...lang } })) },
  {
    name: 'PATCH /v1/teachers/{id}',
    arb: () =>
      fc
        .tuple(
          segment(() => teacherIds),
          bodies(teacherArb.map(({ id: _id, ...rest }) => rest) as fc.Arbitrary<Record<string, unknown>>),
          fc.option(fc.oneof(fc.constantFrom('"v1"', '"v2"', 'W/"v1"', '*', '', '"v999999999999999999999"', 'v1'), headerValue), { nil: undefined }),
        )
        .map(([id, b, ifMatch]) => ({ token: keys.hr, method: 'PATCH', path: `/v1/teachers/${id}`, ...withBody(b), headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } })),
  },
  {
    name: 'POST /v1/teachers/{id}/promotion',
    arb: () =>
      fc
        .tuple(
          segment(() => teacherIds),
          bodies(fc.record({ asOf: validDate, override: fc.option(fc.record({ reason: fc.oneof(textArb, fc.constant('经人事处会议决定破格晋升，理由充分')) }), { nil: undefined }) }, { requiredKeys: ['asOf'] })),
          idemHeader,
        )
        .map(([id, b, idem]) => ({ token: keys.hr, method: 'POST', path: `/v1/teachers/${id}/promotion`, ...withBody(b), headers: { ...idem } })),
  },
  {
    name: 'POST /v1/teachers/{id}/stage',
    arb: () =>
      fc
        .tuple(
          segment(() => teacherIds),
          bodies(fc.record({ stage: fc.oneof(fc.constantFrom('new_teacher', 'backbone_teacher', 'cluster_lead'), textArb), stageSince: fc.oneof(validDate, textArb), reason: fc.oneof(textArb, fc.constant('入职时阶段录入错误，人事处更正')) }, { requiredKeys: [] })),
          fc.option(fc.oneof(fc.constantFrom('"v1"', '"v2"', 'W/"v1"', '*', ''), headerValue), { nil: undefined }),
        )
        .map(([id, b, ifMatch]) => ({ token: keys.hr, method: 'POST', path: `/v1/teachers/${id}/stage`, ...withBody(b), headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } })),
  },
  {
    name: 'POST /v1/teachers/{id}/departure',
    arb: () =>
      fc
        .tuple(
          segment(() => teacherIds),
          bodies(fc.record({ departedOn: fc.oneof(validDate, fc.constant(null), weirdString), reason: fc.oneof(textArb, weirdString) }, { requiredKeys: [] })),
          fc.option(fc.constantFrom('"v1"', '"v2"', 'W/"v1"', ''), { nil: undefined }),
        )
        .map(([id, b, ifMatch]) => ({ token: keys.hr, method: 'POST', path: `/v1/teachers/${id}/departure`, ...withBody(b), headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } })),
  },
  { name: 'POST /v1/records', arb: () => bodies(recordArb).map((b) => ({ token: keys.hr, method: 'POST', path: '/v1/records', ...withBody(b) })) },
  {
    name: 'POST /v1/records (a teacher declares)',
    arb: () => fc.tuple(bodies(recordArb), idemHeader).map(([b, idem]) => ({ token: keys.teacher, method: 'POST', path: '/v1/records', ...withBody(b), headers: { ...idem } })),
  },
  {
    name: 'PUT /v1/records/{id}',
    arb: () =>
      fc
        .tuple(
          segment(() => [...declaredIds, ...recordIds]),
          bodies(recordArb),
        )
        .map(([id, b]) => ({ token: keys.teacher, method: 'PUT', path: `/v1/records/${id}`, ...withBody(b) })),
  },
  {
    name: 'POST /v1/records/{id}/transitions',
    arb: () =>
      fc
        .tuple(
          segment(() => [...declaredIds, ...recordIds]),
          fc.constantFrom(
            () => keys.hr,
            () => reviewerToken,
            () => keys.teacher,
          ),
          bodies(fc.record({ action: fc.oneof(fc.constantFrom('approve', 'return', 'reject', 'withdraw', 'resubmit'), weirdString), reason: fc.option(weirdString, { nil: undefined }) }, { requiredKeys: ['action'] })),
          idemHeader,
        )
        .map(([id, token, b, idem]) => ({ token: token(), method: 'POST', path: `/v1/records/${id}/transitions`, ...withBody(b), headers: { ...idem } })),
  },
  {
    name: 'POST /v1/records/transitions',
    arb: () =>
      fc
        .tuple(
          fc.constantFrom(
            () => keys.hr,
            () => reviewerToken,
          ),
          bodies(
            fc.record(
              { ids: fc.array(fc.oneof(fc.constantFrom(...declaredIds, ...recordIds), idArb), { maxLength: 4 }), action: fc.oneof(fc.constantFrom('approve', 'return', 'reject'), weirdString), reason: fc.option(weirdString, { nil: undefined }) },
              { requiredKeys: ['action'] },
            ),
          ),
        )
        .map(([token, b]) => ({ token: token(), method: 'POST', path: '/v1/records/transitions', ...withBody(b) })),
  },
  ...(['verify', 'reject'] as const).map((action) => ({
    name: `POST /v1/records/{id}/${action}`,
    arb: () =>
      fc
        .tuple(
          segment(() => recordIds),
          fc.option(bodies(fc.record({ note: fc.option(weirdString, { nil: undefined }) }, { requiredKeys: [] })), { nil: undefined }),
        )
        .map(([id, b]) => ({ token: keys.hr, method: 'POST', path: `/v1/records/${id}/${action}`, ...(b ? withBody(b) : {}) })),
  })),
  {
    name: 'DELETE /v1/records/{id}',
    arb: () =>
      fc
        .tuple(
          segment(() => recordIds),
          fc.option(bodies(fc.record({ reason: weirdString })), { nil: undefined }),
        )
        .map(([id, b]) => ({ token: keys.hr, method: 'DELETE', path: `/v1/records/${id}`, ...(b ? withBody(b) : {}) })),
  },
  {
    name: 'PATCH /v1/records/{id}',
    arb: () =>
      fc
        .tuple(
          segment(() => [...recordIds, ...declaredIds]),
          fc.oneof(bodies(fc.dictionary(fc.constantFrom('hours', 'year', 'score', 'start', 'end', 'enterprise', 'status', 'id', 'teacherId', 'kind', 'x'), fc.oneof(weirdValue, fc.constant(null)), { maxKeys: 3 })), bodies(recordArb)),
          fc.option(fc.constantFrom('"v1"', '"v2"', 'W/"v1"', '*', '"v999999999999999999999"', ''), { nil: undefined }),
        )
        .map(([id, b, ifMatch]) => ({ token: keys.hr, method: 'PATCH', path: `/v1/records/${id}`, ...withBody(b), headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } })),
  },
  {
    // the DELETE case above deletes fixture records at random: restore finds deleted and live ones
    name: 'POST /v1/records/{id}/restore',
    arb: () =>
      fc
        .tuple(
          segment(() => recordIds),
          fc.option(bodies(fc.record({ reason: fc.oneof(weirdString, fc.constant('误删了这条记录，恢复原状')) }, { requiredKeys: [] })), { nil: undefined }),
        )
        .map(([id, b]) => ({ token: keys.hr, method: 'POST', path: `/v1/records/${id}/restore`, ...(b ? withBody(b) : {}) })),
  },
  {
    name: 'POST /v1/import (JSON)',
    arb: () =>
      fc
        .tuple(bodies(fc.record({ teachers: fc.array(teacherArb, { maxLength: 3 }), records: fc.array(recordArb, { maxLength: 4 }) }, { requiredKeys: [] })), idemHeader)
        .map(([b, idem]) => ({ token: keys.hr, method: 'POST', path: '/v1/import', ...withBody(b), headers: { ...idem } })),
  },
  {
    name: 'POST /v1/import (CSV)',
    arb: () => {
      const columns = ['entity', 'id', 'name', 'unit', 'hireDate', 'stage', 'stageSince', 'title', 'titleSince', 'teacherId', 'kind', 'status', 'date', 'start', 'end', 'enterprise', 'topics', 'year', 'hours', 'score'];
      const cell = fc.oneof(fc.constantFrom('teacher', 'record', '', 'verified', 'teaching_workload', 'enterprise_practice', '2025-07-01', '2025-02-30', '2024', '300', '-1', '1e999', 'NaN', '工业机器人;数字化改造', ...teacherIds), weirdString.map(String));
      const table = fc.tuple(fc.shuffledSubarray(columns, { minLength: 1 }), fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 5 })).map(([header, rows]) => toCsv(header, rows));
      const rawCsv = fc.oneof(
        { weight: 4, arbitrary: table },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
        { weight: 1, arbitrary: fc.constantFrom('', '\uFEFF', 'entity\r\n', 'entity,id\r\n"unterminated', 'entity,id\nteacher,"a""b', '"' + 'x'.repeat(100_000), 'entity,' + 'c,'.repeat(10_000) + '\r\nteacher', ',,,\r\n,,,', 'entity\r\n' + 'teacher\r\n'.repeat(20_001)) },
      );
      return fc.tuple(rawCsv, fc.constantFrom('text/csv', 'text/csv; charset=utf-8', 'TEXT/CSV', 'text/csv; charset=gbk'), idemHeader).map(([raw, contentType, idem]) => ({ token: keys.hr, method: 'POST', path: '/v1/import', raw, contentType, headers: { ...idem } }));
    },
  },
  {
    name: 'POST /v1/review-cycles',
    arb: () =>
      bodies(fc.record({ name: textArb, asOf: validDate, policyVersion: fc.option(fc.oneof(fc.constant(defaultPolicy.version), weirdString), { nil: undefined }) }, { requiredKeys: ['name', 'asOf'] })).map((b) => ({
        token: keys.hr,
        method: 'POST',
        path: '/v1/review-cycles',
        ...withBody(b),
      })),
  },
  {
    name: 'POST /v1/review-cycles/{id}/candidates',
    arb: () =>
      fc
        .tuple(
          segment(() => [openCycle, frozenCycle]),
          bodies(fc.record({ candidates: fc.array(fc.record({ teacherId: teacherRef, targetTitle: fc.constantFrom('lecturer', 'associate_professor', 'professor', 'assistant') }), { maxLength: 4 }) })),
        )
        .map(([id, b]) => ({ token: keys.hr, method: 'POST', path: `/v1/review-cycles/${id}/candidates`, ...withBody(b) })),
  },
  {
    name: 'POST /v1/review-cycles/{id}/freeze',
    arb: () =>
      fc
        .tuple(
          segment(() => [openCycle, frozenCycle]),
          fc.option(fc.tuple(malformedRaw, contentTypes), { nil: undefined }),
          idemHeader,
        )
        .map(([id, b, idem]) => ({ token: keys.hr, method: 'POST', path: `/v1/review-cycles/${id}/freeze`, ...(b ? { raw: b[0], contentType: b[1] } : {}), headers: { ...idem } })),
  },
  {
    name: 'POST /v1/policies',
    arb: () =>
      bodies(policyArb())
        .map(expandDeep)
        .map((b) => ({ token: keys.admin, method: 'POST', path: '/v1/policies', ...withBody(b) })),
  },
  {
    name: 'POST /v1/keys',
    arb: () =>
      bodies(fc.record({ role: fc.constantFrom('admin', 'hr', 'committee', 'teacher'), teacherId: fc.option(teacherRef, { nil: undefined }), label: fc.option(textArb, { nil: undefined }) }, { requiredKeys: ['role'] })).map((b) => ({
        token: keys.admin,
        method: 'POST',
        path: '/v1/keys',
        ...withBody(b),
      })),
  },
  {
    name: 'DELETE /v1/keys/{id}',
    arb: () =>
      fc
        .tuple(
          segment(() => spareKeyIds),
          fc.option(bodies(fc.record({ x: weirdValue })), { nil: undefined }),
        )
        .map(([id, b]) => ({ token: keys.admin, method: 'DELETE', path: `/v1/keys/${id}`, ...(b ? withBody(b) : {}) })),
  },
];

/** Short, finite descriptions of counterexamples (a 100,000-deep body would overflow fast-check's printer). */
function printable(arb: fc.Arbitrary<Req>): fc.Arbitrary<Req> {
  return arb.map((req) =>
    Object.assign(req, {
      [fc.toStringMethod]: () => {
        let body: string;
        try {
          body = req.raw ?? JSON.stringify(req.body) ?? '';
        } catch {
          body = '(unprintable)';
        }
        const shown = body.length > 400 ? `${body.slice(0, 400)}… (${body.length} chars)` : body;
        return `${req.method} ${req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path} content-type=${String(req.contentType)} headers=${JSON.stringify(req.headers ?? {}).slice(0, 300)} body=${JSON.stringify(shown)}`;
      },
    }),
  );
}

describe(`fuzz: every write route, ${RUNS} runs each — never 5xx, always problem+json, rejected = unchanged`, () => {
  it.each(routes.map((route) => [route.name, route] as const))(
    '%s',
    async (_name, route) => {
      await fc.assert(fc.asyncProperty(printable(route.arb()), check), params);
    },
    TIMEOUT,
  );

  it('regressions found by this fuzzing: lone surrogates and deep nesting are 400s naming the path, not 500s', async () => {
    const before = await dumpDb(env.DB);
    const lone = await send({ token: keys.hr, method: 'POST', path: '/v1/teachers', body: teacher('fz-\uD800', { name: 'x\uDFFFy' }) });
    expect(lone.status).toBe(400);
    expect((await jsonOf(lone)).errors.map((error: { path: string }) => error.path).sort()).toEqual(['id', 'name']);
    const importLone = await send({ token: keys.hr, method: 'POST', path: '/v1/import', body: { teachers: [teacher('fz-ok', { unit: '\uDBFF' })] } });
    expect((await jsonOf(importLone)).errors).toEqual([{ path: 'teachers[0].unit', message: expect.stringContaining('Unicode') }]);
    const policy = JSON.parse(JSON.stringify(defaultPolicy));
    policy.version = 'fz-deep';
    policy.growth.transitions.new_teacher = '__DEEP_1000__';
    const deep = expandDeep({ body: policy });
    const response = await send({ token: keys.admin, method: 'POST', path: '/v1/policies', ...withBody(deep) });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors[0].message).toContain('deeper than 64');
    expect(await dumpDb(env.DB)).toBe(before);
    // Emoji, CJK, RTL and NUL are text: accepted and returned unchanged.
    const id = `fz-${uid('ok')}-👩‍🏫`;
    const ok = await send({ token: keys.hr, method: 'POST', path: '/v1/teachers', body: teacher(id, { name: '师资\u202Eאב\u0000' }) });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('location')).toBe(`/v1/teachers/${encodeURIComponent(id)}`);
    expect((await jsonOf(await send({ token: keys.hr, method: 'GET', path: `/v1/teachers/${encodeURIComponent(id)}` }))).name).toBe('师资\u202Eאב\u0000');
  });

  it('after all that, every read route still answers (no accepted write left data the reads cannot handle)', async () => {
    const reads = [
      ...teacherIds.flatMap((id) => [
        `/v1/teachers/${id}`,
        `/v1/teachers/${id}/progress?asOf=2026-09-01`,
        `/v1/teachers/${id}/dual-qualified?asOf=2026-09-01`,
        `/v1/teachers/${id}/practice?year=2024&asOf=2025-06-01`,
        `/v1/teachers/${id}/appraisals/2024`,
        `/v1/teachers/${id}/growth-file?asOf=2026-09-01`,
      ]),
      '/v1/teachers?limit=200',
      '/v1/records?limit=200',
      '/v1/appraisals?year=2024',
      '/v1/appraisals?year=2024&format=csv',
      '/v1/review-cycles',
      `/v1/review-cycles/${openCycle}/ranking`,
      `/v1/review-cycles/${frozenCycle}/ranking?format=csv`,
      '/v1/policies',
      '/v1/audit?limit=200',
    ];
    for (const path of reads) {
      const response = await send({ token: path.startsWith('/v1/audit') ? keys.admin : keys.hr, method: 'GET', path });
      expect(response.status, `${path}: ${(await response.clone().text()).slice(0, 300)}`).toBeLessThan(500);
    }
  });

  it(
    'the same bodies from the wrong role are refused before anything is read or written',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), fc.constantFrom('committee', 'teacher') as fc.Arbitrary<'committee' | 'teacher'>, fc.integer(), async (route, role, seed) => {
          const [req] = fc.sample(route.arb(), { numRuns: 1, seed });
          await check({ ...req!, token: keys[role] });
        }),
        { ...params, numRuns: Math.max(10, Math.floor(RUNS / 2)) },
      );
    },
    TIMEOUT,
  );
});
