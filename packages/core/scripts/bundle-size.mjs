#!/usr/bin/env node
/**
 * Bundle sizes of @shizi/core as a consumer's bundler sees them: each entry imports from '@shizi/core' (the
 * built package through its exports map), esbuild bundles it minified for the browser, and zlib gzips the
 * result at level 9. Reported: each pure helper alone, each validating entry point alone, and the whole library,
 * with zod's share of the bytes from esbuild's metafile.
 *
 *   npm run size                 # table (builds first)
 *   node packages/core/scripts/bundle-size.mjs --json   # machine-readable, used by test/bundle-size.test.ts
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const core = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Functions that read no policy beyond what they are given and validate nothing with zod. */
export const pureHelpers = [
  'academicYearOf',
  'academicYearLabel',
  'academicYearOfDate',
  'academicYearPeriod',
  'addYears',
  'dateOfDay',
  'dayNumber',
  'isValidDate',
  'lastCompletedYears',
  'latestCompletedYear',
  'wholeYearsBetween',
  'gradeAtLeast',
  'shareOf',
  'rateOf',
  'waitingDaysBetween',
  'ruleLabel',
];
/** Entry points that validate their inputs (and so carry zod), for comparison. */
const validating = ['parsePolicy', 'evaluatePractice', 'appraiseAll', 'assessProgress', 'rankTitleReview'];

async function measure(name, contents) {
  const result = await build({
    stdin: { contents, resolveDir: core, sourcefile: `${name}.mjs` },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  const [output] = Object.values(result.metafile.outputs);
  let zod = 0;
  for (const [path, input] of Object.entries(output.inputs)) if (/node_modules\/zod\//.test(path)) zod += input.bytesInOutput;
  return { name, minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, zod };
}

export async function measureAll() {
  const rows = [];
  for (const name of pureHelpers) rows.push({ group: 'pure helper', ...(await measure(name, `export { ${name} } from '@shizi/core';`)) });
  for (const name of validating) rows.push({ group: 'validating', ...(await measure(name, `export { ${name} } from '@shizi/core';`)) });
  rows.push({ group: 'whole library', ...(await measure('* (everything)', `export * from '@shizi/core';`)) });
  return rows;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measureAll();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows));
  } else {
    console.log('| import from @shizi/core | kind | minified | min+gzip | of which zod (min) |');
    console.log('|---|---|---:|---:|---:|');
    for (const row of rows) console.log(`| \`${row.name}\` | ${row.group} | ${kb(row.minified)} | ${kb(row.gzip)} | ${kb(row.zod)} |`);
  }
}
