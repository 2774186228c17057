// A worker thread that checkpoints a SQLite database in WAL mode. A checkpoint copies the WAL into
// the database file and fsyncs it: tens of milliseconds during which the connection doing it (if it
// were the server's, on the main thread) would answer nothing. The server's connection turns
// automatic checkpoints off; this thread's own connection runs PASSIVE ones, which never block the
// writer or readers.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from './open-sqlite.ts';

// Marks this module's own worker: importing the module in some other worker must not start one.
const role = 'ring3-sqlite-checkpointer';

export type Checkpointer = { stop(): Promise<void> };

export function startCheckpointer(path: string, everyMs: number): Checkpointer {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role, path, everyMs } });
  // Without checkpoints the WAL only grows; queries stay correct, so a failure is not fatal.
  worker.on('error', () => {});
  return {
    async stop() {
      worker.postMessage('stop');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { void worker.terminate().then(() => resolve()); }, 2000);
        worker.once('exit', () => { clearTimeout(timer); resolve(); });
      });
    },
  };
}

if (!isMainThread && parentPort !== null && (workerData as { role?: string } | null)?.role === role) {
  const { path, everyMs } = workerData as { path: string; everyMs: number };
  const db = openSqlite(path);
  const checkpoint = () => {
    try {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // Busy: the next round checkpoints what this one could not.
    }
  };
  const timer = setInterval(checkpoint, everyMs);
  parentPort.on('message', () => {
    clearInterval(timer);
    checkpoint();
    db.close();
    parentPort!.close();
  });
}
