import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type Kysely, type QueryCompiler, type QueryResult } from 'kysely';

/**
 * A small Kysely dialect for Cloudflare D1. D1 has no interactive transactions, so the driver refuses them:
 * multi-statement writes go through `D1Database.batch()` (see db/index.ts `runBatch`).
 */
export class D1Dialect implements Dialect {
  constructor(private readonly database: D1Database) {}
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new D1Driver(this.database);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface declares this parameter as Kysely<any>
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

class D1Driver implements Driver {
  constructor(private readonly database: D1Database) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new D1Connection(this.database);
  }
  async beginTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions; use runBatch()');
  }
  async commitTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions; use runBatch()');
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions; use runBatch()');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class D1Connection implements DatabaseConnection {
  constructor(private readonly database: D1Database) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.database
      .prepare(compiled.sql)
      .bind(...(compiled.parameters as unknown[]))
      .all<R>();
    const changes = result.meta?.changes;
    const lastRowId = result.meta?.last_row_id;
    return {
      rows: result.results ?? [],
      numAffectedRows: typeof changes === 'number' ? BigInt(changes) : undefined,
      insertId: typeof lastRowId === 'number' ? BigInt(lastRowId) : undefined,
    };
  }

  // biome-ignore lint/correctness/useYield: Kysely's Driver interface needs an async generator; D1 cannot stream
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('D1 does not support streaming queries');
  }
}

/** Turn a compiled Kysely query into a D1 prepared statement, for `D1Database.batch()`. */
export function toStatement(database: D1Database, compiled: CompiledQuery): D1PreparedStatement {
  return database.prepare(compiled.sql).bind(...(compiled.parameters as unknown[]));
}

export { CompiledQuery };
