// Remembers a string test's answers for values that repeat (an Image, a directory, a user), bounded in
// size, and stops remembering when values rarely repeat, where the bookkeeping would only cost.

const maxEntries = 4096;
const maxLength = 512;
const sampleSize = 2048;
const minHitRate = 0.3;
/** After this many tests with memoisation off, try it again (the traffic may have changed). */
const retryAfter = 65_536;

export function memoizeTest(test: (text: string) => boolean): (text: string) => boolean {
  let memo = new Map<string, boolean>();
  let enabled = true;
  let lookups = 0;
  let hits = 0;
  let sinceDisabled = 0;
  return (text) => {
    if (!enabled || text.length > maxLength) {
      if (!enabled && ++sinceDisabled >= retryAfter) { enabled = true; memo = new Map(); lookups = 0; hits = 0; }
      return test(text);
    }
    lookups++;
    let answer = memo.get(text);
    if (answer !== undefined) hits++;
    else {
      answer = test(text);
      if (memo.size >= maxEntries) memo.clear();
      memo.set(text, answer);
    }
    if (lookups === sampleSize) {
      if (hits < minHitRate * sampleSize) { enabled = false; memo = new Map(); sinceDisabled = 0; }
      lookups = 0;
      hits = 0;
    }
    return answer;
  };
}
