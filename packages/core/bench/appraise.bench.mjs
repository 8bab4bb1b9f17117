/**
 * Benchmark of @shizi/core on a synthetic college (bench/generate.mjs, seeded, deterministic).
 *
 *   npm run bench            (from the repo root: builds dist, then runs this file)
 *   node packages/core/bench/appraise.bench.mjs --quick     (smaller sizes, one round, for a smoke run)
 *   node packages/core/bench/appraise.bench.mjs --rounds 9  (appraiseAll: rounds of one child per size; default 7)
 *
 * Each scenario runs in its own child process so that its peak memory (getrusage maxRSS) is its own.
 * Times are the median of 3 runs after 1 warm-up; appraiseAll repeats that in alternating rounds per size. Memory: maxRSS is the true process peak; heapUsed is
 * sampled between phases (a synchronous call cannot be sampled from inside), so it is a lower bound of the
 * heap peak. No --expose-gc: figures include whatever garbage collection the run itself triggers.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as core from '../dist/index.js';
import { appraise } from '../dist/appraisal.js';
import { defaultPolicy } from '../dist/policy.js';
import { groupByTeacher } from '../dist/records.js';
import { generateCollege } from './generate.mjs';

const SELF = fileURLToPath(import.meta.url);
/** The second college of the repository (docs/policies/): its own kinds, categories, caps, groups and limits. */
const EXAMPLE_POLICY_FILE = fileURLToPath(new URL('../../../docs/policies/example-vocational-college.json', import.meta.url));
const policyOf = (name) => (name === 'example' ? core.parsePolicy(JSON.parse(readFileSync(EXAMPLE_POLICY_FILE, 'utf8'))) : defaultPolicy);
const RECORDS_PER_TEACHER = 50;
const YEAR = 2025;
const SEED = 20251201;

const mb = (bytes) => Math.round(bytes / 1048576);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function memory(samples) {
  const m = process.memoryUsage();
  samples.heapPeak = Math.max(samples.heapPeak ?? 0, m.heapUsed);
  samples.rssPeak = Math.max(samples.rssPeak ?? 0, m.rss);
}

/** Median of `runs` timed calls after `warmups` untimed ones; also samples memory after each. */
function time(fn, samples, { runs = 3, warmups = 1 } = {}) {
  let result;
  for (let i = 0; i < warmups; i++) (result = fn()), memory(samples);
  const times = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    memory(samples);
  }
  // CPU time (user + system, all threads of this process, GC helpers included) is less disturbed than wall
  // time by other processes competing for the machine's cores.
  return { ms: median(times), min: Math.min(...times), cpuMs: median(cpu), all: times, result };
}

// ------------------------------------------------------------------------------------------------------
// Child scenarios

function appraiseAllScenario({ teachers: teacherCount, policyName = 'default' }) {
  const samples = {};
  const policy = policyOf(policyName);
  const t0 = performance.now();
  // The example college's run has records of its own kinds too (论文, 教材, 教学事故), so its items and limits score.
  const { teachers, records } = generateCollege({ teachers: teacherCount, recordsPerTeacher: RECORDS_PER_TEACHER, years: 1, seed: SEED, lastYear: YEAR, exampleKinds: policyName === 'example' });
  const generateMs = performance.now() - t0;
  memory(samples);
  const baseline = { ...samples };

  const all = time(() => core.appraiseAll({ teachers, records, year: YEAR, policy }), samples);
  const appraised = all.result;
  // Where the time goes: the same pipeline, phase by phase (internal modules of dist, same code appraiseAll runs).
  const parseTeachersT = time(() => core.parseTeachers(teachers), samples);
  const parseRecordsT = time(() => core.parseRecords(records, policy), samples);
  const validated = parseRecordsT.result;
  const groupT = time(() => groupByTeacher(validated), samples);
  const byTeacher = groupT.result;
  const scoreT = time(() => parseTeachersT.result.map((teacher) => appraise(teacher, byTeacher.get(teacher.id) ?? [], YEAR, policy)), samples);
  const entries = scoreT.result.map((appraisal, i) => ({ appraisal, unit: teachers[i].unit }));
  const quotaT = time(() => core.applyExcellenceQuota(entries), samples);

  const finalGrades = {};
  for (const a of appraised) finalGrades[a.finalGrade] = (finalGrades[a.finalGrade] ?? 0) + 1;
  return {
    teachers: teacherCount,
    records: records.length,
    units: new Set(teachers.map((t) => t.unit)).size,
    generateMs,
    appraiseAllMs: all.ms,
    appraiseAllMinMs: all.min,
    appraiseAllCpuMs: all.cpuMs,
    appraiseAllRuns: all.all,
    parseTeachersMs: parseTeachersT.ms,
    parseRecordsMs: parseRecordsT.ms,
    groupMs: groupT.ms,
    scoreMs: scoreT.ms,
    quotaMs: quotaT.ms, // applyExcellenceQuota, which validates its entries; appraiseAll's internal quota does not
    finalGrades,
    baselineRssMb: mb(baseline.rssPeak),
    baselineHeapMb: mb(baseline.heapPeak),
    heapPeakSampledMb: mb(samples.heapPeak),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function assessProgressScenario({ teachers: teacherCount, years, perYear }) {
  const samples = {};
  if (typeof core.assessProgress !== 'function') return { skipped: 'assessProgress is not exported from dist/index.js yet' };
  const t0 = performance.now();
  const { teachers, records } = generateCollege({ teachers: teacherCount, recordsPerTeacher: perYear * years, years, seed: SEED + 1, lastYear: YEAR });
  const generateMs = performance.now() - t0;
  // Each call validates the whole list it is given, so each teacher gets only their own records.
  const own = groupByTeacher(records);
  memory(samples);
  const baseline = { ...samples };
  const asOf = `${YEAR + 1}-09-15`; // 2025-2026 completed: the last 3 completed years are 2023–2025
  const run = () => {
    const eligible = { yes: 0, no: 0 };
    for (const teacher of teachers) {
      const progress = core.assessProgress({ teacher, records: own.get(teacher.id) ?? [], asOf });
      progress.eligible ? eligible.yes++ : eligible.no++;
    }
    return eligible;
  };
  const all = time(run, samples);
  const validate = time(() => {
    for (const teacher of teachers) core.parseRecords(own.get(teacher.id) ?? []);
  }, samples);
  return {
    teachers: teacherCount,
    records: records.length,
    years,
    generateMs,
    ms: all.ms,
    cpuMs: all.cpuMs,
    runs: all.all,
    parseRecordsMs: validate.ms,
    eligible: all.result,
    baselineRssMb: mb(baseline.rssPeak),
    heapPeakSampledMb: mb(samples.heapPeak),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function rankTitleReviewScenario({ teachers: teacherCount, years, perYear }) {
  const samples = {};
  if (typeof core.rankTitleReview !== 'function') return { skipped: 'rankTitleReview is not exported from dist/index.js yet' };
  const { teachers, records } = generateCollege({ teachers: teacherCount, recordsPerTeacher: perYear * years, years, seed: SEED + 2, lastYear: YEAR });
  const own = groupByTeacher(records);
  const next = { assistant: 'lecturer', lecturer: 'associate_professor', associate_professor: 'professor' };
  const candidates = teachers.filter((t) => t.title !== 'professor').map((teacher) => ({ teacher, records: own.get(teacher.id) ?? [], targetTitle: next[teacher.title] }));
  memory(samples);
  const all = time(() => core.rankTitleReview({ candidates, asOf: `${YEAR + 1}-09-15` }), samples);
  return { candidates: candidates.length, records: records.length, ms: all.ms, runs: all.all, heapPeakSampledMb: mb(samples.heapPeak), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/**
 * comparePolicies against one appraiseAll of the default policy over the same data, in the same process,
 * alternating call by call so both see the same machine state. Two candidates: a draft of the default (the
 * excellent band at 97 instead of 60: a committee's what-if) and the example college (other kinds, items, caps).
 */
function compareScenario({ teachers: teacherCount, perTeacher }) {
  const { teachers, records } = generateCollege({ teachers: teacherCount, recordsPerTeacher: perTeacher, years: 1, seed: SEED + 3, lastYear: YEAR });
  const draft = structuredClone(defaultPolicy);
  draft.version = 'draft-97';
  draft.appraisal.grades.bands[0].min = 97;
  const candidates = { draft: core.parsePolicy(draft), example: policyOf('example') };
  const calls = {
    appraiseAll: () => core.appraiseAll({ teachers, records, year: YEAR, policy: defaultPolicy }),
    appraiseAllExample: () => core.appraiseAll({ teachers, records, year: YEAR, policy: candidates.example }),
    compareDraft: () => core.comparePolicies({ teachers, records, year: YEAR, baseline: defaultPolicy, candidate: candidates.draft }),
    compareExample: () => core.comparePolicies({ teachers, records, year: YEAR, baseline: defaultPolicy, candidate: candidates.example }),
  };
  const times = Object.fromEntries(Object.keys(calls).map((key) => [key, []]));
  const results = {};
  for (const fn of Object.values(calls)) fn();
  for (let i = 0; i < 7; i++) {
    for (const [key, fn] of Object.entries(calls)) {
      const t0 = performance.now();
      results[key] = fn();
      times[key].push(performance.now() - t0);
    }
  }
  const ratio = (key) => median(times[key].map((x, i) => x / times.appraiseAll[i]));
  return {
    teachers: teacherCount,
    records: records.length,
    ms: Object.fromEntries(Object.entries(times).map(([key, xs]) => [key, median(xs)])),
    ratioDraft: ratio('compareDraft'),
    ratioExample: ratio('compareExample'),
    ratioExampleAlone: ratio('appraiseAllExample'),
    gradeChanged: { draft: results.compareDraft.summary.gradeChanged, example: results.compareExample.summary.gradeChanged },
  };
}

const scenarios = { compare: compareScenario, appraiseAll: appraiseAllScenario, assessProgress: assessProgressScenario, rankTitleReview: rankTitleReviewScenario };

// ------------------------------------------------------------------------------------------------------
// Parent: run each scenario in a child, print the table.

function child(name, args) {
  return new Promise((resolve, reject) => {
    const proc = fork(SELF, ['--child', name, JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=8192'] });
    proc.on('message', resolve);
    proc.on('exit', (code) => code !== 0 && reject(new Error(`${name} child exited with ${code}`)));
  });
}

function argValue(name) {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** One size's child results over the rounds: medians of their medians, the best run, the largest peaks. */
function combine(runs) {
  const pick = (key) => median(runs.map((r) => r[key]));
  return {
    ...runs[0],
    appraiseAllMs: pick('appraiseAllMs'),
    appraiseAllMinMs: Math.min(...runs.map((r) => r.appraiseAllMinMs)),
    appraiseAllCpuMs: pick('appraiseAllCpuMs'),
    parseTeachersMs: pick('parseTeachersMs'),
    parseRecordsMs: pick('parseRecordsMs'),
    groupMs: pick('groupMs'),
    scoreMs: pick('scoreMs'),
    quotaMs: pick('quotaMs'),
    maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
    heapPeakSampledMb: Math.max(...runs.map((r) => r.heapPeakSampledMb)),
  };
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function appraiseAllTable(policyName, n, quick) {
  // The two sizes run in alternating child processes, round after round (N, 2N, then 2N, N, …), and the ratio is
  // taken round by round: a machine whose speed drifts between runs (these are shared, virtualised cores) then
  // skews both sizes of a round alike instead of one size only.
  const rounds = Number(argValue('--rounds') ?? (quick ? 1 : 7));
  const smallRuns = [];
  const largeRuns = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [n, 2 * n] : [2 * n, n];
    for (const teachers of order) (teachers === n ? smallRuns : largeRuns).push(await child('appraiseAll', { teachers, policyName }));
  }
  const small = combine(smallRuns);
  const large = combine(largeRuns);
  console.log(`\nappraiseAll on the ${policyName} policy (validation + grouping + scoring + quota), ${rounds} round(s) of one child process per size`);
  console.log('| teachers | records | time (ms, median) | best (ms) | CPU (ms, median) | records/s (median) | ≥ 1,000,000 rec/s | parseRecords | parseTeachers | group | score | applyExcellenceQuota* | maxRSS (MB) | heap sampled peak (MB) |');
  console.log('|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of [small, large]) {
    const rate = r.records / (r.appraiseAllMs / 1000);
    console.log(
      `| ${fmt(r.teachers)} | ${fmt(r.records)} | ${fmt(r.appraiseAllMs)} | ${fmt(r.appraiseAllMinMs)} | ${fmt(r.appraiseAllCpuMs)} | ${fmt(rate)} | ${rate >= 1e6 ? 'yes' : 'NO'} | ${fmt(r.parseRecordsMs)} | ${fmt(r.parseTeachersMs)} | ${fmt(r.groupMs)} | ${fmt(r.scoreMs)} | ${fmt(r.quotaMs)} | ${r.maxRssMb} | ${r.heapPeakSampledMb} |`,
    );
  }
  const roundRatios = smallRuns.map((r, round) => largeRuns[round].appraiseAllMs / r.appraiseAllMs);
  const ratio = median(roundRatios);
  console.log(
    `\ntime(2N)/time(N) = ${fmt(ratio, 2)} (median of the rounds' ratios ${roundRatios.map((x) => fmt(x, 2)).join(' / ')}), ${fmt(large.appraiseAllMs / small.appraiseAllMs, 2)} on medians, ${fmt(large.appraiseAllMinMs / small.appraiseAllMinMs, 2)} on best runs, ${fmt(large.appraiseAllCpuMs / small.appraiseAllCpuMs, 2)} on CPU time (target ≤ 2.2: ${ratio <= 2.2 ? 'met' : 'MISSED'})`,
  );
  console.log("time = median over the rounds of each child's median of 3 runs; best = fastest single run. Phase columns (ms, medians) time the same pipeline step by step: parseRecords = validation of the full list; score = appraise() per teacher on grouped, validated records.");
  for (const [label, runs] of [
    ['N', smallRuns],
    ['2N', largeRuns],
  ]) {
    runs.forEach((r, round) => {
      console.log(
        `  ${label}=${fmt(r.teachers)} round ${round + 1}: runs ${r.appraiseAllRuns.map((x) => fmt(x)).join(' / ')} ms; validation share ≈ ${fmt((100 * (r.parseRecordsMs + r.parseTeachersMs)) / r.appraiseAllMs)}%; units ${r.units}; final grades ${JSON.stringify(r.finalGrades)}; data generation ${fmt(r.generateMs)} ms (baseline RSS ${r.baselineRssMb} MB)`,
      );
    });
  }
  console.log('  * applyExcellenceQuota as exported (validates its entries with zod); appraiseAll calls the quota step without that validation.');
}

async function main() {
  const quick = process.argv.includes('--quick');
  const n = quick ? 1000 : 10_000;
  console.log(`@shizi/core benchmark — node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), ${process.platform}/${process.arch}`);
  console.log(
    `load average at start ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, memory ${mb(totalmem())} MB`,
  );
  console.log(`synthetic college: seed ${SEED}, ${RECORDS_PER_TEACHER} records per teacher, year ${YEAR}-${YEAR + 1}; median of 3 runs after 1 warm-up\n`);

  for (const policyName of ['default', 'example']) await appraiseAllTable(policyName, n, quick);

  const cmp = await child('compare', { teachers: quick ? 200 : 2000, perTeacher: 150 });
  console.log(`\ncomparePolicies (baseline: default) vs one appraiseAll (default), ${fmt(cmp.teachers)} teachers × 150 = ${fmt(cmp.records)} records; calls alternate, median of 7 after 1 warm-up; ratio = median of the per-round ratios to appraiseAll`);
  console.log('| call | time (ms, median) | × appraiseAll (default) | ≤ 2.2× | teachers changing grade |');
  console.log('|---|---:|---:|:---:|---:|');
  console.log(`| appraiseAll, default | ${fmt(cmp.ms.appraiseAll)} | 1.00 | | |`);
  console.log(`| appraiseAll, example college | ${fmt(cmp.ms.appraiseAllExample)} | ${fmt(cmp.ratioExampleAlone, 2)} | | |`);
  console.log(`| comparePolicies default → draft (excellent at 97) | ${fmt(cmp.ms.compareDraft)} | ${fmt(cmp.ratioDraft, 2)} | ${cmp.ratioDraft <= 2.2 ? 'yes' : 'NO'} | ${cmp.gradeChanged.draft} |`);
  console.log(`| comparePolicies default → example college | ${fmt(cmp.ms.compareExample)} | ${fmt(cmp.ratioExample, 2)} | ${cmp.ratioExample <= 2.2 ? 'yes' : 'NO'} | ${cmp.gradeChanged.example} |`);

  const progress = await child('assessProgress', { teachers: n, years: 6, perYear: 25 });
  console.log("\nassessProgress — one call per teacher, each given only that teacher's own records (each call validates the whole list it is given)");
  if (progress.skipped) console.log(`  skipped: ${progress.skipped}`);
  else {
    console.log('| teachers | years | records | time (ms, median) | CPU (ms) | teachers/s | parseRecords alone, same lists (ms) | maxRSS (MB) |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    console.log(`| ${fmt(progress.teachers)} | ${progress.years} | ${fmt(progress.records)} | ${fmt(progress.ms)} | ${fmt(progress.cpuMs)} | ${fmt(progress.teachers / (progress.ms / 1000))} | ${fmt(progress.parseRecordsMs)} | ${progress.maxRssMb} |`);
    console.log(`  runs ${progress.runs.map((x) => fmt(x)).join(' / ')} ms; eligible ${JSON.stringify(progress.eligible)}`);
  }

  const review = await child('rankTitleReview', { teachers: n, years: 6, perYear: 25 });
  console.log('\nrankTitleReview — all non-professors of the college as candidates, one call');
  if (review.skipped) console.log(`  skipped: ${review.skipped}`);
  else console.log(`  ${fmt(review.candidates)} candidates, ${fmt(review.records)} records: ${fmt(review.ms)} ms (runs ${review.runs.map((x) => fmt(x)).join(' / ')}), maxRSS ${review.maxRssMb} MB`);
  console.log(
    `\nload average at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

if (process.argv[2] === '--child') {
  const result = scenarios[process.argv[3]](JSON.parse(process.argv[4]));
  // Run by hand (`--child compare '{…}'`), a child prints its result.
  if (process.send) process.send(result, () => process.exit(0));
  else console.log(JSON.stringify(result, null, 1));
} else {
  await main();
}
