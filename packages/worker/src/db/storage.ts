/**
 * Failures of the database itself (D1 unreachable, overloaded, reset, timed out) are not bugs in a request:
 * the app answers them 503 with `Retry-After`, so a client retries — with the same Idempotency-Key where the
 * route takes one. Every write route sends its writes as ONE `D1Database.batch()` (a transaction), so a
 * failed request changed nothing; a reply lost after the commit is covered by the Idempotency-Key replay.
 *
 * `guardD1` wraps the binding so anything the binding rejects becomes a `StorageError` (same message), and
 * app.onError can tell a database failure from a bug in our own code. Deterministic SQL errors (constraint
 * violations a route did not handle, syntax, type or size errors) are bugs and stay 500.
 */
export type StorageErrorKind = 'unique' | 'constraint' | 'too-big' | 'sql' | 'transient';

export class StorageError extends Error {
  /** What went wrong, read once from the driver's message: routes branch on this, never on SQL text. */
  readonly kind: StorageErrorKind;
  /** For `unique`: the table whose UNIQUE / PRIMARY KEY constraint refused the row (`teachers`). */
  readonly table: string | null;

  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'StorageError';
    const unique = UNIQUE.exec(this.message);
    this.table = unique ? unique[1]! : null;
    this.kind = unique ? 'unique' : TOO_BIG.test(this.message) ? 'too-big' : CONSTRAINT.test(this.message) ? 'constraint' : PERMANENT.test(this.message) ? 'sql' : 'transient';
  }

  /** Retrying can help: anything but a deterministic SQL error. */
  get transient(): boolean {
    return this.kind === 'transient';
  }

  /** A UNIQUE / PRIMARY KEY violation, optionally on the given table. */
  isUniqueViolation(table?: string): boolean {
    return this.kind === 'unique' && (table === undefined || this.table === table);
  }
}

// SQLite: "UNIQUE constraint failed: teachers.id" (PRIMARY KEY violations read the same).
const UNIQUE = /UNIQUE constraint failed: "?([A-Za-z_][A-Za-z0-9_]*)"?\./;
const TOO_BIG = /SQLITE_TOOBIG|too big|Exceeded maximum DB size/i;
const CONSTRAINT = /SQLITE_CONSTRAINT|constraint failed/i;
const PERMANENT = /SQLITE_(CONSTRAINT|ERROR|MISMATCH|TOOBIG|RANGE|AUTH|FORMAT|NOTADB|CORRUPT)|D1_TYPE_ERROR|D1_COLUMN_NOTFOUND|no such (table|column)|syntax error|too many SQL variables|constraint failed|Exceeded maximum DB size/i;

/** Seconds a client should wait before retrying after a storage failure. */
export const RETRY_AFTER_SECONDS = 1;

const inner = Symbol('guarded');

function rethrow(error: unknown): never {
  throw error instanceof StorageError ? error : new StorageError(error);
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    rethrow(error);
  }
}

function guardStatement(statement: D1PreparedStatement): D1PreparedStatement {
  return {
    [inner]: statement,
    bind: (...values: unknown[]) => {
      try {
        return guardStatement(statement.bind(...values));
      } catch (error) {
        rethrow(error);
      }
    },
    all: () => guarded(() => statement.all()),
    first: (column?: string) => guarded(() => (column === undefined ? statement.first() : statement.first(column))),
    run: () => guarded(() => statement.run()),
    raw: (options?: { columnNames?: boolean }) => guarded(() => statement.raw(options as { columnNames: true })),
  } as unknown as D1PreparedStatement;
}

const unwrap = (statement: D1PreparedStatement): D1PreparedStatement => (statement as unknown as { [inner]?: D1PreparedStatement })[inner] ?? statement;

/** The binding as the app uses it: same behaviour, but every rejection is a `StorageError`. */
export function guardD1(database: D1Database): D1Database {
  return {
    prepare: (sql: string) => guardStatement(database.prepare(sql)),
    batch: (statements: D1PreparedStatement[]) => guarded(() => database.batch(statements.map(unwrap))),
    exec: (sql: string) => guarded(() => database.exec(sql)),
    withSession: database.withSession?.bind(database),
    dump: (database as { dump?: unknown }).dump,
  } as unknown as D1Database;
}
