#!/usr/bin/env node
// Loads the bundle `wrangler deploy --dry-run --outdir bench-out/bundle` produced, asks it for /openapi.json
// (no database needed) and validates the document against the OpenAPI 3.1 JSON schema.
import { Validator } from '@seriousme/openapi-schema-validator';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = await import(pathToFileURL(join(root, 'bench-out', 'bundle', 'index.js')).href);
const response = await bundle.default.fetch(new Request('http://localhost/openapi.json'), {}, { waitUntil() {}, passThroughOnException() {} });
if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
const document = await response.json();
const validator = new Validator();
const result = await validator.validate(document);
if (document.openapi !== '3.1.0' || !result.valid) {
  console.error('OpenAPI document is not valid OpenAPI 3.1:', JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
console.log(`OpenAPI ${document.openapi} document valid: ${Object.keys(document.paths).length} paths.`);
