#!/usr/bin/env node
// Copies the Swagger UI files the /docs page needs from node_modules into the worker's static assets
// (packages/worker/public/docs/vendor, git-ignored), so /docs loads nothing from a CDN.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'packages/worker/package.json'));
const source = dirname(require.resolve('swagger-ui-dist/package.json'));
const target = join(root, 'packages/worker/public/docs/vendor');
mkdirSync(target, { recursive: true });
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png']) copyFileSync(join(source, file), join(target, file));
