// Worker-thread side of the protocol: posts event batches with a bound on what the main thread has
// not consumed yet (drops are counted, memory does not grow), and reads the stop flag.
import { flushCompileCache } from 'node:module';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { SensorEvent } from '../events/index.ts';
import { createBatchBound } from './batch-bound.ts';
import { control, type WorkerMessage, type WorkerStats } from './worker-protocol.ts';

export type WorkerChannel<Options> = {
  options: Options;
  wakeFd: number;
  stats: WorkerStats;
  post(events: SensorEvent[]): void;
  send(message: WorkerMessage): void;
  postStats(): void;
  stopRequested(): boolean;
  drainWake(): void;
  /** Messages the host posted (WorkerHost.post), oldest first; never blocks. */
  receive(): unknown[];
};

export function workerChannel<Options>(read: (fd: number, buf: Buffer, len: number) => number): WorkerChannel<Options> {
  // The worker's modules are loaded by now: with Node's compile cache on, write this thread's entries
  // (Node writes them only when the thread exits cleanly), so that later starts skip the TypeScript
  // parser here too (docs/sensors.md, "Memory").
  flushCompileCache();
  const data = workerData as { wakeFd: number; control: Int32Array; options: Options };
  const port = parentPort;
  if (!port) throw new Error('sensor worker started outside a worker thread');
  const stats: WorkerStats = { drops: 0, errors: 0, counters: {} };
  const bound = createBatchBound(data.control);
  const scratch = Buffer.alloc(8);
  return {
    options: data.options,
    wakeFd: data.wakeFd,
    stats,
    post(events) {
      if (events.length > 0 && bound.admit(events, stats)) port.postMessage({ type: 'events', events, stats } satisfies WorkerMessage);
    },
    send: (message) => port.postMessage(message),
    postStats: () => port.postMessage({ type: 'stats', stats } satisfies WorkerMessage),
    stopRequested: () => Atomics.load(data.control, control.stop) === 1,
    drainWake: () => void read(data.wakeFd, scratch, 8),
    receive() {
      const messages: unknown[] = [];
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) messages.push(m.message);
      return messages;
    },
  };
}
