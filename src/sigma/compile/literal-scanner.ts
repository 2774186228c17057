// Multi-literal search (Aho–Corasick, compiled to a DFA): one pass over a string reports every rule
// that has one of its necessary literals in it, whatever the number of rules and literals.
// With `foldCase`, literals are lower case and the automaton folds case itself (a letter's upper and
// lower case share a class), so values are scanned as they are, without lower-casing them: ASCII, and
// the non-ASCII letters compile/case-fold.ts folds (callers pass no other non-ASCII letters with case).
// A literal may also say where it must be: as written (`exact`, for case-sensitive patterns in a
// folding automaton), at the start or at the end of the text. Those are checked where the automaton
// finds the literal, so they cost nothing on text that does not contain it.
import { otherCases } from './case-fold.ts';

/** The rules marked for one event: each rule once, in `list[0 .. count)`. */
export class RuleMarks {
  readonly stamp: Uint32Array;
  readonly list: Int32Array;
  count = 0;
  generation = 0;

  constructor(rules: number) {
    this.stamp = new Uint32Array(rules);
    this.list = new Int32Array(rules);
  }

  /** Forget the marks of the previous event. */
  clear(): void {
    this.count = 0;
    if (++this.generation === 0xffffffff) { this.stamp.fill(0); this.generation = 1; }
  }

  mark(rule: number): void {
    if (this.stamp[rule] !== this.generation) { this.stamp[rule] = this.generation; this.list[this.count++] = rule; }
  }
}

/** `rule`: what a hit reports. `exact`: the text as written (same length), checked on a hit. */
export type ScannerLiteral = { text: string; rule: number; exact?: string; atStart?: boolean; atEnd?: boolean };

export type LiteralScanner = {
  /** Marks every rule with a literal in `text`. */
  scan(text: string, marks: RuleMarks): void;
  /** false when no literal can occur in the text of a number or boolean (so those need no scan). */
  readonly matchesNonText: boolean;
  /** Appends to `out` the rules with a literal in `text` (possibly repeated). */
  collect(text: string, out: number[]): void;
  /** Whether any literal occurs in `text`. */
  containsAny(text: string): boolean;
};

/** Non-ASCII characters whose lower case is ASCII (so a case-insensitive rule can match them). */
const foldsToAscii: ReadonlyMap<number, number> = new Map([[0x212a, 0x6b /* Kelvin sign → k */], [0x0130, 0x69 /* İ → i̇ */]]);

/** Non-ASCII characters share this many classes unless `exactNonAscii`: the automaton stays small
 * (emoji and other scripts would otherwise add a column each), at the price of reporting, rarely, a
 * literal that is not there. Prefilters accept that (a candidate is evaluated in full). */
const nonAsciiBuckets = 32;
/** Table entries before the transitions: the class of each ASCII character. */
const asciiSlots = 128;
/** Past this many distinct non-ASCII characters, an exact automaton would be too large. */
export const maxExactNonAscii = 64;

/** ASCII characters, the most frequent in telemetry (timestamps, paths, command lines) first. */
const asciiByFrequency: readonly number[] = (() => {
  const first = [...'0123456789-:./ etaoinsrlcdupmhgbfywkvxzjq_=,\\\'"'].map((ch) => ch.charCodeAt(0));
  const rest: number[] = [];
  for (let c = 0; c < 128; c++) if (!first.includes(c)) rest.push(c);
  return [...first, ...rest];
})();

/** The automaton for a list of literal texts, apart from what each literal reports: automata over
 * the same texts share it (the keywords of rules that apply to several logsources, for example). */
type Automaton = {
  readonly states: number;
  readonly classes: number;
  /** Entries 0..127: the class of an ASCII character. From 128 on, per state and class: the next
   * state's row (asciiSlots + state × classes), bit-inverted when that state has literals. */
  readonly table: Int32Array;
  /** The literals (indexes into the texts) found on reaching state s: literals[start[s] .. start[s + 1]). */
  readonly literalStart: Int32Array;
  readonly literals: Int32Array;
  readonly nonAscii: ReadonlyMap<number, number>;
  readonly bucketBase: number;
  readonly exactNonAscii: boolean;
  readonly matchesNonText: boolean;
};

/** Automata by their texts and options, for `buildLiteralScanner` to share within one engine. */
export type AutomatonCache = Map<string, Automaton>;

export function buildLiteralScanner(
  literals: readonly ScannerLiteral[],
  options: { foldCase: boolean; exactNonAscii?: boolean } = { foldCase: true },
  cache?: AutomatonCache,
): LiteralScanner {
  const texts = literals.map(({ text }) => text);
  let automaton: Automaton | undefined;
  if (cache === undefined) automaton = buildAutomaton(texts, options);
  else {
    const key = JSON.stringify([options.foldCase, options.exactNonAscii === true, texts]);
    automaton = cache.get(key);
    if (automaton === undefined) cache.set(key, (automaton = buildAutomaton(texts, options)));
  }
  // What each literal reports: its rule, or, when it must be checked where it was found, its check
  // (bit-inverted). Per state, each code once.
  const checks = new Checks();
  const codeOf = literals.map((literal) => (literal.exact !== undefined || literal.atStart || literal.atEnd ? ~checks.add(literal) : literal.rule));
  const { states, literalStart } = automaton;
  const outStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let st = 0; st < states; st++) {
    const first = (outStart[st] = flat.length);
    for (let k = literalStart[st]!; k < literalStart[st + 1]!; k++) {
      const code = codeOf[automaton.literals[k]!]!;
      if (flat.indexOf(code, first) < 0) flat.push(code);
    }
  }
  outStart[states] = flat.length;
  return new DfaScanner(automaton, outStart, Int32Array.from(flat), checks.done());
}

function buildAutomaton(texts: readonly string[], options: { foldCase: boolean; exactNonAscii?: boolean }): Automaton {
  // Alphabet: one class per character occurring in a literal, class 0 for everything else. ASCII
  // classes are numbered in the order of `asciiByFrequency`, so the columns text visits most share a
  // row's first cache line (a row spans several lines; most characters then touch only the first).
  const classOf = new Uint16Array(128);
  const nonAscii = new Map<number, number>();
  const usedAscii = new Uint8Array(128);
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) usedAscii[options.foldCase && c >= 0x41 && c <= 0x5a ? c + 0x20 : c] = 1;
    }
  }
  let classes = 1;
  for (const c of asciiByFrequency) {
    if (usedAscii[c] === 0) continue;
    classOf[c] = classes;
    if (options.foldCase && c >= 0x61 && c <= 0x7a) classOf[c - 0x20] = classes;
    classes++;
  }
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 && !nonAscii.has(c) && options.exactNonAscii) nonAscii.set(c, classes++);
    }
  }
  let bucketBase = 0;
  if (!options.exactNonAscii && texts.some((text) => /[^\x00-\x7f]/.test(text))) {
    bucketBase = classes;
    classes += nonAsciiBuckets;
  }
  const exactNonAscii = options.exactNonAscii === true;
  if (options.foldCase) {
    for (const [from, to] of foldsToAscii) if (classOf[to] !== 0) nonAscii.set(from, classOf[to]!);
    // A non-ASCII letter's other cases take its class (its own, or its bucket's).
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 128) continue;
        const cls = wideClass(c, nonAscii, bucketBase, exactNonAscii);
        for (const other of otherCases(c) ?? []) nonAscii.set(other, cls);
      }
    }
  }
  const classFor = (c: number) => (c < 128 ? classOf[c]! : wideClass(c, nonAscii, bucketBase, exactNonAscii));
  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const found: Set<number>[] = [new Set()];
  texts.forEach((text, index) => {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const cls = classFor(text.charCodeAt(i));
      let next = children[state]!.get(cls);
      if (next === undefined) { next = children.length; children.push(new Map()); found.push(new Set()); children[state]!.set(cls, next); }
      state = next;
    }
    found[state]!.add(index);
  });
  // Breadth-first: failure links folded into a full transition table, literals merged along them.
  const states = children.length;
  const table = new Int32Array(states * classes);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let cls = 1; cls < classes; cls++) {
    const next = children[0]!.get(cls);
    if (next !== undefined) { table[cls] = next; queue.push(next); }
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    for (const r of found[fail[state]!]!) found[state]!.add(r);
    for (let cls = 1; cls < classes; cls++) {
      const next = children[state]!.get(cls);
      if (next === undefined) table[state * classes + cls] = table[fail[state]! * classes + cls]!;
      else { fail[next] = table[fail[state]! * classes + cls]!; table[state * classes + cls] = next; queue.push(next); }
    }
  }
  const literalStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let st = 0; st < states; st++) { literalStart[st] = flat.length; for (const index of found[st]!) flat.push(index); }
  literalStart[states] = flat.length;
  // One table for the hot loop: the class of each ASCII character at 0..127, then the transitions.
  // An entry is the next state's row (its offset in the table), bit-inverted (negative) when that
  // state has literals; one typed array means one set of V8's checks per character, not two.
  const merged = new Int32Array(asciiSlots + states * classes);
  merged.set(classOf);
  for (let i = 0; i < states * classes; i++) {
    const target = table[i]!;
    const row = asciiSlots + target * classes;
    merged[asciiSlots + i] = literalStart[target + 1] !== literalStart[target] ? ~row : row;
  }
  return {
    states, classes, table: merged, literalStart, literals: Int32Array.from(flat), nonAscii, bucketBase, exactNonAscii,
    matchesNonText: texts.some((text) => /^[0-9.e+-]+$/.test(text) || ['infinity', 'nan', 'true', 'false'].some((word) => word.includes(text))),
  };
}

/** The class of a non-ASCII character: its own (exact automata, and characters that fold to ASCII),
 * else its bucket, else none. */
function wideClass(c: number, nonAscii: ReadonlyMap<number, number>, bucketBase: number, exactNonAscii: boolean): number {
  const known = nonAscii.get(c);
  if (known !== undefined) return known;
  return exactNonAscii || bucketBase === 0 ? 0 : bucketBase + (c % nonAsciiBuckets);
}

/** The literals with a check, as arrays indexed by check number. */
type CheckTable = { rule: Int32Array; length: Int32Array; atStart: Uint8Array; atEnd: Uint8Array; exact: (string | null)[] };

class Checks {
  readonly #entries: { rule: number; length: number; atStart: boolean; atEnd: boolean; exact: string | null }[] = [];
  readonly #index = new Map<string, number>();

  add(literal: ScannerLiteral): number {
    const entry = { rule: literal.rule, length: literal.text.length, atStart: literal.atStart === true, atEnd: literal.atEnd === true, exact: literal.exact ?? null };
    const key = JSON.stringify(entry);
    let index = this.#index.get(key);
    if (index === undefined) { index = this.#entries.length; this.#entries.push(entry); this.#index.set(key, index); }
    return index;
  }

  done(): CheckTable {
    const e = this.#entries;
    return {
      rule: Int32Array.from(e, (x) => x.rule),
      length: Int32Array.from(e, (x) => x.length),
      atStart: Uint8Array.from(e, (x) => (x.atStart ? 1 : 0)),
      atEnd: Uint8Array.from(e, (x) => (x.atEnd ? 1 : 0)),
      exact: e.map((x) => x.exact),
    };
  }
}

// One class for every automaton: its methods are the same functions for all of them, so the engine's
// call sites stay monomorphic and can inline them (a closure per automaton made them megamorphic).
// scan, collect and containsAny repeat the same loop on purpose: it is the hottest code of the engine,
// and a shared loop with a callback per hit measured slower. Fields are read into locals first, so
// the loop keeps them in registers.
class DfaScanner implements LiteralScanner {
  readonly matchesNonText: boolean;
  readonly #classes: number;
  /** Entries 0..127: the class of an ASCII character. From 128 on, per state and class: the next
   * state's row (asciiSlots + state × classes), bit-inverted when that state reports literals. */
  readonly #table: Int32Array;
  /** The codes a state reports: outCodes[outStart[s] .. outStart[s + 1]); a code is a rule, or the
   * bit-inverted number of a check. */
  readonly #outStart: Int32Array;
  readonly #outCodes: Int32Array;
  readonly #checks: CheckTable;
  readonly #nonAscii: ReadonlyMap<number, number>;
  readonly #bucketBase: number;
  readonly #exactNonAscii: boolean;

  constructor(automaton: Automaton, outStart: Int32Array, outCodes: Int32Array, checks: CheckTable) {
    this.#classes = automaton.classes;
    this.#table = automaton.table;
    this.#outStart = outStart;
    this.#outCodes = outCodes;
    this.#checks = checks;
    this.#nonAscii = automaton.nonAscii;
    this.#bucketBase = automaton.bucketBase;
    this.#exactNonAscii = automaton.exactNonAscii;
    this.matchesNonText = automaton.matchesNonText;
  }

  /** The class of a non-ASCII character (off the hot path). */
  #wideClass(c: number): number {
    return wideClass(c, this.#nonAscii, this.#bucketBase, this.#exactNonAscii);
  }

  /** The state whose row starts at `row`. */
  #stateOf(row: number): number {
    return ((row - asciiSlots) / this.#classes) | 0;
  }

  /** The rule of check `index` for a literal found ending at `end` in `text`, or -1 when it is not
   * where it must be. */
  #checked(index: number, text: string, end: number): number {
    const checks = this.#checks;
    const start = end + 1 - checks.length[index]!;
    if (checks.atStart[index] === 1 && start !== 0) return -1;
    if (checks.atEnd[index] === 1 && end !== text.length - 1) return -1;
    const exact = checks.exact[index];
    if (exact !== null && exact !== undefined && !text.startsWith(exact, start)) return -1;
    return checks.rule[index]!;
  }

  scan(text: string, marks: RuleMarks): void {
    const table = this.#table;
    const stamp = marks.stamp;
    const generation = marks.generation;
    const n = text.length;
    let row = asciiSlots;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const entry = table[row + (c < 128 ? table[c]! : this.#wideClass(c))]!;
      if (entry >= 0) { row = entry; continue; }
      row = ~entry;
      const state = this.#stateOf(row);
      const codes = this.#outCodes;
      const end = this.#outStart[state + 1]!;
      for (let k = this.#outStart[state]!; k < end; k++) {
        let rule = codes[k]!;
        if (rule < 0 && (rule = this.#checked(~rule, text, i)) < 0) continue;
        if (stamp[rule] !== generation) { stamp[rule] = generation; marks.list[marks.count++] = rule; }
      }
    }
  }

  collect(text: string, out: number[]): void {
    const table = this.#table;
    const n = text.length;
    let row = asciiSlots;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const entry = table[row + (c < 128 ? table[c]! : this.#wideClass(c))]!;
      if (entry >= 0) { row = entry; continue; }
      row = ~entry;
      const state = this.#stateOf(row);
      const codes = this.#outCodes;
      const end = this.#outStart[state + 1]!;
      for (let k = this.#outStart[state]!; k < end; k++) {
        let rule = codes[k]!;
        if (rule < 0 && (rule = this.#checked(~rule, text, i)) < 0) continue;
        out.push(rule);
      }
    }
  }

  containsAny(text: string): boolean {
    const table = this.#table;
    const n = text.length;
    let row = asciiSlots;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const entry = table[row + (c < 128 ? table[c]! : this.#wideClass(c))]!;
      if (entry >= 0) { row = entry; continue; }
      row = ~entry;
      const state = this.#stateOf(row);
      const end = this.#outStart[state + 1]!;
      for (let k = this.#outStart[state]!; k < end; k++) {
        const code = this.#outCodes[k]!;
        if (code >= 0 || this.#checked(~code, text, i) >= 0) return true;
      }
    }
    return false;
  }
}
