// Remembering answers for values that repeat (an Image, a directory, a user), bounded in size, and
// no longer remembering where values rarely repeat (command lines, timestamps), where the
// bookkeeping would only cost.
import { ValueCache } from './value-cache.ts';

/** How much a cache holds by default. */
export const maxMemoEntries = 4096;
/** Longer values are not remembered. */
const maxLength = 512;
/** Every this many lookups, a cache judges its hit rate; below the minimum it stops remembering. */
export const sampleSize = 2048;
const minHitRate = 0.3;
/** After this many values with remembering off, try it again (the traffic may have changed). */
export const retryAfter = 65_536;

/** A ValueCache that judges itself: every `sampleSize` lookups, below `minHitRate` hits it forgets
 * everything and stops remembering for a while. Subclasses keep their own state on the same object,
 * so a lookup reads one object, not a chain of them. */
export class AdaptiveCache<T> extends ValueCache<T> {
  #enabled = true;
  #lookups = 0;
  #hits = 0;
  #sinceDisabled = 0;

  /** The value remembered for `text`, or undefined (not remembered, or not remembering). */
  recall(text: string): T | undefined {
    if (!this.#enabled || text.length > maxLength) return undefined;
    const value = this.get(text);
    if (value !== undefined) this.#hits++;
    if (++this.#lookups === sampleSize) this.#judge();
    return value;
  }

  /** After `recall` found nothing: whether the value for `text` is worth computing for `set`
   * (false: compute what is needed and move on). */
  worth(text: string): boolean {
    if (this.#enabled) return text.length <= maxLength;
    if (++this.#sinceDisabled >= retryAfter) this.#restart(true);
    return false;
  }

  #judge(): void {
    if (this.#hits < minHitRate * sampleSize) this.#restart(false);
    else { this.#lookups = 0; this.#hits = 0; }
  }

  #restart(enabled: boolean): void {
    this.#enabled = enabled;
    this.clear();
    this.#lookups = 0;
    this.#hits = 0;
    this.#sinceDisabled = 0;
  }
}

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
