// Holds the sensors the agent runs. A duplicate name is a wiring bug, so it fails loudly at start-up
// instead of silently shadowing a sensor.
import type { SensorEvent } from '../events/index.ts';
import type { EventSink, Sensor, SensorStatus } from './sensor.ts';

export type SensorRegistry = {
  register(sensor: Sensor): void;
  list(): readonly Sensor[];
  get(name: string): Sensor | undefined;
  /** Starts every sensor with the same sink; a sink that throws is counted, never propagated. */
  startAll(sink: EventSink): Promise<SensorStatus[]>;
  /** Stops every sensor, even when one of them fails to stop. */
  stopAll(): Promise<void>;
  statuses(): SensorStatus[];
  sinkErrors(): number;
};

export class DuplicateSensorError extends Error {
  readonly code = 'sensors.duplicate-name';
  constructor(name: string) {
    super(`Cannot register sensor "${name}": a sensor with this name is already registered`);
  }
}

export function createSensorRegistry(sensors: readonly Sensor[] = []): SensorRegistry {
  const byName = new Map<string, Sensor>();
  let sinkErrors = 0;
  const registry: SensorRegistry = {
    register(sensor) {
      if (byName.has(sensor.name)) throw new DuplicateSensorError(sensor.name);
      byName.set(sensor.name, sensor);
    },
    list: () => [...byName.values()],
    get: (name) => byName.get(name),
    async startAll(sink) {
      const guarded = (event: SensorEvent) => {
        try {
          sink(event);
        } catch {
          sinkErrors += 1;
        }
      };
      return Promise.all([...byName.values()].map((sensor) => sensor.start(guarded)));
    },
    async stopAll() {
      await Promise.allSettled([...byName.values()].map((sensor) => sensor.stop()));
    },
    statuses: () => [...byName.values()].map((sensor) => sensor.status()),
    sinkErrors: () => sinkErrors,
  };
  for (const sensor of sensors) registry.register(sensor);
  return registry;
}
