#!/usr/bin/env node
/**
 * API benchmark (npm run bench:api): the worker under wrangler dev with a local D1, loaded with a generated
 * college of 2,000 teachers in 20 units × 150 records over six academic years (~300,000 records, every kind,
 * pending and rejected mixed in) through the real POST /v1/import, then driven with autocannon.
 *
 *   npm run bench:api                          full run (~6 minutes on 2 cores)
 *   npm run bench:api -- --quick               200 teachers, one round of 3 s per route: a smoke run
 *   npm run bench:api -- --rounds 5 --duration 10 --connections 16 --json bench-out/api.json
 *
 * Everything is measured in one run, side by side. The worker is the bundle `wrangler deploy --dry-run` builds
 * (its size is reported), served by wrangler dev with a fresh local D1. Fixed-duration routes run in interleaved
 * rounds, each round starting with the bare route /v1/health (no D1, no auth) as the ceiling; a route's ratio is
 * its req/s over that round's health req/s, and the table shows medians over the rounds. The load generator
 * (autocannon) runs in this process on the same machine as workerd, so absolute numbers say little: read the
 * ratios and the medians.
 */
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { generateCollege } from '../packages/core/bench/generate.mjs';
import { api, flagOf, importCollege, median, quantile, root, rssOf, spreadUnits, startLocalServer } from './lib/local-server.mjs';

const quick = flagOf('quick', false) === true;
const TEACHERS = Number(flagOf('teachers', quick ? 200 : 2000));
const RECORDS_PER_TEACHER = Number(flagOf('records-per-teacher', 150));
const UNITS = 20;
const YEARS = 6;
const LAST_YEAR = 2025; // 2020-2021 … 2025-2026
const SEED = 20261128;
const DURATION = Number(flagOf('duration', quick ? 3 : 5));
const ROUNDS = Number(flagOf('rounds', quick ? 1 : 3));
const CONNECTIONS = Number(flagOf('connections', 10));
const LISTING_RUNS = Number(flagOf('listing-runs', quick ? 3 : 9));
const IMPORT_RUNS = Number(flagOf('import-runs', quick ? 2 : 5));
const IMPORT_ROWS = 10_000;
const CANDIDATES = Math.min(200, TEACHERS);
const AS_OF = '2026-09-01';
const YEAR = 2025;
const jsonOut = flagOf('json', undefined);

const log = (...args) => console.log(...args);
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');

function cannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Fixed-duration load on one route; returns req/s (mean over the run), p50/p99 latency (ms), non-2xx count. */
async function throughput(name, base, path, token, { connections = CONNECTIONS, duration = DURATION } = {}) {
  // one warm-up request (isolate, policy cache, SQLite page cache)
  await api(base, 'GET', path, { token });
  const result = await cannon({ url: `${base}${path}`, connections, duration, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const row = {
    name,
    path,
    connections,
    durationS: duration,
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  log(`  ${name.padEnd(34)} ${fmt(row.reqPerSec, 1).padStart(8)} req/s   p50 ${fmt(row.p50, 1).padStart(7)} ms   p99 ${fmt(row.p99, 1).padStart(7)} ms   non-2xx ${row.non2xx}   errors ${row.errors}`);
  return row;
}

/** Sequential requests (one at a time): each request's latency; p50 is the median of `runs`. */
async function sequential(name, base, path, token, runs) {
  await api(base, 'GET', path, { token });
  const times = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.arrayBuffer();
    times.push(performance.now() - t0);
    if (!response.ok) throw new Error(`GET ${path} → ${response.status}`);
    bytes = body.byteLength;
  }
  const row = { name, path, connections: 1, requests: runs, reqPerSec: 1000 / (times.reduce((a, b) => a + b, 0) / runs), p50: median(times), p99: quantile(times, 0.99), non2xx: 0, errors: 0, bytes, all: times };
  log(`  ${name.padEnd(34)} p50 ${fmt(row.p50, 0).padStart(6)} ms   max ${fmt(row.p99, 0).padStart(6)} ms   (${runs} sequential requests, ${fmt(bytes / 1048576, 1)} MiB each)`);
  return row;
}

const WORKBOOK_BUNDLE = join(root, 'bench-out', 'records-workbook.mjs');

/** The worker's own sheet code (scripts/lib/records-workbook.ts), bundled for Node: records → the template's .xlsx, and back. */
async function loadWorkbookCode() {
  await build({ entryPoints: [join(root, 'scripts/lib/records-workbook.ts')], bundle: true, format: 'esm', platform: 'node', outfile: WORKBOOK_BUNDLE, logLevel: 'error' });
  return import(pathToFileURL(WORKBOOK_BUNDLE).href);
}

const HEAP_STEPS_MB = [32, 48, 64, 80, 96, 112, 128, 160, 192, 256];

/**
 * The V8 heap one spreadsheet step needs, measured alone in a fresh Node process running the worker's own code
 * (scripts/lib/xlsx-memory.mjs; V8 as in workerd): the smallest `--max-heap-size` of HEAP_STEPS_MB it completes
 * in, and the one below that it runs out of. The Worker's isolate limit is 128 MB. workerd's own RSS can't show
 * this: its heap never shrinks after the initial load, and the local D1's SQLite shares the process.
 */
function heapOfStep(...args) {
  let below = null;
  for (const mb of HEAP_STEPS_MB) {
    const result = spawnSync(process.execPath, [`--max-heap-size=${mb}`, '--expose-gc', join(root, 'scripts/lib/xlsx-memory.mjs'), WORKBOOK_BUNDLE, ...args], { encoding: 'utf8' });
    const end = result.stdout.split('\n').find((line) => line.startsWith('@@end '));
    if (result.status === 0 && end) return { ...JSON.parse(end.slice(6)), fitsMB: mb, failsMB: below };
    // Only running out of heap means "try a larger heap". Any other failure (an exception, a missing bundle, a
    // signal from outside) is no heap figure: it is reported as the error it is.
    if (!OUT_OF_HEAP.test(result.stderr)) return { fitsMB: null, failsMB: below, error: `exit ${result.status ?? result.signal}: ${(result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' / ')}` };
    below = mb;
  }
  return { fitsMB: null, failsMB: below };
}
const OUT_OF_HEAP = /Reached heap limit|JavaScript heap out of memory/;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const nextTitle = { assistant: 'lecturer', lecturer: 'associate_professor', associate_professor: 'professor', professor: 'professor' };

async function main() {
  const started = new Date();
  log(`Shizi API benchmark — ${started.toISOString()}`);
  log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; node ${process.version}`,
  );
  log(`college: ${TEACHERS} teachers, ${UNITS} units, ${RECORDS_PER_TEACHER} records each over ${YEARS} academic years; ${DURATION} s per route at ${CONNECTIONS} connections\n`);

  log('▶ Building the bundle (wrangler deploy --dry-run --outdir) and starting wrangler dev on it, with a fresh local D1 …');
  const server = await startLocalServer({ label: 'bench' });
  const { base, tokens, bundle } = server;
  log(`  bundle ${bundle.files.join(', ')}: ${fmt(bundle.raw / 1024)} KiB raw, ${fmt(bundle.gzip / 1024)} KiB gzip (wrangler: ${bundle.wranglerReport}); limit 3 MiB gzip (free) / 10 MiB (paid)`);
  log(`  ${base} (persist ${server.dir}; workerd pid ${server.workerdPid()})`);
  try {
    log('▶ Generating the college …');
    const t0 = performance.now();
    const generated = generateCollege({ teachers: TEACHERS, recordsPerTeacher: RECORDS_PER_TEACHER, years: YEARS, seed: SEED, lastYear: LAST_YEAR });
    const college = { teachers: spreadUnits(generated.teachers, UNITS), records: generated.records };
    const statusCounts = college.records.reduce((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
    const kindCount = new Set(college.records.map((r) => r.kind)).size;
    log(`  ${college.teachers.length} teachers, ${college.records.length.toLocaleString('en')} records (${kindCount} kinds; ${JSON.stringify(statusCounts)}) in ${fmt(performance.now() - t0)} ms`);

    log('▶ Loading it through POST /v1/import (≤ 20,000 rows per request) …');
    const load = await importCollege(base, tokens.hr, college, { log: quick ? () => {} : log });
    log(`  loaded in ${fmt(load.totalMs / 1000, 1)} s (${load.chunkTimes.length} requests; median ${fmt(median(load.chunkTimes.slice(1)))} ms per 20,000-record request)`);

    const teacherId = college.teachers[0].id;
    const recordsOfTeacher = college.records.filter((r) => r.teacherId === teacherId).length;
    const teacherKey = (await api(base, 'POST', '/v1/keys', { token: tokens.admin, body: { role: 'teacher', teacherId, label: 'bench' } })).json.token;
    const cycle = (await api(base, 'POST', '/v1/review-cycles', { token: tokens.hr, body: { name: 'bench cycle', asOf: AS_OF } })).json;
    const step = Math.max(1, Math.floor(college.teachers.length / CANDIDATES));
    const candidates = college.teachers
      .filter((_, index) => index % step === 0)
      .slice(0, CANDIDATES)
      .map((t) => ({ teacherId: t.id, targetTitle: nextTitle[t.title] }));
    await api(base, 'POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: tokens.hr, body: { candidates } });
    log(`  review cycle ${cycle.id} with ${candidates.length} candidates; teacher ${teacherId} has ${recordsOfTeacher} records\n`);

    log(`▶ Throughput: ${ROUNDS} interleaved rounds of ${DURATION} s per route, ${CONNECTIONS} connections; each round starts with health`);
    const routes = [
      { name: 'health (ceiling)', path: '/v1/health', token: null },
      { name: 'teacher progress', path: `/v1/teachers/${teacherId}/progress?asOf=${AS_OF}`, token: teacherKey },
      { name: 'teacher practice', path: `/v1/teachers/${teacherId}/practice?year=${YEAR}&asOf=${AS_OF}`, token: teacherKey },
      { name: 'one appraisal with trace', path: `/v1/teachers/${teacherId}/appraisals/${YEAR}`, token: teacherKey },
      { name: 'own records, first page', path: `/v1/records?teacherId=${teacherId}&limit=50`, token: teacherKey },
      { name: `cycle ranking (${candidates.length} candidates)`, path: `/v1/review-cycles/${cycle.id}/ranking`, token: tokens.committee, connections: Math.min(CONNECTIONS, 4) },
      { name: `committee listing, one unit (${Math.round(TEACHERS / UNITS)})`, path: `/v1/appraisals?year=${YEAR}&unit=${encodeURIComponent(college.teachers[0].unit)}`, token: tokens.committee, connections: Math.min(CONNECTIONS, 4) },
    ];
    const runs = new Map(routes.map((route) => [route.name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      log(` round ${round}`);
      let health = null;
      for (const route of routes) {
        const row = await throughput(route.name, base, route.path, route.token, { connections: route.connections ?? CONNECTIONS });
        health ??= row;
        runs.get(route.name).push({ ...row, ratio: row.reqPerSec / health.reqPerSec });
      }
    }
    const rows = routes.map((route) => {
      const list = runs.get(route.name);
      return {
        name: route.name,
        path: route.path,
        connections: list[0].connections,
        requests: list.reduce((a, r) => a + r.requests, 0),
        reqPerSec: median(list.map((r) => r.reqPerSec)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        ratio: median(list.map((r) => r.ratio)),
        ratios: list.map((r) => r.ratio),
        non2xx: list.reduce((a, r) => a + r.non2xx, 0),
        errors: list.reduce((a, r) => a + r.errors, 0),
      };
    });
    const ceiling = rows[0].reqPerSec;
    log(`\n▶ Committee listing for all ${TEACHERS} teachers (${LISTING_RUNS} sequential requests each)`);
    const listingJson = await sequential(`committee listing JSON (${TEACHERS})`, base, `/v1/appraisals?year=${YEAR}`, tokens.committee, LISTING_RUNS);
    const listingCsv = await sequential(`committee listing CSV (${TEACHERS})`, base, `/v1/appraisals?year=${YEAR}&format=csv`, tokens.committee, LISTING_RUNS);
    const rankingCsv = await sequential(`cycle ranking CSV (${candidates.length})`, base, `/v1/review-cycles/${cycle.id}/ranking?format=csv`, tokens.committee, LISTING_RUNS);

    log(`\n▶ Import of ${IMPORT_ROWS.toLocaleString('en')} records (${IMPORT_RUNS} separate imports, new ids each)`);
    const importTimes = [];
    for (let run = 0; run < IMPORT_RUNS; run++) {
      const extra = generateCollege({ teachers: TEACHERS, recordsPerTeacher: Math.ceil(IMPORT_ROWS / TEACHERS), years: YEARS, seed: SEED + 1 + run, lastYear: LAST_YEAR });
      const records = extra.records.slice(0, IMPORT_ROWS).map((r) => ({ ...r, id: `imp${run}-${r.id}` }));
      const body = JSON.stringify({ records });
      const t = performance.now();
      const response = await api(base, 'POST', '/v1/import', { token: tokens.hr, body });
      importTimes.push(performance.now() - t);
      if (response.json.imported.records !== IMPORT_ROWS) throw new Error(`import ${run} imported ${response.json.imported.records}`);
      log(`  import ${run + 1}: ${fmt(importTimes.at(-1))} ms (${fmt(Buffer.byteLength(body) / 1048576, 1)} MiB body)`);
    }
    const importRow = { name: `import ${IMPORT_ROWS.toLocaleString('en')} records`, connections: 1, requests: IMPORT_RUNS, reqPerSec: 1000 / median(importTimes), p50: median(importTimes), p99: Math.max(...importTimes), non2xx: 0, errors: 0, all: importTimes };

    log(`\n▶ Import of ${IMPORT_ROWS.toLocaleString('en')} records as .xlsx (the template's sheets, Chinese headings and value labels; ${IMPORT_RUNS} separate imports, new ids each)`);
    const { recordsWorkbook } = await loadWorkbookCode();
    let readMemory = null;
    const xlsxTimes = [];
    for (let run = 0; run < IMPORT_RUNS; run++) {
      const extra = generateCollege({ teachers: TEACHERS, recordsPerTeacher: Math.ceil(IMPORT_ROWS / TEACHERS), years: YEARS, seed: SEED + 101 + run, lastYear: LAST_YEAR });
      const workbook = await recordsWorkbook(extra.records.slice(0, IMPORT_ROWS).map((r) => ({ ...r, id: `xlsx${run}-${r.id}` })));
      const t = performance.now();
      const answer = await fetch(`${base}/v1/import?name=${encodeURIComponent('师资导入.xlsx')}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.hr}`, 'content-type': XLSX_TYPE }, body: workbook });
      const response = { status: answer.status, json: await answer.json() };
      xlsxTimes.push(performance.now() - t);
      if (run === 0) {
        const file = join(root, 'bench-out', 'import-10000.xlsx');
        writeFileSync(file, workbook);
        readMemory = heapOfStep('read', file);
        if (readMemory.fitsMB !== null && (readMemory.records !== IMPORT_ROWS || readMemory.issues !== 0)) throw new Error(`reading the workbook in Node: ${JSON.stringify(readMemory)}`);
      }
      if (response.status >= 300 || response.json.imported?.records !== IMPORT_ROWS) throw new Error(`xlsx import ${run}: ${response.status} ${JSON.stringify(response.json).slice(0, 800)}`);
      log(`  import ${run + 1}: ${fmt(xlsxTimes.at(-1))} ms (${fmt(workbook.length / 1048576, 2)} MiB workbook)`);
    }
    const xlsxImportRow = { name: `import ${IMPORT_ROWS.toLocaleString('en')} records (.xlsx)`, connections: 1, requests: IMPORT_RUNS, reqPerSec: 1000 / median(xlsxTimes), p50: median(xlsxTimes), p99: Math.max(...xlsxTimes), non2xx: 0, errors: 0, all: xlsxTimes };

    log(`\n▶ Committee listing for all ${TEACHERS} teachers as .xlsx (${LISTING_RUNS} sequential requests)`);
    const listingXlsx = await sequential(`committee listing .xlsx (${TEACHERS})`, base, `/v1/appraisals?year=${YEAR}&format=xlsx`, tokens.committee, LISTING_RUNS);
    const memory = {
      xlsxReading: readMemory,
      xlsxListing: heapOfStep('export', String(TEACHERS), String(RECORDS_PER_TEACHER)),
    };

    const rss = server.workerdPid() ? rssOf(server.workerdPid()) : null;
    const table = [...rows, ...[listingJson, listingCsv, listingXlsx, rankingCsv, importRow, xlsxImportRow].map((row) => ({ ...row, ratio: row.reqPerSec / ceiling }))];
    const targets = {
      'teacher progress': { text: '≥ 50% of health', met: (r) => r.ratio >= 0.5 },
      [listingJson.name]: { text: '< 1.5 s p50', met: (r) => r.p50 < 1500 },
      [listingCsv.name]: { text: '< 1.5 s p50', met: (r) => r.p50 < 1500 },
      [listingXlsx.name]: { text: '< 2 s p50', met: (r) => r.p50 < 2000 },
      [importRow.name]: { text: '< 10 s', met: (r) => r.p50 < 10_000 },
      [xlsxImportRow.name]: { text: '< 10 s', met: (r) => r.p50 < 10_000 },
    };

    log(`\n▶ Results: medians over ${ROUNDS} rounds; ratio = route req/s ÷ health req/s of the same round (median; health ${fmt(ceiling, 0)} req/s)\n`);
    const lines = ['| route | conns | req/s | p50 ms | p99 ms | ratio to health | target | met? |', '|---|---:|---:|---:|---:|---:|---|---|'];
    for (const row of table) {
      const target = targets[row.name];
      const p99Label = row.requests < 100 ? `${fmt(row.p99, 0)} (max)` : fmt(row.p99, 1);
      lines.push(`| ${row.name} | ${row.connections} | ${fmt(row.reqPerSec, 1)} | ${fmt(row.p50, row.p50 >= 100 ? 0 : 1)} | ${p99Label} | ${(row.ratio * 100).toFixed(1)}% | ${target?.text ?? ''} | ${target ? (target.met(row) ? 'yes' : '**no**') : ''} |`);
    }
    log(lines.join('\n'));
    const bad = table.filter((row) => row.non2xx > 0 || row.errors > 0);
    log(`\nnon-2xx or errors: ${bad.length === 0 ? 'none' : bad.map((row) => `${row.name}: ${row.non2xx} non-2xx, ${row.errors} errors`).join('; ')}`);
    log(`initial load: ${college.records.length.toLocaleString('en')} records + ${TEACHERS} teachers through /v1/import in ${fmt(load.totalMs / 1000, 1)} s`);
    log(`bundle: ${fmt(bundle.raw / 1024)} KiB raw, ${fmt(bundle.gzip / 1024)} KiB gzip = ${((bundle.gzip / (3 * 1048576)) * 100).toFixed(1)}% of the 3 MiB free-plan limit`);
    const heapText = (m) => (m.error ? `not measured, the step failed (${m.error})` : m.fitsMB === null ? `over ${m.failsMB} MB` : `completes in a ${m.fitsMB} MB heap${m.failsMB ? `, runs out in ${m.failsMB} MB` : ''}`);
    log(`V8 heap each step needs alone (the worker's code in a fresh Node process, --max-heap-size in steps; the Worker isolate's limit is 128 MB):`);
    log(`  reading the ${IMPORT_ROWS.toLocaleString('en')}-row .xlsx (unpack, parse, convert every cell): ${heapText(memory.xlsxReading)}`);
    log(`  the ${TEACHERS}-teacher listing .xlsx (${fmt(memory.xlsxListing.records ?? NaN)} records of the year's window parsed from JSON, appraised, quota, written): ${heapText(memory.xlsxListing)}`);
    if (rss) log(`workerd RSS at the end: ${fmt(rss / 1048576)} MiB`);

    if (jsonOut) {
      mkdirSync(dirname(resolve(jsonOut)), { recursive: true });
      writeFileSync(
        jsonOut,
        JSON.stringify(
          { started: started.toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model }, college: { teachers: TEACHERS, units: UNITS, records: college.records.length, statusCounts }, load, ceiling, table, memory, bundle, markdown: lines.join('\n') },
          null,
          2,
        ),
      );
      log(`wrote ${jsonOut}`);
    }
    if (bad.length > 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
