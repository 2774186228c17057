// Shared between the exec permission worker and its host: options and the verdict slot encoding.
// A slot holds generation * 4 + code, so a verdict that arrives after its deadline (when the slot
// already serves another request) fails the compare-and-swap instead of answering the wrong exec.

/** `ask`: one Int32, 1 while a verdict could deny (ask the host), 0 when every exec is allowed anyway. */
export type ExecPermissionOptions = { mounts: string[]; deadlineMs: number; verdicts: SharedArrayBuffer; ask: SharedArrayBuffer };

export const verdictCodes = { free: 0, none: 0, allow: 1, deny: 2 } as const;

/** Writes a verdict into its slot if the request is still waiting; false when it came too late. */
export function writeVerdict(slots: Int32Array, slot: number, generation: number, allow: boolean): boolean {
  const waiting = generation * 4;
  const answered = waiting + (allow ? verdictCodes.allow : verdictCodes.deny);
  return Atomics.compareExchange(slots, slot, waiting, answered) === waiting;
}
