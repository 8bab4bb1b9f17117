#!/usr/bin/env node
/**
 * One step of the spreadsheet import or export, alone in this process, for bench:api's memory figures. Run as
 * `node --max-heap-size=<MB> --expose-gc xlsx-memory.mjs <bundle> read <file.xlsx>` or `… export <teachers> <records/teacher>`.
 * Prints `@@start <used bytes>` once its input is in memory and collected, and `@@end <json>` when the step is
 * done; run out of heap, the process aborts and the parent tries a larger heap.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { generateCollege } from '../../packages/core/bench/generate.mjs';

const [bundle, mode, ...args] = process.argv.slice(2);
const code = await import(pathToFileURL(bundle).href);
const used = () => process.memoryUsage().heapUsed;

let step;
if (mode === 'read') {
  const bytes = new Uint8Array(readFileSync(args[0]));
  step = () => code.readWorkbook(bytes);
} else {
  const generated = generateCollege({ teachers: Number(args[0]), recordsPerTeacher: Number(args[1]), years: 6, seed: 20261128, lastYear: 2025 });
  const teachers = generated.teachers;
  const inWindow = code.recordsInWindow(generated.records, 2025);
  const records = inWindow.length;
  const recordsJson = JSON.stringify(inWindow);
  inWindow.length = 0;
  generated.records.length = 0;
  step = async () => ({ records, bytes: (await code.listingWorkbook(teachers, recordsJson, 2025)).length });
}
globalThis.gc();
globalThis.gc();
console.log(`@@start ${used()}`);
const result = await step();
console.log(`@@end ${JSON.stringify({ ...result, used: used() })}`);
