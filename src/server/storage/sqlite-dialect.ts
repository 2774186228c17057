// Kysely's SQLite dialect expects a better-sqlite3-like database; this adapts Node's built-in
// node:sqlite DatabaseSync to it, so the embedded store needs no native addon. Queries run on the
// main thread: most take microseconds. The slow things SQLite does run on threads of their own: the
// large heartbeat and alert transactions (sqlite-writer.ts) and the checkpoint's fsync
// (sqlite-checkpointer.ts). (Running every query in a worker was tried: the messages cost more CPU
// than the queries.)
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

type SqlValue = null | number | bigint | string | NodeJS.ArrayBufferView;

export function nodeSqliteDialect(db: DatabaseSync): SqliteDialect {
  return new SqliteDialect({ database: adapt(db) });
}

function adapt(db: DatabaseSync): SqliteDatabase {
  // Kysely prepares every query it runs; caching statements by SQL text saves the parse on hot paths.
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => { cache.clear(); db.close(); },
    prepare(sqlText: string): SqliteStatement {
      // Kysely opens transactions with a plain (deferred) BEGIN. With the writer thread as a second
      // writer, a deferred transaction that read first cannot take the write lock later (SQLITE_BUSY
      // at once, no waiting): IMMEDIATE takes it at BEGIN, where busy_timeout applies.
      if (sqlText === 'begin') sqlText = 'begin immediate';
      let statement = cache.get(sqlText);
      if (statement === undefined) {
        statement = adaptStatement(db.prepare(sqlText));
        if (cache.size > 500) cache.clear();
        cache.set(sqlText, statement);
      }
      return statement;
    },
  };
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  const reader = statement.columns().length > 0;
  const values = (parameters: ReadonlyArray<unknown>) => parameters.map(toSqlValue);
  return {
    reader,
    all: (parameters) => statement.all(...values(parameters)),
    run: (parameters) => statement.run(...values(parameters)),
    iterate: (parameters) => statement.iterate(...values(parameters)),
  };
}

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value as SqlValue;
}
