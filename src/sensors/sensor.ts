// The one interface every sensor implements, so the agent can start, stop and watch them alike.
import type { SensorEvent } from '../events/index.ts';

export type SensorKind = 'process' | 'file' | 'network' | 'exec_permission' | 'replay';

/**
 * running: the full kernel interface works. degraded: a fallback runs and `misses` says what it cannot
 * see. failed: nothing runs (see `reason`). stopped: not started or stopped on request.
 */
export type SensorState = 'running' | 'degraded' | 'failed' | 'stopped';

export type SensorStatus = {
  name: string;
  kind: SensorKind;
  state: SensorState;
  /** The interface in use, e.g. "netlink-proc-connector", "proc-polling", "fanotify-dfid-name". */
  source: string;
  /** What this sensor cannot see in its current mode (empty when complete). */
  misses: string[];
  /** Why the sensor is degraded or failed. */
  reason?: string;
  /** Events handed to the sink. */
  events: number;
  /** Events known to be lost (kernel buffer overruns, queue overflows, full worker queues). */
  drops: number;
  /** Errors the sensor recovered from (unreadable /proc entries, malformed replay lines, ...). */
  errors: number;
  /** Sensor-specific counters, e.g. exec verdicts allowed / denied / timed out, buffer resizes. */
  counters: Record<string, number>;
};

/** Receives events on the main thread, in the order the sensor saw them. It must not throw. */
export type EventSink = (event: SensorEvent) => void;

export type Sensor = {
  readonly name: string;
  readonly kind: SensorKind;
  /** Resolves once the sensor runs (or has failed or degraded); never rejects. */
  start(sink: EventSink): Promise<SensorStatus>;
  /** Releases every kernel resource; resolves when done, never rejects. */
  stop(): Promise<void>;
  status(): SensorStatus;
};
