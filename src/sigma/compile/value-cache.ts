// A bounded memo from field values to answers, for the per-event hot path. Event strings are new
// objects each event (fresh from JSON.parse or a sensor), so a Map lookup first hashes every
// character of the value; here the slot comes from the length and five sampled characters, and the
// key is confirmed with `===`. Measured on parsed events: about half the cost of a Map lookup.
//
// Two-way set associative: a value lands in one pair of slots; the newer of the pair is kept first.
// Values that share their samples only evict each other (a miss costs a full evaluation, never a
// wrong answer), so crafted input can make the cache useless but not incorrect. AdaptiveCache adds
// the policy its users share: stop remembering where values rarely repeat (command lines, timestamps).

/** Slots of a new cache: it grows (doubling, up to its bound) as it fills, so memory follows the
 * number of distinct values each condition sees, not the bound times the number of conditions. */
const initialSlots = 16;

/** How much a cache holds by default. */
export const maxMemoEntries = 4096;
/** Longer values are not remembered. */
const maxLength = 512;
/** Every this many lookups, a cache judges its hit rate; below the minimum it stops remembering. */
export const sampleSize = 2048;
const minHitRate = 0.3;
/** After this many values with remembering off, try it again (the traffic may have changed). */
export const retryAfter = 65_536;

export class ValueCache<T> {
  /** Key and value side by side (a pair's two slots share a cache line): slot i holds its key at
   * 2i and its value at 2i + 1. Keys are always strings ('' when empty), so comparing one with the
   * looked-up text stays a string comparison. */
  #slots: (string | T | undefined)[] = ['', undefined, '', undefined];
  #mask = 0;
  /** Values stored since the last growth; past the slot count, older values are being evicted. */
  #stored = 0;
  readonly #maxSlots: number;

  /** `entries`: how many values it holds at most (rounded up to a power of two, at least 4). */
  constructor(entries: number) {
    let size = 4;
    while (size < entries) size *= 2;
    this.#maxSlots = size;
  }

  get(text: string): T | undefined {
    const i = (pairOf(text) & this.#mask) << 1;
    const slots = this.#slots;
    // An empty slot ('' with no value) answers nothing, also for ''.
    if (slots[i] === text) return slots[i + 1] as T | undefined;
    if (slots[i + 2] === text) return slots[i + 3] as T | undefined;
    return undefined;
  }

  /** Forgets every value (and starts small again). */
  clear(): void {
    this.#slots = ['', undefined, '', undefined];
    this.#mask = 0;
    this.#stored = 0;
  }

  set(text: string, value: T): void {
    if (++this.#stored > this.#slots.length >> 1 && this.#slots.length >> 1 < this.#maxSlots) this.#grow();
    this.#place(text, value);
  }

  #grow(): void {
    const old = this.#slots;
    const size = Math.min(this.#maxSlots, Math.max(initialSlots, old.length));
    this.#slots = [];
    for (let i = 0; i < size; i++) this.#slots.push('', undefined);
    this.#mask = size - 2;
    this.#stored = 0;
    // Older entries first, so each pair keeps its newer value in front.
    for (let i = old.length - 2; i >= 0; i -= 2) {
      if (old[i + 1] !== undefined) { this.#stored++; this.#place(old[i] as string, old[i + 1] as T); }
    }
  }

  #place(text: string, value: T): void {
    const i = (pairOf(text) & this.#mask) << 1;
    const slots = this.#slots;
    slots[i + 2] = slots[i];
    slots[i + 3] = slots[i + 1];
    slots[i] = text;
    slots[i + 1] = value;
  }
}

/** An even slot index from the length and five characters spread over the string. */
function pairOf(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  let h = Math.imul(n ^ s.charCodeAt(0), 0x9e3779b1);
  h = Math.imul(h ^ s.charCodeAt(n - 1), 0x85ebca6b);
  h = Math.imul(h ^ s.charCodeAt(n >> 1), 0xc2b2ae35);
  h = Math.imul(h ^ s.charCodeAt(n >> 2), 0x27d4eb2f);
  h = Math.imul(h ^ s.charCodeAt(n - 1 - (n >> 2)), 0x165667b1);
  return (h ^ (h >>> 15)) << 1;
}

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
