// Multi-literal search (Aho–Corasick, compiled to a DFA): one pass over a string reports every rule
// that has one of its necessary literals in it, whatever the number of rules and literals.
// With `foldCase`, literals are lower case and the automaton folds ASCII case itself (upper- and
// lower-case letters share a class), so values are scanned as they are, without lower-casing them.
// Non-ASCII literal characters are matched exactly (callers only pass caseless ones when folding).

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

export type LiteralScanner = {
  /** Marks every rule with a literal in `text`. */
  scan(text: string, marks: RuleMarks): void;
  /** false when no literal can occur in the text of a number or boolean (so those need no scan). */
  readonly matchesNonText: boolean;
  /** Appends to `out` the rules with a literal in `text` (possibly repeated). */
  collect(text: string, out: number[]): void;
  /** Whether any literal occurs in `text`. */
  containsAny(text: string): boolean;
  readonly states: number;
};

/** Non-ASCII characters whose lower case is ASCII (so a case-insensitive rule can match them). */
const foldsToAscii: ReadonlyMap<number, number> = new Map([[0x212a, 0x6b /* Kelvin sign → k */], [0x0130, 0x69 /* İ → i̇ */]]);

/** Non-ASCII characters share this many classes unless `exactNonAscii`: the automaton stays small
 * (emoji and other scripts would otherwise add a column each), at the price of reporting, rarely, a
 * literal that is not there. Prefilters accept that (a candidate is evaluated in full). */
const nonAsciiBuckets = 32;
/** Past this many distinct non-ASCII characters, an exact automaton would be too large. */
export const maxExactNonAscii = 64;

export function buildLiteralScanner(
  literals: readonly { text: string; rule: number }[],
  options: { foldCase: boolean; exactNonAscii?: boolean } = { foldCase: true },
): LiteralScanner {
  // Alphabet: one class per character occurring in a literal, class 0 for everything else.
  const classOf = new Uint16Array(128);
  const nonAscii = new Map<number, number>();
  let classes = 1;
  for (const { text } of literals) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128 && classOf[c] === 0) {
        classOf[c] = classes;
        if (options.foldCase && c >= 0x61 && c <= 0x7a) classOf[c - 0x20] = classes;
        classes++;
      } else if (c >= 128 && !nonAscii.has(c) && options.exactNonAscii) nonAscii.set(c, classes++);
    }
  }
  let bucketBase = 0;
  if (!options.exactNonAscii && literals.some(({ text }) => /[^\x00-\x7f]/.test(text))) {
    bucketBase = classes;
    classes += nonAsciiBuckets;
  }
  const classOfNonAscii = (c: number) => (options.exactNonAscii || bucketBase === 0 ? (nonAscii.get(c) ?? 0) : bucketBase + (c % nonAsciiBuckets));
  if (options.foldCase) for (const [from, to] of foldsToAscii) if (classOf[to] !== 0) nonAscii.set(from, classOf[to]!);
  const classFor = (c: number) => (c < 128 ? classOf[c]! : nonAscii.get(c) ?? classOfNonAscii(c));
  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const ruleSets: Set<number>[] = [new Set()];
  for (const { text, rule } of literals) {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const cls = classFor(text.charCodeAt(i));
      let next = children[state]!.get(cls);
      if (next === undefined) { next = children.length; children.push(new Map()); ruleSets.push(new Set()); children[state]!.set(cls, next); }
      state = next;
    }
    ruleSets[state]!.add(rule);
  }
  // Breadth-first: failure links folded into a full transition table, outputs merged along them.
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
    for (const r of ruleSets[fail[state]!]!) ruleSets[state]!.add(r);
    for (let cls = 1; cls < classes; cls++) {
      const next = children[state]!.get(cls);
      if (next === undefined) table[state * classes + cls] = table[fail[state]! * classes + cls]!;
      else { fail[next] = table[fail[state]! * classes + cls]!; table[state * classes + cls] = next; queue.push(next); }
    }
  }
  // Outputs as one flat array: the rules of state s are outRules[outStart[s] .. outStart[s + 1]).
  const outStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let st = 0; st < states; st++) { outStart[st] = flat.length; for (const r of ruleSets[st]!) flat.push(r); }
  outStart[states] = flat.length;
  const outRules = Int32Array.from(flat);
  // The hot loop reads one table entry per character: the next state pre-multiplied by the number of
  // classes, bit-inverted (negative) when that state has outputs.
  const next = new Int32Array(states * classes);
  for (let i = 0; i < next.length; i++) {
    const target = table[i]!;
    next[i] = outStart[target + 1] !== outStart[target] ? ~(target * classes) : target * classes;
  }
  // scan, collect and containsAny repeat the same loop on purpose: it is the hottest code of the
  // engine, and a shared loop with a callback per hit measured slower.
  return {
    states,
    matchesNonText: literals.some(({ text }) => /^[0-9.e+-]+$/.test(text) || ['infinity', 'nan', 'true', 'false'].some((word) => word.includes(text))),
    scan(text, marks) {
      const stamp = marks.stamp;
      const generation = marks.generation;
      let row = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const entry = next[row + (c < 128 ? classOf[c]! : (nonAscii.get(c) ?? classOfNonAscii(c)))]!;
        if (entry >= 0) { row = entry; continue; }
        row = ~entry;
        const state = (row / classes) | 0;
        const end = outStart[state + 1]!;
        for (let k = outStart[state]!; k < end; k++) {
          const rule = outRules[k]!;
          if (stamp[rule] !== generation) { stamp[rule] = generation; marks.list[marks.count++] = rule; }
        }
      }
    },
    collect(text, out) {
      let row = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const entry = next[row + (c < 128 ? classOf[c]! : (nonAscii.get(c) ?? classOfNonAscii(c)))]!;
        if (entry >= 0) { row = entry; continue; }
        row = ~entry;
        const state = (row / classes) | 0;
        const end = outStart[state + 1]!;
        for (let k = outStart[state]!; k < end; k++) out.push(outRules[k]!);
      }
    },
    containsAny(text) {
      let row = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const entry = next[row + (c < 128 ? classOf[c]! : (nonAscii.get(c) ?? classOfNonAscii(c)))]!;
        if (entry < 0) return true;
        row = entry;
      }
      return false;
    },
  };
}
