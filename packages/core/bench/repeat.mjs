/**
 * Five back-to-back appraiseAll calls over one generated college (10,000 teachers × 50 records), printing each
 * time: shows the run-to-run spread that garbage collection causes. npm run build first.
 *   npx node packages/core/bench/repeat.mjs [teachers]
 *   npx node --max-semi-space-size=64 packages/core/bench/repeat.mjs
 */
import * as core from '../dist/index.js';
import { generateCollege } from './generate.mjs';

const teacherCount = Number(process.argv[2] ?? 10_000);
const { records, teachers } = generateCollege({ teachers: teacherCount, recordsPerTeacher: 50, years: 1, seed: 20251201, lastYear: 2025 });
core.appraiseAll({ teachers, records, year: 2025 }); // warm-up
const times = [];
for (let run = 0; run < 5; run++) {
  const start = performance.now();
  core.appraiseAll({ teachers, records, year: 2025 });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const rate = (ms) => Math.round(records.length / (ms / 1000)).toLocaleString('en');
console.log(`${records.length.toLocaleString('en')} records, node ${process.version} ${process.execArgv.join(' ')}`);
console.log(`runs (ms, sorted): ${times.map(Math.round).join(' / ')}`);
console.log(`best ${rate(times[0])} records/s, median ${rate(times[2])} records/s`);
