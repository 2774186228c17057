// The fallback sensors: each reports degraded, with what it cannot see, from its first status.
import type { Sensor } from '../sensor.ts';
import { createWorkerSensor } from '../worker-sensor.ts';
import type { InotifyOptions } from './inotify-reader.ts';
import type { ProcPollOptions } from './proc-poll-reader.ts';

export type ProcPollSensorOptions = { name?: string; intervalMs?: number; emitTerminations?: boolean; hostName?: string };

export function createProcPollSensor(options: ProcPollSensorOptions = {}, reason = 'netlink process connector unavailable'): Sensor {
  const workerOptions: ProcPollOptions = {
    intervalMs: options.intervalMs ?? 250,
    emitTerminations: options.emitTerminations ?? true,
    ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
  };
  return createWorkerSensor({
    name: options.name ?? 'process',
    kind: 'process',
    source: 'proc-polling',
    reader: 'proc-poll',
    options: workerOptions,
    degraded: {
      reason,
      misses: [
        `processes shorter than the polling interval (${workerOptions.intervalMs} ms)`,
        'an exec that replaces the image of a running process',
        'exact start times and exit codes',
      ],
    },
  });
}

export type InotifySensorOptions = { name?: string; paths: string[]; maxWatches?: number; hostName?: string };

export function createInotifySensor(options: InotifySensorOptions, reason = 'fanotify unavailable'): Sensor {
  const workerOptions: InotifyOptions = {
    paths: options.paths,
    maxWatches: options.maxWatches ?? 8192,
    ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
  };
  return createWorkerSensor({
    name: options.name ?? 'file',
    kind: 'file',
    source: 'inotify',
    reader: 'inotify',
    options: workerOptions,
    degraded: { reason, misses: [] },
  });
}
