import { createRoute, z } from '@hono/zod-openapi';
import { actor, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { csvResponse, toCsv } from '../csv.js';
import { getKey, insertKey, insertKeys, insertKeyUnits, listKeys, newId, newToken, revokeKey, revokeTeacherKeys, sha256Hex, unitTeachersWithKeys } from '../db/keys.js';
import { writeWorkbook, XLSX_MEDIA_TYPE, xlsxResponse } from '../sheets/xlsx.js';
import { getTeacher } from '../db/teachers.js';
import { roles } from '../env.js';
import { errors, json, newApp, security } from '../openapi.js';
import { invalid, notFound } from '../errors.js';
import { employedOn } from '../departures.js';

const KeyOut = z
  .object({
    id: z.string(),
    role: z.enum(roles),
    teacherId: z.string().nullable(),
    label: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const KeyId = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const createKey = createRoute({
  method: 'post',
  path: '/keys',
  tags: ['API keys'],
  summary: 'Create an API key (admin). The token is shown once; only its SHA-256 is stored.',
  security,
  middleware: [requireRole('admin')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              role: z.enum(roles),
              teacherId: z.string().min(1).max(128).optional().openapi({ description: 'required for the teacher role' }),
              units: z.array(z.string().trim().min(1).max(200)).min(1).max(50).optional().openapi({ description: 'required for the unit_reviewer role: the units (二级学院) whose records the key reviews' }),
              label: z.string().max(200).default(''),
            })
            .openapi('CreateKey'),
        },
      },
      required: true,
    },
  },
  responses: { 201: json(KeyOut.extend({ token: z.string(), units: z.array(z.string()) }), 'Created; `token` is shown only now'), ...errors('content-too-large', 'unsupported-media-type') },
});

const listRoute = createRoute({
  method: 'get',
  path: '/keys',
  tags: ['API keys'],
  summary: 'List API keys (admin); never the tokens',
  security,
  middleware: [requireRole('admin')] as const,
  responses: { 200: json(z.object({ items: z.array(KeyOut) }), 'Keys'), ...errors() },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/keys/{id}',
  tags: ['API keys'],
  summary: 'Revoke an API key (admin)',
  security,
  middleware: [requireRole('admin')] as const,
  request: { params: KeyId },
  responses: { 200: json(KeyOut, 'Revoked'), ...errors('content-too-large') },
});

const unitKeysRoute = createRoute({
  method: 'post',
  path: '/keys/unit',
  tags: ['API keys'],
  summary: 'Issue a teacher key to every teacher of a unit (HR, admin) and answer them as a sheet; tokens are shown only now',
  description:
    'Teachers already holding a live teacher key are skipped, unless `rotate` (then their keys are revoked and replaced). ' + 'With `reviewer`, a unit_reviewer key for the unit is issued too (its row has no teacher id). All keys and the audit entry are written in one batch.',
  security,
  middleware: [requireRole('hr', 'admin')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              unit: z.string().trim().min(1).max(200).openapi({ example: '智能制造学院' }),
              format: z.enum(['csv', 'xlsx']).default('xlsx'),
              rotate: z.boolean().default(false).openapi({ description: 'revoke and replace the live teacher keys of the unit' }),
              reviewer: z.boolean().default(false).openapi({ description: 'also issue a unit_reviewer key for the unit' }),
              label: z.string().max(200).optional().openapi({ description: 'label of the new keys; default "<unit> 批量发放"' }),
            })
            .openapi('CreateUnitKeys'),
        },
      },
      required: true,
    },
  },
  responses: {
    201: {
      description: 'The keys issued, one row each: teacher id, name, unit, role, token, created. Headers: X-Keys-Issued, X-Keys-Skipped (teachers left with their live key), X-Keys-Departed (teachers who have left the college: no key).',
      content: { 'text/csv': { schema: z.string() }, [XLSX_MEDIA_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errors('content-too-large', 'unsupported-media-type'),
  },
});

const UNIT_KEY_HEADERS = ['教师编号', '姓名', '部门', '角色', '令牌', '创建时间'];
const ROLE_ZH = { teacher: '教师', unit_reviewer: '二级学院审核人' } as const;

export const keysApp = newApp()
  .openapi(createKey, async (c) => {
    const body = c.req.valid('json');
    const db = c.get('db');
    if (body.role === 'teacher' && !body.teacherId) throw invalid([{ path: 'teacherId', message: 'required for the teacher role' }]);
    if (body.role !== 'teacher' && body.teacherId) throw invalid([{ path: 'teacherId', message: 'only teacher keys are bound to a teacher' }]);
    const bound = body.teacherId ? await getTeacher(db.k, body.teacherId) : null;
    if (body.teacherId && !bound) throw invalid([{ path: 'teacherId', message: 'unknown teacher' }]);
    if (bound && !employedOn(bound.departedOn, nowIso().slice(0, 10))) throw invalid([{ path: 'teacherId', message: `teacher left the college on ${bound.departedOn}: no key is issued` }]);
    if (body.role === 'unit_reviewer' && !body.units) throw invalid([{ path: 'units', message: 'required for the unit_reviewer role' }]);
    if (body.role !== 'unit_reviewer' && body.units) throw invalid([{ path: 'units', message: 'only unit_reviewer keys are bound to units' }]);
    const units = [...new Set(body.units ?? [])];
    const token = newToken();
    const now = nowIso();
    const id = newId('key');
    const who = actor(c);
    await db.batch([
      insertKey(db.k, { id, tokenHash: await sha256Hex(token), role: body.role, teacherId: body.teacherId ?? null, label: body.label, createdAt: now, createdBy: who.actor }),
      ...insertKeyUnits(db.k, id, units),
      auditInsert(db.k, { ...who, action: 'key.create', entity: 'api_key', entityId: id, detail: { role: body.role, teacherId: body.teacherId ?? null, units, label: body.label } }),
    ]);
    return c.json({ id, role: body.role, teacherId: body.teacherId ?? null, units, label: body.label, createdAt: now, createdBy: who.actor, revokedAt: null, token }, 201);
  })
  .openapi(unitKeysRoute, async (c) => {
    const body = c.req.valid('json');
    const db = c.get('db');
    const now = nowIso();
    const all = await unitTeachersWithKeys(db.k, body.unit);
    if (all.length === 0) throw notFound('unit');
    // a teacher who has left gets no key (and, rotating, keeps its dead one: principalQuery refuses it anyway)
    const teachers = all.filter((teacher) => employedOn(teacher.departedOn, now.slice(0, 10)));
    const chosen = body.rotate ? teachers : teachers.filter((teacher) => !teacher.hasKey);
    const who = actor(c);
    const label = body.label ?? `${body.unit} 批量发放`;
    const issued: { teacherId: string | null; name: string; role: 'teacher' | 'unit_reviewer'; id: string; token: string }[] = [];
    for (const teacher of chosen) issued.push({ teacherId: teacher.id, name: teacher.name, role: 'teacher', id: newId('key'), token: newToken() });
    if (body.reviewer) issued.push({ teacherId: null, name: '', role: 'unit_reviewer', id: newId('key'), token: newToken() });
    const rows = await Promise.all(issued.map(async (key) => ({ id: key.id, tokenHash: await sha256Hex(key.token), role: key.role, teacherId: key.teacherId, label, createdAt: now, createdBy: who.actor })));
    const rotated = body.rotate ? teachers.filter((teacher) => teacher.hasKey).map((teacher) => teacher.id) : [];
    const reviewerKey = issued.find((key) => key.role === 'unit_reviewer');
    if (issued.length > 0) {
      await db.batch([
        ...revokeTeacherKeys(db.k, rotated, now),
        ...insertKeys(db.k, rows),
        ...(reviewerKey ? insertKeyUnits(db.k, reviewerKey.id, [body.unit]) : []),
        // one entry for the issuance: which keys went to whom (never the tokens)
        auditInsert(db.k, {
          ...who,
          action: 'key.create_unit',
          entity: 'api_key',
          entityId: null,
          detail: { unit: body.unit, label, rotate: body.rotate, rotatedTeacherIds: rotated, keys: issued.map((key) => ({ id: key.id, role: key.role, teacherId: key.teacherId })) },
        }),
      ]);
    }
    const table = issued.map((key) => [key.teacherId ?? '', key.name, body.unit, ROLE_ZH[key.role], key.token, now]);
    const filename = `keys-${body.unit}.${body.format}`;
    const response =
      body.format === 'csv' ? csvResponse(toCsv(UNIT_KEY_HEADERS, table), filename) : xlsxResponse(await writeWorkbook([{ name: `${body.unit}密钥`, columns: UNIT_KEY_HEADERS.map((header, index) => ({ header, width: index === 4 ? 56 : 16 })), rows: table }]), filename, 201);
    const headers = new Headers(response.headers);
    // tokens inside: never cached anywhere
    headers.set('cache-control', 'no-store');
    headers.set('x-keys-issued', String(issued.length));
    headers.set('x-keys-skipped', String(teachers.length - chosen.length));
    headers.set('x-keys-departed', String(all.length - teachers.length));
    return new Response(response.body, { status: 201, headers }) as never;
  })
  .openapi(listRoute, async (c) => c.json({ items: await listKeys(c.get('db').k) }, 200))
  .openapi(revokeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.get('db');
    const existing = await getKey(db.k, id);
    if (!existing) throw notFound('API key');
    const now = nowIso();
    await db.batch([revokeKey(db.k, id, now), auditInsert(db.k, { ...actor(c), action: 'key.revoke', entity: 'api_key', entityId: id }, { onlyIfChanged: true })]);
    return c.json({ ...existing, revokedAt: existing.revokedAt ?? now }, 200);
  });
