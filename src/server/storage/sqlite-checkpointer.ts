// A worker thread that checkpoints a SQLite database in WAL mode. A checkpoint copies the WAL into
// the database file and fsyncs it: 25–120 ms at 100k agents on the 2-core VM, during which the
// connection doing it would answer nothing. The server's connections turn automatic checkpoints off;
// this thread's own connection runs PASSIVE ones, which never block the writer or readers.
//
// A PASSIVE checkpoint alone never lets the WAL start over: the writer commits while it runs, so
// the WAL is never fully copied when the writer next begins, and it grew ~25 MB/s at 100k agents
// (1.6 GB in a minute). After each round the writer thread therefore checkpoints the few frames
// written meanwhile, between two of its transactions (sqlite-writer.ts): then the WAL is fully
// copied and its next transaction writes the WAL from the start again.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from './open-sqlite.ts';

// Marks this module's own worker: importing the module in some other worker must not start one.
const role = 'ring3-sqlite-checkpointer';

export type Checkpointer = { stop(): Promise<void> };

/** `onRound` is called after each checkpoint this thread completed. */
export function startCheckpointer(path: string, everyMs: number, onRound: () => void = () => {}): Checkpointer {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role, path, everyMs }, name: 'ring3-checkpoint' });
  // Without checkpoints the WAL only grows; queries stay correct, so a failure is not fatal.
  worker.on('error', () => {});
  worker.on('message', () => onRound());
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
      parentPort!.postMessage('round');
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
