// CPU time of this process, not wall time: on a shared machine, time spent waiting for a core is
// not the measured code's cost. (GC helper threads add a little CPU; that cost is the code's too.)

/** Seconds of CPU (user + system) that `fn` took. */
export function cpuSeconds(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** The middle value (the upper one of the two middles for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
