// Process sensor on the netlink process connector (process_creation and process_termination).
import type { Sensor } from '../sensor.ts';
import { createWorkerSensor } from '../worker-sensor.ts';
import type { ProcConnectorOptions } from './proc-connector-worker.ts';

export type ProcessSensorOptions = Partial<ProcConnectorOptions> & { name?: string };

export function createProcConnectorSensor(options: ProcessSensorOptions = {}): Sensor {
  const workerOptions: ProcConnectorOptions = {
    emitTerminations: options.emitTerminations ?? true,
    exitedTtlMs: options.exitedTtlMs ?? 60_000,
    initialBufferBytes: options.initialBufferBytes ?? 4 * 1024 * 1024,
    maxBufferBytes: options.maxBufferBytes ?? 64 * 1024 * 1024,
    scheduling: options.scheduling ?? { mode: 'realtime', budgetPct: 25 },
    ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
  };
  return createWorkerSensor({
    name: options.name ?? 'process',
    kind: 'process',
    source: 'netlink-proc-connector',
    url: new URL('./proc-connector-worker.ts', import.meta.url),
    options: workerOptions,
  });
}
