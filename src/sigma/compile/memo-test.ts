// Remembers a string test's answers for values that repeat (an Image, a directory, a user), bounded in
// size, and stops remembering when values rarely repeat, where the bookkeeping would only cost.
import { ValueCache } from './value-cache.ts';

const defaultMaxEntries = 4096;
const maxLength = 512;
const sampleSize = 2048;
const minHitRate = 0.3;
/** After this many tests with memoisation off, try it again (the traffic may have changed). */
const retryAfter = 65_536;

export function memoizeTest(test: (text: string) => boolean, maxEntries = defaultMaxEntries): (text: string) => boolean {
  let memo = new ValueCache<boolean>(maxEntries);
  let enabled = true;
  let lookups = 0;
  let hits = 0;
  let sinceDisabled = 0;
  return (text) => {
    if (!enabled || text.length > maxLength) {
      if (!enabled && ++sinceDisabled >= retryAfter) { enabled = true; memo = new ValueCache(maxEntries); lookups = 0; hits = 0; }
      return test(text);
    }
    lookups++;
    let answer = memo.get(text);
    if (answer !== undefined) hits++;
    else {
      answer = test(text);
      memo.set(text, answer);
    }
    if (lookups === sampleSize) {
      if (hits < minHitRate * sampleSize) { enabled = false; memo = new ValueCache(maxEntries); sinceDisabled = 0; }
      lookups = 0;
      hits = 0;
    }
    return answer;
  };
}
