// value_percentile: the share, in percent, of the group's events in the window whose field has the
// same value as this event (so `lte: 1` fires on a value rarer than 1 %). Computed over the group's
// most recent maxShareEvents events in the window.
import { maxShareEvents } from './limits.ts';

export type ShareState = { kind: 'share'; times: number[]; values: string[]; counts: Map<string, number> };

export function createShare(): ShareState {
  return { kind: 'share', times: [], values: [], counts: new Map() };
}

export function expireShare(state: ShareState, cutoff: number): void {
  while (state.times.length > 0 && state.times[0]! <= cutoff) dropOldest(state);
}

/** Adds the value and returns its share in percent, this event included. */
export function addShare(state: ShareState, nowMs: number, value: string): number {
  state.times.push(nowMs);
  state.values.push(value);
  state.counts.set(value, (state.counts.get(value) ?? 0) + 1);
  if (state.times.length > maxShareEvents) dropOldest(state);
  return ((state.counts.get(value) ?? 0) / state.times.length) * 100;
}

function dropOldest(state: ShareState): void {
  state.times.shift();
  const value = state.values.shift()!;
  const left = (state.counts.get(value) ?? 1) - 1;
  if (left > 0) state.counts.set(value, left);
  else state.counts.delete(value);
}
