// Exec permission plumbing (prevention), off unless configured: FAN_OPEN_EXEC_PERM on the configured
// mounts, answered in a dedicated worker before a deadline. How a verdict is reached is pluggable:
// a decider module that runs inside the worker (the agent's: its prevention rules in a Sigma engine of
// their own), or a VerdictPort on this thread that the worker asks and waits for until the deadline.
import type { Sensor, SensorStatus } from '../sensor.ts';
import { createWorkerSensor } from '../worker-sensor.ts';
import type { WorkerHost } from '../worker-host.ts';
import type { ExecRequest } from '../worker-protocol.ts';
import { writeVerdict, type ExecFacts, type ExecPermissionControl, type ExecPermissionOptions } from './exec-permission-protocol.ts';

export type Verdict = 'allow' | 'deny';
/** Decides one exec. A throw, a rejection or an answer after the deadline all mean allow. */
export type VerdictPort = (request: ExecRequest) => Verdict | Promise<Verdict>;

/** `module` exports createExecDecider (ExecDeciderModule); `config()` is sent again whenever it returns a new object. */
export type ExecDeciderSource = { module: URL; config: () => unknown };

export type ExecPermissionSensorOptions = {
  name?: string;
  mounts: string[];
  /** Decides in the worker; when given, `verdict` is not asked. */
  decider?: ExecDeciderSource;
  verdict?: VerdictPort;
  /** False while no verdict could deny (no prevention rule loaded): the worker then allows at once,
   * without the round trip to this thread. Read every 250 ms; absent means always ask. */
  verdictNeeded?: () => boolean;
  /** An exec the decider denied (the worker has answered already). */
  onDeny?(exec: ExecFacts, ruleId: string): void;
  /** Default 250 ms. The kernel holds the exec until then at most. */
  deadlineMs?: number;
  /** Concurrent undecided execs; beyond this, execs are allowed at once (counted). Default 1024. */
  maxPending?: number;
};

export function createExecPermissionSensor(options: ExecPermissionSensorOptions): Sensor {
  const verdicts = new SharedArrayBuffer(4 * (options.maxPending ?? 1024));
  const slots = new Int32Array(verdicts);
  let late = 0;
  let portErrors = 0;
  let deciderFailures = 0;
  const ask = new Int32Array(new SharedArrayBuffer(4));
  let host: WorkerHost | undefined;
  let sentConfig: unknown;
  const readConfig = () => {
    try {
      return options.decider?.config();
    } catch {
      return undefined;
    }
  };
  const refresh = () => {
    let needed = true;
    try {
      needed = options.verdictNeeded?.() ?? true;
    } catch {
      // Unknown means ask: the deadline still bounds the wait.
    }
    Atomics.store(ask, 0, needed ? 1 : 0);
    const config = readConfig();
    if (host && options.decider && config !== sentConfig) {
      sentConfig = config;
      host.post({ type: 'decider-config', config } satisfies ExecPermissionControl);
      host.wake();
    }
  };
  refresh();
  let timer: NodeJS.Timeout | undefined;
  // Read by the worker when it starts: the decider config of that moment goes in before each start.
  const workerOptions: ExecPermissionOptions = { mounts: options.mounts, deadlineMs: options.deadlineMs ?? 250, verdicts, ask: ask.buffer as SharedArrayBuffer };
  const inner = createWorkerSensor({
    name: options.name ?? 'exec-permission',
    kind: 'exec_permission',
    source: 'fanotify-open-exec-perm',
    url: new URL('./exec-permission-worker.ts', import.meta.url),
    options: workerOptions,
    onHost: (h) => (host = h),
    onMessage(message, workerHost) {
      if (message.type === 'exec-denied') return options.onDeny?.(message.exec, message.ruleId);
      if (message.type === 'decider-failed') {
        deciderFailures += 1;
        return;
      }
      if (message.type !== 'verdict-request') return;
      const { slot, request } = message;
      const deliver = (verdict: Verdict) => {
        if (writeVerdict(slots, slot, request.generation, verdict === 'allow')) workerHost.wake();
        else late += 1;
      };
      // A port that fails (or is missing) has no verdict to wait for: allow now instead of at the deadline.
      const failed = () => {
        portErrors += 1;
        deliver('allow');
      };
      try {
        const result = options.verdict ? options.verdict(request) : 'allow';
        if (typeof result === 'string') deliver(result);
        else result.then(deliver, failed);
      } catch {
        failed();
      }
    },
  });
  return {
    name: inner.name,
    kind: inner.kind,
    async start(sink) {
      refresh();
      timer ??= setInterval(refresh, 250).unref();
      if (options.decider) {
        sentConfig = readConfig();
        workerOptions.decider = { module: options.decider.module.href, config: sentConfig };
      }
      return inner.start(sink);
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await inner.stop();
    },
    status(): SensorStatus {
      const status = inner.status();
      return {
        ...status, errors: status.errors + portErrors + deciderFailures,
        counters: { ...status.counters, late_verdicts: late, port_errors: portErrors, decider_failures: deciderFailures },
      };
    },
  };
}
