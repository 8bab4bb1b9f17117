// Experiment (not part of `npm run bench`): how much of appraise() goes into the second score() pass that
// computes pending.totalIfVerified. Same 500,000 records, once as generated (8% pending) and once with every
// pending record turned rejected (no second pass). Run: npm run build && node packages/core/bench/experiments/pending-rescore.mjs
import { appraise } from '../../dist/appraisal.js';
import { defaultPolicy } from '../../dist/policy.js';
import { groupByTeacher, parseRecords } from '../../dist/records.js';
import { generateCollege } from '../generate.mjs';
const { teachers, records } = generateCollege({ teachers: 10_000, recordsPerTeacher: 50, years: 1, seed: 20251201, lastYear: 2025 });
const noPending = records.map((r) => (r.status === 'pending' ? { ...r, status: 'rejected' } : r));
const time = (label, fn) => { const xs = []; for (let i = 0; i < 4; i++) { const t = performance.now(); fn(); xs.push(performance.now() - t); } xs.shift(); xs.sort((a, b) => a - b); console.log(label, Math.round(xs[1]), 'ms'); };
for (const [label, list] of [['as generated (8% pending)', records], ['pending → rejected     ', noPending]]) {
  const g = groupByTeacher(parseRecords(list));
  let withPending = 0;
  time(label, () => { withPending = 0; for (const t of teachers) { const a = appraise(t, g.get(t.id) ?? [], 2025, defaultPolicy); if (a.pending.recordIds.length) withPending++; } });
  console.log('   teachers with pending records in the year:', withPending);
}
