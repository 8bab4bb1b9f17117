import { sql, type Kysely } from 'kysely';
import { defaultPolicy, parsePolicy, type Policy } from '@shizi/core';
import type { Database } from './schema.js';

/**
 * Policy versions are immutable, so a parsed policy can be cached per isolate by its version id. The
 * active version is the latest stored one; with none stored, core's defaultPolicy is active.
 */
const cache = new Map<string, Policy>([[defaultPolicy.version, defaultPolicy]]);
/** The active version this isolate saw last: the query skips sending its body again while it stays active. */
let lastActive = defaultPolicy.version;

export interface PolicyHead {
  version: string;
  body: string | null;
}

/** The active version's id, and its body only when this isolate has not cached it yet. */
export function selectActivePolicy(k: Kysely<Database>) {
  return k
    .selectFrom('policy_versions')
    .select(['version', sql<string | null>`CASE WHEN version = ${lastActive} THEN NULL ELSE body END`.as('body')])
    .orderBy('seq', 'desc')
    .limit(1);
}

/**
 * The same head as two scalar-subquery columns (`policy_head_version`, `policy_head_body`), to add to another
 * SELECT so a route reads its row and the active policy in one statement.
 */
export function activePolicyColumns() {
  return [
    sql<string | null>`(SELECT version FROM policy_versions ORDER BY seq DESC LIMIT 1)`.as('policy_head_version'),
    sql<string | null>`(SELECT CASE WHEN version = ${lastActive} THEN NULL ELSE body END FROM policy_versions ORDER BY seq DESC LIMIT 1)`.as('policy_head_body'),
  ] as const;
}

/** The policy of a stored row, parsed once per isolate (versions are immutable). */
function cachedPolicy(row: { version: string; body: string | null }): Policy {
  const cached = cache.get(row.version);
  if (cached) return cached;
  if (row.body === null) throw new Error(`policy ${row.version} not cached`);
  const policy = parsePolicy(JSON.parse(row.body));
  cache.set(row.version, policy);
  return policy;
}

/** The active policy from its head; it becomes the version whose body the next head query leaves out. */
export function policyFromHead(head: PolicyHead | undefined): Policy {
  if (!head) return defaultPolicy;
  const policy = cachedPolicy(head);
  lastActive = head.version;
  return policy;
}

export async function activePolicy(k: Kysely<Database>): Promise<Policy> {
  return policyFromHead(await selectActivePolicy(k).executeTakeFirst());
}

/** A version by its id, active or not (reading it does not make it the head query's cached version). */
export async function policyByVersion(k: Kysely<Database>, version: string): Promise<Policy | null> {
  const cached = cache.get(version);
  if (cached) return cached;
  const row = await k.selectFrom('policy_versions').select(['version', 'body']).where('version', '=', version).executeTakeFirst();
  return row ? cachedPolicy(row) : null;
}

export interface PolicySummary {
  version: string;
  name: { zh: string; en: string };
  createdAt: string | null;
  createdBy: string | null;
  active: boolean;
  builtIn: boolean;
}

export async function listPolicies(k: Kysely<Database>): Promise<PolicySummary[]> {
  const rows = await k.selectFrom('policy_versions').select(['version', 'body', 'created_at', 'created_by']).orderBy('seq', 'desc').execute();
  const out: PolicySummary[] = rows.map((row, index) => {
    const body = JSON.parse(row.body) as Policy;
    return { version: row.version, name: body.name, createdAt: row.created_at, createdBy: row.created_by, active: index === 0, builtIn: false };
  });
  if (!rows.some((row) => row.version === defaultPolicy.version)) {
    out.push({ version: defaultPolicy.version, name: defaultPolicy.name, createdAt: null, createdBy: null, active: rows.length === 0, builtIn: true });
  }
  return out;
}

export async function policyMeta(k: Kysely<Database>, version: string) {
  return k.selectFrom('policy_versions').select(['created_at', 'created_by', 'seq']).where('version', '=', version).executeTakeFirst();
}

export function insertPolicy(k: Kysely<Database>, policy: Policy, now: string, createdBy: string | null) {
  return k.insertInto('policy_versions').values({ seq: null, version: policy.version, body: JSON.stringify(policy), created_at: now, created_by: createdBy });
}
