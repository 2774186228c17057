// Messages and shared-memory slots between a sensor worker and its host. Kept apart from both sides
// so neither imports the other's runtime code.
import type { SensorEvent } from '../events/index.ts';

export type WorkerStats = { drops: number; errors: number; counters: Record<string, number> };

export type WorkerMessage =
  | { type: 'ready'; source: string; misses: string[] }
  | { type: 'failed'; reason: string }
  | { type: 'events'; events: SensorEvent[]; stats: WorkerStats }
  | { type: 'stats'; stats: WorkerStats }
  | { type: 'verdict-request'; slot: number; request: ExecRequest }
  | { type: 'exec-denied'; exec: Omit<ExecRequest, 'generation'>; ruleId: string }
  | { type: 'decider-failed'; reason: string }
  // The poll worker (poll-worker.ts) hosts several readers; its messages name the reader.
  | { type: 'reader-ready'; id: number; source: string; misses: string[] }
  | { type: 'reader-failed'; id: number; reason: string }
  | { type: 'reader-events'; id: number; events: SensorEvent[]; stats: WorkerStats }
  | { type: 'reader-stats'; id: number; stats: WorkerStats }
  | { type: 'reader-closed'; id: number };

/** The readers the poll worker knows (its explicit list is in poll-worker.ts). */
export type ReaderName = 'fanotify-file' | 'network' | 'inotify' | 'proc-poll' | 'audit';

/** Main thread → poll worker, followed by a write to its eventfd so poll() returns. */
export type PollControl = { type: 'add'; id: number; reader: ReaderName; options: unknown } | { type: 'remove'; id: number };

/**
 * An exec the kernel holds until ring3 answers (FAN_OPEN_EXEC_PERM). `path` is the file about to run;
 * `currentImage` is what the process runs now (usually the shell that forked it). The new command
 * line is not readable yet: the kernel has not replaced /proc/<pid>/cmdline at this point.
 */
export type ExecRequest = { pid: number; path: string; currentImage?: string; generation: number };

/** Int32 slots in the shared control buffer. */
export const control = { stop: 0, consumed: 1, size: 2 } as const;

/** Batches a worker may have in flight before it drops (and counts) instead of growing memory. */
export const maxBatchesInFlight = 2048;
