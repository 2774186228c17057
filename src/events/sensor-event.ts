// The closed set of events sensors emit, and the Sigma log source each one is evaluated under.
import type { FileEvent } from './file-event.ts';
import type { NetworkConnectionEvent } from './network-connection.ts';
import type { ProcessCreationEvent, ProcessTerminationEvent } from './process-creation.ts';

export type SensorEvent = ProcessCreationEvent | ProcessTerminationEvent | FileEvent | NetworkConnectionEvent;
export type SensorEventKind = SensorEvent['kind'];
export const sensorEventKinds: readonly SensorEventKind[] = [
  'process_creation',
  'process_termination',
  'file_event',
  'network_connection',
];

export type Logsource = { product: 'linux'; category: string };

/**
 * Deletions go to Sigma's file_delete category: a file_event rule ("a file named X appeared") would
 * otherwise fire when X is removed.
 */
export function logsourceOf(event: SensorEvent): Logsource {
  switch (event.kind) {
    case 'process_creation':
    case 'process_termination':
    case 'network_connection':
      return { product: 'linux', category: event.kind };
    case 'file_event':
      return { product: 'linux', category: event.action === 'deleted' ? 'file_delete' : 'file_event' };
  }
}
