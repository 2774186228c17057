// The most recent contributing event indexes of a group, with their times, so that a firing can name
// the events inside its window without keeping every event.
import { maxFiringIndexes } from './limits.ts';

export type RecentIndexes = { times: number[]; indexes: number[] };

export function createRecent(): RecentIndexes {
  return { times: [], indexes: [] };
}

export function remember(recent: RecentIndexes, timeMs: number, indexes: number | readonly number[]): void {
  if (typeof indexes === 'number') push(recent, timeMs, indexes);
  else for (const index of indexes.slice(-maxFiringIndexes)) push(recent, timeMs, index);
}

function push(recent: RecentIndexes, timeMs: number, index: number): void {
  recent.times.push(timeMs);
  recent.indexes.push(index);
  if (recent.times.length > maxFiringIndexes) {
    recent.times.shift();
    recent.indexes.shift();
  }
}

/** Indexes of events later than `cutoff`, oldest first. */
export function recentAfter(recent: RecentIndexes, cutoff: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < recent.times.length; i++) if (recent.times[i]! > cutoff) out.push(recent.indexes[i]!);
  return out;
}

/** Keeps at most the bound, the most recent ones. */
export function boundIndexes(indexes: readonly number[]): number[] {
  return indexes.length > maxFiringIndexes ? indexes.slice(-maxFiringIndexes) : [...indexes];
}
