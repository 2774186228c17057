// The explicit list of sensors ring3 runs, chosen from the config: the kernel interface where it
// works, the fallback where it does not. Add a sensor here and nowhere else.
import { createProcPollSensor, createInotifySensor } from './fallback/fallback-sensors.ts';
import { createExecJoin } from './exec-join.ts';
import { createAuditSensor, joinedWithAudit, type AuditMode } from './linux/audit-sensor.ts';
import type { ExecFacts } from './linux/exec-permission-protocol.ts';
import { createExecPermissionSensor, type ExecDeciderSource, type VerdictPort } from './linux/exec-permission-sensor.ts';
import { createFanotifyFileSensor } from './linux/file-sensor.ts';
import { createProcNetNetworkSensor, createSockDiagNetworkSensor } from './linux/network-sensor.ts';
import { createProcConnectorSensor } from './linux/process-sensor.ts';
import { createReplaySensor, type ReplayDiagnostic } from './replay/replay-sensor.ts';
import type { Sensor } from './sensor.ts';
import { withFallback } from './with-fallback.ts';

/** auto: kernel interface, else fallback. kernel: fail rather than degrade. fallback: force the fallback. */
export type SensorMode = 'auto' | 'kernel' | 'fallback';

export type SensorsConfig = {
  hostName?: string;
  /** `scheduling`: the connector's reading thread, realtime (SCHED_FIFO 1 under a 25 % budget, default) or nice (-10). */
  process?: { enabled?: boolean; mode?: SensorMode; pollIntervalMs?: number; emitTerminations?: boolean; exitedTtlMs?: number; scheduling?: 'realtime' | 'nice' };
  /** fanotify marks whole filesystems (the ones holding `mounts`); `prefixes` narrows what is reported. */
  file?: { enabled?: boolean; mode?: SensorMode; mounts: string[]; prefixes?: string[] };
  network?: { enabled?: boolean; mode?: SensorMode; intervalMs?: number };
  /** Prevention: off unless enabled; needs a decider or a verdict port from the caller. */
  execPermission?: { enabled?: boolean; mounts: string[]; deadlineMs?: number };
  replay?: { files: string[] };
  /**
   * The audit multicast group, read-only. supplement (default): its exec records fill the process
   * sensor's events that miss a command line; events: its own process_creation events.
   */
  audit?: { enabled?: boolean; mode?: AuditMode; holdMs?: number };
};

export type SensorsDiagnostic = { code: 'sensors.exec-permission.no-verdict' | 'sensors.file.no-mounts'; message: string };
export type CreateSensorsResult = { ok: true; sensors: Sensor[] } | { ok: false; diagnostics: SensorsDiagnostic[] };

/**
 * Exec permission: `decider` decides inside its worker (preferred); `verdict` is asked on this thread.
 * `verdictNeeded`: false while no verdict could deny; the worker then allows without asking.
 */
export type SensorsDeps = {
  decider?: ExecDeciderSource;
  verdict?: VerdictPort;
  verdictNeeded?: () => boolean;
  onDeny?(exec: ExecFacts, ruleId: string): void;
  onReplayDiagnostic?(d: ReplayDiagnostic): void;
};

export function createSensors(config: SensorsConfig, deps: SensorsDeps = {}): CreateSensorsResult {
  const sensors: Sensor[] = [];
  const diagnostics: SensorsDiagnostic[] = [];
  const host = config.hostName === undefined ? {} : { hostName: config.hostName };
  const choose = (mode: SensorMode | undefined, kernel: () => Sensor, fallback: (reason: string) => Sensor) => {
    switch (mode ?? 'auto') {
      case 'auto':
        return withFallback(kernel(), fallback);
      case 'kernel':
        return kernel();
      case 'fallback':
        return fallback('fallback mode configured');
    }
  };

  const p = config.process;
  if (p && p.enabled !== false) {
    const common = { ...host, ...(p.emitTerminations === undefined ? {} : { emitTerminations: p.emitTerminations }) };
    sensors.push(choose(
      p.mode,
      () => createProcConnectorSensor({
        ...common, ...(p.exitedTtlMs === undefined ? {} : { exitedTtlMs: p.exitedTtlMs }),
        ...(p.scheduling === undefined ? {} : { scheduling: { mode: p.scheduling, budgetPct: 25 } }),
      }),
      (reason) => createProcPollSensor({ ...common, ...(p.pollIntervalMs === undefined ? {} : { intervalMs: p.pollIntervalMs }) }, reason),
    ));
  }
  const a = config.audit;
  if (a && a.enabled !== false) {
    const processIndex = sensors.findIndex((s) => s.kind === 'process');
    if ((a.mode ?? 'supplement') === 'supplement' && processIndex >= 0) {
      const join = createExecJoin(a.holdMs === undefined ? {} : { holdMs: a.holdMs });
      sensors[processIndex] = joinedWithAudit(sensors[processIndex]!, join);
      sensors.push(createAuditSensor({ ...host, mode: 'supplement', join }));
    } else {
      sensors.push(createAuditSensor({ ...host, mode: 'events' }));
    }
  }
  const f = config.file;
  if (f && f.enabled !== false) {
    if (f.mounts.length === 0) diagnostics.push({ code: 'sensors.file.no-mounts', message: 'file sensor: "mounts" lists no mount' });
    const paths = f.prefixes && f.prefixes.length > 0 ? f.prefixes : f.mounts;
    sensors.push(choose(
      f.mode,
      () => createFanotifyFileSensor({ ...host, mounts: f.mounts, ...(f.prefixes ? { prefixes: f.prefixes } : {}) }),
      (reason) => createInotifySensor({ ...host, paths }, reason),
    ));
  }
  const n = config.network;
  if (n && n.enabled !== false) {
    const options = { ...host, ...(n.intervalMs === undefined ? {} : { intervalMs: n.intervalMs }) };
    sensors.push(choose(n.mode, () => createSockDiagNetworkSensor(options), (reason) => createProcNetNetworkSensor(options, reason)));
  }
  const e = config.execPermission;
  if (e && e.enabled === true) {
    if (!deps.verdict && !deps.decider) {
      diagnostics.push({ code: 'sensors.exec-permission.no-verdict', message: 'exec permission is enabled but neither a decider nor a verdict port was given' });
    } else {
      sensors.push(createExecPermissionSensor({
        mounts: e.mounts,
        ...(deps.decider ? { decider: deps.decider } : {}),
        ...(deps.verdict ? { verdict: deps.verdict } : {}),
        ...(deps.verdictNeeded ? { verdictNeeded: deps.verdictNeeded } : {}),
        ...(deps.onDeny ? { onDeny: deps.onDeny } : {}),
        ...(e.deadlineMs === undefined ? {} : { deadlineMs: e.deadlineMs }),
      }));
    }
  }
  if (config.replay) {
    sensors.push(createReplaySensor({ files: config.replay.files, ...(deps.onReplayDiagnostic ? { onDiagnostic: deps.onReplayDiagnostic } : {}) }));
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, sensors };
}
