/**
 * D1 fault injection for tests. `faulty(env.DB, plan)` returns a D1Database that behaves like the real one
 * except for one planned failure; pass it as the app's binding: `app.request(url, init, { DB: faulty(...) })`.
 * Production code never sees it — the app takes whatever `env.DB` it is given.
 *
 * Statements are numbered 1, 2, 3 … in the order they execute: a single `.all()/.first()/.run()/.raw()` is
 * one, and a `batch([s1 … sm])` numbers its m statements consecutively.
 *
 * - `failAt: n`, `mode: 'before'` (default): statement n fails. Alone, it is never sent. Inside a batch, it is
 *   replaced by a statement that fails when SQLite runs it, so the batch really runs the statements before it
 *   and D1 must roll them back — a genuine mid-batch failure. Either way the caller sees a transient D1 error.
 * - `failAt: n`, `mode: 'after'`: the statement (or its whole batch) commits, then the reply is "lost": the
 *   caller sees the error although the write happened (the case Idempotency-Key replays exist for).
 * - `failBatch: k`: the k-th `batch()` call fails as a whole before it is sent.
 * - `error`: what is thrown (default: D1's transient "Network connection lost.").
 */
export interface FaultPlan {
  failAt?: number;
  failBatch?: number;
  mode?: 'before' | 'after';
  error?: () => Error;
}

export interface FaultyD1 extends D1Database {
  /** Statements executed (or attempted) so far, in order. */
  readonly log: { n: number; sql: string; batch: number | null }[];
  /** Whether the planned failure happened. */
  readonly fired: boolean;
  /** Statement count so far. */
  readonly statements: number;
}

export const transientError = () => new Error('D1_ERROR: Network connection lost.');

const inner = Symbol('faulty');
// json() raises "malformed JSON" while the statement runs, not when it is prepared.
const POISON = "SELECT json('fault injected {') AS fault";

export function faulty(database: D1Database, plan: FaultPlan): FaultyD1 {
  const log: FaultyD1['log'] = [];
  let count = 0;
  let batches = 0;
  let fired = false;
  const mode = plan.mode ?? 'before';
  const makeError = plan.error ?? transientError;

  function statement(real: D1PreparedStatement, sql: string): D1PreparedStatement {
    const single = async <T>(run: () => Promise<T>): Promise<T> => {
      const n = ++count;
      log.push({ n, sql, batch: null });
      if (n !== plan.failAt) return run();
      fired = true;
      if (mode === 'after') await run();
      throw makeError();
    };
    return {
      [inner]: { real, sql },
      bind: (...values: unknown[]) => statement(real.bind(...values), sql),
      all: () => single(() => real.all()),
      first: (column?: string) => single(() => (column === undefined ? real.first() : real.first(column))),
      run: () => single(() => real.run()),
      raw: (options?: { columnNames?: boolean }) => single(() => real.raw(options as { columnNames: true })),
    } as unknown as D1PreparedStatement;
  }

  const wrapper = {
    prepare: (sql: string) => statement(database.prepare(sql), sql),
    async batch(statements: D1PreparedStatement[]) {
      const batch = ++batches;
      const parts = statements.map((s) => (s as unknown as { [inner]: { real: D1PreparedStatement; sql: string } })[inner]);
      const first = count + 1;
      count += parts.length;
      parts.forEach((part, index) => log.push({ n: first + index, sql: part.sql, batch }));
      if (batch === plan.failBatch) {
        fired = true;
        throw makeError();
      }
      const target = plan.failAt !== undefined && plan.failAt >= first && plan.failAt <= count ? plan.failAt - first : -1;
      if (target < 0) return database.batch(parts.map((part) => part.real));
      fired = true;
      if (mode === 'after') {
        await database.batch(parts.map((part) => part.real));
        throw makeError();
      }
      const poisoned = parts.map((part, index) => (index === target ? database.prepare(POISON) : part.real));
      try {
        await database.batch(poisoned);
      } catch {
        throw makeError();
      }
      throw new Error('fault injection: the poisoned batch did not fail');
    },
    exec: (sql: string) => database.exec(sql),
    get log() {
      return log;
    },
    get fired() {
      return fired;
    },
    get statements() {
      return count;
    },
  };
  return wrapper as unknown as FaultyD1;
}

/** Every user table of the database, every row, in a stable order: compare two dumps with `toBe`. */
export async function dumpDb(database: D1Database): Promise<string> {
  const tables = (await database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name").all<{ name: string }>()).results.map((row) => row.name);
  const parts = await database.batch(tables.map((table) => database.prepare(`SELECT * FROM "${table}" ORDER BY rowid`)));
  return JSON.stringify(Object.fromEntries(tables.map((table, index) => [table, parts[index]!.results])));
}
