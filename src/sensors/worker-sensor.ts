// A Sensor whose kernel work runs off the main thread: in a worker of its own (`url`, see
// worker-host.ts) or as a reader in the shared poll worker (`reader`, see poll-pool.ts).
import type { EventSink, Sensor, SensorKind, SensorStatus } from './sensor.ts';
import { createStatusTracker } from './status-tracker.ts';
import { sharedPollPool, type PollPool, type ReaderCallbacks } from './poll-pool.ts';
import { startWorker, type WorkerHost, type WorkerStart } from './worker-host.ts';
import type { ReaderName, WorkerMessage } from './worker-protocol.ts';

type Placement =
  | { url: URL; onMessage?(message: WorkerMessage, host: WorkerHost): void; onHost?(host: WorkerHost | undefined): void }
  | { reader: ReaderName; pool?: PollPool };

export type WorkerSensorOptions = Placement & {
  name: string;
  kind: SensorKind;
  source: string;
  options: unknown;
  /** Set when this sensor is itself a fallback: it then reports degraded with these misses. */
  degraded?: { reason: string; misses: string[] };
};

type Running = { started: Promise<WorkerStart>; stop(): Promise<void> };

export function createWorkerSensor(options: WorkerSensorOptions): Sensor {
  const tracker = createStatusTracker(options.name, options.kind, options.source);
  let running: Running | undefined;
  const launch = (sink: EventSink): Running => {
    const callbacks: ReaderCallbacks = {
      onEvents(events) {
        tracker.add('events', events.length);
        for (const event of events) sink(event);
      },
      onStats(stats) {
        for (const [name, value] of Object.entries(stats.counters)) tracker.setCounter(name, value);
        tracker.setCounter('worker_drops', stats.drops);
        tracker.setCounter('worker_errors', stats.errors);
      },
      onFailure(reason) {
        tracker.set({ state: 'failed', reason });
      },
    };
    if ('reader' in options) return (options.pool ?? sharedPollPool()).attach(options.reader, options.options, callbacks);
    const host: WorkerHost = startWorker({ url: options.url, options: options.options, ...callbacks, onOther: (message) => options.onMessage?.(message, host) });
    options.onHost?.(host);
    return host;
  };
  return {
    name: options.name,
    kind: options.kind,
    async start(sink: EventSink): Promise<SensorStatus> {
      if (running) return status();
      const current = launch(sink);
      running = current;
      const result = await current.started;
      if (!result.ok) {
        tracker.set({ state: 'failed', reason: result.reason });
        await current.stop();
        running = undefined;
      } else if (options.degraded) {
        tracker.set({ state: 'degraded', source: result.source, misses: [...options.degraded.misses, ...result.misses], reason: options.degraded.reason });
      } else {
        tracker.set({ state: result.misses.length > 0 ? 'degraded' : 'running', source: result.source, misses: result.misses });
      }
      return status();
    },
    async stop() {
      const current = running;
      running = undefined;
      if ('url' in options) options.onHost?.(undefined);
      if (current) await current.stop();
      if (tracker.snapshot().state !== 'failed') tracker.set({ state: 'stopped' });
    },
    status,
  };

  function status(): SensorStatus {
    const snap = tracker.snapshot();
    // Worker-side drops and errors are cumulative counters; fold them into the common totals.
    const { worker_drops: drops = 0, worker_errors: errors = 0, ...counters } = snap.counters;
    return { ...snap, drops: snap.drops + drops, errors: snap.errors + errors, counters };
  }
}
