// File sensor on fanotify (file_event).
import type { Sensor } from '../sensor.ts';
import { createWorkerSensor } from '../worker-sensor.ts';
import type { FanotifyFileOptions } from './fanotify-file-reader.ts';

export type FileSensorOptions = { name?: string; mounts: string[]; prefixes?: string[]; hostName?: string };

export function createFanotifyFileSensor(options: FileSensorOptions): Sensor {
  const workerOptions: FanotifyFileOptions = {
    mounts: options.mounts,
    prefixes: options.prefixes ?? [],
    ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
  };
  return createWorkerSensor({
    name: options.name ?? 'file',
    kind: 'file',
    source: 'fanotify-dfid-name',
    reader: 'fanotify-file',
    options: workerOptions,
  });
}
