/**
 * The scoring engine over RANDOM POLICIES (issue 9): random scoring items of every rule type over built-in kinds and
 * two policy-defined kinds (`evidenceKinds`), random records (verified / pending / rejected, team rank and share),
 * random years. Two properties pin the engine down:
 *
 * (a) Both compiled forms agree. Where the platform allows code generation, compile.ts generates each per-record
 *     handler and the per-kind dispatch as code (generate.ts) and the record guard too (evidence/registry.ts); where
 *     it refuses (a Worker, after startup) it builds closures. Node only ever runs the generated path, so here the
 *     refusal is emulated exactly as a Worker refuses: `new Function` throws an EvalError while the policy is
 *     compiled (`withoutCodeGeneration`). appraiseAll must give JSON-equal results (trace order included) on both,
 *     and the two record guards the same answer on valid and broken records.
 * (b) A deliberately simple reference scorer, written here from SPEC §4 and README ("Scoring items", "How items are
 *     scored, and the order of the trace"), gives the same totals, category raws, pending totals and trace lines (in
 *     order): a filter and a map per item, exact rationals in BigInt, each per-record line rounded half-up to
 *     hundredths, a line rule summed exactly and rounded once, an item's cap on its summed points, then the category
 *     cap. Practice days come from test/oracle.ts.
 *
 * Planted bugs, each made temporarily in the engine and caught by the property named, then reverted:
 *   - maxCount off by one (tally.ts limitRecords `counted > item.maxCount`): (b) failed, an extra line kept.
 *   - cap applied before groupBy/maxCount (tally.ts resolveLimited summing every gathered line): (b) failed.
 *   - the closure table handler reading its second key as the first (compile.ts recordHandler): (a) failed.
 *   - the closure guard skipping the optional-field check (registry.ts closureGuard): (a, guards) failed.
 *
 * Runs are bounded (RUNS below: about two seconds for the file); SCALE=20 npx vitest run test/scoring-paths.test.ts
 * hunts longer.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { appraiseAll, dateOfDay, dayNumber, defaultPolicy, parsePolicy, parseRecords, type ValidationError, type EvidenceRecord, type Policy, type Teacher } from '../src/index.js';
import { compiledFor } from '../src/scoring/compile.js';
import { builtinKinds } from '../src/evidence/builtin.js';
import { EvidenceRegistry } from '../src/evidence/registry.js';
import type { KindDeclaration } from '../src/evidence/declaration.js';
import type { ScoringItem } from '../src/scoring/schema.js';
import { bodyArb, dateArb, periodArb, teachersArb, yearArb } from './arbitraries.js';
import { oraclePractice } from './oracle.js';

const SCALE = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.SCALE ?? 1);
const RUNS = { numRuns: Math.max(1, Math.round(60 * SCALE)) };
vi.setConfig({ testTimeout: Math.max(20_000, 20_000 * SCALE) });

// ---- the platform refusing code generation, as a Worker does after startup ---------------------------------
const RealFunction = globalThis.Function;
/** Run `compile` while `new Function` throws an EvalError (the Worker's refusal); how many times it was refused. */
function withoutCodeGeneration<T>(compile: () => T): { value: T; refused: number } {
  let refused = 0;
  // biome-ignore lint/complexity/useArrowFunction: called with `new`, as `new Function(...)` is
  const Refusing = function () {
    refused++;
    throw new EvalError('Code generation from strings disallowed for this context');
  } as unknown as FunctionConstructor;
  globalThis.Function = Refusing;
  try {
    return { value: compile(), refused };
  } finally {
    globalThis.Function = RealFunction;
  }
}

// ---- policy-defined kinds ----------------------------------------------------------------------------------
const label = (en: string) => ({ zh: en, en });
const enumOf = (...values: string[]) => ({ type: 'enum' as const, label: label('e'), values: Object.fromEntries(values.map((value) => [value, label(value)])) });
const ownKinds: Record<string, KindDeclaration> = {
  paper: {
    label: label('paper'),
    noun: { en: 'paper', enPlural: 'papers', zhUnit: '篇' },
    team: true,
    placement: { by: 'date', field: 'date' },
    fields: {
      date: { type: 'date', label: label('date') },
      acceptedOn: { type: 'date', label: label('accepted'), optional: true },
      journalLevel: enumOf('core', 'provincial', 'general'),
      indexed: enumOf('yes', 'no'),
      pages: { type: 'integer', min: 1, max: 400, label: label('pages') },
      wordsK: { type: 'decimal', min: 0, max: 100, label: label('words') },
      rating: { type: 'decimal', min: 0, max: 100, label: label('rating'), optional: true },
      achievement: { type: 'text', label: label('achievement') },
    },
  },
  visit: {
    label: label('visit'),
    noun: { en: 'visit', enPlural: 'visits', zhUnit: '次' },
    placement: { by: 'period', start: 'start', end: 'end' },
    period: { start: 'start', end: 'end' },
    fields: { start: { type: 'date', label: label('start') }, end: { type: 'date', label: label('end') }, host: enumOf('a', 'b') },
  },
};

const decimalArb = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100),
  fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true }),
);
const ownBodies = {
  paper: fc
    .record(
      {
        date: dateArb,
        acceptedOn: dateArb,
        journalLevel: fc.constantFrom('core', 'provincial', 'general'),
        indexed: fc.constantFrom('yes', 'no'),
        pages: fc.integer({ min: 1, max: 400 }),
        wordsK: decimalArb,
        rating: decimalArb,
        achievement: fc.constantFrom('A1', 'A2', 'A3'),
        rank: fc.integer({ min: 1, max: 7 }),
        share: fc.integer({ min: 1, max: 100 }).map((k) => k / 100),
      },
      { requiredKeys: ['date', 'journalLevel', 'indexed', 'pages', 'wordsK', 'achievement'] },
    )
    .chain((body) => fc.integer({ min: -30, max: 240 }).map((late) => ({ kind: 'paper', ...body, ...(body.acceptedOn === undefined ? {} : { acceptedOn: dateOfDay(Math.max(dayNumber(body.date) + late, dayNumber(body.date))) }) }))),
  visit: fc.tuple(periodArb(40), fc.constantFrom('a', 'b')).map(([period, host]) => ({ kind: 'visit', ...period, host })),
};

const statusArb = fc.oneof({ weight: 5, arbitrary: fc.constant('verified') }, { weight: 3, arbitrary: fc.constant('pending') }, { weight: 1, arbitrary: fc.constant('rejected') });

/** A date moved by whole years (29 February to the 28th where the target year has none). */
function shiftDate(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const monthDay = date.slice(5) === '02-29' && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? '02-28' : date.slice(5);
  return `${year}-${monthDay}`;
}
const academicYearOf = (date: string) => (date.slice(5) >= '09-01' ? Number(date.slice(0, 4)) : Number(date.slice(0, 4)) - 1);
/** The record moved by whole academic years so that it is placed in `year` (its first date, or its year field, lands there). */
function moveInto(record: Record<string, unknown>, year: number): Record<string, unknown> {
  const anchor = (record.date ?? record.start) as string | undefined;
  const by = anchor !== undefined ? year - academicYearOf(anchor) : typeof record.year === 'number' ? year - record.year : 0;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? shiftDate(value, by) : key === 'year' && typeof value === 'number' ? value + by : value;
  return out;
}

/**
 * Records of the kinds the policy scores (and now and then any other), most of them moved into the year asked for, so
 * that items meet several records each: limits, caps, groups and pending records come into play.
 */
function recordsFor(teachers: readonly Teacher[], kinds: readonly string[], year: number): fc.Arbitrary<Record<string, unknown>[]> {
  const owners = teachers.map((teacher) => teacher.id);
  const builtins = kinds.filter((kind) => kind in builtinKinds) as EvidenceRecord['kind'][];
  const scored: Array<fc.Arbitrary<Record<string, unknown>>> = [...(builtins.length > 0 ? [bodyArb(builtins) as fc.Arbitrary<Record<string, unknown>>] : []), ...(kinds.includes('paper') ? [ownBodies.paper] : []), ...(kinds.includes('visit') ? [ownBodies.visit] : [])];
  const body = fc.oneof({ weight: 6, arbitrary: fc.oneof(...scored) }, { weight: 1, arbitrary: fc.oneof(bodyArb() as fc.Arbitrary<Record<string, unknown>>, ownBodies.paper, ownBodies.visit) });
  return fc
    .array(fc.tuple(fc.constantFrom(...owners), statusArb, body, fc.integer({ min: 0, max: 3 })), { minLength: 8, maxLength: 30 })
    .map((rows) => rows.map(([teacherId, status, body, move], index) => ({ id: `r${index}`, teacherId, status, ...(move > 0 ? moveInto(body, year) : body) })));
}

// ---- random scoring items ----------------------------------------------------------------------------------
const levels = ['national', 'provincial', 'municipal', 'school'];
const values: Record<string, string[]> = {
  level: levels,
  patentType: ['invention', 'utility_model', 'software_copyright'],
  journalLevel: ['core', 'provincial', 'general'],
  indexed: ['yes', 'no'],
  award: ['first', 'second', 'third', 'excellence'],
  certType: ['dual_qualified', 'vocational', 'one_plus_x'],
  certLevel: ['junior', 'intermediate', 'senior'],
  role: ['contestant', 'coach'],
  mentorRole: ['mentor', 'mentee'],
  outcome: ['ongoing', 'passed', 'failed'],
  resourceType: ['worksheet', 'slides', 'micro_lecture', 'question_bank'],
  achievement: ['A1', 'A2', 'A3'],
  host: ['a', 'b'],
};
/** A field of the template's kinds that a `where` may filter and the values it can take (`values` key). */
type Filter = [field: string, valuesKey: string];
interface Template {
  kinds: string[];
  /** Table keys (with their value lists), amount fields, or a line rule's field. */
  keys?: Filter[];
  amount?: string[];
  field?: string;
  where?: Filter[];
  factor?: string;
  scoredOn?: string;
  groupBy?: string[];
}
const paperExtras = {
  where: [
    ['journalLevel', 'journalLevel'],
    ['indexed', 'indexed'],
  ] as Filter[],
  factor: 'rating',
  scoredOn: 'acceptedOn',
  groupBy: ['achievement', 'journalLevel'],
};
const templates: Record<'fixed' | 'table1' | 'table2' | 'amount1' | 'amount2' | 'saturating_sum' | 'mean' | 'distinct_days' | 'practice_days', Template[]> = {
  fixed: [
    {
      kinds: ['mentoring'],
      where: [
        ['role', 'mentorRole'],
        ['outcome', 'outcome'],
      ],
      scoredOn: 'start',
      groupBy: ['partnerId'],
    },
    { kinds: ['paper'], ...paperExtras },
    { kinds: ['teaching_resource'], where: [['resourceType', 'resourceType']], groupBy: ['resourceType'] },
  ],
  table1: [
    { kinds: ['teaching_reform_project'], keys: [['level', 'level']], groupBy: ['level'] },
    { kinds: ['patent'], keys: [['patentType', 'patentType']] },
    { kinds: ['paper'], keys: [['journalLevel', 'journalLevel']], ...paperExtras },
    { kinds: ['certificate'], keys: [['level', 'certLevel']], where: [['certType', 'certType']] },
    { kinds: ['teaching_reform_project', 'skill_competition'], keys: [['level', 'level']], groupBy: ['level'] },
  ],
  table2: [
    {
      kinds: ['skill_competition'],
      keys: [
        ['level', 'level'],
        ['award', 'award'],
      ],
      where: [['role', 'role']],
      groupBy: ['role', 'level'],
    },
    {
      kinds: ['certificate'],
      keys: [
        ['certType', 'certType'],
        ['level', 'certLevel'],
      ],
    },
    {
      kinds: ['paper'],
      keys: [
        ['journalLevel', 'journalLevel'],
        ['indexed', 'indexed'],
      ],
      ...paperExtras,
    },
  ],
  amount1: [
    { kinds: ['horizontal_project', 'tech_transfer'], amount: ['amountYuan'], groupBy: ['partner'] },
    { kinds: ['technical_service'], amount: ['amountYuan'], factor: 'satisfaction' },
    { kinds: ['enterprise_training'], amount: ['hours'], factor: 'satisfaction' },
    { kinds: ['paper'], amount: ['pages'], ...paperExtras },
    { kinds: ['paper'], amount: ['wordsK'], ...paperExtras },
  ],
  amount2: [
    { kinds: ['enterprise_training'], amount: ['trainees', 'hours'], factor: 'satisfaction' },
    { kinds: ['enterprise_training'], amount: ['hours', 'trainees'], factor: 'satisfaction' },
    { kinds: ['paper'], amount: ['pages', 'wordsK'], ...paperExtras },
    { kinds: ['paper'], amount: ['wordsK', 'pages'], ...paperExtras },
  ],
  saturating_sum: [
    { kinds: ['teaching_workload'], field: 'hours' },
    { kinds: ['enterprise_training'], field: 'hours' },
    { kinds: ['paper'], field: 'wordsK', where: paperExtras.where, scoredOn: 'acceptedOn' },
  ],
  mean: [
    { kinds: ['teaching_evaluation'], field: 'score' },
    { kinds: ['paper'], field: 'wordsK', where: paperExtras.where, scoredOn: 'acceptedOn' },
    { kinds: ['enterprise_training'], field: 'hours' },
  ],
  distinct_days: [{ kinds: ['international_training'] }, { kinds: ['visit'], where: [['host', 'host']] }, { kinds: ['international_training', 'visit'] }, { kinds: ['enterprise_practice'] }],
  practice_days: [{ kinds: ['enterprise_practice'] }],
};

const categoryIds = ['teaching', 'engineering_practice', 'technical_innovation', 'tech_transfer', 'enterprise_service', 'research'];
const pointsArb = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 2000 }).map((h) => h / 100),
);
/** `arb` in `percent` of the cases, else undefined. */
const maybe = <T>(arb: fc.Arbitrary<T>, percent = 50): fc.Arbitrary<T | undefined> => fc.oneof({ weight: percent, arbitrary: arb }, { weight: 100 - percent, arbitrary: fc.constant(undefined) });
const subset = (list: readonly string[]) => fc.subarray([...list], { minLength: 1 });

/** A points table over the keys: some values missing (they score nothing). */
function tableArb(keys: Filter[]): fc.Arbitrary<Record<string, unknown>> {
  const [head, ...rest] = keys;
  return subset(values[head![1]]!).chain((listed) => fc.tuple(...listed.map((value) => (rest.length === 0 ? pointsArb : tableArb(rest)).map((entry) => [value, entry] as const))).map((entries) => Object.fromEntries(entries)));
}

function itemArb(index: number): fc.Arbitrary<ScoringItem> {
  const kind = fc.constantFrom(...(Object.keys(templates) as Array<keyof typeof templates>));
  return kind.chain((type) =>
    fc.constantFrom(...templates[type]).chain((template) => {
      const perRecord = type === 'fixed' || type.startsWith('table') || type.startsWith('amount');
      const rule: fc.Arbitrary<ScoringItem['rule']> =
        type === 'fixed'
          ? pointsArb.map((points) => ({ type: 'fixed', points }))
          : type.startsWith('table')
            ? tableArb(template.keys!).map((points) => ({ type: 'table', keys: template.keys!.map(([field]) => field), points: points as never }))
            : type.startsWith('amount')
              ? fc.record({ per: fc.constantFrom(1, 3, 40, 0.5, 2.5, 10_000), points: pointsArb }).map(({ per, points }) => ({ type: 'per_amount', amount: template.amount!, per, points }))
              : type === 'saturating_sum'
                ? fc.record({ full: fc.constantFrom(1, 10, 7.5, 280), points: pointsArb }).map(({ full, points }) => ({ type: 'saturating_sum', field: template.field!, full, points }))
                : type === 'mean'
                  ? fc.constantFrom(0.1, 0.25, 1, 0.05, 0.3).map((factor) => ({ type: 'mean', field: template.field!, factor }))
                  : fc.constantFrom(0.25, 0.2, 1, 0.33, 0.07).map((pointsPerDay) => ({ type: type as 'distinct_days' | 'practice_days', pointsPerDay }));
      const where = template.where === undefined ? fc.constant(undefined) : maybe(fc.subarray(template.where, { minLength: 1 }).chain((filters) => fc.tuple(...filters.map(([field, key]) => subset(values[key]!).map((list) => ({ field, in: list }))))));
      const bands = fc
        .record({ high: fc.integer({ min: 50, max: 95 }), gap: fc.integer({ min: 0, max: 30 }), two: fc.boolean(), f1: fc.constantFrom(1, 1.2, 0.95), f2: fc.constantFrom(0.9, 0.8), below: fc.constantFrom(0.7, 0.5, 0), absent: fc.constantFrom(1, 0.6) })
        .map(({ high, gap, two, f1, f2, below, absent }) => ({
          field: template.factor!,
          bands: two
            ? [
                { min: high, factor: f1 },
                { min: high - gap, factor: f2 },
              ]
            : [{ min: high, factor: f1 }],
          below,
          absent,
        }));
      return fc
        .record({
          category: fc.constantFrom(...categoryIds),
          rule,
          where,
          factor: perRecord && template.factor !== undefined ? maybe(bands) : fc.constant(undefined),
          shareWeighted: perRecord ? maybe(fc.boolean(), 40) : fc.constant(undefined),
          scoredOn: template.scoredOn !== undefined ? maybe(fc.constant(template.scoredOn)) : fc.constant(undefined),
          cap: maybe(
            fc.integer({ min: 0, max: 1500 }).map((h) => h / 100),
            40,
          ),
          groupBy: perRecord && template.groupBy ? maybe(fc.constantFrom(...template.groupBy), 40) : fc.constant(undefined),
          maxCount: perRecord ? maybe(fc.integer({ min: 1, max: 3 }), 40) : fc.constant(undefined),
        })
        .map((parts) => {
          const item: Record<string, unknown> = { id: `i${index}`, label: label(`item ${index}`), category: parts.category, kinds: template.kinds, rule: parts.rule };
          for (const key of ['where', 'factor', 'shareWeighted', 'scoredOn', 'cap', 'groupBy', 'maxCount'] as const) if (parts[key] !== undefined) item[key] = parts[key];
          return item as unknown as ScoringItem;
        });
    }),
  );
}

const policyInputArb = fc
  .record({
    count: fc.integer({ min: 1, max: 6 }),
    caps: fc.tuple(
      ...categoryIds.map(() =>
        fc.oneof(
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 0, max: 4000 }).map((h) => h / 100),
        ),
      ),
    ),
  })
  .chain(({ count, caps }) =>
    fc.tuple(...Array.from({ length: count }, (_, index) => itemArb(index))).map((items) => {
      const input = JSON.parse(JSON.stringify(defaultPolicy)) as Record<string, any>;
      input.evidenceKinds = ownKinds;
      input.appraisal.categories = categoryIds.map((id, index) => ({ id, label: label(id), cap: caps[index] }));
      input.appraisal.items = items;
      return input;
    }),
  );

const caseArb = fc
  .record({ input: policyInputArb, teachers: teachersArb, year: yearArb })
  .chain(({ input, teachers, year }) => recordsFor(teachers.slice(0, 2), [...new Set((input.appraisal.items as ScoringItem[]).flatMap((item) => item.kinds))], year).map((records) => ({ input, teachers: teachers.slice(0, 2), year, records })));

// ---- the reference scorer ----------------------------------------------------------------------------------
type Q = { n: bigint; d: bigint };
const q = (n: bigint | number, d: bigint | number = 1n): Q => ({ n: BigInt(n), d: BigInt(d) });
const mul = (...xs: Q[]): Q => xs.reduce((a, b) => ({ n: a.n * b.n, d: a.d * b.d }), q(1));
const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const div = (a: Q, b: Q): Q => ({ n: a.n * b.d, d: a.d * b.n });
const less = (a: Q, b: Q) => a.n * b.d < b.n * a.d;
/** A JS number as the exact decimal its shortest spelling denotes. */
function dec(x: number): Q {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new Error(`reference cannot read ${x}`);
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? 0) - frac.length;
  const digits = BigInt(m[1]! + frac);
  return exp >= 0 ? q(digits * 10n ** BigInt(exp)) : q(digits, 10n ** BigInt(-exp));
}
/** Half-up to integer hundredths. */
const cents = (x: Q): number => Number((2n * x.n * 100n + x.d) / (2n * x.d));

type Rec = Record<string, any> & { id: string; kind: string; status: string };
interface RefLine {
  category: string;
  rule: string;
  recordIds: string[];
  quantity: number;
  share: number;
  factor?: number;
  points: number;
  leftOut?: { reason: string; keptRecordId?: string };
}

const yearBounds = (y: number) => ({ first: `${y}-09-01`, last: `${y + 1}-08-31` });
const MS = 86_400_000;
const dayOf = (date: string) => Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / MS;

/** Does the record fall in year y for this item: its scoredOn date, else as SPEC/the kind's declaration places it. */
function inYear(record: Rec, y: number, scoredOn: string | undefined): boolean {
  const { first, last } = yearBounds(y);
  const at = (date: string | undefined) => date !== undefined && date >= first && date <= last;
  if (scoredOn !== undefined) return at(record[scoredOn]);
  switch (record.kind) {
    case 'teaching_workload':
      return record.year === y;
    case 'mentoring':
      return at(record.end); // scores in the year of its end; open pairings never
    case 'international_training':
    case 'enterprise_practice':
    case 'visit':
      return record.start <= last && record.end >= first;
    default:
      return at(record.date);
  }
}

function refShare(policy: Policy, item: ScoringItem, record: Rec): number {
  const team = record.kind === 'paper' || ['teaching_resource', 'teaching_reform_project', 'skill_competition', 'horizontal_project', 'patent', 'tech_transfer', 'enterprise_training', 'technical_service'].includes(record.kind);
  if (!team || item.shareWeighted === false) return 1;
  if (record.share !== undefined) return record.share;
  return policy.shareByRank[Math.min(record.rank ?? 1, policy.shareByRank.length) - 1]!;
}

function refFactor(item: ScoringItem, record: Rec): number | undefined {
  if (item.factor === undefined) return undefined;
  const value = record[item.factor.field];
  if (value === undefined) return item.factor.absent;
  return item.factor.bands.find((band) => value >= band.min)?.factor ?? item.factor.below;
}

/** One record's line for a per-record item, or undefined when it scores nothing (a value the table lacks). */
function refRecordLine(policy: Policy, item: ScoringItem, record: Rec): RefLine | undefined {
  const rule = item.rule;
  let base: Q;
  let quantity = 1;
  let ruleId = item.id;
  if (rule.type === 'fixed') base = dec(rule.points);
  else if (rule.type === 'table') {
    let entry: unknown = rule.points;
    for (const key of rule.keys) entry = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[record[key]] : undefined;
    if (typeof entry !== 'number') return undefined;
    base = dec(entry);
    ruleId = [item.id, ...rule.keys.map((key) => record[key])].join('.');
  } else if (rule.type === 'per_amount') {
    const amount = mul(...rule.amount.map((field) => dec(record[field])));
    quantity = rule.amount.length === 1 ? record[rule.amount[0]!] : cents(amount) / 100;
    base = mul(div(amount, dec(rule.per)), dec(rule.points));
  } else throw new Error('not per-record');
  const share = refShare(policy, item, record);
  const factor = refFactor(item, record);
  const points = cents(mul(base, dec(share), dec(factor ?? 1)));
  return { category: item.category, rule: ruleId, recordIds: [record.id], quantity, share, ...(factor === undefined ? {} : { factor }), points };
}

/** What the item scores over `records` (the set counted): its lines and its points, before and after its cap. */
function refItem(policy: Policy, item: ScoringItem, records: Rec[], y: number, teacher: Teacher, all: Rec[], pendingToo: boolean): { lines: RefLine[]; points: number } {
  const matching = records.filter((record) => item.kinds.includes(record.kind) && inYear(record, y, item.scoredOn) && (item.where ?? []).every((condition) => condition.in.includes(record[condition.field])));
  const rule = item.rule;
  let lines: RefLine[] = [];
  let points = 0;
  const line = (recordIds: string[], quantity: number, hundredths: number) => lines.push({ category: item.category, rule: item.id, recordIds, quantity, share: 1, points: hundredths });
  if (rule.type === 'fixed' || rule.type === 'table' || rule.type === 'per_amount') {
    const scored = matching.flatMap((record) => refRecordLine(policy, item, record) ?? []);
    if (item.groupBy === undefined && item.maxCount === undefined) lines = scored;
    else {
      const key = (entry: RefLine) => records.find((record) => record.id === entry.recordIds[0])![item.groupBy!];
      const best = [...scored].sort((a, b) => b.points - a.points || (a.recordIds[0]! < b.recordIds[0]! ? -1 : 1));
      const keptOfGroup = (entry: RefLine) => (item.groupBy === undefined || key(entry) === undefined ? entry : best.find((other) => key(other) === key(entry))!);
      const counted = best.filter((entry) => keptOfGroup(entry) === entry).slice(0, item.maxCount ?? Infinity);
      lines = best.map((entry) => {
        const kept = keptOfGroup(entry);
        if (kept !== entry) return { ...entry, points: 0, leftOut: { reason: 'same_group', keptRecordId: kept.recordIds[0] } };
        if (!counted.includes(entry)) return { ...entry, points: 0, leftOut: { reason: 'max_count' } };
        return entry;
      });
    }
    points = lines.reduce((sum, entry) => sum + entry.points, 0);
  } else if (rule.type === 'saturating_sum' || rule.type === 'mean') {
    if (matching.length > 0) {
      const sum = matching.reduce((total, record) => add(total, dec(record[rule.field])), q(0));
      if (rule.type === 'saturating_sum') {
        const ratio = div(sum, dec(rule.full));
        points = cents(mul(less(ratio, q(1)) ? ratio : q(1), dec(rule.points)));
        line(
          matching.map((record) => record.id),
          cents(sum) / 100,
          points,
        );
      } else {
        const mean = div(sum, q(matching.length));
        points = cents(mul(mean, dec(rule.factor)));
        line(
          matching.map((record) => record.id),
          cents(mean) / 100,
          points,
        );
      }
    }
  } else if (rule.type === 'distinct_days') {
    if (matching.length > 0) {
      const { first, last } = yearBounds(y);
      const days = new Set<number>();
      for (const record of matching) for (let d = Math.max(dayOf(record.start), dayOf(first)); d <= Math.min(dayOf(record.end), dayOf(last)); d++) days.add(d);
      points = cents(mul(q(days.size), dec(rule.pointsPerDay)));
      line(
        matching.map((record) => record.id),
        days.size,
        points,
      );
    }
  } else {
    const practice = oraclePractice(teacher, all as unknown as EvidenceRecord[], y);
    const days = practice.countedDays + (pendingToo ? practice.pendingDays : 0);
    points = cents(mul(q(days), dec(rule.pointsPerDay)));
    if (practice.countedDays > 0) {
      const ids = all.filter((record) => record.teacherId === teacher.id && record.kind === 'enterprise_practice' && record.status === 'verified' && inYear(record, y, undefined)).map((record) => record.id);
      line(ids, practice.countedDays, points);
    }
  }
  if (item.cap !== undefined && points > Math.round(item.cap * 100)) {
    const cap = Math.round(item.cap * 100);
    lines.push({ category: item.category, rule: `${item.id}.cap`, recordIds: [], quantity: item.cap, share: 1, points: cap - points });
    points = cap;
  }
  return { lines, points };
}

const settledAfterPass = (item: ScoringItem) => !['fixed', 'table', 'per_amount'].includes(item.rule.type) || item.cap !== undefined || item.groupBy !== undefined || item.maxCount !== undefined;

/** A teacher's year under the policy: trace (in the documented order), category raws, total, total if verified. */
function reference(policy: Policy, teacher: Teacher, all: Rec[], y: number) {
  const own = all.filter((record) => record.teacherId === teacher.id);
  const verified = own.filter((record) => record.status === 'verified');
  const withPending = own.filter((record) => record.status !== 'rejected');
  const items = policy.appraisal.items;
  const ids = policy.appraisal.categories.map((category) => category.id);
  const sums = (set: Rec[], pendingToo: boolean) => {
    const raw = new Map(ids.map((id) => [id, 0]));
    const settled: RefLine[] = [];
    for (const item of items) {
      const { lines, points } = refItem(policy, item, set, y, teacher, all, pendingToo);
      raw.set(item.category, raw.get(item.category)! + points);
      if (settledAfterPass(item)) settled.push(...lines);
    }
    return { raw, settled };
  };
  const now = sums(verified, false);
  // Lines of per-record items without limits: record by record, each record's in item order; then the settled ones.
  const trace: RefLine[] = [];
  for (const record of verified) for (const item of items) if (!settledAfterPass(item)) trace.push(...refItem(policy, item, [record], y, teacher, all, false).lines);
  trace.push(...now.settled);
  const ifVerified = sums(withPending, true);
  const capped = (raw: Map<string, number>) => policy.appraisal.categories.reduce((total, category) => total + Math.min(raw.get(category.id)!, Math.round(category.cap * 100)), 0);
  const total = capped(now.raw);
  const bands = policy.appraisal.grades;
  return {
    total: total / 100,
    bandGrade: bands.bands.find((band) => total >= Math.round(band.min * 100))?.grade ?? bands.otherwise,
    categories: Object.fromEntries(policy.appraisal.categories.map((category) => [category.id, { raw: now.raw.get(category.id)! / 100, capped: Math.min(now.raw.get(category.id)!, Math.round(category.cap * 100)) / 100, cap: category.cap }])),
    totalIfVerified: capped(ifVerified.raw) / 100,
    items: trace.map((entry) => ({ ...entry, points: entry.points / 100 })),
  };
}

// ---- the properties ----------------------------------------------------------------------------------------
/** The case's policy parsed twice: compiled with code generation, and compiled as a Worker would (closures). */
function bothPaths(input: unknown) {
  const generated = parsePolicy(input);
  const closures = parsePolicy(input);
  compiledFor(generated);
  const { refused } = withoutCodeGeneration(() => compiledFor(closures));
  return { generated, closures, refused };
}

describe('random policies: generated code, closures and a reference scorer agree', () => {
  it('(a) appraiseAll is JSON-equal on the generated and the closure path (trace order included)', () => {
    let refusals = 0;
    fc.assert(
      fc.property(caseArb, ({ input, teachers, records, year }) => {
        const { generated, closures, refused } = bothPaths(input);
        refusals += refused;
        const a = appraiseAll({ teachers, records: records as unknown as EvidenceRecord[], year, policy: generated });
        const b = appraiseAll({ teachers, records: records as unknown as EvidenceRecord[], year, policy: closures });
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      RUNS,
    );
    // Not vacuous: the closure path was taken (every compile refused code generation at least once).
    expect(refusals).toBeGreaterThan(0);
  });

  it('(b) totals, category raws, pending totals and trace lines equal the reference scorer', () => {
    fc.assert(
      fc.property(caseArb, ({ input, teachers, records, year }) => {
        const policy = parsePolicy(input);
        const results = appraiseAll({ teachers, records: records as unknown as EvidenceRecord[], year, policy });
        for (const result of results) {
          const teacher = teachers.find((entry) => entry.id === result.teacherId)!;
          const expected = reference(policy, teacher, records as Rec[], year);
          expect({ total: result.total, bandGrade: result.bandGrade, categories: result.categories, totalIfVerified: result.pending.totalIfVerified, items: result.items }).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  it('(a) the generated and the closure record guards answer alike, on valid and broken records', () => {
    const declarations = { ...builtinKinds, ...ownKinds };
    const generated = new EvidenceRegistry(declarations);
    const { value: closures, refused } = withoutCodeGeneration(() => new EvidenceRegistry(declarations));
    expect(refused).toBeGreaterThan(0);
    const policy = parsePolicy({ ...JSON.parse(JSON.stringify(defaultPolicy)), evidenceKinds: ownKinds });
    const record = fc.tuple(fc.constantFrom('t1', 't2'), statusArb, fc.oneof(bodyArb() as fc.Arbitrary<Record<string, unknown>>, ownBodies.paper, ownBodies.visit)).map(([teacherId, status, body]) => ({ id: 'r1', teacherId, status, ...body }) as Record<string, unknown>);
    const broken = fc.tuple(record, fc.nat(), fc.constantFrom<unknown>(undefined, '', ' x ', -1, 1.5, 'not-a-date', '2024-02-30', null, [], 7, 'core', 'verified')).map(([valid, at, value]) => {
      const keys = Object.keys(valid);
      const key = at % (keys.length + 1) === keys.length ? 'extra' : keys[at % keys.length]!;
      const out = { ...valid };
      if (value === undefined) delete out[key];
      else out[key] = value;
      return out;
    });
    fc.assert(
      fc.property(fc.oneof(record, broken), (input) => {
        const fast = generated.isValidFast(input);
        expect(closures.isValidFast(input)).toBe(fast);
        // A guard says "valid exactly as zod outputs it" or "not sure": never yes to what zod refuses.
        if (fast) expect(() => parseRecords([input], policy)).not.toThrow();
      }),
      { numRuns: Math.max(1, Math.round(400 * SCALE)) },
    );
  });
});

/** Engine bugs the properties (or writing them) found, each pinned by its minimal case. */
describe('what the random policies found', () => {
  const teacher: Teacher = { id: 't1', name: 'T', unit: 'u', hireDate: '2015-01-01', stage: 'new_teacher', stageSince: '2015-01-01', title: 'lecturer', titleSince: '2015-01-01' };
  const withItems = (items: unknown[]) => ({ ...JSON.parse(JSON.stringify(defaultPolicy)), appraisal: { ...JSON.parse(JSON.stringify(defaultPolicy.appraisal)), items } });
  const item = (rest: Record<string, unknown>) => ({ id: 'i', label: label('i'), category: 'teaching', ...rest });
  const problems = (input: unknown) => {
    try {
      parsePolicy(input);
      return [];
    } catch (error) {
      return (error as ValidationError).issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
  };

  it('a pending record an item scores on its scoredOn date counts toward totalIfVerified, though its kind places it in another year', () => {
    const policy = parsePolicy(withItems([item({ kinds: ['mentoring'], rule: { type: 'fixed', points: 3 }, scoredOn: 'start' })]));
    const pairing = { teacherId: 't1', kind: 'mentoring', start: '2024-10-01', end: '2026-01-01', role: 'mentor', partnerId: 'p', outcome: 'passed' };
    const records = [
      { id: 'r1', status: 'pending', ...pairing },
      { id: 'r2', status: 'verified', ...pairing },
    ] as unknown as EvidenceRecord[];
    for (const compiled of [policy, bothPaths(withItems(policy.appraisal.items)).closures]) {
      const [result] = appraiseAll({ teachers: [teacher], records, year: 2024, policy: compiled });
      expect(result!.total).toBe(3);
      expect(result!.pending).toEqual({ recordIds: ['r1'], totalIfVerified: 6 });
    }
  });

  it('parsePolicy refuses a rule computing with an optional field (a record without it made appraiseAll throw)', () => {
    expect(problems(withItems([item({ kinds: ['enterprise_training'], rule: { type: 'per_amount', amount: ['satisfaction'], per: 10, points: 1 } })]))).toEqual([
      'policy.appraisal.items[0].rule.amount[0]: field "satisfaction" of enterprise_training is optional; a rule computes with a field every record has',
    ]);
    expect(problems(withItems([item({ kinds: ['enterprise_training'], rule: { type: 'mean', field: 'satisfaction', factor: 0.1 } })]))).toEqual([
      'policy.appraisal.items[0].rule.field: field "satisfaction" of enterprise_training is optional; a rule computes with a field every record has',
    ]);
  });

  it('parsePolicy refuses what a line rule would silently ignore: factor and share on a line, a filter or date on practice days', () => {
    const bands = { field: 'satisfaction', bands: [{ min: 90, factor: 1 }], below: 0.5, absent: 0.5 };
    expect(problems(withItems([item({ kinds: ['enterprise_training'], rule: { type: 'saturating_sum', field: 'hours', full: 10, points: 5 }, factor: bands, shareWeighted: true })]))).toEqual([
      'policy.appraisal.items[0].factor: applies to per-record rules (fixed, table, per_amount) only',
      'policy.appraisal.items[0].shareWeighted: applies to per-record rules (fixed, table, per_amount) only',
    ]);
    expect(problems(withItems([item({ kinds: ['enterprise_practice'], rule: { type: 'practice_days', pointsPerDay: 1 }, where: [{ field: 'enterprise', in: ['x'] }], scoredOn: 'end' })]))).toEqual([
      'policy.appraisal.items[0].where: a practice_days item counts the days policy.practice counts; it takes no where or scoredOn',
      'policy.appraisal.items[0].scoredOn: a practice_days item counts the days policy.practice counts; it takes no where or scoredOn',
    ]);
  });

  it('a registry built where code generation is refused after startup (a Worker in a request) gets the closure guard, not an EvalError', () => {
    const { value: registry, refused } = withoutCodeGeneration(() => new EvidenceRegistry({ ...builtinKinds, ...ownKinds }));
    expect(refused).toBeGreaterThan(0);
    expect(registry.isValidFast({ id: 'r1', teacherId: 't1', status: 'verified', kind: 'visit', start: '2024-10-01', end: '2024-10-02', host: 'a' })).toBe(true);
  });
});
