// The automaton behind the literal scanner (Aho–Corasick, compiled to a DFA): the character
// classes, the trie with its failure links folded into a full transition table, and where each
// literal is found. Built once per set of literals; compile/literal-scanner.ts walks it.
import { otherCases } from './case-fold.ts';

/** Non-ASCII characters whose lower case is ASCII (so a case-insensitive rule can match them). */
const foldsToAscii: ReadonlyMap<number, number> = new Map([[0x212a, 0x6b /* Kelvin sign → k */], [0x0130, 0x69 /* İ → i̇ */]]);

/** Non-ASCII characters share this many classes unless `exactNonAscii`: the automaton stays small
 * (emoji and other scripts would otherwise add a column each), at the price of reporting, rarely, a
 * literal that is not there. Prefilters accept that (a candidate is evaluated in full). */
const nonAsciiBuckets = 32;
/** Table entries before the transitions: the class of each ASCII character. */
export const asciiSlots = 128;
/** Past this many distinct non-ASCII characters, an exact automaton would be too large. */
export const maxExactNonAscii = 64;

/** ASCII characters, the most frequent in telemetry (timestamps, paths, command lines) first. */
const asciiByFrequency: readonly number[] = (() => {
  const first = [...'0123456789-:./ etaoinsrlcdupmhgbfywkvxzjq_=,\\\'"'].map((ch) => ch.charCodeAt(0));
  const rest: number[] = [];
  for (let c = 0; c < 128; c++) if (!first.includes(c)) rest.push(c);
  return [...first, ...rest];
})();

/** Characters of machine-made text (timestamps, numbers, addresses, identifiers), in the order
 * `inertAlphabet` tries them: a timestamp made only of them is proved free of literals without the
 * automaton, whose walk over it costs several times more (a dependent table load per character). */
const machineCharacters = '0123456789.:-+tz _/,abcdefx';

/** Per ASCII character, 1 when it is in a set of characters that no literal is made of alone (so a
 * text made only of them contains no literal), or null when the set is empty. (A native regular
 * expression finding a character outside the set ran fewer instructions, but its code and data
 * cost more cache misses per event than it saved: 1.04× the time.) Built greedily from
 * `machineCharacters`: a character joins unless some literal would then be made only of members.
 * Letters join with both cases (literals are lower case; folding matches either); non-ASCII
 * characters never join (the Kelvin sign folds to k). */
function inertAlphabet(texts: readonly string[], foldCase: boolean): Uint8Array | null {
  if (texts.some((text) => text.length === 0)) return null;
  const literalsWith = new Map<string, string[]>();
  for (const text of texts) {
    for (const ch of new Set(text)) {
      let list = literalsWith.get(ch);
      if (!list) literalsWith.set(ch, (list = []));
      list.push(text);
    }
  }
  const member = new Uint8Array(128);
  let members = 0;
  for (const ch of machineCharacters) {
    const forms = foldCase && ch !== ch.toUpperCase() ? [ch, ch.toUpperCase()] : [ch];
    // Only a literal with the new character can become one made only of members.
    if (forms.some((form) => (literalsWith.get(form) ?? []).some((text) => wouldComplete(text, member, forms)))) continue;
    for (const form of forms) member[form.charCodeAt(0)] = 1;
    members++;
  }
  return members === 0 ? null : member;
}

/** Whether adding `forms` to `member` makes `text` consist only of members. */
function wouldComplete(text: string, member: Uint8Array, forms: readonly string[]): boolean {
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (!(c < 128 && member[c] === 1) && !forms.includes(ch)) return false;
  }
  return true;
}

/** The automaton for a list of literal texts, apart from what each literal reports: automata over
 * the same texts share it (the keywords of rules that apply to several logsources, for example). */
export type Automaton = {
  readonly states: number;
  readonly classes: number;
  /** Entries 0..127: the class of an ASCII character. From 128 on, a row per state: per class the
   * next state's row (asciiSlots + state × (classes + 1)), bit-inverted when that state has literals
   * found where they occur; then the state's number, bit-inverted when it has literals that must end
   * the text. */
  readonly table: Int32Array;
  /** The literals (indexes into the texts) found on reaching state s: literals[start[s] .. start[s + 1]). */
  readonly literalStart: Int32Array;
  readonly literals: Int32Array;
  /** The same for the literals that must end the text, found when the walk ends in state s. */
  readonly endStart: Int32Array;
  readonly endLiterals: Int32Array;
  readonly nonAscii: ReadonlyMap<number, number>;
  readonly bucketBase: number;
  readonly exactNonAscii: boolean;
  readonly matchesNonText: boolean;
  /** See `inertAlphabet`. */
  readonly inert: Uint8Array | null;
};

/** Automata by their texts (and which must end the text) and options, for `buildLiteralScanner` to
 * share within one engine. */
export type AutomatonCache = Map<string, Automaton>;

/** `atEnd[i]`: literal i counts only where the text ends (found in the state the walk ends in). */
export function buildAutomaton(texts: readonly string[], atEnd: readonly boolean[], options: { foldCase: boolean; exactNonAscii?: boolean }): Automaton {
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
  const [literalStart, literals] = flatten(found.map((indexes) => [...indexes].filter((index) => !atEnd[index])));
  const [endStart, endLiterals] = flatten(found.map((indexes) => [...indexes].filter((index) => atEnd[index])));
  // One table for the hot loop: the class of each ASCII character at 0..127, then the transitions.
  // An entry is the next state's row (its offset in the table), bit-inverted (negative) when that
  // state has literals; one typed array means one set of V8's checks per character, not two.
  // Each row ends with its state's number (so a state with literals is found without a division),
  // bit-inverted when literals that must end the text end there.
  const width = classes + 1;
  const merged = new Int32Array(asciiSlots + states * width);
  merged.set(classOf);
  for (let st = 0; st < states; st++) {
    const base = asciiSlots + st * width;
    for (let cls = 0; cls < classes; cls++) {
      const target = table[st * classes + cls]!;
      const row = asciiSlots + target * width;
      merged[base + cls] = literalStart[target + 1] !== literalStart[target] ? ~row : row;
    }
    merged[base + classes] = endStart[st + 1] !== endStart[st] ? ~st : st;
  }
  return {
    states, classes, table: merged, literalStart, literals, endStart, endLiterals, nonAscii, bucketBase, exactNonAscii,
    inert: inertAlphabet(texts, options.foldCase),
    matchesNonText: texts.some((text) => /^[0-9.e+-]+$/.test(text) || ['infinity', 'nan', 'true', 'false'].some((word) => word.includes(text))),
  };
}

/** Lists per state → one array of all items and the start of each state's. */
function flatten(lists: readonly number[][]): [Int32Array, Int32Array] {
  const start = new Int32Array(lists.length + 1);
  const items: number[] = [];
  lists.forEach((list, st) => { start[st] = items.length; items.push(...list); });
  start[lists.length] = items.length;
  return [start, Int32Array.from(items)];
}

/** The class of a non-ASCII character: its own (exact automata, and characters that fold to ASCII),
 * else its bucket, else none. */
export function wideClass(c: number, nonAscii: ReadonlyMap<number, number>, bucketBase: number, exactNonAscii: boolean): number {
  const known = nonAscii.get(c);
  if (known !== undefined) return known;
  return exactNonAscii || bucketBase === 0 ? 0 : bucketBase + (c % nonAsciiBuckets);
}
