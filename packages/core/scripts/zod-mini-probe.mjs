#!/usr/bin/env node
/**
 * Would zod/mini make the validating entry points smaller? The same schema toolbox core's schemas use
 * (strictObject, looseObject, discriminatedUnion, lazy union, record, enum, literal, string/int/number/array bounds,
 * regex, optional, nullable, default, refine, superRefine, toJSONSchema) is written once with zod's classic API and
 * once with zod/mini plus its English messages. Each is bundled the way scripts/bundle-size.mjs does (esbuild,
 * minified, platform browser, gzip level 9), then run on one bad record to compare the issues' paths and messages.
 *
 *   node packages/core/scripts/zod-mini-probe.mjs
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const core = join(dirname(fileURLToPath(import.meta.url)), '..');

const classic = String.raw`import { z } from 'zod';
const Req = z.lazy(() => z.union([z.strictObject({ all_of: z.array(Req).min(1) }), z.strictObject({ kind: z.string().min(1).max(64), min: z.int().min(0).optional() })]));
const Rec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('paper'), id: z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/), year: z.int().min(1990).max(2100), level: z.enum(['a', 'b', 'c']), note: z.string().max(2000).nullable().optional() }),
  z.strictObject({ kind: z.literal('practice'), id: z.string().min(1), start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), days: z.number().min(0), tags: z.array(z.string()).max(10) }),
]).superRefine((v, ctx) => { if (v.kind === 'practice' && v.days > 365) ctx.addIssue({ code: 'custom', message: 'too many days', path: ['days'] }); });
const Policy = z.strictObject({ version: z.string().min(1).describe('version'), bands: z.record(z.string(), z.int()), req: Req, extra: z.looseObject({ a: z.boolean() }), flag: z.boolean().default(false) }).refine((p) => p.version !== 'x', { message: 'bad' });
export const check = (input) => [Rec.safeParse(input), Policy.safeParse(input)];
export const jsonSchema = () => z.toJSONSchema(Rec, { unrepresentable: 'any' });
`;

// Only the English locale: z.config(z.locales.en()) through the namespace would bundle every locale (about 290 KB).
const mini = String.raw`import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
z.config(en());
const Req = z.lazy(() => z.union([z.strictObject({ all_of: z.array(Req).check(z.minLength(1)) }), z.strictObject({ kind: z.string().check(z.minLength(1), z.maxLength(64)), min: z.optional(z.int().check(z.minimum(0))) })]));
const Rec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('paper'), id: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_-]+$/)), year: z.int().check(z.minimum(1990), z.maximum(2100)), level: z.enum(['a', 'b', 'c']), note: z.optional(z.nullable(z.string().check(z.maxLength(2000)))) }),
  z.strictObject({ kind: z.literal('practice'), id: z.string().check(z.minLength(1)), start: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)), days: z.number().check(z.minimum(0)), tags: z.array(z.string()).check(z.maxLength(10)) }),
]).check(z.superRefine((v, ctx) => { if (v.kind === 'practice' && v.days > 365) ctx.addIssue({ code: 'custom', message: 'too many days', path: ['days'] }); }));
const Policy = z.strictObject({ version: z.string().check(z.minLength(1)), bands: z.record(z.string(), z.int()), req: Req, extra: z.looseObject({ a: z.boolean() }), flag: z._default(z.boolean(), false) }).check(z.refine((p) => p.version !== 'x', { message: 'bad' }));
export const check = (input) => [Rec.safeParse(input), Policy.safeParse(input)];
export const jsonSchema = () => z.toJSONSchema(Rec, { unrepresentable: 'any' });
`;

const work = mkdtempSync(join(tmpdir(), 'zod-mini-probe-'));
try {
  const bad = { kind: 'paper', id: '', year: 1800, level: 'z' };
  const out = {};
  for (const [name, contents] of Object.entries({ classic, mini })) {
    const result = await build({ stdin: { contents, resolveDir: core, sourcefile: `${name}.mjs` }, bundle: true, minify: true, write: false, format: 'esm', platform: 'browser', logLevel: 'silent' });
    const bytes = result.outputFiles[0].contents;
    const file = join(work, `${name}.mjs`);
    writeFileSync(file, bytes);
    const probe = await import(pathToFileURL(file).href);
    const issues = probe.check(bad)[0].error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    probe.jsonSchema();
    out[name] = { minifiedKB: +(bytes.length / 1024).toFixed(1), gzipKB: +(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1), issues };
  }
  for (const [name, row] of Object.entries(out)) console.log(`${name}: ${row.minifiedKB} KB minified, ${row.gzipKB} KB gzip`);
  console.log(`same issues (paths and messages): ${JSON.stringify(out.classic.issues) === JSON.stringify(out.mini.issues)}`);
  for (const line of out.mini.issues) console.log(`  ${line}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
