// Main-thread side of the shared poll worker: readers attach and detach one by one, the worker starts
// with the first and stops with the last, so an idle ring3 holds no thread and a running one holds one
// for all its poll()-based readers. Every batch is acknowledged, even for a reader already detached,
// so the worker's in-flight bound never fills up with batches nobody will consume.
import type { SensorEvent } from '../events/index.ts';
import { startWorker, type WorkerHost, type WorkerStart } from './worker-host.ts';
import { control, type PollControl, type ReaderName, type WorkerMessage, type WorkerStats } from './worker-protocol.ts';

export type ReaderCallbacks = {
  onEvents(events: SensorEvent[]): void;
  onStats(stats: WorkerStats): void;
  /** The reader (or the whole worker) died after it started. */
  onFailure(reason: string): void;
};

export type AttachedReader = { started: Promise<WorkerStart>; stop(): Promise<void> };

export type PollPool = { attach(reader: ReaderName, options: unknown, callbacks: ReaderCallbacks): AttachedReader };

type Entry = { callbacks: ReaderCallbacks; settle(start: WorkerStart): void; settled: boolean; closed?: () => void };

const closeTimeoutMs = 2000;
let shared: PollPool | undefined;

/** The process-wide pool every poll()-based sensor uses unless given its own. */
export function sharedPollPool(): PollPool {
  shared ??= createPollPool();
  return shared;
}

export function createPollPool(url = new URL('./poll-worker.ts', import.meta.url)): PollPool {
  let host: WorkerHost | undefined;
  let hostStarted: Promise<WorkerStart> = Promise.resolve({ ok: false, reason: 'not started' });
  let stopping: Promise<void> = Promise.resolve();
  const entries = new Map<number, Entry>();
  let nextId = 1;

  const dispatch = (message: WorkerMessage) => {
    if (message.type === 'reader-events' && host) Atomics.add(host.control, control.consumed, 1);
    if (!('id' in message)) return;
    const entry = entries.get(message.id);
    if (!entry) return;
    switch (message.type) {
      case 'reader-ready':
        entry.settle({ ok: true, source: message.source, misses: message.misses });
        break;
      case 'reader-failed':
        if (entry.settled) entry.callbacks.onFailure(message.reason);
        entry.settle({ ok: false, reason: message.reason });
        break;
      case 'reader-events':
        entry.callbacks.onStats(message.stats);
        entry.callbacks.onEvents(message.events);
        break;
      case 'reader-stats':
        entry.callbacks.onStats(message.stats);
        break;
      case 'reader-closed':
        entry.closed?.();
        break;
    }
  };

  const ensureWorker = async (): Promise<WorkerStart> => {
    await stopping;
    if (!host) {
      const started = startWorker({
        url, options: {}, onEvents: () => {}, onStats: () => {}, onOther: dispatch,
        onFailure(reason) {
          host = undefined;
          for (const entry of entries.values()) {
            if (entry.settled) entry.callbacks.onFailure(`poll worker: ${reason}`);
            entry.settle({ ok: false, reason: `poll worker: ${reason}` });
            entry.closed?.();
          }
        },
      });
      host = started;
      hostStarted = started.started;
    }
    return hostStarted;
  };

  const release = async (id: number) => {
    entries.delete(id);
    if (entries.size > 0 || !host) return;
    const last = host;
    host = undefined;
    stopping = last.stop();
    await stopping;
  };

  return {
    attach(reader, options, callbacks) {
      const id = nextId++;
      let settle: (start: WorkerStart) => void = () => {};
      const result = new Promise<WorkerStart>((resolve) => {
        settle = resolve;
      });
      const entry: Entry = {
        callbacks,
        settled: false,
        settle(start) {
          if (entry.settled) return;
          entry.settled = true;
          settle(start);
        },
      };
      entries.set(id, entry);
      const started = ensureWorker().then((worker) => {
        if (!worker.ok) entry.settle({ ok: false, reason: `poll worker: ${worker.reason}` });
        else if (host) {
          host.post({ type: 'add', id, reader, options } satisfies PollControl);
          host.wake();
        }
        return result;
      });
      return {
        started,
        async stop() {
          await started;
          if (!entries.has(id)) return;
          const current = host;
          if (current) {
            const closed = new Promise<void>((resolve) => {
              entry.closed = resolve;
              setTimeout(resolve, closeTimeoutMs).unref();
            });
            current.post({ type: 'remove', id } satisfies PollControl);
            current.wake();
            await closed;
          }
          await release(id);
        },
      };
    },
  };
}
