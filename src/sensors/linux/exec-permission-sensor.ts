// Exec permission plumbing (prevention), off unless configured: FAN_OPEN_EXEC_PERM on the configured
// mounts, answered in a dedicated worker before a deadline. How a verdict is reached is pluggable:
// the agent passes a VerdictPort (for example one that asks the Sigma engine).
import type { Sensor, SensorStatus } from '../sensor.ts';
import { createWorkerSensor } from '../worker-sensor.ts';
import type { ExecRequest } from '../worker-protocol.ts';
import { writeVerdict, type ExecPermissionOptions } from './exec-permission-protocol.ts';

export type Verdict = 'allow' | 'deny';
/** Decides one exec. A throw, a rejection or an answer after the deadline all mean allow. */
export type VerdictPort = (request: ExecRequest) => Verdict | Promise<Verdict>;

export type ExecPermissionSensorOptions = {
  name?: string;
  mounts: string[];
  verdict: VerdictPort;
  /** False while no verdict could deny (no prevention rule loaded): the worker then allows at once,
   * without the round trip to this thread. Read every 250 ms; absent means always ask. */
  verdictNeeded?: () => boolean;
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
  const ask = new Int32Array(new SharedArrayBuffer(4));
  const refreshAsk = () => {
    let needed = true;
    try {
      needed = options.verdictNeeded?.() ?? true;
    } catch {
      // Unknown means ask: the deadline still bounds the wait.
    }
    Atomics.store(ask, 0, needed ? 1 : 0);
  };
  refreshAsk();
  let askTimer: NodeJS.Timeout | undefined;
  const workerOptions: ExecPermissionOptions = { mounts: options.mounts, deadlineMs: options.deadlineMs ?? 250, verdicts, ask: ask.buffer as SharedArrayBuffer };
  const inner = createWorkerSensor({
    name: options.name ?? 'exec-permission',
    kind: 'exec_permission',
    source: 'fanotify-open-exec-perm',
    url: new URL('./exec-permission-worker.ts', import.meta.url),
    options: workerOptions,
    onMessage(message, host) {
      if (message.type !== 'verdict-request') return;
      const { slot, request } = message;
      const deliver = (verdict: Verdict) => {
        if (writeVerdict(slots, slot, request.generation, verdict === 'allow')) host.wake();
        else late += 1;
      };
      // A port that fails has no verdict to wait for: allow now instead of at the deadline.
      const failed = () => {
        portErrors += 1;
        deliver('allow');
      };
      try {
        const result = options.verdict(request);
        if (typeof result === 'string') deliver(result);
        else result.then(deliver, failed);
      } catch {
        failed();
      }
    },
  });
  return {
    ...inner,
    async start(sink) {
      refreshAsk();
      askTimer ??= setInterval(refreshAsk, 250).unref();
      return inner.start(sink);
    },
    async stop() {
      clearInterval(askTimer);
      askTimer = undefined;
      await inner.stop();
    },
    status(): SensorStatus {
      const status = inner.status();
      return { ...status, errors: status.errors + portErrors, counters: { ...status.counters, late_verdicts: late, port_errors: portErrors } };
    },
  };
}
