// temporal: when each referenced rule was last seen in the group. Its value is how many distinct
// referenced rules were seen in the window.
import { boundIndexes } from './recent-indexes.ts';

export type TemporalState = { kind: 'temporal'; lastSeen: number[]; indexes: number[][] };

export function createTemporal(references: number): TemporalState {
  return { kind: 'temporal', lastSeen: new Array<number>(references).fill(-Infinity), indexes: Array.from({ length: references }, () => []) };
}

export function addTemporal(state: TemporalState, ref: number, nowMs: number, indexes: number | readonly number[]): void {
  state.lastSeen[ref] = nowMs;
  state.indexes[ref] = typeof indexes === 'number' ? [indexes] : boundIndexes(indexes);
}

export function temporalSeen(state: TemporalState, cutoff: number): number {
  let seen = 0;
  for (const time of state.lastSeen) if (time > cutoff) seen++;
  return seen;
}

export function temporalContributors(state: TemporalState, cutoff: number): number[] {
  const out: number[] = [];
  state.lastSeen.forEach((time, ref) => {
    if (time > cutoff) out.push(...state.indexes[ref]!);
  });
  return boundIndexes(out.sort((a, b) => a - b));
}
