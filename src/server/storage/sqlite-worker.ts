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

type WorkerData = { path: string; role: 'queries' | 'checkpointer'; checkpointEveryMs: number };
const data = workerData as WorkerData;

if (parentPort !== null && data.role === 'checkpointer') {
  // Checkpoints copy the WAL into the database file and fsync it: tens of milliseconds during which
  // the connection doing them answers nothing. A connection of their own, on its own thread, keeps
  // them off the query path; PASSIVE never blocks the writer or readers.
  const db = openSqlite(data.path);
  const timer = setInterval(() => {
    try {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or locked: the next round checkpoints what this one could not.
    }
  }, data.checkpointEveryMs);
  parentPort.on('message', () => {
    clearInterval(timer);
    db.close();
    parentPort!.close();
  });
} else if (parentPort !== null) {
  const port = parentPort;
  const db = openSqlite(data.path);
  if (data.path !== ':memory:') db.exec('PRAGMA wal_autocheckpoint = 0');
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
