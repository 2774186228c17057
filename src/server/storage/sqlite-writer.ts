// A worker thread with its own SQLite connection that runs the hot write transactions (heartbeats,
// alerts). node:sqlite is synchronous: on the main thread a 2,000-heartbeat transaction held the
// event loop for 60–110 ms (more on a busy machine), and every request waited behind it. Here the
// main thread only packs rows and posts one message per chunk (~0.5 ms per 1,000 rows); WAL mode
// lets the main thread's connection keep reading while this one writes.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from './open-sqlite.ts';
import { prepareBatchRunner, type BatchJob, type BatchOutcome, type BatchRunner, type SqlValue } from './sqlite-batch-writes.ts';

// Marks this module's own worker: importing the module in some other worker must not start one.
const role = 'ring3-sqlite-writer';

export type WriteKind = 'heartbeats' | 'alerts';

export type SqliteWriter = {
  /** Runs one transaction on the writer thread; resolves with one byte per row (1: stored now). */
  write(kind: WriteKind, values: SqlValue[]): Promise<Uint8Array>;
  /** Deletes up to `limit` heartbeats received before `before`, in one transaction; resolves with how many. */
  prune(before: number, limit: number): Promise<number>;
  /** Asks for a PASSIVE checkpoint between two transactions (after a checkpointer round: see sqlite-checkpointer.ts). */
  checkpoint(): void;
  /** Finishes the writes already sent, then ends the thread. */
  close(): Promise<void>;
};

type Job = BatchJob & { id: number };
type Request = { kind: 'jobs'; jobs: Job[]; checkpoint: boolean } | { kind: 'close' };
type Outcome = BatchOutcome & { id: number };
type Waiting = { resolve(stored: Uint8Array | number): void; reject(error: Error): void };

export type SqliteWriterOptions = {
  /**
   * How long a write waits, when none is in flight, for others to share its message. Each message
   * wakes two threads; on a busy 2-core machine the wake-ups, not the copying, were the cost (one
   * message per request: ~8 % of the main thread at 100k agents). Measured at 100k agents: 5 ms
   * gave p50 ≈ 15 ms at ~45 % CPU, 1 ms p50 ≈ 5 ms at ~53 %; p99 was alike.
   */
  lingerMs: number;
};

/** Column values per message (~1,000 heartbeats, ~2,000 alerts): ~25 ms of writing at most. */
const valuesPerMessage = 20_000;
const valuesOf = (job: Job) => (job.kind === 'prune' ? 0 : job.values.length);

export function startSqliteWriter(path: string, options: SqliteWriterOptions = { lingerMs: 2 }): SqliteWriter {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();
  // Jobs not yet sent; at most one message is in flight, and what queues meanwhile goes in the next.
  let queued: Job[] = [];
  let inFlight = false;
  let timer: NodeJS.Timeout | undefined;
  let checkpointWanted = false;
  let whenIdle: (() => void)[] = [];
  const settleIdle = () => {
    if (inFlight || queued.length > 0) return;
    for (const resolve of whenIdle) resolve();
    whenIdle = [];
  };

  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  // A thread that died (out of memory, a bug) fails what it had; the next write starts a new one.
  const spawn = (): Worker => {
    const started = new Worker(new URL(import.meta.url), { workerData: { role, path }, name: 'ring3-writer' });
    started.on('message', (outcomes: Outcome[]) => {
      inFlight = false;
      for (const outcome of outcomes) {
        const w = waiting.get(outcome.id);
        if (w === undefined) continue;
        waiting.delete(outcome.id);
        if (outcome.kind === 'ok') w.resolve(outcome.stored);
        else w.reject(Object.assign(new Error(`SQLite writer: ${outcome.message}`), { code: outcome.code }));
      }
      if (queued.length > 0 || checkpointWanted) flush();
      else if (waiting.size === 0) started.unref();
      settleIdle();
    });
    started.on('error', (error) => failAll(error instanceof Error ? error : new Error(String(error))));
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      inFlight = false;
      // What was sent is lost with the thread, and what was queued fails with it: callers answer
      // 503 and agents retry (writes are idempotent). The next write starts a new thread.
      queued = [];
      failAll(new Error(`SQLite writer thread exited (code ${code})`));
      settleIdle();
    });
    return started;
  };

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    if (inFlight || (queued.length === 0 && !checkpointWanted)) return;
    worker ??= spawn();
    // Referenced only while writes are in flight: an idle writer must not keep the process alive.
    worker.ref();
    inFlight = true;
    // One transaction per message: bounded, so a main-thread write waiting for the lock waits little.
    let size = 0;
    let count = 0;
    while (count < queued.length && (count === 0 || size + valuesOf(queued[count]!) <= valuesPerMessage)) size += valuesOf(queued[count++]!);
    worker.postMessage({ kind: 'jobs', jobs: queued.slice(0, count), checkpoint: checkpointWanted } satisfies Request);
    queued = queued.slice(count);
    checkpointWanted = false;
  }

  const send = (job: Job): Promise<Uint8Array | number> => {
    if (closed) return Promise.reject(new Error('SQLite writer is closed'));
    return new Promise((resolve, reject) => {
      waiting.set(job.id, { resolve, reject });
      queued.push(job);
      if (!inFlight && timer === undefined) timer = setTimeout(flush, options.lingerMs);
    });
  };

  return {
    write: async (kind, values) => await send({ id: nextId++, kind, values }) as Uint8Array,
    prune: async (before, limit) => await send({ id: nextId++, kind: 'prune', before, limit }) as number,
    checkpoint() {
      if (closed || worker === undefined) return;
      checkpointWanted = true;
      if (!inFlight) flush();
    },
    async close() {
      closed = true;
      flush();
      await new Promise<void>((resolve) => {
        whenIdle.push(resolve);
        settleIdle();
      });
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
  let runner: BatchRunner | undefined;
  let closeDb = () => {};
  let checkpoint = () => {};
  const open = (): BatchRunner => {
    const db = openSqlite(path);
    // The checkpointer thread does the bulk of checkpointing (sqlite-checkpointer.ts).
    db.exec('PRAGMA wal_autocheckpoint = 0');
    closeDb = () => db.close();
    checkpoint = () => {
      try {
        db.exec('PRAGMA wal_checkpoint(PASSIVE)');
      } catch {
        // Busy: the next round tries again.
      }
    };
    return prepareBatchRunner(db, 'per-kind');
  };
  port.on('message', (request: Request) => {
    if (request.kind === 'close') {
      closeDb();
      port.close();
      return;
    }
    let outcomes: BatchOutcome[];
    try {
      runner ??= open();
      outcomes = runner.run(request.jobs);
      if (request.checkpoint) checkpoint();
    } catch (error) {
      // Opening failed (or a bug): every job of the message fails with the reason; the next retries.
      const code = (error as { code?: unknown }).code;
      outcomes = request.jobs.map(() => ({ kind: 'error', message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined }));
    }
    const replies: Outcome[] = outcomes.map((outcome, i) => ({ ...outcome, id: request.jobs[i]!.id }));
    port.postMessage(replies, outcomes.flatMap((o) => o.kind === 'ok' && typeof o.stored !== 'number' ? [o.stored.buffer as ArrayBuffer] : []));
  });
}
