#!/usr/bin/env node
/**
 * Load test (npm run load:api): 60 s at 64 connections against the local server (wrangler dev, local D1, a
 * generated college loaded through POST /v1/import), mixing reads and writes, then checks:
 *   - zero 5xx (and no transport errors);
 *   - zero lost writes (every acknowledged record is stored) and zero duplicated writes (no row twice, no row
 *     that was never acknowledged, one audit entry per write; an Idempotency-Key replay writes nothing);
 *   - memory flat: the workerd processes' memory (RSS, split into anonymous and file-backed) sampled every 5 s,
 *     with a control phase first (/v1/health alone at the same concurrency) that measures how much the wrangler dev
 *     harness itself grows per request.
 *
 *   npm run load:api                                   60 s, 64 connections, 2,000 teachers × 150 records
 *   npm run load:api -- --duration 20 --teachers 200   a shorter run
 *
 * Only 127.0.0.1; the request loop is bounded in time (--duration) and in count (--max-requests).
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateCollege } from '../packages/core/bench/generate.mjs';
import { api, d1Query, flagOf, importCollege, median, memoryOf, quantile, sleep, spreadUnits, startLocalServer } from './lib/local-server.mjs';

const DURATION_S = Number(flagOf('duration', 60));
const CONNECTIONS = Number(flagOf('connections', 64));
const TEACHERS = Number(flagOf('teachers', 2000));
const RECORDS_PER_TEACHER = Number(flagOf('records-per-teacher', 150));
const MAX_REQUESTS = Number(flagOf('max-requests', 1_000_000));
const SAMPLE_EVERY_MS = 5000;
const CONTROL_S = Number(flagOf('control', 15));
const LOAD_TEACHERS = 16;
const SEED = 20261128;
const jsonOut = flagOf('json', undefined);
const RUN = `load${Date.now().toString(36)}`;

const log = (...args) => console.log(...args);

/** The local D1's SQLite files (database, WAL, shared memory) under the persist directory, with their sizes. */
function sqliteFiles(dir) {
  const out = [];
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.sqlite(-wal|-shm)?$/.test(entry.name) && statSync(full).size > 1048576) out.push({ name: entry.name.replace(/^[0-9a-f]{20,}/, '…'), size: statSync(full).size });
    }
  };
  try {
    walk(join(dir, 'v3', 'd1'));
  } catch {
    // no local D1 yet
  }
  return out;
}
const mib = (bytes) => Math.round(bytes / 1048576);

/** Deterministic per-worker PRNG (the demo seed's mulberry32), so a run's mix is reproducible. */
const { mulberry32: rng } = await import('../packages/worker/src/seed/demo.ts');

async function main() {
  log(`Shizi load test — ${new Date().toISOString()}`);
  log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; node ${process.version}`,
  );
  log(`${DURATION_S} s at ${CONNECTIONS} connections; college ${TEACHERS} teachers × ${RECORDS_PER_TEACHER} records\n`);
  const server = await startLocalServer({ label: 'load' });
  const { base, tokens } = server;
  let stopped = false;
  try {
    const generated = generateCollege({ teachers: TEACHERS, recordsPerTeacher: RECORDS_PER_TEACHER, years: 6, seed: SEED, lastYear: 2025 });
    const college = { teachers: spreadUnits(generated.teachers, 20), records: generated.records };
    const load = await importCollege(base, tokens.hr, college);
    log(`▶ college loaded through /v1/import in ${(load.totalMs / 1000).toFixed(1)} s (${college.records.length.toLocaleString('en')} records)`);
    // Writes go to dedicated teachers, so the rows can be counted afterwards through the API.
    const loadTeachers = Array.from({ length: LOAD_TEACHERS }, (_, index) => ({
      id: `${RUN}-T${String(index).padStart(2, '0')}`,
      name: `压测教师${index}`,
      unit: '压测学院',
      hireDate: '2015-09-01',
      stage: 'new_teacher',
      stageSince: '2015-09-01',
      title: 'lecturer',
      titleSince: '2016-09-01',
    }));
    await api(base, 'POST', '/v1/import', { token: tokens.hr, body: { teachers: loadTeachers } });
    const units = [...new Set(college.teachers.map((t) => t.unit))];

    const stats = { byStatus: new Map(), byOp: new Map(), transportErrors: 0, unexpected: [], latencies: [] };
    const acked = new Set(); // record ids acknowledged (201 on POST /v1/records, or inside a 201 import)
    const inDoubt = new Set(); // record ids of writes whose answer never came (transport error or 5xx): stored or not, both are fine
    const doubt = (res, ids) => {
      if (res === null || res.status >= 500) for (const id of ids) inDoubt.add(id);
    };
    const ackedCreates = []; // ids acknowledged by POST /v1/records (one audit row each)
    const importKeys = new Map(); // Idempotency-Key → { body, response }
    let replays = 0;
    let replayMismatches = 0;
    let duplicatePostsRefused = 0;
    let sent = 0;
    let seq = 0;

    const note = (op, status, ms) => {
      stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
      const o = stats.byOp.get(op) ?? { n: 0, statuses: {}, ms: [] };
      o.n++;
      o.statuses[status] = (o.statuses[status] ?? 0) + 1;
      o.ms.push(ms);
      stats.byOp.set(op, o);
    };
    const unexpected = (op, status, text) => {
      if (stats.unexpected.length < 20) stats.unexpected.push({ op, status, text: text.slice(0, 300) });
    };

    async function request(op, method, path, { token = tokens.hr, body, headers } = {}) {
      const t0 = performance.now();
      try {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(headers ?? {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        note(op, response.status, performance.now() - t0);
        return { status: response.status, text, headers: response.headers };
      } catch (error) {
        stats.transportErrors++;
        note(op, 'transport-error', performance.now() - t0);
        unexpected(op, 'transport-error', String(error));
        return null;
      }
    }

    const newRecord = (random, id) => {
      const teacherId = loadTeachers[Math.floor(random() * loadTeachers.length)].id;
      const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
      return random() < 0.5
        ? { id, teacherId, kind: 'teaching_evaluation', status: 'verified', date: `2025-10-${day}`, score: 60 + Math.floor(random() * 41) }
        : { id, teacherId, kind: 'enterprise_practice', status: random() < 0.8 ? 'verified' : 'pending', start: `2025-07-${day}`, end: '2025-08-20', enterprise: '压测企业' };
    };

    let deadline = Infinity; // set when the mixed phase starts
    async function worker(index) {
      const random = rng(SEED + index);
      while (performance.now() < deadline && sent < MAX_REQUESTS) {
        sent++;
        const r = random();
        const t = college.teachers[Math.floor(random() * college.teachers.length)].id;
        if (r < 0.22) {
          const res = await request('progress', 'GET', `/v1/teachers/${t}/progress?asOf=2026-09-01`);
          if (res && res.status !== 200) unexpected('progress', res.status, res.text);
        } else if (r < 0.36) {
          const res = await request('practice', 'GET', `/v1/teachers/${t}/practice?year=2025&asOf=2026-05-01`);
          if (res && res.status !== 200) unexpected('practice', res.status, res.text);
        } else if (r < 0.5) {
          const res = await request('appraisal', 'GET', `/v1/teachers/${t}/appraisals/2025`);
          if (res && res.status !== 200) unexpected('appraisal', res.status, res.text);
        } else if (r < 0.53) {
          const unit = units[Math.floor(random() * units.length)];
          const res = await request('unit listing', 'GET', `/v1/appraisals?year=2025&unit=${encodeURIComponent(unit)}`, { token: tokens.committee });
          if (res && res.status !== 200) unexpected('unit listing', res.status, res.text);
        } else if (r < 0.58) {
          const teacherId = loadTeachers[Math.floor(random() * loadTeachers.length)].id;
          const res = await request('records list', 'GET', `/v1/records?teacherId=${teacherId}&limit=50`);
          if (res && res.status !== 200) unexpected('records list', res.status, res.text);
        } else if (r < 0.86) {
          const id = `${RUN}-r${index}-${seq++}`;
          const res = await request('create record', 'POST', '/v1/records', { body: newRecord(random, id) });
          doubt(res, [id]);
          if (res?.status === 201) {
            acked.add(id);
            ackedCreates.push(id);
          } else if (res) unexpected('create record', res.status, res.text);
        } else if (r < 0.91) {
          // a client retry of a write that was acknowledged: must be refused (409), never stored twice
          if (ackedCreates.length === 0) continue;
          const id = ackedCreates[Math.floor(random() * ackedCreates.length)];
          const res = await request('repeat create', 'POST', '/v1/records', { body: newRecord(random, id) });
          if (res?.status === 409) duplicatePostsRefused++;
          else if (res) unexpected('repeat create', res.status, res.text);
        } else {
          // import with an Idempotency-Key; half the time a retry of an earlier key with the same body
          const keys = [...importKeys.keys()];
          const repeat = keys.length > 0 && random() < 0.5;
          const key = repeat ? keys[Math.floor(random() * keys.length)] : `${RUN}-k${index}-${seq++}`;
          const entry = repeat ? importKeys.get(key) : { body: { records: [0, 1, 2].map((n) => newRecord(random, `${key}-${n}`)) }, response: null };
          if (!repeat) importKeys.set(key, entry);
          const res = await request(repeat ? 'import (replay)' : 'import (new key)', 'POST', '/v1/import', { body: entry.body, headers: { 'idempotency-key': key } });
          doubt(
            res,
            entry.body.records.map((record) => record.id),
          );
          if (res?.status === 201) {
            for (const record of entry.body.records) acked.add(record.id);
            if (entry.response === null) entry.response = res.text;
            else if (res.text !== entry.response) replayMismatches++;
            if (res.headers.get('idempotent-replayed') === 'true') replays++;
          } else if (res) unexpected('import', res.status, res.text);
        }
      }
    }

    // Control for memory: the bare /v1/health route (no auth, no D1, a constant answer) at the same concurrency.
    // Whatever anonymous memory grows per request here belongs to the wrangler dev harness, not to the worker's code.
    const anonEach = () => server.workerdPids().map((pid) => memoryOf(pid)?.anon ?? 0);
    const control0 = anonEach();
    const control = await autocannon({ url: `${base}/v1/health`, connections: CONNECTIONS, duration: CONTROL_S });
    const control1 = anonEach();
    const sumOf = (xs) => xs.reduce((a, b) => a + b, 0);
    const controlPerRequest = (sumOf(control1) - sumOf(control0)) / Math.max(1, control.requests.total);
    log(`▶ control: ${control.requests.total} × /v1/health in ${CONTROL_S} s; anonymous memory (proxy | worker) ${control0.map(mib).join(' | ')} → ${control1.map(mib).join(' | ')} MiB = ${(controlPerRequest / 1024).toFixed(1)} KiB per request`);

    // memory: every workerd process of the server, every 5 s
    const samples = [];
    const t0 = performance.now();
    const sample = () => {
      const pids = server.workerdPids();
      const each = pids.map((pid) => ({ pid, ...(memoryOf(pid) ?? { rss: 0, anon: 0, file: 0, shmem: 0 }) }));
      const sum = (key) => each.reduce((a, b) => a + b[key], 0);
      samples.push({ t: Math.round((performance.now() - t0) / 1000), total: sum('rss'), anon: sum('anon'), file: sum('file'), each });
    };
    sample();
    const sampler = setInterval(sample, SAMPLE_EVERY_MS);
    log(`▶ ${DURATION_S} s of mixed load at ${CONNECTIONS} connections …`);
    deadline = performance.now() + DURATION_S * 1000;
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, index) => worker(index)));
    const elapsed = (performance.now() - t0) / 1000;
    sample();
    clearInterval(sampler);
    await sleep(SAMPLE_EVERY_MS);
    sample();

    // count afterwards, through the API: every record of the load teachers
    const stored = [];
    for (const teacher of loadTeachers) {
      let cursor = null;
      do {
        const page = (await api(base, 'GET', `/v1/records?teacherId=${teacher.id}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: tokens.hr })).json;
        for (const item of page.items) stored.push(item.record.id);
        cursor = page.nextCursor;
      } while (cursor);
    }
    await server.stop({ keepDir: true, saveLogTo: jsonOut ? resolve(dirname(resolve(jsonOut)), 'load-server.log') : undefined });
    stopped = true;
    // …and in SQL, on the stopped server's local D1
    const [rows] = d1Query(server.dir, `SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS distinct_ids FROM records WHERE id LIKE '${RUN}-%'`);
    const [audits] = d1Query(server.dir, `SELECT SUM(action = 'record.create') AS creates, SUM(action = 'import') AS imports FROM audit_log WHERE (entity = 'record' AND entity_id LIKE '${RUN}-%') OR (action = 'import' AND entity_id LIKE '${RUN}-%')`);
    const [idem] = d1Query(server.dir, `SELECT COUNT(*) AS n FROM idempotency_keys WHERE idem_key LIKE '${RUN}-%'`);

    const storedSet = new Set(stored);
    const lost = [...acked].filter((id) => !storedSet.has(id));
    const neverAcked = stored.filter((id) => !acked.has(id) && !inDoubt.has(id));
    const committedInDoubt = stored.filter((id) => !acked.has(id) && inDoubt.has(id));
    const createsInDoubtStored = committedInDoubt.filter((id) => /-r\d+-\d+$/.test(id)).length;
    const ackedImportKeys = [...importKeys.values()].filter((entry) => entry.response !== null).length;
    const fivexx = [...stats.byStatus].filter(([status]) => typeof status === 'number' && status >= 500).reduce((a, [, n]) => a + n, 0);
    const total = [...stats.byStatus.values()].reduce((a, b) => a + b, 0);

    log(`\n▶ ${total.toLocaleString('en')} requests in ${elapsed.toFixed(1)} s = ${(total / elapsed).toFixed(1)} req/s; statuses ${JSON.stringify(Object.fromEntries(stats.byStatus))}`);
    log('| operation | requests | statuses | p50 ms | p99 ms |\n|---|---:|---|---:|---:|');
    for (const [op, o] of stats.byOp)
      log(
        `| ${op} | ${o.n} | ${Object.entries(o.statuses)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ')} | ${median(o.ms).toFixed(0)} | ${quantile(o.ms, 0.99).toFixed(0)} |`,
      );
    log(
      `\nwrites acknowledged: ${acked.size} records (${ackedCreates.length} by POST /v1/records, ${acked.size - ackedCreates.length} by ${ackedImportKeys} keyed imports); retries of acknowledged creates refused 409: ${duplicatePostsRefused}; import replays: ${replays} (body mismatches ${replayMismatches})`,
    );
    log(`stored (API count): ${stored.length} rows, ${storedSet.size} distinct; (SQL) ${rows.n} rows, ${rows.distinct_ids} distinct ids`);
    log(
      `lost (acknowledged, not stored): ${lost.length}; duplicated (row twice): ${stored.length - storedSet.size + (rows.n - rows.distinct_ids)}; stored but never acknowledged nor in doubt: ${neverAcked.length}; in-doubt writes (no answer or 5xx) that committed: ${committedInDoubt.length} of ${inDoubt.size}`,
    );
    log(`audit: ${audits.creates} record.create rows for ${ackedCreates.length} acknowledged + ${createsInDoubtStored} committed in-doubt creates; ${audits.imports} import rows and ${idem.n} idempotency keys for ${ackedImportKeys} acknowledged keys`);
    log(`5xx: ${fivexx}; transport errors: ${stats.transportErrors}${stats.unexpected.length ? `; unexpected answers (first ${stats.unexpected.length}): ${JSON.stringify(stats.unexpected, null, 1)}` : ''}`);
    log(`\nworkerd RSS (MiB, sum of ${samples.at(-1)?.each.length ?? 0} processes) every ${SAMPLE_EVERY_MS / 1000} s: ${samples.map((s) => `${s.t}s ${mib(s.total)}`).join(', ')}`);
    log(`per process, anonymous + file-backed (MiB; wrangler's entry proxy first, then the worker with the local D1): ${samples.map((s) => `${s.t}s [${s.each.map((e) => `${mib(e.anon)}+${mib(e.file)}`).join(' | ')}]`).join(', ')}`);
    log(`anonymous memory (heaps; the leak signal) sum: ${samples.map((s) => `${s.t}s ${mib(s.anon)}`).join(', ')}`);
    log(
      `local D1 files: ${sqliteFiles(server.dir)
        .map((f) => `${f.name} ${mib(f.size)} MiB`)
        .join(', ')}`,
    );
    const during = samples.slice(1, -1);
    const firstHalf = during.slice(0, Math.ceil(during.length / 2));
    const secondHalf = during.slice(Math.ceil(during.length / 2));
    const growthOf = (key) => (secondHalf.length && firstHalf.length ? median(secondHalf.map((s) => s[key])) / median(firstHalf.map((s) => s[key])) - 1 : 0);
    const growth = growthOf('anon');
    log(`memory, median of the second half of the run vs the first half: anonymous ${(growth * 100).toFixed(1)}%, RSS ${(growthOf('total') * 100).toFixed(1)}%, file-backed ${(growthOf('file') * 100).toFixed(1)}%; max RSS ${mib(Math.max(...samples.map((s) => s.total)))} MiB`);

    const failures = [];
    if (fivexx > 0) failures.push(`${fivexx} 5xx`);
    if (stats.transportErrors > 0) failures.push(`${stats.transportErrors} transport errors`);
    if (lost.length > 0) failures.push(`${lost.length} lost writes`);
    if (stored.length !== storedSet.size || rows.n !== rows.distinct_ids || neverAcked.length > 0) failures.push('duplicated or unacknowledged rows');
    if (Number(rows.n) !== acked.size + committedInDoubt.length) failures.push(`SQL count ${rows.n} ≠ acknowledged ${acked.size} + committed in doubt ${committedInDoubt.length}`);
    if (Number(audits.creates) !== ackedCreates.length + createsInDoubtStored || Number(audits.imports) !== Number(idem.n) || Number(idem.n) < ackedImportKeys) failures.push('audit/idempotency rows do not match the writes');
    if (replayMismatches > 0) failures.push(`${replayMismatches} idempotent replays answered differently`);
    const mixedPerRequest = (samples.at(-2).anon - samples[0].anon) / Math.max(1, total);
    log(`anonymous memory per request: ${(mixedPerRequest / 1024).toFixed(1)} KiB under the mix vs ${(controlPerRequest / 1024).toFixed(1)} KiB on the bare health route (the harness's own growth)`);
    const memoryFlat = growth <= 0.15;
    const harnessOnly = mixedPerRequest <= 1.5 * controlPerRequest;
    if (!memoryFlat && !harnessOnly) failures.push(`anonymous memory grew ${(growth * 100).toFixed(0)}% from the first to the second half, ${(mixedPerRequest / 1024).toFixed(1)} KiB per request vs ${(controlPerRequest / 1024).toFixed(1)} KiB on /v1/health`);
    else if (!memoryFlat) log(`memory NOT flat (+${(growth * 100).toFixed(0)}%), but no faster per request than the bare health route: growth of the wrangler dev harness, not of the worker`);
    log(failures.length === 0 ? `\nPASS: zero 5xx, zero lost or duplicated writes, ${memoryFlat ? 'memory flat' : 'memory growth no faster than the harness control'}` : `\nFAIL: ${failures.join('; ')}`);

    if (jsonOut) {
      mkdirSync(dirname(resolve(jsonOut)), { recursive: true });
      writeFileSync(
        jsonOut,
        JSON.stringify(
          {
            durationS: DURATION_S,
            connections: CONNECTIONS,
            elapsed,
            total,
            statuses: Object.fromEntries(stats.byStatus),
            ops: Object.fromEntries([...stats.byOp].map(([op, o]) => [op, { n: o.n, statuses: o.statuses, p50: median(o.ms), p99: quantile(o.ms, 0.99) }])),
            acked: acked.size,
            ackedCreates: ackedCreates.length,
            ackedImportKeys,
            replays,
            duplicatePostsRefused,
            stored: stored.length,
            sql: rows,
            audits,
            lost: lost.length,
            neverAcked: neverAcked.length,
            inDoubt: inDoubt.size,
            committedInDoubt: committedInDoubt.length,
            samples: samples.map((s) => ({ t: s.t, totalMiB: mib(s.total), anonMiB: mib(s.anon), fileMiB: mib(s.file), each: s.each.map((e) => ({ rss: mib(e.rss), anon: mib(e.anon), file: mib(e.file) })) })),
            growth,
            controlPerRequestKiB: controlPerRequest / 1024,
            mixedPerRequestKiB: mixedPerRequest / 1024,
            failures,
          },
          null,
          2,
        ),
      );
    }
    await server.stop();
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    if (!stopped) await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
