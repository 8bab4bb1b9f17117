import { env } from 'cloudflare:workers';
import { app } from '../src/app.js';
import { newToken, sha256Hex } from '../src/db/keys.js';
import type { Role } from '../src/env.js';

export { env };

let counter = 0;
/** A unique id prefix per call, so tests never collide on shared storage. */
export function uid(prefix = 'x'): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function createKey(role: Role, teacherId: string | null = null): Promise<string> {
  const token = newToken();
  await env.DB.prepare('INSERT INTO api_keys (id, token_hash, role, teacher_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(uid('key'), await sha256Hex(token), role, teacherId, 'test', new Date().toISOString())
    .run();
  return token;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string;
  contentType?: string;
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'text/plain';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  return app.request(`http://localhost${path}`, { method, headers, ...(body !== undefined ? { body } : {}) }, env);
}

export async function jsonOf<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export function teacher(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    name: `教师${id}`,
    unit: '智能制造学院',
    hireDate: '2015-09-01',
    stage: 'new_teacher',
    stageSince: '2015-09-01',
    title: 'assistant',
    titleSince: '2015-09-01',
    ...overrides,
  };
}

export interface Keys {
  admin: string;
  hr: string;
  committee: string;
  teacher: string;
  teacherId: string;
}

/** One key per role; the teacher key is bound to a fresh teacher. */
export async function setupKeys(): Promise<Keys> {
  const teacherId = uid('t');
  await env.DB.prepare("INSERT INTO teachers (id, name, unit, hire_date, stage, stage_since, title, title_since, version, created_at, updated_at) VALUES (?, '张三', '智能制造学院', '2015-09-01', 'new_teacher', '2015-09-01', 'assistant', '2015-09-01', 1, ?, ?)")
    .bind(teacherId, new Date().toISOString(), new Date().toISOString())
    .run();
  const [admin, hr, committee, teacherKey] = await Promise.all([createKey('admin'), createKey('hr'), createKey('committee'), createKey('teacher', teacherId)]);
  return { admin, hr, committee, teacher: teacherKey, teacherId };
}

/**
 * Test cleanup only: deletes every stored record of `kinds` (with its file rows), so that a policy without those
 * kinds may become active again (POST /v1/policies refuses one while records of them are stored: kind-in-use).
 */
export async function purgeRecordsOfKinds(kinds: readonly string[]): Promise<void> {
  const marks = kinds.map(() => '?').join(', ');
  await env.DB.batch([env.DB.prepare(`DELETE FROM evidence_files WHERE record_id IN (SELECT id FROM records WHERE kind IN (${marks}))`).bind(...kinds), env.DB.prepare(`DELETE FROM records WHERE kind IN (${marks})`).bind(...kinds)]);
}
