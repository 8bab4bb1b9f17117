import { builtinRegistry, dateString, labels, statuses, teacherSchema, type EvidenceRegistry, type RecordKind } from '@shizi/core';
import type { z } from 'zod';
import type { Bilingual, Lang } from '../i18n.js';

/**
 * The columns of a spreadsheet, per sheet: the teachers sheet or one record kind. Built from core's zod schemas
 * (which fields, which type, which enum values, required or not) and display names. This module is the ONE place
 * that says how a field is headed and how an enum value is written: when core's evidence-kind registry gives
 * per-field labels, `fieldLabel` and `enumLabel` below are pointed at it and nothing else changes.
 */

export type SheetTarget = 'teacher' | RecordKind | (string & {});
export type ColumnType = 'text' | 'date' | 'number' | 'enum' | 'boolean' | 'list' | 'kind';

export interface EnumOption {
  value: string;
  label: Bilingual;
}

export interface Column {
  field: string;
  heading: Bilingual;
  type: ColumnType;
  required: boolean;
  options: EnumOption[];
  /** other headings read as this column (the generic 日期 for 获奖日期, …) */
  aliases: Bilingual[];
  /** what a cell must hold, for notes and error messages */
  hint: Bilingual;
}

/** Field headings as HR offices write them. Record fields that mean different things per kind are keyed `kind.field`. */
const FIELD_LABELS: Record<string, Bilingual> = {
  'teacher.id': { zh: '工号', en: 'staff id' },
  'teacher.name': { zh: '姓名', en: 'name' },
  'teacher.unit': { zh: '部门', en: 'unit' },
  'teacher.hireDate': { zh: '入职日期', en: 'hire date' },
  'teacher.stage': { zh: '成长阶段', en: 'stage' },
  'teacher.stageSince': { zh: '阶段起始日期', en: 'stage since' },
  'teacher.title': { zh: '职称', en: 'title' },
  'teacher.titleSince': { zh: '职称取得日期', en: 'title since' },
  'teacher.category': { zh: '教师类别', en: 'teacher category' },
  'teacher.enterpriseExperience': { zh: '企业工作经历', en: 'enterprise experience' },
  id: { zh: '记录编号', en: 'record id' },
  teacherId: { zh: '工号', en: 'staff id' },
  kind: { zh: '类型', en: 'kind' },
  status: { zh: '审核状态', en: 'status' },
  date: { zh: '日期', en: 'date' },
  start: { zh: '开始日期', en: 'start date' },
  end: { zh: '结束日期', en: 'end date' },
  enterprise: { zh: '企业', en: 'enterprise' },
  topics: { zh: '实践内容', en: 'topics' },
  year: { zh: '学年', en: 'academic year' },
  reason: { zh: '原因', en: 'reason' },
  hours: { zh: '学时', en: 'hours' },
  score: { zh: '评分', en: 'score' },
  resourceType: { zh: '资源类型', en: 'resource type' },
  title: { zh: '名称', en: 'title' },
  level: { zh: '级别', en: 'level' },
  'certificate.level': { zh: '证书等级', en: 'certificate level' },
  rank: { zh: '排名', en: 'rank' },
  share: { zh: '分配比例', en: 'share' },
  role: { zh: '角色', en: 'role' },
  partnerId: { zh: '结对教师工号', en: 'partner staff id' },
  outcome: { zh: '结对结果', en: 'outcome' },
  institution: { zh: '研修机构', en: 'institution' },
  country: { zh: '国家或地区', en: 'country' },
  award: { zh: '获奖等级', en: 'award' },
  certType: { zh: '证书类型', en: 'certificate type' },
  amountYuan: { zh: '金额（元）', en: 'amount (yuan)' },
  partner: { zh: '合作单位', en: 'partner' },
  patentType: { zh: '专利类型', en: 'patent type' },
  trainees: { zh: '培训人数', en: 'trainees' },
  satisfaction: { zh: '满意度', en: 'satisfaction' },
  description: { zh: '情况说明', en: 'description' },
};

const words = labels.ruleWords as Record<string, Bilingual>;
/** Enum values' display names; the key is `field.value` or `kind.field.value` where a kind differs. */
const ENUM_LABELS: Record<string, Bilingual> = {
  ...prefixed('stage', labels.stages),
  ...prefixed('title', labels.titles),
  ...prefixed('teacher.category', { specialised: { zh: '专业课', en: 'specialised' }, practical_guidance: { zh: '实习指导', en: 'practical guidance' }, public_basic: { zh: '公共基础课', en: 'public basic' } }),
  ...prefixed('teacher.enterpriseExperience', { true: { zh: '是', en: 'yes' }, false: { zh: '否', en: 'no' } }),
  ...prefixed('status', { verified: { zh: '已审核', en: 'verified' }, pending: { zh: '待审核', en: 'pending' }, rejected: { zh: '已驳回', en: 'rejected' } }),
  ...prefixed('level', pickWords(['national', 'provincial', 'municipal', 'school'])),
  ...prefixed('certificate.level', labels.certLevels),
  ...prefixed('award', pickWords(['first', 'second', 'third', 'excellence'])),
  ...prefixed('resourceType', pickWords(['worksheet', 'slides', 'micro_lecture', 'question_bank'])),
  ...prefixed('patentType', pickWords(['invention', 'utility_model', 'software_copyright'])),
  ...prefixed('certType', labels.certTypes),
  ...prefixed('mentoring.role', { mentor: { zh: '师傅', en: 'mentor' }, mentee: { zh: '徒弟', en: 'mentee' } }),
  ...prefixed('skill_competition.role', { contestant: { zh: '参赛选手', en: 'contestant' }, coach: { zh: '指导教师', en: 'coach' } }),
  ...prefixed('outcome', { ongoing: { zh: '进行中', en: 'ongoing' }, passed: { zh: '已出师', en: 'passed' }, failed: { zh: '未出师', en: 'failed' } }),
};

function prefixed(prefix: string, table: Record<string, Bilingual>): Record<string, Bilingual> {
  return Object.fromEntries(Object.entries(table).map(([key, value]) => [`${prefix}.${key}`, value]));
}
function pickWords(keys: string[]): Record<string, Bilingual> {
  return Object.fromEntries(keys.map((key) => [key, words[key] ?? { zh: key, en: key }]));
}

export function fieldLabel(target: SheetTarget, field: string): Bilingual {
  return FIELD_LABELS[`${target}.${field}`] ?? (target === 'teacher' ? undefined : FIELD_LABELS[field]) ?? { zh: field, en: field };
}

export function enumLabel(target: SheetTarget, field: string, value: string): Bilingual {
  return ENUM_LABELS[`${target}.${field}.${value}`] ?? ENUM_LABELS[`${field}.${value}`] ?? { zh: value, en: value };
}

export function kindLabel(kind: string, registry: EvidenceRegistry = builtinRegistry): Bilingual {
  return registry.label(kind);
}

type AnySchema = z.ZodType & { _zod: { def: { type: string; innerType?: AnySchema; entries?: Record<string, string>; element?: AnySchema } } };

function describeZod(schema: AnySchema): { type: ColumnType; required: boolean; values: string[] } {
  let inner = schema;
  let required = true;
  while (inner._zod.def.type === 'optional' || inner._zod.def.type === 'default') {
    required = false;
    inner = inner._zod.def.innerType!;
  }
  const def = inner._zod.def;
  if ((inner as unknown) === dateString) return { type: 'date', required, values: [] };
  if (def.type === 'number') return { type: 'number', required, values: [] };
  if (def.type === 'enum') return { type: 'enum', required, values: Object.values(def.entries ?? {}) };
  if (def.type === 'boolean') return { type: 'boolean', required, values: ['true', 'false'] };
  if (def.type === 'array') return { type: 'list', required, values: [] };
  return { type: 'text', required, values: [] };
}

const HINTS: Record<ColumnType, Bilingual> = {
  text: { zh: '文字', en: 'text' },
  date: { zh: '日期，如 2023-09-01、2023/9/1 或 2023年9月1日', en: 'a date such as 2023-09-01, 2023/9/1 or 2023年9月1日' },
  number: { zh: '数字，如 15000 或 15,000', en: 'a number such as 15000 or 15,000' },
  enum: { zh: '下列之一', en: 'one of' },
  boolean: { zh: '是或否', en: 'yes or no' },
  list: { zh: '多项用分号（;）分隔', en: 'several items separated by semicolons (;)' },
  kind: { zh: '成果类型', en: 'record kind' },
};
const YEAR_HINT: Bilingual = { zh: '学年，如 2024 或 2024-2025', en: 'an academic year such as 2024 or 2024-2025' };

function hintOf(type: ColumnType, options: EnumOption[]): Bilingual {
  if (type !== 'enum' && type !== 'boolean') return HINTS[type];
  return { zh: `${HINTS.enum.zh}：${options.map((o) => o.label.zh).join('、')}`, en: `${HINTS.enum.en}: ${options.map((o) => o.label.en).join(', ')}` };
}

/** Registry field types → how a cell is read. */
const CELL_TYPE: Record<string, ColumnType> = {
  date: 'date',
  year: 'number',
  text: 'text',
  teacher_ref: 'text',
  text_list: 'list',
  enum: 'enum',
  integer: 'number',
  yuan: 'number',
  decimal: 'number',
  team_rank: 'number',
  team_share: 'number',
};

const cache = new WeakMap<EvidenceRegistry, Map<SheetTarget, Column[]>>();

function column(target: SheetTarget, field: string, type: ColumnType, required: boolean, options: EnumOption[], heading: Bilingual, hint?: Bilingual): Column {
  const generic = FIELD_LABELS[`${target}.${field}`] ?? (target === 'teacher' ? undefined : FIELD_LABELS[field]);
  const aliases = generic && (generic.zh !== heading.zh || generic.en !== heading.en) ? [generic] : [];
  return { field, heading, aliases, type, required, options, hint: hint ?? hintOf(type, options) };
}

/**
 * The columns of one sheet: the teachers sheet from core's teacher schema; a record kind from the evidence-kind
 * registry (the policy's, where it declares kinds of its own), after the base columns id, teacherId and status.
 */
export function columnsOf(target: SheetTarget, registry: EvidenceRegistry = builtinRegistry): Column[] {
  let perRegistry = cache.get(registry);
  if (!perRegistry) cache.set(registry, (perRegistry = new Map()));
  let columns = perRegistry.get(target);
  if (columns) return columns;
  columns = [];
  if (target === 'teacher') {
    for (const [field, schema] of Object.entries(teacherSchema.shape as Record<string, AnySchema>)) {
      const { type, required, values } = describeZod(schema);
      columns.push(
        column(
          target,
          field,
          type,
          required,
          values.map((value) => ({ value, label: enumLabel(target, field, value) })),
          fieldLabel(target, field),
        ),
      );
    }
  } else {
    const description = registry.describeKind(target);
    if (!description) return [];
    columns.push(column(target, 'id', 'text', true, [], FIELD_LABELS.id!));
    columns.push(column(target, 'teacherId', 'text', true, [], FIELD_LABELS.teacherId!));
    const statusOptions = statuses.map((value) => ({ value, label: enumLabel(target, 'status', value) }));
    columns.push(column(target, 'status', 'enum', true, statusOptions, FIELD_LABELS.status!));
    for (const field of description.fields) {
      const type = CELL_TYPE[field.type] ?? 'text';
      const options = (field.values ?? []).map((option) => ({ value: option.value, label: option.label }));
      columns.push(column(target, field.name, type, !field.optional, options, field.label, field.type === 'year' ? YEAR_HINT : undefined));
    }
  }
  perRegistry.set(target, columns);
  return columns;
}

export function targetsOf(registry: EvidenceRegistry = builtinRegistry): SheetTarget[] {
  return ['teacher', ...registry.kindIds];
}

/** Column headings of one sheet in one language (what a template's header row says). */
export function columnsOfKind(target: SheetTarget, lang: Lang, registry: EvidenceRegistry = builtinRegistry): { field: string; heading: string; column: Column }[] {
  return columnsOf(target, registry).map((column) => ({ field: column.field, heading: column.heading[lang], column }));
}

export const allTargets: SheetTarget[] = targetsOf();

/** Sheet names a workbook may use for a target: its zh or en label, or its id. */
export function sheetNameOf(target: SheetTarget, lang: Lang, registry: EvidenceRegistry = builtinRegistry): string {
  if (target === 'teacher') return lang === 'zh' ? '教师' : 'teachers';
  return kindLabel(target, registry)[lang];
}

const norm = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/** Which target a sheet name or a kind cell names (id, zh or en label), or null. */
export function targetOfName(name: string, registry: EvidenceRegistry = builtinRegistry): SheetTarget | null {
  const key = norm(name);
  if (['teacher', 'teachers', '教师', '教师名单', '教师信息', '花名册'].includes(key)) return 'teacher';
  for (const kind of registry.kindIds) {
    const label = kindLabel(kind, registry);
    if (key === kind || key === norm(label.zh) || key === norm(label.en)) return kind;
  }
  return null;
}

/** The field a heading names for a target (field id, zh or en heading or an alias, case- and width-insensitive), or null. */
export function fieldOfHeading(target: SheetTarget, heading: string, registry: EvidenceRegistry = builtinRegistry): string | null {
  const key = norm(heading);
  if (key === '') return null;
  for (const column of columnsOf(target, registry)) {
    if (key === column.field.toLowerCase() || key === norm(column.heading.zh) || key === norm(column.heading.en)) return column.field;
  }
  for (const column of columnsOf(target, registry)) {
    if (column.aliases.some((alias) => key === norm(alias.zh) || key === norm(alias.en))) return column.field;
  }
  return null;
}

/** The enum value a cell names (id, zh or en label), or null. */
export function enumValueOf(column: Column, cell: string): string | null {
  const key = norm(cell);
  for (const option of column.options) {
    if (key === option.value.toLowerCase() || key === norm(option.label.zh) || key === norm(option.label.en)) return option.value;
  }
  return null;
}
