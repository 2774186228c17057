// Telemetry repeats itself: the same Image, ParentImage, User or directory arrives again and again.
// A scanner that remembers which rules a value marked skips the automaton for repeated values (and
// stops remembering for fields whose values rarely repeat: see AdaptiveCache).
import type { LiteralScanner, RuleMarks } from '../compile/literal-scanner.ts';
import { AdaptiveCache, maxMemoEntries } from '../compile/value-cache.ts';

/** Per value, the slots it marked: -1 for none, the slot itself for one (most values mark none or
 * one: a number needs no second object to read), their list for more. */
export class MemoScanner extends AdaptiveCache<number | Int32Array> {
  readonly #scanner: LiteralScanner;
  readonly #scratch: number[] = [];
  readonly matchesNonText: boolean;
  /** For the key walk: whether this scanner holds a field's own literals (with the keywords). */
  readonly ownField: boolean;

  constructor(scanner: LiteralScanner, ownField = false) {
    super(maxMemoEntries);
    this.#scanner = scanner;
    this.matchesNonText = scanner.matchesNonText;
    this.ownField = ownField;
  }

  scan(text: string, marks: RuleMarks): void {
    let rules = this.recall(text);
    if (rules === undefined) {
      // Values that rarely repeat (timestamps, command lines) are not remembered: the cheap proof that
      // a value holds no literal spares the automaton's walk over most timestamps.
      if (!this.worth(text)) { if (!this.#scanner.inert(text)) this.#scanner.scan(text, marks); return; }
      rules = this.#remember(text);
    }
    if (typeof rules === 'number') { if (rules >= 0) marks.mark(rules); }
    else for (let k = 0; k < rules.length; k++) marks.mark(rules[k]!);
  }

  #remember(text: string): number | Int32Array {
    const scratch = this.#scratch;
    scratch.length = 0;
    this.#scanner.collect(text, scratch);
    const rules = scratch.length === 0 ? -1 : scratch.every((slot) => slot === scratch[0]) ? scratch[0]! : Int32Array.from(scratch);
    this.set(text, rules);
    return rules;
  }
}
