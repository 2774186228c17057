// A worker thread with its own SQLite connection that runs the hot write transactions (heartbeats,
// alerts). node:sqlite is synchronous: on the main thread a 2,000-heartbeat transaction held the
// event loop for 60–110 ms (more on a busy machine), and every request waited behind it. Here the
// main thread only packs rows and posts one message per chunk (~0.5 ms per 1,000 rows); WAL mode
// lets the main thread's connection keep reading while this one writes.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from './open-sqlite.ts';
import { prepareBatchStatements, type BatchStatements, type SqlValue } from './sqlite-batch-writes.ts';

// Marks this module's own worker: importing the module in some other worker must not start one.
const role = 'ring3-sqlite-writer';

export type WriteKind = 'heartbeats' | 'alerts';

export type SqliteWriter = {
  /** Runs one transaction on the writer thread; resolves with one byte per row (1: stored now). */
  write(kind: WriteKind, values: SqlValue[]): Promise<Uint8Array>;
  /** Finishes the writes already sent, then ends the thread. */
  close(): Promise<void>;
};

type Request = { id: number; kind: WriteKind; values: SqlValue[] } | { kind: 'close' };
type Reply = { id: number; stored: Uint8Array } | { id: number; error: string; code: string | undefined };
type Waiting = { resolve(stored: Uint8Array): void; reject(error: Error): void };

export function startSqliteWriter(path: string): SqliteWriter {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();

  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  // A thread that died (out of memory, a bug) fails what it had; the next write starts a new one.
  const spawn = (): Worker => {
    const started = new Worker(new URL(import.meta.url), { workerData: { role, path } });
    started.on('message', (reply: Reply) => {
      const w = waiting.get(reply.id);
      if (w === undefined) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) started.unref();
      if ('stored' in reply) w.resolve(reply.stored);
      else w.reject(Object.assign(new Error(`SQLite writer: ${reply.error}`), { code: reply.code }));
    });
    started.on('error', (error) => failAll(error instanceof Error ? error : new Error(String(error))));
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`SQLite writer thread exited (code ${code})`));
    });
    return started;
  };

  return {
    write(kind, values) {
      if (closed) return Promise.reject(new Error('SQLite writer is closed'));
      worker ??= spawn();
      const id = nextId++;
      // Referenced only while a write is in flight: an idle writer must not keep the process alive.
      if (waiting.size === 0) worker.ref();
      const sent = worker;
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        sent.postMessage({ id, kind, values } satisfies Request);
      });
    },
    async close() {
      closed = true;
      const running = worker;
      if (running === undefined) return;
      running.ref();
      running.postMessage({ kind: 'close' } satisfies Request);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { void running.terminate().then(() => resolve()); }, 5000);
        running.once('exit', () => { clearTimeout(timer); resolve(); });
      });
    },
  };
}

if (!isMainThread && parentPort !== null && (workerData as { role?: string } | null)?.role === role) {
  const port = parentPort;
  const { path } = workerData as { path: string };
  let statements: BatchStatements | undefined;
  let db: ReturnType<typeof openSqlite> | undefined;
  port.on('message', (request: Request) => {
    if (request.kind === 'close') {
      db?.close();
      port.close();
      return;
    }
    try {
      if (db === undefined) {
        db = openSqlite(path);
        // Checkpoints are the checkpointer thread's job (sqlite-checkpointer.ts).
        db.exec('PRAGMA wal_autocheckpoint = 0');
        statements = prepareBatchStatements(db, 'per-kind');
      }
      const stored = request.kind === 'heartbeats' ? statements!.writeHeartbeats(request.values) : statements!.writeAlerts(request.values);
      port.postMessage({ id: request.id, stored } satisfies Reply, [stored.buffer as ArrayBuffer]);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined } satisfies Reply);
    }
  });
}
