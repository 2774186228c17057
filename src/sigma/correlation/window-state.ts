// event_count, value_sum and value_avg: counts and sums in time slots. Events closer together than
// timespan / windowSlots share a slot (stamped with its first event's time), so a group holds at most
// windowSlots + 1 slots whatever the event rate; the window edge is exact to that resolution.
import { windowSlots } from './limits.ts';
import { createRecent, recentAfter, remember, type RecentIndexes } from './recent-indexes.ts';

export type WindowState = {
  kind: 'window';
  times: number[];
  counts: number[];
  sums: number[];
  count: number;
  sum: number;
  recent: RecentIndexes;
};

export function createWindow(): WindowState {
  return { kind: 'window', times: [], counts: [], sums: [], count: 0, sum: 0, recent: createRecent() };
}

export function slotWidth(timespanMs: number): number {
  return Math.max(1, Math.floor(timespanMs / windowSlots));
}

export function expireWindow(state: WindowState, cutoff: number): void {
  while (state.times.length > 0 && state.times[0]! <= cutoff) {
    state.times.shift();
    state.count -= state.counts.shift()!;
    state.sum -= state.sums.shift()!;
  }
  // Running sums drift with floating point; an empty window is exactly zero again.
  if (state.times.length === 0) {
    state.count = 0;
    state.sum = 0;
  }
}

export function addToWindow(state: WindowState, nowMs: number, widthMs: number, amount: number, indexes: number | readonly number[]): void {
  const last = state.times.length - 1;
  if (last >= 0 && nowMs - state.times[last]! < widthMs) {
    state.counts[last]!++;
    state.sums[last]! += amount;
  } else {
    state.times.push(nowMs);
    state.counts.push(1);
    state.sums.push(amount);
  }
  state.count++;
  state.sum += amount;
  remember(state.recent, nowMs, indexes);
}

export function windowContributors(state: WindowState, cutoff: number): number[] {
  return recentAfter(state.recent, cutoff);
}
