// Experiment (not part of `npm run bench`; not for src as is): a table-driven, allocation-free validator for the record schemas, falling back to
// zod only when a record fails (to produce the issues). Measures the possible gain over parseRecords on the
// bench college, and checks the output is identical. Run: npm run build && node packages/core/bench/experiments/fast-validate.mjs
import * as core from '../../dist/index.js';
import { generateCollege } from '../generate.mjs';
import { isDeepStrictEqual } from 'node:util';

const enumOf = (...v) => { const s = new Set(v); return (x) => s.has(x); };
const DIM = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const d = (x, i) => { const c = x.charCodeAt(i) - 48; return c >= 0 && c <= 9 ? c : -1000; };
const date = (x) => {
  if (typeof x !== 'string' || x.length !== 10 || x.charCodeAt(4) !== 45 || x.charCodeAt(7) !== 45) return false;
  const y = d(x, 0) * 1000 + d(x, 1) * 100 + d(x, 2) * 10 + d(x, 3), m = d(x, 5) * 10 + d(x, 6), day = d(x, 8) * 10 + d(x, 9);
  if (y < 0 || m < 1 || m > 12 || day < 1) return false;
  return day <= (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DIM[m]);
};
const text = (x) => typeof x === 'string' && x.length >= 1 && x.length <= 500 && x.trim() === x; // untrimmed → zod path
const id = (x) => typeof x === 'string' && x.length >= 1 && x.length <= 128;
const int = (lo, hi) => (x) => Number.isSafeInteger(x) && x >= lo && x <= hi;
const num = (lo, hi) => (x) => typeof x === 'number' && x >= lo && x <= hi; // NaN fails both
const share = (x) => typeof x === 'number' && x > 0 && x <= 1;
const level = enumOf('national', 'provincial', 'municipal', 'school');
const base = { id, teacherId: id, status: enumOf('verified', 'pending', 'rejected'), kind: () => true };
const team = { rank: int(1, 1000), share };
const money = int(0, 10_000_000_000);
const pct = num(0, 100);
const spec = {
  enterprise_practice: [{ ...base, start: date, end: date, enterprise: text }, { topics: (x) => Array.isArray(x) && x.length <= 50 && x.every(text) }, true],
  practice_exemption: [{ ...base, year: int(1900, 2999), reason: text }, {}],
  teaching_workload: [{ ...base, year: int(1900, 2999), hours: num(0, 10_000) }, {}],
  teaching_evaluation: [{ ...base, date, score: pct }, {}],
  teaching_resource: [{ ...base, date, resourceType: enumOf('worksheet', 'slides', 'micro_lecture', 'question_bank'), title: text }, team],
  teaching_reform_project: [{ ...base, date, level }, team],
  mentoring: [{ ...base, start: date, role: enumOf('mentor', 'mentee'), partnerId: id, outcome: enumOf('ongoing', 'passed', 'failed') }, { end: date }, true],
  international_training: [{ ...base, start: date, end: date, institution: text, country: text }, {}, true],
  skill_competition: [{ ...base, date, level, award: enumOf('first', 'second', 'third', 'excellence'), role: enumOf('contestant', 'coach') }, team],
  certificate: [{ ...base, date, certType: enumOf('dual_qualified', 'vocational', 'one_plus_x'), level: enumOf('junior', 'intermediate', 'senior') }, {}],
  horizontal_project: [{ ...base, date, amountYuan: money, partner: text }, team],
  patent: [{ ...base, date, patentType: enumOf('invention', 'utility_model', 'software_copyright') }, team],
  tech_transfer: [{ ...base, date, amountYuan: money, partner: text }, team],
  enterprise_training: [{ ...base, date, trainees: int(0, 1_000_000), hours: num(0, 100_000) }, { ...team, satisfaction: pct }],
  technical_service: [{ ...base, date, amountYuan: money, partner: text }, { ...team, satisfaction: pct }],
  ethics_violation: [{ ...base, date, description: text }, {}],
};
const compiled = Object.fromEntries(Object.entries(spec).map(([k, [req, opt, period]]) => [k, { keys: Object.keys(req), checks: Object.values(req), opt, all: new Set([...Object.keys(req), ...Object.keys(opt)]), period }]));

function fastOk(r) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return false;
  const c = compiled[r.kind];
  if (!c) return false;
  const keys = c.keys, checks = c.checks;
  for (let i = 0; i < keys.length; i++) if (!checks[i](r[keys[i]])) return false;
  for (const key in r) {
    if (!c.all.has(key)) return false;
    const check = c.opt[key];
    if (check && r[key] !== undefined && !check(r[key])) return false;
  }
  if (c.period && r.end !== undefined && r.end < r.start) return false;
  return true;
}

export function fastParseRecords(list) {
  if (!Array.isArray(list)) return core.parseRecords(list);
  const seen = new Set();
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (!fastOk(r) || seen.has(r.id)) return core.parseRecords(list); // slow path gathers every issue
    seen.add(r.id);
  }
  return list; // valid and already in output form (zod would only have cloned it)
}

const { records } = generateCollege({ teachers: 10_000, recordsPerTeacher: 50, years: 1, seed: 20251201, lastYear: 2025 });
const zodOut = core.parseRecords(records);
const fastOut = fastParseRecords(records);
console.log('same output as zod:', isDeepStrictEqual(zodOut, fastOut), 'records', records.length);
const time = (label, fn) => { const xs = []; for (let i = 0; i < 4; i++) { const t = performance.now(); fn(); xs.push(performance.now() - t); } xs.shift(); xs.sort((a, b) => a - b); console.log(label, Math.round(xs[1]), 'ms (median of 3 after warm-up)'); };
time('zod parseRecords', () => core.parseRecords(records));
time('fast path      ', () => fastParseRecords(records));

time('only id Set    ', () => { const s = new Set(); for (const r of records) s.add(r.id); });
