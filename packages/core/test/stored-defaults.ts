import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy, type Policy } from '../src/index.js';

/**
 * The default policy as stored in its two shapes (test/data), to check that reading the older shape keeps every
 * result. Both are the default of 2026 when its fifteen named rules became fourteen scoring items; today's default
 * may have gained items since (a new built-in kind's), so the older shape is compared with the items it was
 * replaced by, not with whatever the default is now.
 */
const read = (file: string): any => JSON.parse(readFileSync(join(import.meta.dirname, 'data', file), 'utf8'));

/** The default policy as stored with named rules (`appraisal.rules`) and no items: a fresh copy per call. */
export const storedWithRules = (): any => read('default-2026-rules.json');

/** The same default as stored with scoring items, parsed. */
export const defaultAsItems: Policy = parsePolicy(read('default-2026-items.json'));
