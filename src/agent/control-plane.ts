// The agent's view of the control plane: the calls it makes and the shapes it sends, as documented in
// docs/server.md. The agent does not import the server; the CLI passes in a client that satisfies this
// port (the server's own agent client does, checked by the compiler where the CLI wires it).
import type { AlertUploadPayload } from './alert.ts';

export type PortResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; status: number; error: { code: string; message: string } }
  | { kind: 'unavailable'; message: string };

export type HeartbeatSensorState = 'running' | 'degraded' | 'failed' | 'disabled';

export type HeartbeatPayload = {
  bootId: string;
  seq: number;
  sentAt: string;
  intervalS: number;
  versions: { agent: string; content: string | null };
  ring: number | null;
  tags: string[];
  sensors: { name: string; state: HeartbeatSensorState; eventsPerS: number; drops: number }[];
  cpuPct: number;
  rssMb: number;
  engineCrashes: number;
  engineRestarts: number;
  quarantinedRules: string[];
  alertCounts: Record<string, number>;
  extensions?: Record<string, unknown>;
};

export type HeartbeatAnswer = { heartbeatIntervalS: number; directives: Record<string, unknown> };

export type ControlPlanePort = {
  heartbeat(heartbeat: HeartbeatPayload): Promise<PortResult<HeartbeatAnswer>>;
  uploadAlerts(batch: { alerts: AlertUploadPayload[] }): Promise<PortResult<{ acknowledged: string[] }>>;
};

/** `directives.content` of a heartbeat answer (docs/rollouts.md); anything else is ignored. */
export type ContentDirective = { version: string | null; reason: string; rolloutId: string | null; ring: number | null };

export function contentDirectiveOf(directives: Record<string, unknown>): ContentDirective | undefined {
  const value = directives['content'];
  if (value === null || typeof value !== 'object') return undefined;
  const d = value as Record<string, unknown>;
  if (d['version'] !== null && typeof d['version'] !== 'string') return undefined;
  return {
    version: d['version'] as string | null,
    reason: typeof d['reason'] === 'string' ? d['reason'] : '',
    rolloutId: typeof d['rolloutId'] === 'string' ? d['rolloutId'] : null,
    ring: typeof d['ring'] === 'number' && Number.isInteger(d['ring']) ? d['ring'] : null,
  };
}

export function describePortFailure(result: Exclude<PortResult<unknown>, { kind: 'ok' }>): string {
  return result.kind === 'unavailable' ? `server unavailable: ${result.message}` : `server refused (${result.status} ${result.error.code}): ${result.error.message}`;
}
