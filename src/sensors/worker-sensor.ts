// A Sensor whose kernel work runs in a worker thread (see worker-host.ts).
import type { EventSink, Sensor, SensorKind, SensorStatus } from './sensor.ts';
import { createStatusTracker } from './status-tracker.ts';
import { startWorker, type WorkerHost } from './worker-host.ts';
import type { WorkerMessage } from './worker-protocol.ts';

export type WorkerSensorOptions = {
  name: string;
  kind: SensorKind;
  source: string;
  url: URL;
  options: unknown;
  /** Set when this sensor is itself a fallback: it then reports degraded with these misses. */
  degraded?: { reason: string; misses: string[] };
  onMessage?(message: WorkerMessage, host: WorkerHost): void;
};

export function createWorkerSensor(options: WorkerSensorOptions): Sensor {
  const tracker = createStatusTracker(options.name, options.kind, options.source);
  let host: WorkerHost | undefined;
  return {
    name: options.name,
    kind: options.kind,
    async start(sink: EventSink): Promise<SensorStatus> {
      if (host) return tracker.snapshot();
      const started = startWorker({
        url: options.url,
        options: options.options,
        onEvents(events) {
          tracker.add('events', events.length);
          for (const event of events) sink(event);
        },
        onStats(stats) {
          tracker.set({});
          for (const [name, value] of Object.entries(stats.counters)) tracker.setCounter(name, value);
          tracker.setCounter('worker_drops', stats.drops);
          tracker.setCounter('worker_errors', stats.errors);
        },
        onFailure(reason) {
          tracker.set({ state: 'failed', reason });
        },
        onOther: (message) => options.onMessage?.(message, started),
      });
      host = started;
      const result = await started.started;
      if (!result.ok) {
        tracker.set({ state: 'failed', reason: result.reason });
        await started.stop();
        host = undefined;
      } else if (options.degraded) {
        tracker.set({ state: 'degraded', source: result.source, misses: [...options.degraded.misses, ...result.misses], reason: options.degraded.reason });
      } else {
        tracker.set({ state: result.misses.length > 0 ? 'degraded' : 'running', source: result.source, misses: result.misses });
      }
      return status();
    },
    async stop() {
      const current = host;
      host = undefined;
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
