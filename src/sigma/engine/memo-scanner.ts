// Telemetry repeats itself: the same Image, ParentImage, User or directory arrives again and again.
// A scanner that remembers which rules a value marked skips the automaton for repeated values, and
// turns itself off for fields whose values rarely repeat (command lines, timestamps), where the
// bookkeeping would only cost.
import type { LiteralScanner, RuleMarks } from '../compile/literal-scanner.ts';
import { ValueCache } from '../compile/value-cache.ts';

const maxEntries = 4096;
const maxMemoLength = 512;
const sampleSize = 2048;
const minHitRate = 0.3;
/** After this many scans with memoisation off, try it again (the traffic may have changed). */
const retryAfter = 65_536;

export class MemoScanner {
  readonly #scanner: LiteralScanner;
  /** Per value, the slots it marked: -1 for none, the slot itself for one (most values mark none or
   * one: a number needs no second object to read), their list for more. */
  #memo = new ValueCache<number | Int32Array>(maxEntries);
  #enabled = true;
  #lookups = 0;
  #hits = 0;
  #sinceDisabled = 0;
  readonly #scratch: number[] = [];

  readonly matchesNonText: boolean;

  constructor(scanner: LiteralScanner) {
    this.#scanner = scanner;
    this.matchesNonText = scanner.matchesNonText;
  }

  scan(text: string, marks: RuleMarks): void {
    if (!this.#enabled || text.length > maxMemoLength) {
      if (!this.#enabled && ++this.#sinceDisabled >= retryAfter) this.#reset(true);
      this.#scanner.scan(text, marks);
      return;
    }
    let rules = this.#memo.get(text);
    this.#lookups++;
    if (rules !== undefined) {
      this.#hits++;
    } else {
      const scratch = this.#scratch;
      scratch.length = 0;
      this.#scanner.collect(text, scratch);
      rules = scratch.length === 0 ? -1 : scratch.every((slot) => slot === scratch[0]) ? scratch[0]! : Int32Array.from(scratch);
      this.#memo.set(text, rules);
    }
    if (typeof rules === 'number') { if (rules >= 0) marks.mark(rules); }
    else for (let k = 0; k < rules.length; k++) marks.mark(rules[k]!);
    if (this.#lookups === sampleSize) {
      if (this.#hits < minHitRate * sampleSize) this.#reset(false);
      else { this.#lookups = 0; this.#hits = 0; }
    }
  }

  #reset(enabled: boolean): void {
    this.#enabled = enabled;
    this.#memo = new ValueCache(maxEntries);
    this.#lookups = 0;
    this.#hits = 0;
    this.#sinceDisabled = 0;
  }
}
