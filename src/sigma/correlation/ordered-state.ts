// temporal_ordered: for each step k of the rule order, the start time of the latest partial match
// that has reached step k (the latest start leaves the most room in the window). A rule at step k
// extends the match of step k - 1 if that one started inside the window. The value is the length of the
// longest prefix of the order matched in the window.
import { boundIndexes } from './recent-indexes.ts';

export type OrderedState = { kind: 'ordered'; starts: number[]; indexes: number[][] };

export function createOrdered(references: number): OrderedState {
  return { kind: 'ordered', starts: new Array<number>(references).fill(-Infinity), indexes: Array.from({ length: references }, () => []) };
}

export function addOrdered(state: OrderedState, step: number, nowMs: number, cutoff: number, indexes: number | readonly number[]): void {
  const own = typeof indexes === 'number' ? [indexes] : boundIndexes(indexes);
  if (step === 0) {
    state.starts[0] = nowMs;
    state.indexes[0] = own;
  } else if (state.starts[step - 1]! > cutoff) {
    state.starts[step] = state.starts[step - 1]!;
    state.indexes[step] = boundIndexes([...state.indexes[step - 1]!, ...own]);
  }
}

export function orderedPrefix(state: OrderedState, cutoff: number): number {
  for (let k = state.starts.length; k > 0; k--) if (state.starts[k - 1]! > cutoff) return k;
  return 0;
}

export function orderedContributors(state: OrderedState, prefix: number): number[] {
  return prefix > 0 ? [...state.indexes[prefix - 1]!] : [];
}
