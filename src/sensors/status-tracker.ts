// Counters and state behind Sensor.status(), shared by every sensor implementation.
import type { SensorKind, SensorState, SensorStatus } from './sensor.ts';

export type StatusTracker = {
  snapshot(): SensorStatus;
  set(update: Partial<Pick<SensorStatus, 'state' | 'source' | 'misses' | 'reason'>>): void;
  add(counter: 'events' | 'drops' | 'errors', n?: number): void;
  count(name: string, n?: number): void;
  setCounter(name: string, value: number): void;
};

export function createStatusTracker(name: string, kind: SensorKind, source: string): StatusTracker {
  let state: SensorState = 'stopped';
  let currentSource = source;
  let misses: string[] = [];
  let reason: string | undefined;
  const totals = { events: 0, drops: 0, errors: 0 };
  const counters: Record<string, number> = {};
  return {
    snapshot: () => ({
      name, kind, state, source: currentSource, misses: [...misses], ...(reason === undefined ? {} : { reason }),
      ...totals, counters: { ...counters },
    }),
    set(update) {
      if (update.state !== undefined) state = update.state;
      if (update.source !== undefined) currentSource = update.source;
      if (update.misses !== undefined) misses = [...update.misses];
      if ('reason' in update) reason = update.reason;
    },
    add(counter, n = 1) {
      totals[counter] += n;
    },
    count(counterName, n = 1) {
      counters[counterName] = (counters[counterName] ?? 0) + n;
    },
    setCounter(counterName, value) {
      counters[counterName] = value;
    },
  };
}
