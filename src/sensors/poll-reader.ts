// A reader that shares the poll worker (poll-worker.ts) with other readers: instead of owning a
// thread and a loop, it names the fds it waits on and when it next wants a timer, and the worker's one
// poll() calls it back. Readers that block elsewhere (the process connector's real-time recv(), the
// exec permission deadlines) keep their own worker.
import type { SensorEvent } from '../events/index.ts';
import type { Libc } from './linux/libc.ts';
import type { WorkerStats } from './worker-protocol.ts';

export type ReaderContext<Options> = {
  options: Options;
  libc: Libc;
  /** Cumulative; the worker posts them every second. */
  stats: WorkerStats;
  /** Hands a batch to the main thread (bounded: drops are counted when it falls behind). */
  post(events: SensorEvent[]): void;
};

export type Reader = {
  /** Descriptors to wait on for readability. Read on every loop turn, so it may change. */
  fds(): readonly number[];
  /** fds()[index] is readable. */
  readable(index: number, nowMs: number): void;
  /** Wall-clock ms when tick() is next wanted; Infinity for never. */
  due(): number;
  tick(nowMs: number): void;
  /** Refreshes counters right before the worker posts stats. */
  refreshStats?(): void;
  /** Releases every kernel resource. */
  close(): void;
};

export type ReaderStart = { ok: true; reader: Reader; source: string; misses: string[] } | { ok: false; reason: string };

export type ReaderFactory<Options> = (context: ReaderContext<Options>) => ReaderStart;
