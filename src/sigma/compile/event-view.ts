// The event as rules see it during one evaluation: field values looked up once and lower-cased once,
// however many rules read them. Slots are assigned per field name when rules compile.

/** Plain data, as JSON.parse makes it: the fields are the object's own enumerable properties. */
export type SigmaEvent = Readonly<Record<string, unknown>>;
export type FieldSlot = { readonly index: number; readonly name: string; readonly get: (event: SigmaEvent) => unknown };

/** Deepest nesting walked for dotted field names and keyword searches. */
export const maxDepth = 32;
/** Most values visited by a keyword search of one event (a cyclic or huge event cannot stall it). */
export const maxKeywordNodes = 100_000;

export class FieldTable {
  readonly #slots = new Map<string, FieldSlot>();

  slot(name: string): FieldSlot {
    let slot = this.#slots.get(name);
    if (!slot) {
      slot = { index: this.#slots.size, name, get: fieldGetter(name) };
      this.#slots.set(name, slot);
    }
    return slot;
  }

  get size(): number { return this.#slots.size; }
}

export class EventView {
  event: SigmaEvent = {};
  #generation = 0;
  #rawStamp: number[] = [];
  #raw: unknown[] = [];
  #lowerStamp: number[] = [];
  #lower: string[] = [];
  #keywordStamp = -1;
  #keywords: string[] = [];
  #keywordsLower: string[] = [];

  reset(event: SigmaEvent): void {
    this.event = event;
    this.#generation++;
  }

  value(slot: FieldSlot): unknown {
    const i = slot.index;
    if (this.#rawStamp[i] !== this.#generation) {
      this.#raw[i] = slot.get(this.event);
      this.#rawStamp[i] = this.#generation;
    }
    return this.#raw[i];
  }

  /** The field's value lower-cased, when it is a string; cached for the evaluation. */
  lowerString(slot: FieldSlot, value: string): string {
    const i = slot.index;
    if (this.#lowerStamp[i] !== this.#generation) {
      this.#lower[i] = value.toLowerCase();
      this.#lowerStamp[i] = this.#generation;
    }
    return this.#lower[i]!;
  }

  /** Every scalar value in the event, as text, for keyword (field-less) searches. */
  keywords(lower: boolean): readonly string[] {
    if (this.#keywordStamp !== this.#generation) {
      this.#keywords = [];
      const event = this.event;
      if (Array.isArray(event)) collectScalars(event, this.#keywords, 0, { nodes: maxKeywordNodes });
      else {
        // The same walk as collectScalars from the top (the event itself is one node), past the envelope.
        const budget = { nodes: maxKeywordNodes - 1 };
        for (const [key, value] of Object.entries(event)) if (!isEnvelope(key, value)) collectScalars(value, this.#keywords, 1, budget);
      }
      this.#keywordsLower = this.#keywords.map((k) => k.toLowerCase());
      this.#keywordStamp = this.#generation;
    }
    return lower ? this.#keywordsLower : this.#keywords;
  }
}

/** The `logsource` object an event may carry says where it came from (what routes it to rules), not
 * what happened: keyword searches pass it by. */
export function isEnvelope(key: string, value: unknown): boolean {
  return key === 'logsource' && typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether any scalar value of the event (as text) satisfies `test`; walks as `keywords()` does.
 * `nonText` false: the test cannot hold for the text of a number or boolean, so those are skipped. */
export function someScalar(event: SigmaEvent, test: (text: string) => boolean, nonText = true): boolean {
  scalarBudget = maxKeywordNodes;
  if (Array.isArray(event)) return visitScalars(event, test, nonText, 0);
  // The top level inline (most values are strings there): the same walk as visitScalars, where the
  // event itself counts as one node, without a call per value, past the envelope.
  --scalarBudget;
  for (const key in event) {
    const value = event[key];
    if (typeof value === 'string') {
      if (--scalarBudget < 0) return false;
      if (test(value)) return true;
    } else if (!isEnvelope(key, value) && visitScalars(value, test, nonText, 1)) return true;
  }
  return false;
}

// One walk at a time (matching is synchronous), so the budget needs no allocation per event.
let scalarBudget = 0;

function visitScalars(value: unknown, test: (text: string) => boolean, nonText: boolean, depth: number): boolean {
  if (depth > maxDepth || --scalarBudget < 0) return false;
  if (typeof value === 'string') return test(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return nonText && test(String(value));
  if (Array.isArray(value)) {
    for (const item of value) if (visitScalars(item, test, nonText, depth + 1)) return true;
  } else if (typeof value === 'object' && value !== null) {
    for (const key in value) if (visitScalars((value as Record<string, unknown>)[key], test, nonText, depth + 1)) return true;
  }
  return false;
}

function collectScalars(value: unknown, out: string[], depth: number, budget: { nodes: number }): void {
  if (depth > maxDepth || --budget.nodes < 0) return;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectScalars(item, out, depth + 1, budget);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collectScalars(item, out, depth + 1, budget);
}

/** `Name` reads the key as is; when absent and the name has dots, `a.b.c` walks nested objects. */
function fieldGetter(name: string): (event: SigmaEvent) => unknown {
  const path = name.includes('.') ? name.split('.').slice(0, maxDepth) : null;
  return (event) => {
    const direct = Object.hasOwn(event, name) ? event[name] : undefined;
    if (direct !== undefined || path === null) return direct;
    let current: unknown = event;
    for (const key of path) {
      if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  };
}
