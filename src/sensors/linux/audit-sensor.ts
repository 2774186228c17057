// Audit sensor: the audit multicast reader (audit-reader.ts) as a registered sensor. In `supplement`
// mode its exec records fill the process sensor's incomplete events (exec-join.ts) instead of being
// emitted; in `events` mode they are process_creation events of their own (when the process sensor is
// off, or for hunting with audit as the only source).
import type { ExecJoin } from '../exec-join.ts';
import type { EventSink, Sensor, SensorStatus } from '../sensor.ts';
import { createWorkerSensor } from '../worker-sensor.ts';
import type { AuditReaderOptions } from './audit-reader.ts';

export type AuditMode = 'supplement' | 'events';

export type AuditSensorOptions = { name?: string; hostName?: string; mode?: AuditMode; join?: ExecJoin; bufferBytes?: number };

export function createAuditSensor(options: AuditSensorOptions = {}): Sensor {
  const mode = options.mode ?? (options.join ? 'supplement' : 'events');
  const readerOptions: AuditReaderOptions = {
    bufferBytes: options.bufferBytes ?? 8 * 1024 * 1024,
    disabledIsMiss: mode === 'events',
    ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
  };
  const inner = createWorkerSensor({ name: options.name ?? 'audit', kind: 'process', source: 'audit-multicast', reader: 'audit', options: readerOptions });
  const join = mode === 'supplement' ? options.join : undefined;
  return {
    name: inner.name,
    kind: inner.kind,
    start: (sink: EventSink) => inner.start(join ? (event) => join.fromAudit(event) : sink),
    stop: () => inner.stop(),
    status(): SensorStatus {
      const status = inner.status();
      return { ...status, counters: { ...status.counters, ...(join ? join.counters() : {}) } };
    },
  };
}

/** The process sensor with its events passed through the join on their way to the sink. */
export function joinedWithAudit(sensor: Sensor, join: ExecJoin): Sensor {
  return {
    name: sensor.name,
    kind: sensor.kind,
    start: (sink: EventSink) => sensor.start((event) => join.fromProcess(event, sink)),
    async stop() {
      await sensor.stop();
      join.release();
    },
    status: () => sensor.status(),
  };
}
