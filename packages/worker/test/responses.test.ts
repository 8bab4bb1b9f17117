import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from '@hono/zod-openapi';
import { labels } from '@shizi/core';
import { app } from '../src/app.js';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * The OpenAPI document describes every JSON answer fully (no open `additionalProperties: {}` object), and real
 * answers of the teacher views, committee listings, policies and kinds are exactly what their declared zod schema
 * (the one the document is generated from) says: parsing succeeds and drops nothing.
 */

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

/** Paths inside `schema` (following $refs, each component once) to an object open to any property. */
function openObjects(schema: Schema | undefined, components: Record<string, Schema>, at: string, seen: Set<string>, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    if (!seen.has(name)) {
      seen.add(name);
      openObjects(components[name], components, `${at}→${name}`, seen, out);
    }
    return out;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const extra = schema.additionalProperties;
  const anyValue = extra === true || (typeof extra === 'object' && Object.keys(extra).length === 0);
  if (types.includes('object') && (anyValue || (!schema.properties && extra === undefined))) out.push(at || '(root)');
  for (const [name, property] of Object.entries(schema.properties ?? {})) openObjects(property, components, `${at}.${name}`, seen, out);
  if (typeof extra === 'object') openObjects(extra, components, `${at}{}`, seen, out);
  openObjects(schema.items, components, `${at}[]`, seen, out);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) schema[key]?.forEach((option, index) => openObjects(option, components, `${at}|${index}`, seen, out));
  return out;
}

describe('OpenAPI response schemas', () => {
  it('every 200/201 JSON answer has a schema, and none of them holds an open object', async () => {
    const doc = await jsonOf(await app.request('/openapi.json', {}, {} as never));
    const components = doc.components.schemas as Record<string, Schema>;
    const open: string[] = [];
    let answers = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const status of ['200', '201']) {
          const json = operation.responses[status]?.content?.['application/json'];
          if (!operation.responses[status]?.content) continue;
          if (!json) continue; // a file download (CSV, .xlsx, an evidence file) answers bytes
          answers++;
          expect(json.schema, `${method.toUpperCase()} ${path} ${status}`).toBeDefined();
          for (const where of openObjects(json.schema, components, '', new Set(), [])) open.push(`${method.toUpperCase()} ${path} ${status}: ${where}`);
        }
      }
    }
    expect(answers).toBeGreaterThanOrEqual(35);
    expect(open).toEqual([]);
    // The core outputs are named components, so generated clients get named types.
    for (const name of ['ProgressView', 'PracticeView', 'AppraisalView', 'RankedAppraisal', 'TitleReviewEntry', 'Policy', 'PracticeStatus', 'RequirementLine', 'Requirement', 'PointsTable']) {
      expect(components, name).toHaveProperty(name);
    }
  });
});

interface RouteDefinition {
  type: string;
  route?: { method: string; path: string; responses: Record<string, { content?: Record<string, { schema: z.ZodType }> }> };
}

/** The zod schema a route declares for its JSON answer: the same object the OpenAPI document is generated from. */
function declared(method: string, path: string, status: number): z.ZodType {
  for (const definition of app.openAPIRegistry.definitions as RouteDefinition[]) {
    if (definition.type !== 'route' || !definition.route) continue;
    if (definition.route.method === method.toLowerCase() && definition.route.path === path) {
      const schema = definition.route.responses[status]?.content?.['application/json']?.schema;
      if (schema) return schema;
    }
  }
  throw new Error(`no JSON schema declared for ${method} ${path} ${status}`);
}

/** The answer has the status, and its declared schema accepts it and declares every field of it. */
async function expectDeclared(method: string, template: string, response: Response, status = 200): Promise<any> {
  const body = await jsonOf(response);
  expect(response.status, JSON.stringify(body).slice(0, 400)).toBe(status);
  const parsed = declared(method, template, status).safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues.slice(0, 5), `${method} ${template}`).toEqual([]);
  // zod drops undeclared keys: equality means the schema names every field the answer carries.
  expect(parsed.data, `${method} ${template}: a field the schema does not declare`).toEqual(body);
  return body;
}

let keys: Keys;
let unit: string;
const ids: string[] = [];

function career(id: string, strength: number) {
  const records: Record<string, unknown>[] = [];
  for (const year of [2022, 2023, 2024, 2025]) {
    records.push({ id: `${id}-p${year}`, teacherId: id, kind: 'enterprise_practice', status: strength === 0 ? 'pending' : 'verified', start: `${year + 1}-07-01`, end: `${year + 1}-07-0${2 + strength}`, enterprise: '三一重工' });
    records.push({ id: `${id}-w${year}`, teacherId: id, kind: 'teaching_workload', status: 'verified', year, hours: 200 + 30 * strength });
    records.push({ id: `${id}-e${year}`, teacherId: id, kind: 'teaching_evaluation', status: 'verified', date: `${year + 1}-01-10`, score: 80 + strength });
    records.push({ id: `${id}-t${year}`, teacherId: id, kind: 'tech_transfer', status: strength === 1 ? 'pending' : 'verified', date: `${year + 1}-03-10`, amountYuan: strength * 40_000, partner: '美的集团' });
  }
  return records;
}

beforeAll(async () => {
  keys = await setupKeys();
  unit = uid('学院');
  const teachers = [];
  const records = [];
  for (let index = 0; index < 4; index++) {
    const id = uid('r');
    ids.push(id);
    teachers.push(teacher(id, { unit, title: 'lecturer', titleSince: '2015-07-01', hireDate: '2012-09-01', stageSince: '2015-09-01' }));
    records.push(...career(id, index));
  }
  const response = await call('POST', '/v1/import', { token: keys.hr, body: { teachers, records } });
  expect(response.status).toBe(201);
});

describe('real answers match their declared schemas', () => {
  it('teacher views: progress, practice and appraisal, in zh and en', async () => {
    for (const lang of ['zh', 'en']) {
      const headers = { 'accept-language': lang };
      for (const id of ids) {
        const progress = await expectDeclared('GET', '/v1/teachers/{id}/progress', await call('GET', `/v1/teachers/${id}/progress?asOf=2026-09-01`, { token: keys.hr, headers }));
        expect(progress.requirements.children.length).toBeGreaterThan(0);
        // a grade leaf's grades and a certificate leaf's level come named in the asked language, per year too
        const leaf = (type: string) => progress.requirements.children.find((child: { type: string }) => child.type === type);
        const gradeLeaf = leaf('grade_each_year');
        expect(gradeLeaf.requiredLabel).toBe(labels.grades[gradeLeaf.required as keyof typeof labels.grades][lang as 'zh' | 'en']);
        expect(gradeLeaf.currentLabel).toBe(labels.grades[gradeLeaf.current as keyof typeof labels.grades][lang as 'zh' | 'en']);
        expect(gradeLeaf.perYear.length).toBeGreaterThan(0);
        for (const year of gradeLeaf.perYear) expect(year.currentLabel).toBe(labels.grades[year.current as keyof typeof labels.grades][lang as 'zh' | 'en']);
        const certificateLeaf = leaf('certificate');
        expect(certificateLeaf.requiredLabel).toBe(labels.certLevels[certificateLeaf.required as keyof typeof labels.certLevels][lang as 'zh' | 'en']);
        expect(leaf('years_in_stage').currentLabel).toBeNull();
        const practice = await expectDeclared('GET', '/v1/teachers/{id}/practice', await call('GET', `/v1/teachers/${id}/practice?year=2025&asOf=2026-07-01`, { token: keys.hr, headers }));
        expect(practice.outlook.year).toBe(2025);
        const appraisal = await expectDeclared('GET', '/v1/teachers/{id}/appraisals/{year}', await call('GET', `/v1/teachers/${id}/appraisals/2024`, { token: keys.hr, headers }));
        expect(appraisal.items.length).toBeGreaterThan(0);
      }
      const file = await expectDeclared('GET', '/v1/teachers/{id}/growth-file', await call('GET', `/v1/teachers/${ids[3]}/growth-file?asOf=2026-09-01`, { token: keys.hr, headers }));
      expect(file.years.some((year: { appraisal: unknown; records: unknown[] }) => year.appraisal !== null && year.records.length > 0)).toBe(true);
    }
  });

  it('the committee listing and a review cycle’s ranking, live and frozen', async () => {
    const listing = await expectDeclared('GET', '/v1/appraisals', await call('GET', `/v1/appraisals?year=2024&unit=${encodeURIComponent(unit)}`, { token: keys.committee }));
    expect(listing.items).toHaveLength(4);
    for (const item of listing.items) expect(item.finalGrade).toBeDefined();
    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: uid('cycle'), asOf: '2026-09-01' } }));
    const candidates = ids.map((teacherId, index) => ({ teacherId, targetTitle: index === 3 ? 'professor' : 'associate_professor' }));
    expect((await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates } })).status).toBe(200);
    const live = await expectDeclared('GET', '/v1/review-cycles/{id}/ranking', await call('GET', `/v1/review-cycles/${cycle.id}/ranking`, { token: keys.committee, headers: { 'accept-language': 'en' } }));
    expect(live.entries).toHaveLength(4);
    expect(live.entries.some((entry: { eligible: boolean }) => !entry.eligible)).toBe(true);
    await expectDeclared('POST', '/v1/review-cycles/{id}/freeze', await call('POST', `/v1/review-cycles/${cycle.id}/freeze`, { token: keys.hr }));
    const frozen = await expectDeclared('GET', '/v1/review-cycles/{id}/ranking', await call('GET', `/v1/review-cycles/${cycle.id}/ranking`, { token: keys.committee }));
    expect(frozen.frozen).toBe(true);
  });

  it('a promotion (HR override) answers the teacher and the progress it was decided on', async () => {
    const id = ids[0]!;
    const row = await call('GET', `/v1/teachers/${id}`, { token: keys.hr });
    expect(row.status).toBe(200);
    const promoted = await expectDeclared('POST', '/v1/teachers/{id}/promotion', await call('POST', `/v1/teachers/${id}/promotion`, { token: keys.hr, body: { asOf: '2026-09-01', override: { reason: 'committee decision of 2026-08-30, minute 12' } } }));
    expect(promoted.to).toBe('backbone_teacher');
  });

  it('policies (the whole active policy document) and evidence kinds (each with its JSON Schema)', async () => {
    const list = await expectDeclared('GET', '/v1/policies', await call('GET', '/v1/policies', { token: keys.teacher }));
    const active = list.items.find((item: { active: boolean }) => item.active);
    const policy = await expectDeclared('GET', '/v1/policies/{version}', await call('GET', `/v1/policies/${encodeURIComponent(active.version)}`, { token: keys.teacher }));
    expect(policy.policy.growth.transitions).toBeDefined();
    const kinds = await expectDeclared('GET', '/v1/kinds', await call('GET', '/v1/kinds', { token: keys.teacher }));
    expect(kinds.items.length).toBeGreaterThanOrEqual(16);
  });
});
