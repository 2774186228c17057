// Multi-literal search (Aho–Corasick, compiled to a DFA): one pass over a string reports every rule
// that has one of its necessary literals in it, whatever the number of rules and literals.
// With `foldCase`, literals are lower case and the automaton folds case itself (a letter's upper and
// lower case share a class), so values are scanned as they are, without lower-casing them: ASCII, and
// the non-ASCII letters compile/case-fold.ts folds (callers pass no other non-ASCII letters with case).
// A literal may also say where it must be: as written (`exact`, for case-sensitive patterns in a
// folding automaton), at the start or at the end of the text. Those are checked where the automaton
// finds the literal, so they cost nothing on text that does not contain it; a literal that must end
// the text is looked for only where the text ends (in the state the automaton stops in), so an
// `endswith: ' /'` costs nothing at the spaces before the slashes of a command line.
import { asciiSlots, buildAutomaton, wideClass, type Automaton, type AutomatonCache } from './automaton.ts';

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
  /** true when no literal can occur in `text`, proved cheaply: every character of the text is in a
   * set of characters that no literal is made of alone (see `inertAlphabet` in compile/automaton.ts).
   * false proves nothing. */
  inert(text: string): boolean;
};

export function buildLiteralScanner(
  literals: readonly ScannerLiteral[],
  options: { foldCase: boolean; exactNonAscii?: boolean } = { foldCase: true },
  cache?: AutomatonCache,
): LiteralScanner {
  const texts = literals.map(({ text }) => text);
  const atEnd = literals.map((literal) => literal.atEnd === true);
  let automaton: Automaton | undefined;
  if (cache === undefined) automaton = buildAutomaton(texts, atEnd, options);
  else {
    const key = JSON.stringify([options.foldCase, options.exactNonAscii === true, texts, atEnd]);
    automaton = cache.get(key);
    if (automaton === undefined) cache.set(key, (automaton = buildAutomaton(texts, atEnd, options)));
  }
  // What each literal reports: its rule, or, when it must be checked where it was found, its check
  // (bit-inverted). Per state, each code once.
  const checks = new Checks();
  const codeOf = literals.map((literal) => (literal.exact !== undefined || literal.atStart || literal.atEnd ? ~checks.add(literal) : literal.rule));
  const found = outputs(automaton.literalStart, automaton.literals, codeOf);
  const atTheEnd = outputs(automaton.endStart, automaton.endLiterals, codeOf);
  return new DfaScanner(automaton, found, atTheEnd, checks.done());
}

/** Per state, the codes its literals report (each once): codes[start[s] .. start[s + 1]). */
type Outputs = { start: Int32Array; codes: Int32Array };

function outputs(literalStart: Int32Array, literals: Int32Array, codeOf: readonly number[]): Outputs {
  const states = literalStart.length - 1;
  const start = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let st = 0; st < states; st++) {
    const first = (start[st] = flat.length);
    for (let k = literalStart[st]!; k < literalStart[st + 1]!; k++) {
      const code = codeOf[literals[k]!]!;
      if (flat.indexOf(code, first) < 0) flat.push(code);
    }
  }
  start[states] = flat.length;
  return { start, codes: Int32Array.from(flat) };
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
  /** See `Automaton.table`. */
  readonly #table: Int32Array;
  /** The codes a state reports: outCodes[outStart[s] .. outStart[s + 1]); a code is a rule, or the
   * bit-inverted number of a check. */
  readonly #outStart: Int32Array;
  readonly #outCodes: Int32Array;
  /** The same for literals that must end the text, when the walk ends in state s (all checks). */
  readonly #endStart: Int32Array;
  readonly #endCodes: Int32Array;
  readonly #checks: CheckTable;
  readonly #nonAscii: ReadonlyMap<number, number>;
  readonly #bucketBase: number;
  readonly #exactNonAscii: boolean;
  /** See `inertAlphabet` (compile/automaton.ts). */
  readonly #inert: Uint8Array | null;

  constructor(automaton: Automaton, found: Outputs, atTheEnd: Outputs, checks: CheckTable) {
    this.#classes = automaton.classes;
    this.#table = automaton.table;
    this.#outStart = found.start;
    this.#outCodes = found.codes;
    this.#endStart = atTheEnd.start;
    this.#endCodes = atTheEnd.codes;
    this.#checks = checks;
    this.#nonAscii = automaton.nonAscii;
    this.#bucketBase = automaton.bucketBase;
    this.#exactNonAscii = automaton.exactNonAscii;
    this.#inert = automaton.inert;
    this.matchesNonText = automaton.matchesNonText;
  }

  inert(text: string): boolean {
    const inert = this.#inert;
    if (inert === null) return false;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || inert[c] === 0) return false;
    }
    return true;
  }

  /** The class of a non-ASCII character (off the hot path). */
  #wideClass(c: number): number {
    return wideClass(c, this.#nonAscii, this.#bucketBase, this.#exactNonAscii);
  }

  /** The state whose row starts at `row`. */
  #stateOf(row: number): number {
    const state = this.#table[row + this.#classes]!;
    return state ^ (state >> 31); // bit-inverted when it has literals that must end the text
  }

  /** For a walk that ended at `row`: the state, when literals that must end the text end there, else -1. */
  #endState(row: number): number {
    const state = this.#table[row + this.#classes]!;
    return state < 0 ? ~state : -1;
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
    const last = this.#endState(row);
    if (last >= 0) {
      for (let k = this.#endStart[last]!; k < this.#endStart[last + 1]!; k++) {
        const rule = this.#checked(~this.#endCodes[k]!, text, n - 1);
        if (rule >= 0) marks.mark(rule);
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
    const last = this.#endState(row);
    if (last >= 0) {
      for (let k = this.#endStart[last]!; k < this.#endStart[last + 1]!; k++) {
        const rule = this.#checked(~this.#endCodes[k]!, text, n - 1);
        if (rule >= 0) out.push(rule);
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
    const last = this.#endState(row);
    if (last >= 0) {
      for (let k = this.#endStart[last]!; k < this.#endStart[last + 1]!; k++) {
        if (this.#checked(~this.#endCodes[k]!, text, n - 1) >= 0) return true;
      }
    }
    return false;
  }
}
