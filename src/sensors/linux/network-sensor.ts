// Network sensor on sock_diag (network_connection), and the same worker over /proc/net as fallback.
import type { Sensor } from '../sensor.ts';
import { createWorkerSensor } from '../worker-sensor.ts';
import type { NetworkWorkerOptions } from './network-reader.ts';

export type NetworkSensorOptions = { name?: string; intervalMs?: number; hostName?: string };

export function createSockDiagNetworkSensor(options: NetworkSensorOptions = {}): Sensor {
  return networkSensor(options, 'inet-diag');
}

/** /proc/net listing: works without CAP_NET_ADMIN, but sees no sockets that close between listings. */
export function createProcNetNetworkSensor(options: NetworkSensorOptions = {}, reason = 'sock_diag unavailable'): Sensor {
  return networkSensor(options, 'proc-net', {
    reason,
    misses: ['connections that open and close between two listings', 'exact connection time'],
  });
}

function networkSensor(options: NetworkSensorOptions, source: NetworkWorkerOptions['source'], degraded?: { reason: string; misses: string[] }): Sensor {
  const workerOptions: NetworkWorkerOptions = {
    source,
    intervalMs: options.intervalMs ?? 1000,
    ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
  };
  return createWorkerSensor({
    name: options.name ?? 'network',
    kind: 'network',
    source: source === 'inet-diag' ? 'sock-diag' : 'proc-net',
    reader: 'network',
    options: workerOptions,
    ...(degraded ? { degraded } : {}),
  });
}
