import { appraiseAll, appraiseGrouped, parseTeachers, type Appraisal, type QuotaAppraisal, type TraceItem } from './appraisal.js';
import { labels, type Bilingual } from './labels.js';
import { resolvePolicy, type Grade, type Policy } from './policy.js';
import { parseRecordsByTeacher, registryOf, type EvidenceRecord, type Teacher } from './records.js';
import { parseWith, ValidationError } from './errors.js';
import { academicYearArg } from './practice.js';
import type { ScoringItem } from './scoring/schema.js';

/**
 * Policy authoring for HR and committees: the policy as the 量化考核表 a committee prints, what changed between
 * two versions, and what a draft would change for every teacher before it is adopted.
 */

export type Lang = 'zh' | 'en';

/** One line of the printed table: what is counted, for how many points, within which limits. */
export interface TableLine {
  /** Rule id (prefix) in traces: `teaching_resource`, `paper`. */
  id: string;
  item: string;
  /** How the points are computed, in words. */
  basis: string;
  /** Points by value where the rule has a table (`国家级 · 一等奖: 15`). */
  points: Array<{ when: string; points: number }>;
  /** Caps, groups, count limits and filters, in words. */
  limits: string[];
}

export interface PolicyTable {
  version: string;
  name: string;
  categories: Array<{ id: string; label: string; cap: number; lines: TableLine[] }>;
  grades: Array<{ grade: Grade; label: string; min: number | null }>;
  vetoes: string[];
  practice: string;
  quota: string;
}

const say = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);
const pick = (text: Bilingual, lang: Lang) => text[lang];

/**
 * The policy as a printable appraisal table, in Chinese or English. Every number is the policy's own.
 * @example
 * ```ts
 * const table = describePolicy(defaultPolicy, 'en');
 * table.categories[0]; // { id: 'teaching', label: 'Teaching', cap: 35, lines: [{ id: 'teaching_workload', item: 'teaching workload', basis: 'min(class hours ÷ 280, 1) × 15', … }, …] }
 * ```
 */
export function describePolicy(input: Policy, lang: Lang = 'zh'): PolicyTable {
  const policy = resolvePolicy(input);
  const registry = registryOf(policy);
  const kind = (id: string) => pick(registry.kind(id)!.declaration.label, lang);
  const lines = policy.appraisal.items.map((item) => ({ category: item.category, line: itemLine(item, registry, lang) }));
  const categories = policy.appraisal.categories.map((category) => ({ id: category.id, label: pick(category.label, lang), cap: category.cap, lines: lines.filter((entry) => entry.category === category.id).map((entry) => entry.line) }));

  const gradeLabel = (grade: Grade) => pick(labels.grades[grade], lang);
  const vetoes = policy.appraisal.vetoes;
  return {
    version: policy.version,
    name: pick(policy.name, lang),
    categories,
    grades: [...policy.appraisal.grades.bands.map((band) => ({ grade: band.grade, label: gradeLabel(band.grade), min: band.min })), { grade: policy.appraisal.grades.otherwise, label: gradeLabel(policy.appraisal.grades.otherwise), min: null }],
    vetoes: vetoes.map((veto) => {
      if (veto.when === 'practice_noncompliant') {
        return say(lang, `企业实践未达标 → 最高 ${gradeLabel(veto.maxGrade)}，当年不得参加职称评审`, `enterprise practice not compliant → at most ${gradeLabel(veto.maxGrade)}, no title review that year`);
      }
      const what = veto.label ? pick(veto.label, lang) : kind(veto.when.kind);
      const only = (veto.when.where ?? []).map((condition) => condition.in.map((value) => fieldValueLabel(registry, [veto.when.kind], condition.field, String(value), lang)).join(say(lang, '、', ', ')));
      const filter = only.length === 0 ? '' : say(lang, `（${only.join('；')}）`, ` (${only.join('; ')})`);
      return say(lang, `学年内有经核实的${what}${filter} → ${gradeLabel(veto.grade)}`, `a verified ${what}${filter} in the year → ${gradeLabel(veto.grade)}`);
    }),
    practice:
      say(
        lang,
        `每学年企业实践不少于 ${policy.practice.requiredDays} 天${policy.practice.prorateHireYear ? '（入职学年按比例）' : ''}；每 ${policy.practice.rolling.years} 年累计不少于 ${policy.practice.rolling.requiredDays} 天`,
        `at least ${policy.practice.requiredDays} days of enterprise practice each academic year${policy.practice.prorateHireYear ? ' (prorated in the hire year)' : ''}; at least ${policy.practice.rolling.requiredDays} days in every ${policy.practice.rolling.years} years`,
      ) + practiceRuleText(policy, lang),
    quota: say(
      lang,
      `各单位${gradeLabel(policy.appraisal.excellenceQuota.grade)}不超过 ${policy.appraisal.excellenceQuota.maxShare * 100}%${policy.appraisal.excellenceQuota.atLeastOne ? '（至少 1 人）' : ''}，其余降为${gradeLabel(policy.appraisal.excellenceQuota.lowerTo)}`,
      `at most ${policy.appraisal.excellenceQuota.maxShare * 100}% of each unit keep ${gradeLabel(policy.appraisal.excellenceQuota.grade)}${policy.appraisal.excellenceQuota.atLeastOne ? ' (at least one)' : ''}; the rest become ${gradeLabel(policy.appraisal.excellenceQuota.lowerTo)}`,
    ),
  };
}

/** The practice binding rule and the categories' own requirements, after the general days ('' under the default). */
function practiceRuleText(policy: Policy, lang: Lang): string {
  const rule = policy.practice;
  const parts: string[] = [];
  if (rule.binding === 'rolling') parts.push(say(lang, '以累计规则判定达标', 'compliance by the rolling rule'));
  if (rule.binding === 'both') parts.push(say(lang, '每学年与累计规则均须达到', 'compliance needs both the annual and the rolling rule'));
  for (const [category, own] of Object.entries(rule.byCategory ?? {})) {
    if (own === undefined) continue;
    const who = pick(labels.teacherCategories[category as keyof typeof labels.teacherCategories], lang);
    parts.push(
      own === 'exempt'
        ? say(lang, `${who}免于企业实践`, `${who}s: no practice required`)
        : say(lang, `${who}每学年 ${own.requiredDays} 天、每 ${rule.rolling.years} 年 ${own.rollingRequiredDays} 天`, `${who}s: ${own.requiredDays} days a year, ${own.rollingRequiredDays} in every ${rule.rolling.years} years`),
    );
  }
  const prePost = rule.prePost;
  if (prePost !== undefined) {
    const join = (names: string[]) => names.join(say(lang, '、', ', '));
    const whoZh = join((prePost.categories ?? []).map((category) => labels.teacherCategories[category].zh));
    const whoEn = join((prePost.categories ?? []).map((category) => labels.teacherCategories[category].en));
    const stagesZh = join((prePost.stages ?? []).map((stage) => labels.stages[stage].zh));
    const stagesEn = join((prePost.stages ?? []).map((stage) => labels.stages[stage].en));
    parts.push(
      say(
        lang,
        `无企业工作经历的${stagesZh ? `${stagesZh}阶段` : ''}${whoZh || '教师'}入职前须企业实践 ${prePost.requiredDays} 天`,
        `${prePost.requiredDays} days of practice before taking up the post for each ${whoEn || 'teacher'}${stagesEn ? ` (stage: ${stagesEn})` : ''} without enterprise experience`,
      ),
    );
  }
  return parts.length === 0 ? '' : say(lang, `；${parts.join('；')}`, `; ${parts.join('; ')}`);
}

/**
 * What a veto is called: its own label, else the name the built-in vetoes have (`labels.vetoes`), else the name
 * of the kind it is on; an id the policy lacks is shown as it is.
 * @example
 * ```ts
 * vetoLabel(defaultPolicy, 'practice_noncompliant'); // { zh: '企业实践未达标', en: 'enterprise practice not compliant' }
 * ```
 */
export function vetoLabel(input: Policy, id: string): Bilingual {
  const policy = resolvePolicy(input);
  const veto = policy.appraisal.vetoes.find((entry) => entry.id === id);
  if (veto?.label) return veto.label;
  const builtin = (labels.vetoes as Record<string, Bilingual>)[id];
  if (builtin) return builtin;
  if (veto && veto.when !== 'practice_noncompliant') {
    const kind = registryOf(policy).kind(veto.when.kind);
    if (kind) return kind.declaration.label;
  }
  return { zh: id, en: id };
}

/** The label of an enum value of a field of the first of `kinds` that has it; other values as they are. */
function fieldValueLabel(registry: ReturnType<typeof registryOf>, kinds: readonly string[], key: string, value: string, lang: Lang): string {
  for (const kind of kinds) {
    const spec = registry.kind(kind)!.fields.find(([name]) => name === key)?.[1];
    if (spec?.type === 'enum' && spec.values[value]) return pick(spec.values[value]!, lang);
  }
  return value;
}

/**
 * One item as a line of the printed table, in words a committee reads: the field labels of its kinds, its
 * numbers, its table by value labels, and each limit (filters, the year it scores in, team share, groups, count
 * limit, cap, factor bands).
 */
function itemLine(item: ScoringItem, registry: ReturnType<typeof registryOf>, lang: Lang): TableLine {
  const compiled = item.kinds.map((kind) => registry.kind(kind)!);
  const kinds = compiled.map((kind) => pick(kind.declaration.label, lang));
  const fieldSpec = (name: string) => {
    for (const kind of compiled) {
      const spec = kind.fields.find(([field]) => field === name)?.[1];
      if (spec) return spec;
    }
    return undefined;
  };
  const fieldLabel = (name: string) => {
    const spec = fieldSpec(name);
    return spec ? pick(spec.label, lang) : name;
  };
  const valueLabel = (key: string, value: string) => fieldValueLabel(registry, item.kinds, key, value, lang);
  const rule = item.rule;
  const points: TableLine['points'] = [];
  // A table whose outer entries are all the same (every certificate type alike) is printed once, by its inner keys.
  let alike: string | undefined;
  if (rule.type === 'table') {
    const walk = (table: object, depth: number, prefix: string[]) => {
      for (const [value, entry] of Object.entries(table)) {
        const path = [...prefix, valueLabel(rule.keys[depth]!, value)];
        if (typeof entry === 'number') points.push({ when: path.join(' · '), points: entry });
        else walk(entry, depth + 1, path);
      }
    };
    const outer = Object.values(rule.points);
    if (rule.keys.length > 1 && outer.length > 1 && outer.every((entry) => typeof entry === 'object' && JSON.stringify(entry) === JSON.stringify(outer[0]))) {
      alike = fieldLabel(rule.keys[0]!);
      walk(outer[0] as object, 1, []);
    } else {
      walk(rule.points, 0, []);
    }
  }
  const factor = item.factor ? say(lang, ` × ${fieldLabel(item.factor.field)}系数`, ` × ${fieldLabel(item.factor.field)} factor`) : '';
  const basis = ((): string => {
    switch (rule.type) {
      case 'fixed':
        return say(lang, `每项 ${rule.points} 分`, `${rule.points} each`) + factor;
      case 'table':
        return (alike === undefined ? say(lang, '每项', 'each') : say(lang, `每项（各${alike}同）`, `each (every ${alike} alike)`)) + factor;
      case 'per_amount': {
        const [only] = rule.amount;
        if (rule.amount.length === 1 && fieldSpec(only!)?.type === 'yuan') return say(lang, `每 ${rule.per} 元 ${rule.points} 分`, `${rule.points} per ${rule.per} yuan`) + factor;
        return `${rule.amount.map(fieldLabel).join(' × ')} ÷ ${rule.per} × ${rule.points}${factor}`;
      }
      case 'saturating_sum':
        return `min(${fieldLabel(rule.field)} ÷ ${rule.full}, 1) × ${rule.points}`;
      case 'mean':
        return say(lang, `学年平均${fieldLabel(rule.field)} × ${rule.factor}`, `mean ${fieldLabel(rule.field)} of the year × ${rule.factor}`);
      case 'distinct_days':
      case 'practice_days':
        return say(lang, `每天 ${rule.pointsPerDay} 分（重叠天数只计一次）`, `${rule.pointsPerDay} per distinct day`);
    }
  })();
  const limits: string[] = [];
  const list = (values: string[]) => values.join(say(lang, '、', ', '));
  if (item.where)
    for (const condition of item.where)
      limits.push(say(lang, `${fieldLabel(condition.field)}：仅限${list(condition.in.map((value) => valueLabel(condition.field, String(value))))}`, `${fieldLabel(condition.field)}: ${list(condition.in.map((value) => valueLabel(condition.field, String(value))))} only`));
  // The date whose year the record scores in: the item's own, else the one all its kinds declare.
  const declared = compiled.map((kind) => kind.declaration.scoredOn);
  const scoredOn = item.scoredOn ?? (declared.every((field) => field !== undefined && field === declared[0]) ? declared[0] : undefined);
  if (scoredOn !== undefined) limits.push(say(lang, `按${fieldLabel(scoredOn)}学年计`, `in the academic year of its ${fieldLabel(scoredOn)}`));
  const perRecord = rule.type === 'fixed' || rule.type === 'table' || rule.type === 'per_amount';
  if (perRecord && (item.shareWeighted ?? true) && compiled.some((kind) => kind.declaration.team === true)) limits.push(say(lang, '团队成果按排名或份额计', 'team results by rank or share'));
  if (item.groupBy) limits.push(say(lang, '同一成果按最高级别计一次', 'the same achievement counts once, at its highest level'));
  if (item.maxCount !== undefined) limits.push(say(lang, `最多计 ${item.maxCount} 项`, `at most ${item.maxCount} records, best first`));
  if (item.cap !== undefined) limits.push(say(lang, `本项最高 ${item.cap} 分`, `at most ${item.cap} points`));
  if (item.factor) {
    const { bands, below, absent } = item.factor;
    const name = fieldLabel(item.factor.field);
    limits.push(say(lang, `${name}系数：${bands.map((band) => `≥ ${band.min} → ${band.factor}`).join('；')}；低于 → ${below}；未评 → ${absent}`, `${name} factor: ${bands.map((band) => `≥ ${band.min} → ${band.factor}`).join('; ')}; below → ${below}; absent → ${absent}`));
  }
  // The item's own label, and the kinds it counts when the label does not already name them.
  const label = pick(item.label, lang);
  const named = kinds.every((name) => label.includes(name));
  return { id: item.id, item: named ? label : say(lang, `${label}（${list(kinds)}）`, `${label} (${list(kinds)})`), basis, points, limits };
}

/** One difference between two policies: a JSON path, and the value before and after (undefined: absent). */
export interface PolicyChange {
  path: string;
  before: unknown;
  after: unknown;
}

/**
 * What changed from `a` to `b`, number by number. Lists of objects with an `id` (scoring items, requirements)
 * are matched by id, so a moved item is not reported as every item changing.
 * @example
 * ```ts
 * const mine = parsePolicy({ ...structuredClone(defaultPolicy), practice: { ...defaultPolicy.practice, requiredDays: 40 } });
 * diffPolicies(defaultPolicy, mine); // [{ path: 'policy.practice.requiredDays', before: 30, after: 40 }]
 * ```
 */
export function diffPolicies(a: Policy, b: Policy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  diffValue(resolvePolicy(a), resolvePolicy(b), 'policy', changes);
  return changes;
}

function diffValue(before: unknown, after: unknown, path: string, changes: PolicyChange[]): void {
  if (Object.is(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const keyed = [...before, ...after].every((entry) => entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string');
    if (keyed) {
      const byId = (list: unknown[]) => new Map(list.map((entry) => [(entry as { id: string }).id, entry]));
      const left = byId(before);
      const right = byId(after);
      for (const [id, entry] of left) diffValue(entry, right.get(id), `${path}[id=${id}]`, changes);
      for (const [id, entry] of right) if (!left.has(id)) changes.push({ path: `${path}[id=${id}]`, before: undefined, after: entry });
      return;
    }
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index++) diffValue(before[index], after[index], `${path}[${index}]`, changes);
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) diffValue(before[key], after[key], `${path}.${key}`, changes);
    return;
  }
  changes.push({ path, before, after });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface PolicyComparison {
  year: number;
  teachers: Array<{
    teacherId: string;
    unit: string;
    baseline: { total: number; grade: Grade; finalGrade: Grade };
    candidate: { total: number; grade: Grade; finalGrade: Grade };
    /** Trace lines that are not in both results (same rule, records, quantity, share and points). */
    linesOnlyInBaseline: TraceItem[];
    linesOnlyInCandidate: TraceItem[];
  }>;
  summary: {
    teachers: number;
    totalChanged: number;
    gradeChanged: number;
    finalGradeChanged: number;
    /** Per unit, who enters or leaves the quota grade (`excellent`) after the quota. */
    units: Record<string, { enters: string[]; leaves: string[] }>;
  };
}

/**
 * Each teacher's total, grade and quota outcome under a baseline and a candidate policy, with the trace lines
 * that differ. Two whole-college appraisals and one pass over their traces.
 * @example
 * ```ts
 * const { teachers: changes } = comparePolicies({ teachers, records, year: 2024, baseline: defaultPolicy, candidate: mine });
 * // each teacher's { baseline: { total, grade, finalGrade }, candidate: { … }, linesOnlyInBaseline, linesOnlyInCandidate }
 * ```
 */
export function comparePolicies(args: { teachers: readonly Teacher[]; records: readonly EvidenceRecord[]; year: number; baseline: Policy; candidate: Policy }): PolicyComparison {
  const baseline = resolvePolicy(args.baseline);
  const candidate = resolvePolicy(args.candidate);
  let before: QuotaAppraisal[] | undefined;
  let after: QuotaAppraisal[] | undefined;
  const wider = widerKinds(baseline, candidate);
  if (wider !== undefined) {
    // One policy's kinds include the other's, declared alike: a record is valid under both exactly when it is
    // valid under the wider one and of a kind the narrower has. The records are then validated and grouped once
    // and scored twice; anything else (a record only one policy knows, an invalid record) takes the path below,
    // which names the problem as each policy sees it.
    try {
      const teachers = parseTeachers(args.teachers);
      const byTeacher = parseRecordsByTeacher(args.records, wider.policy);
      const narrower = registryOf(wider.policy === baseline ? candidate : baseline);
      const year = parseWith(academicYearArg, args.year, ['year']);
      let known = true;
      if (!wider.same) for (const records of byTeacher.values()) for (const record of records) if (narrower.kind(record.kind) === undefined) known = false;
      if (known) {
        before = appraiseGrouped(teachers, byTeacher, year, baseline);
        after = appraiseGrouped(teachers, byTeacher, year, candidate);
      }
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
    }
  }
  if (before === undefined || after === undefined) {
    before = appraiseAll({ teachers: args.teachers, records: args.records, year: args.year, policy: baseline });
    after = appraiseAll({ teachers: args.teachers, records: args.records, year: args.year, policy: candidate });
  }
  const quotaGrade = candidate.appraisal.excellenceQuota.grade;
  const baselineQuotaGrade = baseline.appraisal.excellenceQuota.grade;
  const units: PolicyComparison['summary']['units'] = {};
  let totalChanged = 0;
  let gradeChanged = 0;
  let finalGradeChanged = 0;
  const teachers = before.map((a, index) => {
    const b = after[index]!;
    const unit = args.teachers[index]!.unit;
    if (a.total !== b.total) totalChanged++;
    if (a.grade !== b.grade) gradeChanged++;
    if (a.finalGrade !== b.finalGrade) finalGradeChanged++;
    const wasTop = a.finalGrade === baselineQuotaGrade;
    const isTop = b.finalGrade === quotaGrade;
    if (wasTop !== isTop) {
      const entry = (units[unit] ??= { enters: [], leaves: [] });
      (isTop ? entry.enters : entry.leaves).push(a.teacherId);
    }
    const [onlyA, onlyB] = differingLines(a, b);
    return {
      teacherId: a.teacherId,
      unit,
      baseline: outcome(a),
      candidate: outcome(b),
      linesOnlyInBaseline: onlyA,
      linesOnlyInCandidate: onlyB,
    };
  });
  return { year: args.year, teachers, summary: { teachers: teachers.length, totalChanged, gradeChanged, finalGradeChanged, units } };
}

function outcome(appraisal: QuotaAppraisal) {
  return { total: appraisal.total, grade: appraisal.grade, finalGrade: appraisal.finalGrade };
}

function lineKey(line: TraceItem): string {
  return `${line.category}|${line.rule}|${line.recordIds.join(',')}|${line.quantity}|${line.share}|${line.factor ?? ''}|${line.points}|${line.leftOut?.reason ?? ''}`;
}

function sameLine(a: TraceItem, b: TraceItem): boolean {
  if (a.category !== b.category || a.rule !== b.rule || a.quantity !== b.quantity || a.share !== b.share || a.factor !== b.factor || a.points !== b.points || a.leftOut?.reason !== b.leftOut?.reason) return false;
  if (a.recordIds.length !== b.recordIds.length) return false;
  for (let index = 0; index < a.recordIds.length; index++) if (a.recordIds[index] !== b.recordIds[index]) return false;
  return true;
}

/**
 * The policy whose evidence kinds include the other's, each shared kind declared the same (`same`: both have
 * exactly the same kinds); undefined when neither does.
 */
function widerKinds(a: Policy, b: Policy): { policy: Policy; same: boolean } | undefined {
  const own = (policy: Policy) => policy.evidenceKinds ?? {};
  const includes = (wide: Policy, narrow: Policy) => Object.entries(own(narrow)).every(([kind, declaration]) => kind in own(wide) && JSON.stringify(own(wide)[kind]) === JSON.stringify(declaration));
  const aWider = a.evidenceKinds === b.evidenceKinds || includes(a, b);
  const bWider = includes(b, a);
  if (aWider) return { policy: a, same: bWider };
  if (bWider) return { policy: b, same: false };
  return undefined;
}

/** Lines in one trace and not the other. The common case, identical traces in the same order, costs one pass. */
function differingLines(a: Appraisal, b: Appraisal): [TraceItem[], TraceItem[]] {
  if (a.items.length === b.items.length && a.items.every((line, index) => sameLine(line, b.items[index]!))) return [[], []];
  const count = new Map<string, number>();
  for (const line of b.items) count.set(lineKey(line), (count.get(lineKey(line)) ?? 0) + 1);
  const onlyA: TraceItem[] = [];
  for (const line of a.items) {
    const key = lineKey(line);
    const left = count.get(key) ?? 0;
    if (left > 0) count.set(key, left - 1);
    else onlyA.push(line);
  }
  const countA = new Map<string, number>();
  for (const line of a.items) countA.set(lineKey(line), (countA.get(lineKey(line)) ?? 0) + 1);
  const onlyB: TraceItem[] = [];
  for (const line of b.items) {
    const key = lineKey(line);
    const left = countA.get(key) ?? 0;
    if (left > 0) countA.set(key, left - 1);
    else onlyB.push(line);
  }
  return [onlyA, onlyB];
}
