// The bound on event batches a worker has posted and the main thread has not consumed yet: past
// `maxBatchesInFlight`, a batch is dropped and counted instead of growing memory. Both kinds of
// worker (worker-channel.ts, poll-worker.ts) post through it.
import { control, maxBatchesInFlight, type WorkerStats } from './worker-protocol.ts';

export type BatchBound = {
  /** true: post the batch (counted as in flight); false: it was dropped and counted in `stats`. */
  admit(events: readonly unknown[], stats: WorkerStats): boolean;
};

export function createBatchBound(shared: Int32Array): BatchBound {
  let posted = 0;
  return {
    admit(events, stats) {
      if (posted - Atomics.load(shared, control.consumed) >= maxBatchesInFlight) {
        stats.drops += events.length;
        stats.counters['queue_full_drops'] = (stats.counters['queue_full_drops'] ?? 0) + events.length;
        return false;
      }
      posted += 1;
      return true;
    },
  };
}
