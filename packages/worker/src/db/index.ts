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

/** Bytes of `text` in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x7f) continue;
    bytes += code <= 0x7ff || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2; // a surrogate pair is 4 bytes: 2 per half
  }
  return bytes;
}

/**
 * Split rows into JSON arrays of at most `maxBytes` bytes of UTF-8 each (half of D1's 2,000,000-byte string
 * limit), for bulk `INSERT … SELECT … FROM json_each(?)`: one bound parameter per statement however many rows,
 * so a 20,000-row import is a handful of statements, not thousands.
 */
export function jsonChunks(rows: readonly unknown[], maxBytes = 1_000_000): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const row of rows) {
    const text = JSON.stringify(row);
    const bytes = utf8Length(text);
    if (parts.length > 0 && size + bytes + 1 > maxBytes) {
      out.push(`[${parts.join(',')}]`);
      parts = [];
      size = 2;
    }
    parts.push(text);
    size += bytes + 1;
  }
  if (parts.length > 0) out.push(`[${parts.join(',')}]`);
  return out;
}
