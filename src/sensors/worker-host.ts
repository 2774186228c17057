// Main-thread side of a sensor worker. Kernel reads block inside the worker (poll() on the kernel fd
// and an eventfd), so the main thread never waits on the kernel; stop() writes the eventfd to wake it.
import { Worker } from 'node:worker_threads';
import type { SensorEvent } from '../events/index.ts';
import { libc, signalEventFd } from './linux/libc.ts';
import { workerLaunch } from './worker-loader.ts';
import { control, type WorkerMessage, type WorkerStats } from './worker-protocol.ts';

export type WorkerStart = { ok: true; source: string; misses: string[] } | { ok: false; reason: string };

export type WorkerHostOptions = {
  url: URL;
  options: unknown;
  onEvents(events: SensorEvent[]): void;
  onStats(stats: WorkerStats): void;
  /** Called when the worker dies after it started. */
  onFailure(reason: string): void;
  onOther?(message: WorkerMessage): void;
};

export type WorkerHost = {
  started: Promise<WorkerStart>;
  stop(): Promise<void>;
  /** Wakes the worker out of poll() (used to deliver verdicts). */
  wake(): void;
  /** Queues a message the worker takes with receiveMessageOnPort (follow with wake()). */
  post(message: unknown): void;
  control: Int32Array;
};

const stopTimeoutMs = 2000;

export function startWorker(options: WorkerHostOptions): WorkerHost {
  const c = libc();
  const wakeFd = c.eventfd(0, 0x80000 | 0x800); // EFD_CLOEXEC | EFD_NONBLOCK
  const shared = new Int32Array(new SharedArrayBuffer(control.size * 4));
  let stopping = false;
  let exited = false;
  let settle: (start: WorkerStart) => void = () => {};
  const started = new Promise<WorkerStart>((resolve) => {
    settle = resolve;
  });
  if (wakeFd < 0) {
    settle({ ok: false, reason: `eventfd failed (errno ${c.errno()})` });
    return { started, stop: async () => {}, wake: () => {}, post: () => {}, control: shared };
  }
  const launch = workerLaunch(options.url);
  const worker = new Worker(launch.code, {
    eval: launch.eval,
    workerData: { wakeFd, control: shared, options: options.options, ...(launch.eval ? { boot: launch.boot } : {}) },
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 48 },
  });
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: WorkerMessage) => {
    switch (message.type) {
      case 'ready':
        settle({ ok: true, source: message.source, misses: message.misses });
        break;
      case 'failed':
        settle({ ok: false, reason: message.reason });
        break;
      case 'events':
        Atomics.add(shared, control.consumed, 1);
        options.onStats(message.stats);
        options.onEvents(message.events);
        break;
      case 'stats':
        options.onStats(message.stats);
        break;
      default:
        options.onOther?.(message);
    }
  });
  worker.on('error', (error) => {
    settle({ ok: false, reason: `worker crashed: ${error.message}` });
    if (!stopping) options.onFailure(`worker crashed: ${error.message}`);
  });
  worker.on('exit', (code) => {
    exited = true;
    c.close(wakeFd);
    settle({ ok: false, reason: `worker exited with code ${code} before it was ready` });
    if (!stopping && code !== 0) options.onFailure(`worker exited with code ${code}`);
  });
  return {
    started,
    control: shared,
    wake: () => {
      if (!exited) signalEventFd(c, wakeFd);
    },
    post: (message) => {
      if (!exited) worker.postMessage(message);
    },
    async stop() {
      if (exited) return;
      stopping = true;
      Atomics.store(shared, control.stop, 1);
      signalEventFd(c, wakeFd);
      const timer = setTimeout(() => void worker.terminate(), stopTimeoutMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
