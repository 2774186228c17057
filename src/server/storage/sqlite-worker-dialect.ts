// A Kysely dialect for SQLite whose queries run in a worker thread (sqlite-worker.ts). Kysely's
// own SQLite adapter, compiler and introspector are reused; only the driver is ours. Like any
// SQLite driver it has one connection, handed out under a mutex, so transactions never interleave.
import { Worker } from 'node:worker_threads';
import {
  CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type QueryResult,
} from 'kysely';
import type { WorkerReply, WorkerRequest } from './sqlite-worker.ts';

export function workerSqliteDialect(path: string): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => workerSqliteDriver(path),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

function workerSqliteDriver(path: string): Driver {
  let worker: Worker | undefined;
  let checkpointer: Worker | undefined;
  let broken: Error | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve(reply: WorkerReply): void; reject(error: Error): void }>();
  let locked: Promise<void> | undefined;
  let unlock: (() => void) | undefined;

  const send = (request: WorkerRequest) => new Promise<WorkerReply>((resolve, reject) => {
    if (broken !== undefined || worker === undefined) return reject(broken ?? new Error('SQLite worker is not running'));
    waiting.set(request.id, { resolve, reject });
    worker.postMessage(request);
  });

  const fail = (error: Error) => {
    broken = error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };

  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const reply = await send({ id: nextId++, sql: query.sql, parameters: [...query.parameters] });
      switch (reply.kind) {
        case 'rows': return { rows: reply.rows as R[] };
        case 'run': return { rows: [], numAffectedRows: BigInt(reply.changes), insertId: BigInt(reply.lastInsertRowid) };
        case 'error': throw Object.assign(new Error(reply.message), { code: reply.code });
        case 'closed': throw new Error('SQLite worker closed');
      }
    },
    async *streamQuery() {
      throw new Error('streaming is not supported by the SQLite worker driver');
    },
  };

  return {
    async init() {
      const script = new URL('./sqlite-worker.ts', import.meta.url);
      worker = new Worker(script, { workerData: { path, role: 'queries', checkpointEveryMs: 0 } });
      worker.on('message', (reply: WorkerReply) => {
        const entry = waiting.get(reply.id);
        waiting.delete(reply.id);
        entry?.resolve(reply);
      });
      worker.on('error', (error) => fail(new Error(`SQLite worker failed: ${error.message}`)));
      worker.on('exit', (code) => fail(new Error(`SQLite worker exited (code ${code})`)));
      // A query proves the database opened (bad path, permissions) before the server starts.
      await connection.executeQuery(CompiledQuery.raw('select 1'));
      if (path !== ':memory:') {
        checkpointer = new Worker(script, { workerData: { path, role: 'checkpointer', checkpointEveryMs: 1000 } });
        checkpointer.on('error', () => { /* checkpoints resume when the server restarts; queries are unaffected */ });
      }
    },
    async acquireConnection() {
      while (locked !== undefined) await locked;
      locked = new Promise<void>((resolve) => { unlock = resolve; });
      return connection;
    },
    async releaseConnection() {
      const release = unlock;
      locked = undefined;
      unlock = undefined;
      release?.();
    },
    beginTransaction: async (conn) => { await conn.executeQuery(CompiledQuery.raw('begin')); },
    commitTransaction: async (conn) => { await conn.executeQuery(CompiledQuery.raw('commit')); },
    rollbackTransaction: async (conn) => { await conn.executeQuery(CompiledQuery.raw('rollback')); },
    async destroy() {
      checkpointer?.postMessage('stop');
      checkpointer = undefined;
      if (worker === undefined || broken !== undefined) return;
      const closing = worker;
      await send({ id: nextId++, close: true }).catch(() => undefined);
      broken = new Error('SQLite store is closed');
      await closing.terminate();
    },
  };
}
