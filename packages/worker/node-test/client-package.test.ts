/**
 * @shizi/client as someone outside this repository gets it: `npm pack` → install the tarball in a fresh project
 * in the system's temp directory → a strict TypeScript consumer compiles against the packed `.d.ts` (and a wrong
 * property access does not) → the compiled consumer runs in Node 22 against a real worker: the deploy bundle
 * (`wrangler deploy --dry-run`) in workerd via Miniflare, on a local D1 that `npm run key:admin` migrated.
 * Also: the committed types (packages/client/src/api.ts) are what the worker's OpenAPI document generates now.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare, supportedCompatibilityDate } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without declarations
import { clientTypesFile, generateClientTypes } from '../../../scripts/client-types.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const node22 = join(root, 'node_modules', 'node', 'bin', 'node');
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', npm_config_update_notifier: 'false' };

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}
function ok(command: string, args: string[], cwd: string): string {
  const result = run(command, args, cwd);
  expect(result.status, result.out).toBe(0);
  return result.out;
}

let work = '';
let project = '';
let url = '';
let adminToken = '';
let mf: Miniflare | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'shizi-client-'));
  // The worker as `npm run deploy` would ship it, and a fresh local D1 with an admin key, the way a user gets one.
  // `npm test` has just built that bundle (the worker suite's posttest, `wrangler deploy --dry-run --outdir
  // bench-out/bundle`) and names it in SHIZI_DEPLOY_BUNDLE; run on its own, this file builds its own.
  const bundle = process.env.SHIZI_DEPLOY_BUNDLE ? resolve(root, process.env.SHIZI_DEPLOY_BUNDLE) : join(work, 'bundle');
  if (!process.env.SHIZI_DEPLOY_BUNDLE) ok(bin('wrangler'), ['deploy', '--dry-run', '--outdir', bundle], root);
  expect(existsSync(join(bundle, 'index.js')), `no deploy bundle in ${bundle}`).toBe(true);
  const state = join(work, 'state');
  const admin = ok('npm', ['run', '--silent', 'key:admin', '--', '--persist-to', state], root);
  adminToken = /\n {2}(shizi_[A-Za-z0-9_-]{43})\n/.exec(admin)![1]!;
  const wrangler = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const databaseId = /database_id = "([^"]+)"/.exec(wrangler)![1]!;
  mf = new Miniflare({
    modules: true,
    scriptPath: join(bundle, 'index.js'),
    modulesRoot: bundle,
    // wrangler.toml's date, or the newest this workerd knows when the toml's is later (as wrangler dev does)
    compatibilityDate: [/compatibility_date = "([^"]+)"/.exec(wrangler)![1]!, supportedCompatibilityDate].sort()[0]!,
    d1Databases: { DB: databaseId },
    d1Persist: join(state, 'v3', 'd1'),
    r2Buckets: ['EVIDENCE'],
    host: '127.0.0.1',
    port: 0,
  });
  url = (await mf.ready).origin;

  // The packed client in a project outside the repository.
  const [packed] = JSON.parse(ok('npm', ['pack', '--json', '--silent', '--pack-destination', work], join(root, 'packages', 'client'))) as { filename: string }[];
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  ok('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed!.filename)], project);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], outDir: 'out', skipLibCheck: false },
      files: ['consumer.ts'],
    }),
  );
}, 240_000);

afterAll(async () => {
  await mf?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

const consumer = `
import { ApiProblem, createClient, type AppraisalView, type Download, type Me, type PracticeView, type ProgressView, type TeacherInput } from '@shizi/client';

declare const process: { argv: string[] };
const [baseUrl, token] = process.argv.slice(2) as [string, string];
const admin = createClient({ baseUrl, token, lang: 'en' });
const me: Me = await admin.me();
const key = await admin.call('POST /v1/keys', { body: { role: 'hr', label: 'client package test' } });
const hr = createClient({ baseUrl, token: key.token, lang: 'en' });
const input: TeacherInput = { id: 't-client', name: '张老师', unit: '机电工程学院', hireDate: '2020-09-01', stage: 'new_teacher', stageSince: '2020-09-01', title: 'lecturer', titleSince: '2020-09-01' };
const teacher = await hr.call('POST /v1/teachers', { body: input });
const progress: ProgressView = await hr.progress(teacher.id, '2026-09-01');
const practice: PracticeView = await hr.practice(teacher.id, 2025, '2026-09-01');
const appraisal: AppraisalView = await hr.appraisal(teacher.id, 2025);
const listing = await hr.call('GET /v1/teachers', { query: { limit: 10 } });
let missing: { status: number; code: string } | null = null;
try {
  await hr.teacher('no-such-teacher');
} catch (error) {
  if (error instanceof ApiProblem) missing = { status: error.status, code: error.problem.code };
}
// Files: a CSV import, a .xlsx and a CSV export, the template, the error report, an evidence file up and down.
const csv = 'entity,id,name,unit,hireDate,stage,stageSince,title,titleSince\\r\\nteacher,t-csv,李老师,机电工程学院,2021-09-01,new_teacher,2021-09-01,assistant,2021-09-01\\r\\n';
const dry = await hr.importFile(csv, 'text/csv', { dryRun: 'true' });
const imported = await hr.importFile(new TextEncoder().encode(csv), 'text/csv');
const xlsx: Download<'text/csv' | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'> = await hr.exportAppraisals({ year: 2025, format: 'xlsx' });
const csvExport = await hr.download('GET /v1/appraisals', { query: { year: 2025, format: 'csv' } });
const template = await hr.download('GET /v1/import/template.xlsx');
const report = await hr.upload('POST /v1/import/report.xlsx', { file: new Blob(['entity,id\\r\\nthing,x\\r\\n']), contentType: 'text/csv' });
const record = await hr.call('POST /v1/records', { body: { id: 'r-client', teacherId: teacher.id, kind: 'teaching_workload', status: 'pending', year: 2025, hours: 100 } });
const pdf = new TextEncoder().encode('%PDF-1.4\\n% client\\n1 0 obj <<>> endobj\\ntrailer <<>>\\n%%EOF\\n');
const attached = await hr.uploadEvidence(record.record.id, pdf, 'application/pdf', '实践证明.pdf');
const back = await hr.downloadEvidence(record.record.id, attached.id);
const magic = (bytes: ArrayBuffer) => String.fromCharCode(...new Uint8Array(bytes).slice(0, 4));
const files = {
  dry: 'dryRun' in dry ? dry.dryRun : null,
  imported: 'imported' in imported ? imported.imported : null,
  xlsx: { type: xlsx.contentType, name: xlsx.fileName, magic: magic(xlsx.bytes), blob: xlsx.blob.size === xlsx.bytes.byteLength },
  csv: { type: csvExport.contentType, name: csvExport.fileName, head: new TextDecoder().decode(csvExport.bytes).replace(/^\\uFEFF/, '').split('\\r\\n')[0] },
  template: { name: template.fileName, magic: magic(await template.blob.arrayBuffer()) },
  report: { type: report.contentType, errors: report.headers.get('x-import-errors'), magic: magic(report.bytes) },
  evidence: { name: attached.name, size: attached.size, type: back.contentType, same: new Uint8Array(back.bytes).every((byte, index) => byte === pdf[index]) && back.bytes.byteLength === pdf.byteLength },
};
const stage: 'new_teacher' | 'backbone_teacher' | 'program_leader' | 'cluster_lead' = progress.stage;
const nextLabel: string | null = progress.nextStageLabel;
const days: number = practice.countedDays;
const grade: 'excellent' | 'competent' | 'basic' | 'incompetent' = appraisal.grade;
console.log(JSON.stringify({ role: me.role, keyRole: key.role, hrToken: key.token, teacher: teacher.id, stage, nextLabel, days, standing: practice.standing, grade, total: appraisal.total, listed: listing.items.map((item) => item.id), missing, progress, files }));
`;

describe('@shizi/client, packed and installed outside the repository', () => {
  it('its committed types are what the worker’s OpenAPI document generates now', async () => {
    const document = await (await fetch(`${url}/openapi.json`)).json();
    expect(generateClientTypes(document)).toBe(readFileSync(clientTypesFile, 'utf8'));
  });

  it('installs as JS and .d.ts only, with no dependencies and no Cloudflare or D1 types', () => {
    expect(project.startsWith(root)).toBe(false);
    const installed = join(project, 'node_modules', '@shizi', 'client');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(existsSync(join(installed, 'src'))).toBe(false);
    const files = readdirSync(join(installed, 'dist')).sort();
    expect(files).toEqual(['api.d.ts', 'api.js', 'index.d.ts', 'index.js']);
    for (const file of files.filter((name) => name.endsWith('.d.ts'))) {
      const declarations = readFileSync(join(installed, 'dist', file), 'utf8');
      expect(declarations).not.toMatch(/D1Database|R2Bucket|ExecutionContext|@cloudflare/);
      // the only module a declaration file refers to is its sibling
      expect([...declarations.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]).filter((name) => name !== './api.js')).toEqual([]);
    }
  });

  it('a strict consumer compiles; a wrong property, a missing parameter and a wrong body do not', () => {
    writeFileSync(join(project, 'consumer.ts'), consumer);
    ok(node22, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);

    writeFileSync(
      join(project, 'wrong.ts'),
      `
import { createClient } from '@shizi/client';
const api = createClient({ baseUrl: 'http://x', token: 't' });
const progress = await api.progress('t1', '2026-09-01');
console.log(progress.stagee);
await api.call('GET /v1/teachers/{id}/practice', { path: { id: 't1' } });
await api.call('POST /v1/teachers', { body: { id: 't2' } });
const total: string = (await api.appraisal('t1', 2025)).total;
console.log(total);
await api.upload('POST /v1/import', { file: 'x', contentType: 'application/pdf' });
await api.download('GET /v1/records/{id}/files/{fileId}', { path: { id: 'r1' } });
await api.exportAppraisals({ year: 2025, format: 'pdf' });
await api.download('GET /v1/teachers/{id}/progress', { path: { id: 't1' } });
`,
    );
    writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, files: ['wrong.ts'] }));
    const result = run(node22, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.wrong.json'], project);
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(/wrong\.ts\(5,22\): error TS2551: Property 'stagee' does not exist/);
    expect(result.out).toMatch(/wrong\.ts\(6,\d+\): error TS2345:[\s\S]*Property 'query' is missing/);
    expect(result.out).toMatch(/wrong\.ts\(7,\d+\): error TS2740: Type '\{ id: string; \}' is missing the following properties from type 'TeacherInput': name, unit, hireDate/);
    expect(result.out).toMatch(/wrong\.ts\(8,7\): error TS2322: Type 'number' is not assignable to type 'string'/);
    // file operations: a media type the import does not take, a missing path parameter, an export format that
    // does not exist, and a JSON-only operation given to download
    expect(result.out).toMatch(/wrong\.ts\(10,\d+\): error TS2\d+: Type '"application\/pdf"' is not assignable to type/);
    expect(result.out).toMatch(/wrong\.ts\(11,\d+\): error TS2741: Property 'fileId' is missing/);
    expect(result.out).toMatch(/wrong\.ts\(12,\d+\): error TS2322: Type '"pdf"' is not assignable to type '"csv" \| "xlsx"'/);
    expect(result.out).toMatch(/wrong\.ts\(13,\d+\): error TS2345: Argument of type '"GET \/v1\/teachers\/\{id\}\/progress"' is not assignable/);
  });

  it('the compiled consumer runs in Node 22 against the real worker and gets the API’s answers', async () => {
    const out = ok(node22, [join(project, 'out', 'consumer.js'), url, adminToken], project);
    const result = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ role: 'admin', keyRole: 'hr', teacher: 't-client', stage: 'new_teacher', nextLabel: expect.any(String), days: 0, standing: expect.any(String), grade: expect.any(String), listed: ['t-client'], missing: { status: 404, code: 'not-found' } });
    // The client hands over the API's answer as it is: the same progress fetched directly with the HR key it made.
    const direct = await fetch(`${url}/v1/teachers/t-client/progress?asOf=2026-09-01`, { headers: { authorization: `Bearer ${result.hrToken}`, 'accept-language': 'en' } });
    expect(direct.status).toBe(200);
    expect(result.progress).toEqual(await direct.json());
    expect(result.progress).toMatchObject({ teacherId: 't-client', asOf: '2026-09-01', lang: 'en', stage: 'new_teacher' });
    const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    expect(result.files).toEqual({
      dry: true,
      imported: { teachers: 1, records: 0 },
      xlsx: { type: xlsxType, name: 'appraisals-2025.xlsx', magic: 'PK\u0003\u0004', blob: true },
      csv: { type: 'text/csv', name: 'appraisals-2025.csv', head: expect.stringContaining('rank') },
      template: { name: 'shizi-import-template.xlsx', magic: 'PK\u0003\u0004' },
      report: { type: xlsxType, errors: expect.stringMatching(/^[1-9]/), magic: 'PK\u0003\u0004' },
      evidence: { name: '实践证明.pdf', size: expect.any(Number), type: 'application/pdf', same: true },
    });
  });
});
