// The worker thread that owns the SQLite database. node:sqlite is synchronous: run on the main
// thread, every commit and WAL checkpoint (an fsync) would stall all HTTP requests. Here the
// server's event loop only ever waits on a message.
import { parentPort, workerData } from 'node:worker_threads';
import type { StatementSync } from 'node:sqlite';
import { openSqlite } from './open-sqlite.ts';

export type WorkerRequest = { id: number; sql: string; parameters: unknown[] } | { id: number; close: true };
export type WorkerReply =
  | { id: number; kind: 'rows'; rows: unknown[] }
  | { id: number; kind: 'run'; changes: number | bigint; lastInsertRowid: number | bigint }
  | { id: number; kind: 'closed' }
  | { id: number; kind: 'error'; message: string; code: string | undefined };

type SqlValue = null | number | bigint | string | NodeJS.ArrayBufferView;

if (parentPort !== null) {
  const port = parentPort;
  const db = openSqlite((workerData as { path: string }).path);
  const statements = new Map<string, { statement: StatementSync; reader: boolean }>();
  port.on('message', (request: WorkerRequest) => {
    if ('close' in request) {
      db.close();
      port.postMessage({ id: request.id, kind: 'closed' } satisfies WorkerReply);
      port.close();
      return;
    }
    try {
      let prepared = statements.get(request.sql);
      if (prepared === undefined) {
        const statement = db.prepare(request.sql);
        prepared = { statement, reader: statement.columns().length > 0 };
        if (statements.size > 500) statements.clear();
        statements.set(request.sql, prepared);
      }
      const values = request.parameters.map(toSqlValue);
      if (prepared.reader) {
        port.postMessage({ id: request.id, kind: 'rows', rows: prepared.statement.all(...values) } satisfies WorkerReply);
      } else {
        const { changes, lastInsertRowid } = prepared.statement.run(...values);
        port.postMessage({ id: request.id, kind: 'run', changes, lastInsertRowid } satisfies WorkerReply);
      }
    } catch (error) {
      const { message, code } = error as { message?: string; code?: string };
      port.postMessage({ id: request.id, kind: 'error', message: message ?? String(error), code } satisfies WorkerReply);
    }
  });
}

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value as SqlValue;
}
