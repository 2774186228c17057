// A bounded memo from field values to answers, for the per-event hot path. Event strings are new
// objects each event (fresh from JSON.parse or a sensor), so a Map lookup first hashes every
// character of the value; here the slot comes from the length and five sampled characters, and the
// key is confirmed with `===`. Measured on parsed events: about half the cost of a Map lookup.
//
// Two-way set associative: a value lands in one pair of slots; the newer of the pair is kept first.
// Values that share their samples only evict each other (a miss costs a full evaluation, never a
// wrong answer), so crafted input can make the cache useless but not incorrect.

export class ValueCache<T> {
  #keys: (string | undefined)[] = [];
  #values: (T | undefined)[] = [];
  #mask = 0;
  readonly #size: number;

  /** `entries`: how many values it holds at most (rounded up to a power of two, at least 4). The
   * slots are allocated on the first `set`: most conditions of a large rule set never see a value. */
  constructor(entries: number) {
    let size = 4;
    while (size < entries) size *= 2;
    this.#size = size;
  }

  get(text: string): T | undefined {
    const i = pairOf(text) & this.#mask;
    const keys = this.#keys;
    if (keys[i] === text) return this.#values[i];
    if (keys[i + 1] === text) return this.#values[i + 1];
    return undefined;
  }

  set(text: string, value: T): void {
    if (this.#mask === 0) {
      this.#keys = new Array<string | undefined>(this.#size).fill(undefined);
      this.#values = new Array<T | undefined>(this.#size).fill(undefined);
      this.#mask = this.#size - 2;
    }
    const i = pairOf(text) & this.#mask;
    const keys = this.#keys;
    const values = this.#values;
    keys[i + 1] = keys[i];
    values[i + 1] = values[i];
    keys[i] = text;
    values[i] = value;
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
