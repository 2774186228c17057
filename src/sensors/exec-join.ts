// Joins the audit sensor's exec records into the process sensor's events (main thread). The process
// connector reads a command line from /proc, which a process that exits within microseconds no longer
// has; audit records the argv inside the kernel at exec time. A process_creation event that misses its
// command line, image or directory is held up to `holdMs` (default 1000: under an exec storm kauditd
// runs late) for the audit record of the same pid, filled from it, and then emitted; the audit
// records themselves are not emitted (no duplicates). Events are held only while audit is delivering
// exec records, so without exec rules nothing is delayed.
import type { ProcessCreationEvent, SensorEvent } from '../events/index.ts';
import type { EventSink } from './sensor.ts';

export type ExecJoin = {
  /** The process sensor's events go through here on their way to the sink. */
  fromProcess(event: SensorEvent, sink: EventSink): void;
  /** The audit sensor's process_creation events (supplement mode). */
  fromAudit(event: SensorEvent): void;
  counters(): Record<string, number>;
  /** Emits whatever is held (at stop). */
  release(): void;
};

export type ExecJoinOptions = { holdMs?: number; activeForMs?: number; now?: () => number };

const fillable = ['CommandLine', 'Image', 'CurrentDirectory', 'User'] as const;
type Audit = Pick<ProcessCreationEvent, '@timestamp' | (typeof fillable)[number] | 'LogonId'>;
const maxRecent = 4096;
const recentForMs = 5000;
const sameExecMs = 2000;

export function createExecJoin(options: ExecJoinOptions = {}): ExecJoin {
  const holdMs = options.holdMs ?? 1000;
  const activeForMs = options.activeForMs ?? 30_000;
  const now = options.now ?? Date.now;
  // Only the fields a fill needs, so that records no event asks for cost little until they expire.
  const recent = new Map<number, { at: number; audit: Audit }>();
  const held = new Map<number, { event: ProcessCreationEvent; sink: EventSink; timer: ReturnType<typeof setTimeout> }>();
  let lastAuditExec = -Infinity;
  const counters = { filled: 0, held: 0, not_filled: 0, audit_execs: 0 };

  const matches = (event: ProcessCreationEvent, audit: Audit) =>
    Math.abs(Date.parse(event['@timestamp']) - Date.parse(audit['@timestamp'])) <= sameExecMs;

  const fill = (event: ProcessCreationEvent, audit: Audit): ProcessCreationEvent => {
    const out: ProcessCreationEvent = { ...event, missing: [...event.missing] };
    let filled = false;
    for (const field of fillable) {
      if (out[field] === undefined && audit[field] !== undefined) {
        out[field] = audit[field];
        out.missing = out.missing.filter((m) => m !== field);
        filled = true;
      }
    }
    if (out.LogonId === undefined && audit.LogonId !== undefined) out.LogonId = audit.LogonId;
    if (filled) counters.filled += 1;
    return out;
  };

  return {
    fromProcess(event, sink) {
      if (event.kind !== 'process_creation' || !fillable.some((f) => event.missing.includes(f))) return sink(event);
      const seen = recent.get(event.ProcessId);
      if (seen && matches(event, seen.audit)) {
        recent.delete(event.ProcessId);
        return sink(fill(event, seen.audit));
      }
      if (now() - lastAuditExec > activeForMs) return sink(event);
      const previous = held.get(event.ProcessId);
      if (previous) {
        // The same pid exec'd again before its record came: the earlier event goes out as it is.
        clearTimeout(previous.timer);
        held.delete(event.ProcessId);
        counters.not_filled += 1;
        previous.sink(previous.event);
      }
      counters.held += 1;
      const timer = setTimeout(() => {
        held.delete(event.ProcessId);
        counters.not_filled += 1;
        sink(event);
      }, holdMs);
      timer.unref?.();
      held.set(event.ProcessId, { event, sink, timer });
    },
    fromAudit(event) {
      if (event.kind !== 'process_creation') return;
      counters.audit_execs += 1;
      lastAuditExec = now();
      const waiting = held.get(event.ProcessId);
      if (waiting && matches(waiting.event, event)) {
        held.delete(event.ProcessId);
        clearTimeout(waiting.timer);
        waiting.sink(fill(waiting.event, event));
        return;
      }
      const t = now();
      for (const [pid, r] of recent) {
        if (r.at >= t - recentForMs && recent.size < maxRecent) break;
        recent.delete(pid);
      }
      const audit: Audit = { '@timestamp': event['@timestamp'] };
      for (const field of fillable) if (event[field] !== undefined) audit[field] = event[field];
      if (event.LogonId !== undefined) audit.LogonId = event.LogonId;
      recent.delete(event.ProcessId);
      recent.set(event.ProcessId, { at: t, audit });
    },
    counters: () => ({ ...counters, held_now: held.size }),
    release() {
      for (const { event, sink, timer } of held.values()) {
        clearTimeout(timer);
        sink(event);
      }
      held.clear();
      recent.clear();
    },
  };
}
