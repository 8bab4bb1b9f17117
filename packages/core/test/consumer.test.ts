/**
 * The package as someone outside this repository gets it: `npm pack` → install the tarball in a fresh project
 * in the system's temp directory (offline: zod comes from the npm cache `npm ci` filled) → use it from Node
 * 22 and 24 ESM, from a browser bundle run in Chromium, inside a Worker (workerd via miniflare), and typecheck
 * a strict TypeScript consumer against the packed `.d.ts`. Every runtime must print the same answer as the
 * sources in this repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as source from '../src/index.js';
import type { EvidenceRecord, Teacher } from '../src/index.js';

const core = join(import.meta.dirname, '..');
const repo = join(core, '..', '..');
const node22 = join(repo, 'node_modules', 'node', 'bin', 'node');
const node24 = join(repo, 'tools', 'node24', 'node_modules', 'node', 'bin', 'node');

const teachers: Teacher[] = ['t1', 't2', 't3'].map((id, index) => ({
  id,
  name: `教师${index + 1}`,
  unit: '机电工程学院',
  hireDate: '2015-09-01',
  stage: 'new_teacher',
  stageSince: '2015-09-01',
  title: 'assistant',
  titleSince: '2015-09-01',
}));
const records: EvidenceRecord[] = [
  { id: 'r1', teacherId: 't1', status: 'verified', kind: 'enterprise_practice', start: '2024-10-08', end: '2024-11-08', enterprise: '某智能制造企业' },
  { id: 'r2', teacherId: 't1', status: 'verified', kind: 'teaching_workload', year: 2024, hours: 320 },
  { id: 'r3', teacherId: 't2', status: 'verified', kind: 'teaching_evaluation', date: '2025-01-10', score: 91 },
  { id: 'r4', teacherId: 't2', status: 'verified', kind: 'teaching_reform_project', date: '2025-03-01', level: 'provincial', rank: 1 },
  { id: 'r5', teacherId: 't3', status: 'pending', kind: 'teaching_workload', year: 2024, hours: 500 },
] as EvidenceRecord[];

/** The same program for every runtime: `run(core)` with the package's namespace, returning plain JSON. */
const program = `
const input = ${JSON.stringify({ teachers, records })};
function run(core) {
  let rejected = null;
  try { core.parsePolicy({}); } catch (error) { rejected = error instanceof core.ValidationError ? error.issues.length : 'not a ValidationError'; }
  return {
    year: core.academicYearOf('2024-10-08'),
    appraisals: core.appraiseAll({ teachers: input.teachers, records: input.records, year: 2024 }),
    practice: core.evaluatePractice({ teacher: input.teachers[0], records: input.records, year: 2024 }),
    rejected,
  };
}
`;

function expected(): unknown {
  const run = new Function('core', `${program}\nreturn run(core);`) as (namespace: typeof source) => unknown;
  return JSON.parse(JSON.stringify(run(source)));
}

let work = '';
let project = '';

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/** zod from the npm cache, at the version the lockfile pins; a cache that lacks it gets the installed copy packed. */
function zodSpec(): string[] {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
  return [lock.packages['node_modules/zod'].resolved as string];
}

async function bundle(entry: string, options: { format: 'iife' | 'esm'; conditions: string[] }): Promise<string> {
  const file = join(project, `entry-${options.format}.mjs`);
  writeFileSync(file, entry);
  const result = await build({
    entryPoints: [file],
    absWorkingDir: project,
    bundle: true,
    write: false,
    minify: true,
    platform: 'browser',
    format: options.format,
    conditions: options.conditions,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'shizi-consumer-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], core)) as { filename: string }[];
  const tarball = join(work, packed!.filename);
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--engine-strict=false'];
  try {
    npm([...install, tarball, ...zodSpec()], project);
  } catch {
    // `npm cache clean` emptied the cache: pack the zod this repository installed (same files, same version).
    const [zod] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], join(repo, 'node_modules', 'zod'))) as { filename: string }[];
    npm([...install, tarball, join(work, zod!.filename)], project);
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package in a fresh project', () => {
  it('installs only its files and zod, outside the repository', () => {
    expect(project.startsWith(repo)).toBe(false);
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', '@shizi', 'core', 'package.json'), 'utf8'));
    expect(installed.name).toBe('@shizi/core');
    expect(existsSync(join(project, 'node_modules', '@shizi', 'core', 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(project, 'node_modules', '@shizi', 'core', 'test'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'zod', 'package.json'))).toBe(true);
  });

  for (const [name, binary] of [
    ['Node 22', node22],
    ['Node 24', node24],
  ] as const) {
    it(`runs from ${name} ESM`, () => {
      const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
      expect(version).toMatch(name === 'Node 22' ? /^v22\./ : /^v24\./);
      writeFileSync(join(project, 'node.mjs'), `import * as core from '@shizi/core';\n${program}\nconsole.log(JSON.stringify(run(core)));\n`);
      const out = execFileSync(binary, ['node.mjs'], { cwd: project, encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual(expected());
    });
  }

  it('runs as a browser bundle in Chromium', async () => {
    const script = await bundle(`import * as core from '@shizi/core';\n${program}\nglobalThis.result = JSON.stringify(run(core));\n`, { format: 'iife', conditions: ['browser'] });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.setContent('<!doctype html><title>consumer</title>');
      await page.addScriptTag({ content: script });
      const out = await page.evaluate(() => (globalThis as unknown as { result: string }).result);
      expect(errors).toEqual([]);
      expect(JSON.parse(out)).toEqual(expected());
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('runs inside a Worker (workerd)', async () => {
    const script = await bundle(`import * as core from '@shizi/core';\n${program}\nexport default { fetch() { return Response.json(run(core)); } };\n`, { format: 'esm', conditions: ['workerd', 'worker', 'browser'] });
    const mf = new Miniflare({ modules: true, script, compatibilityDate: '2025-09-01' });
    try {
      const response = await mf.dispatchFetch('http://consumer.test/');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(expected());
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  it('typechecks a strict TypeScript consumer against the packed .d.ts (finalGrade needs no `!`)', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `
import { appraiseAll, academicYearOf, defaultPolicy, type Grade, type QuotaAppraisal, type Teacher, type EvidenceRecord } from '@shizi/core';

const teachers: Teacher[] = ${JSON.stringify(teachers)};
const records = ${JSON.stringify(records)} as EvidenceRecord[];
const year: number = academicYearOf('2024-10-08', defaultPolicy);
const results: QuotaAppraisal[] = appraiseAll({ teachers, records, year });
for (const result of results) {
  const grade: Grade = result.finalGrade;
  const total: number = result.total;
  console.log(grade, total);
  // @ts-expect-error a final grade is a Grade, not a number: the types are real, not any
  const wrong: number = result.finalGrade;
  console.log(wrong);
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          types: [],
          skipLibCheck: true,
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(node22, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 60_000);
});
