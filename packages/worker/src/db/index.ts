import { Kysely, type Compilable } from 'kysely';
import { D1Dialect, toStatement } from './dialect.js';
import type { Database } from './schema.js';

/** Round trips and statements sent to D1; tests read these to prove routes stay within their query budget. */
export const queryStats = { roundTrips: 0, statements: 0 };

export function resetQueryStats(): void {
  queryStats.roundTrips = 0;
  queryStats.statements = 0;
}

/** Wraps D1 so every round trip is counted (one `.all()/.first()/.run()` or one `.batch()`). */
function instrument(database: D1Database): D1Database {
  return {
    prepare(sql: string) {
      const statement = database.prepare(sql);
      return wrapStatement(statement);
    },
    async batch(statements: D1PreparedStatement[]) {
      queryStats.roundTrips++;
      queryStats.statements += statements.length;
      return database.batch(statements.map(unwrap));
    },
    exec(sql: string) {
      queryStats.roundTrips++;
      return database.exec(sql);
    },
    withSession: database.withSession?.bind(database),
    dump: (database as { dump?: unknown }).dump,
  } as unknown as D1Database;
}

const inner = Symbol('inner');
function wrapStatement(statement: D1PreparedStatement): D1PreparedStatement {
  const count = () => {
    queryStats.roundTrips++;
    queryStats.statements++;
  };
  const wrapped = {
    [inner]: statement,
    bind: (...values: unknown[]) => wrapStatement(statement.bind(...values)),
    all: () => (count(), statement.all()),
    first: (column?: string) => (count(), column === undefined ? statement.first() : statement.first(column)),
    run: () => (count(), statement.run()),
    raw: (options?: { columnNames?: boolean }) => (count(), statement.raw(options as { columnNames: true })),
  };
  return wrapped as unknown as D1PreparedStatement;
}

function unwrap(statement: D1PreparedStatement): D1PreparedStatement {
  return (statement as unknown as { [inner]?: D1PreparedStatement })[inner] ?? statement;
}

export interface Db {
  /** Kysely over D1: build and run single queries. */
  k: Kysely<Database>;
  /** The (instrumented) D1 binding. */
  d1: D1Database;
  /** Run compiled queries atomically in one D1 batch; returns each statement's result. */
  batch(queries: Compilable[]): Promise<D1Result<Record<string, unknown>>[]>;
}

/** The single place the worker opens its database. */
export function createDb(binding: D1Database): Db {
  const d1 = instrument(binding);
  const k = new Kysely<Database>({ dialect: new D1Dialect(d1) });
  return {
    k,
    d1,
    async batch(queries) {
      if (queries.length === 0) return [];
      return d1.batch(queries.map((query) => toStatement(d1, query.compile())));
    },
  };
}

/** Largest number of rows per multi-row INSERT so a statement binds at most `limit` parameters. */
export function rowsPerInsert(columns: number, limit = 100): number {
  return Math.max(1, Math.floor(limit / columns));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Split rows into JSON arrays of at most `maxChars` characters each (≤ 3 bytes a character in UTF-8 stays
 * under D1's 2 MB string limit), for bulk `INSERT … SELECT … FROM json_each(?)`: one bound parameter per
 * statement however many rows, so a 20,000-row import is a handful of statements, not thousands.
 */
export function jsonChunks(rows: readonly unknown[], maxChars = 300_000): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (parts.length > 0 && size + text.length + 1 > maxChars) {
      out.push(`[${parts.join(',')}]`);
      parts = [];
      size = 2;
    }
    parts.push(text);
    size += text.length + 1;
  }
  if (parts.length > 0) out.push(`[${parts.join(',')}]`);
  return out;
}
