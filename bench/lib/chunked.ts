// Timing on a shared machine that drifts within a second: several runs over the same lines, taken in
// chunks, every run timed on each chunk in turn (the order rotating from chunk to chunk), so all of
// them see the same moments of the machine. Used for ratios to the JSON.parse floor.
import { cpuSeconds } from './cpu-time.ts';

/** Per run, the CPU seconds it took over lines [0, lineCount) in chunks of `chunk`; `round` shifts
 * which run goes first. A run is called with each chunk's [from, to). */
export function timeInChunks(lineCount: number, chunk: number, runs: readonly ((from: number, to: number) => void)[], round: number): number[] {
  const spent = runs.map(() => 0);
  for (let from = 0, turn = round; from < lineCount; from += chunk, turn++) {
    const to = Math.min(lineCount, from + chunk);
    for (let k = 0; k < runs.length; k++) {
      const which = (k + turn) % runs.length;
      spent[which]! += cpuSeconds(() => runs[which]!(from, to));
    }
  }
  return spent;
}
