// Worker thread shared by the readers that wait in poll() (file, network, audit and the fallbacks):
// one thread, one V8 heap and one poll() over all their fds plus the wake eventfd, instead of one of
// each per sensor. A reader that throws is closed and reported failed; the others keep running.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { SensorEvent } from '../events/index.ts';
import { createInotifyReader } from './fallback/inotify-reader.ts';
import { createProcPollReader } from './fallback/proc-poll-reader.ts';
import { createAuditReader } from './linux/audit-reader.ts';
import { createFanotifyFileReader } from './linux/fanotify-file-reader.ts';
import { libc, pollReadable } from './linux/libc.ts';
import { createNetworkReader } from './linux/network-reader.ts';
import type { Reader, ReaderContext, ReaderFactory } from './poll-reader.ts';
import { createBatchBound } from './batch-bound.ts';
import { control, type PollControl, type ReaderName, type WorkerMessage, type WorkerStats } from './worker-protocol.ts';

const factories: Record<ReaderName, ReaderFactory<never>> = {
  'fanotify-file': createFanotifyFileReader,
  network: createNetworkReader,
  inotify: createInotifyReader,
  'proc-poll': createProcPollReader,
  audit: createAuditReader,
};

const data = workerData as { wakeFd: number; control: Int32Array };
const port = parentPort!;
const c = libc();
const readers = new Map<number, { reader: Reader; stats: WorkerStats }>();
const scratch = Buffer.alloc(8);
const bound = createBatchBound(data.control);

port.postMessage({ type: 'ready', source: 'poll-worker', misses: [] } satisfies WorkerMessage);
let lastStats = Date.now();
while (Atomics.load(data.control, control.stop) !== 1) {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) handle(m.message as PollControl);
  const fds: number[] = [data.wakeFd];
  const owners: [id: number, index: number][] = [[-1, 0]];
  let due = Date.now() + 1000;
  for (const [id, { reader }] of readers) {
    guard(id, () => {
      reader.fds().forEach((fd, index) => {
        fds.push(fd);
        owners.push([id, index]);
      });
      due = Math.min(due, reader.due());
    });
  }
  const ready = pollReadable(c, fds, Math.max(0, due - Date.now()));
  const now = Date.now();
  for (const i of ready) {
    const [id, index] = owners[i]!;
    if (id === -1) c.read(data.wakeFd, scratch, 8);
    else {
      const entry = readers.get(id);
      if (entry) guard(id, () => entry.reader.readable(index, now));
    }
  }
  for (const [id, { reader }] of readers) guard(id, () => reader.due() <= now && reader.tick(now));
  if (now - lastStats >= 1000) {
    lastStats = now;
    for (const [id, { reader, stats }] of readers) {
      guard(id, () => reader.refreshStats?.());
      port.postMessage({ type: 'reader-stats', id, stats } satisfies WorkerMessage);
    }
  }
}
for (const id of [...readers.keys()]) close(id);

function handle(message: PollControl): void {
  if (message.type === 'remove') {
    close(message.id);
    port.postMessage({ type: 'reader-closed', id: message.id } satisfies WorkerMessage);
    return;
  }
  const { id } = message;
  const stats: WorkerStats = { drops: 0, errors: 0, counters: {} };
  const context: ReaderContext<unknown> = { options: message.options, libc: c, stats, post: (events) => post(id, events, stats) };
  try {
    const started = (factories[message.reader] as ReaderFactory<unknown>)(context);
    if (!started.ok) {
      port.postMessage({ type: 'reader-failed', id, reason: started.reason } satisfies WorkerMessage);
      return;
    }
    readers.set(id, { reader: started.reader, stats });
    port.postMessage({ type: 'reader-ready', id, source: started.source, misses: started.misses } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage({ type: 'reader-failed', id, reason: `${message.reader} reader failed to start: ${(error as Error).message}` } satisfies WorkerMessage);
  }
}

function post(id: number, events: SensorEvent[], stats: WorkerStats): void {
  if (events.length > 0 && bound.admit(events, stats)) port.postMessage({ type: 'reader-events', id, events, stats } satisfies WorkerMessage);
}

function guard(id: number, run: () => unknown): void {
  if (!readers.has(id)) return;
  try {
    run();
  } catch (error) {
    close(id);
    port.postMessage({ type: 'reader-failed', id, reason: `reader crashed: ${(error as Error).message}` } satisfies WorkerMessage);
  }
}

function close(id: number): void {
  const entry = readers.get(id);
  readers.delete(id);
  try {
    entry?.reader.close();
  } catch {
    // Closing is best effort: the fds go away with the worker at the latest.
  }
}
