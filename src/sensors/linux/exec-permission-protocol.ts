// Shared between the exec permission worker and its host: options, the verdict slot encoding, and
// the contract of a decider that runs inside the worker.
// A slot holds generation * 4 + code, so a verdict that arrives after its deadline (when the slot
// already serves another request) fails the compare-and-swap instead of answering the wrong exec.
import type { ExecRequest } from '../worker-protocol.ts';

/** What the worker knows of an exec the kernel holds (see ExecRequest). */
export type ExecFacts = Omit<ExecRequest, 'generation'>;

export type ExecDecision = { allow: true } | { allow: false; ruleId: string };

/**
 * Decides execs inside the worker. `mayDeny` false: every exec is allowed without looking at it.
 * `readsCurrentImage` false: the worker skips reading /proc/<pid>/exe (absent means it reads it).
 */
export type ExecDecider = { mayDeny: boolean; readsCurrentImage?: boolean; decide(exec: ExecFacts): ExecDecision };

/**
 * A module the worker imports by URL and whose `createExecDecider(config)` it calls, again whenever
 * the host sends a new config: the verdict is reached on the worker's own real-time thread, without
 * the round trip through the host's event loop. The sensors never import the module themselves.
 */
export type ExecDeciderModule = { createExecDecider(config: unknown): ExecDecider };
export type ExecDeciderSpec = { module: string; config: unknown };

/** `ask`: one Int32, 1 while a verdict could deny (ask the host), 0 when every exec is allowed anyway. */
export type ExecPermissionOptions = { mounts: string[]; deadlineMs: number; verdicts: SharedArrayBuffer; ask: SharedArrayBuffer; decider?: ExecDeciderSpec };

/** Host → worker (receiveMessageOnPort, after a wake). */
export type ExecPermissionControl = { type: 'decider-config'; config: unknown };

export const verdictCodes = { free: 0, none: 0, allow: 1, deny: 2 } as const;

/** Writes a verdict into its slot if the request is still waiting; false when it came too late. */
export function writeVerdict(slots: Int32Array, slot: number, generation: number, allow: boolean): boolean {
  const waiting = generation * 4;
  const answered = waiting + (allow ? verdictCodes.allow : verdictCodes.deny);
  return Atomics.compareExchange(slots, slot, waiting, answered) === waiting;
}
