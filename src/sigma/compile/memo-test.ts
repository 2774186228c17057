// Remembers a string test's answers for values that repeat (an Image, a directory, a user), bounded in
// size, and stops remembering when values rarely repeat, where the bookkeeping would only cost.
import { AdaptiveCache, maxMemoEntries } from './value-cache.ts';

/** `test`, with its answers remembered per value. */
export function memoizeTest(test: (text: string) => boolean, maxEntries = maxMemoEntries): (text: string) => boolean {
  const memo = new AdaptiveCache<boolean>(maxEntries);
  return (text) => {
    let answer = memo.recall(text);
    if (answer === undefined) {
      answer = test(text);
      if (memo.worth(text)) memo.set(text, answer);
    }
    return answer;
  };
}
