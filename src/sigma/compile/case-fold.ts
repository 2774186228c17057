// Case folding beyond ASCII for the literal prefilter. String matchers compare lower-cased text
// (`toLowerCase`), regular expressions with the `i` flag fold case as RE2 does; the scanner folds
// case by giving every character related to a letter by case one class, which over-approximates
// both: `А` and `а` share a class, and so do `В`, `в` and `ᲀ` (which lower-cases to itself but upper-
// cases to `В`), or `Σ`, `σ` and `ς`. A prefilter may report a literal that is not there, never miss
// one. Not folded (the prefilter splits literals at them, as before): letters related by case to an
// ASCII letter (`ſ`, `ı`: the scanner's ASCII classes are its own), letters whose lower case is two
// units (`İ`), which would shift positions, and letters outside the BMP.
/** BMP ranges that hold letters with case (between them: CJK, Hangul, surrogates, private use). */
const casedRanges: readonly (readonly [number, number])[] = [[0x80, 0x33ff], [0xa000, 0xabff], [0xf900, 0xffff]];

type FoldTable = { lower: Int32Array; upper: Int32Array; lowerFrom: Map<number, number[]>; upperFrom: Map<number, number[]> };
let table: FoldTable | null = null;

/** Each BMP character's lower and upper case (-1 when two units), and the reverse maps. Built once,
 * when first needed (~5 ms). */
function foldTable(): FoldTable {
  if (table !== null) return table;
  const lower = new Int32Array(0x10000);
  for (let c = 0; c < lower.length; c++) lower[c] = c;
  const upper = lower.slice();
  const lowerFrom = new Map<number, number[]>();
  const upperFrom = new Map<number, number[]>();
  const add = (map: Map<number, number[]>, to: number, from: number) => { const list = map.get(to); if (list) list.push(from); else map.set(to, [from]); };
  for (const [first, last] of casedRanges) {
    for (let c = first; c <= last; c++) {
      const s = String.fromCharCode(c);
      const l = s.toLowerCase();
      const u = s.toUpperCase();
      lower[c] = l.length === 1 ? l.charCodeAt(0) : -1;
      upper[c] = u.length === 1 ? u.charCodeAt(0) : -1;
      if (lower[c] !== c && lower[c] !== -1) add(lowerFrom, lower[c]!, c);
      if (upper[c] !== c && upper[c] !== -1) add(upperFrom, upper[c]!, c);
    }
  }
  return (table = { lower, upper, lowerFrom, upperFrom });
}

const orbits = new Map<number, readonly number[] | null>();

/** For a non-ASCII lower-case character, the other characters related to it by case (closed under
 * lower and upper case), [] for a character without case, or null when the scanner cannot fold it. */
export function otherCases(lowerCase: number): readonly number[] | null {
  let orbit = orbits.get(lowerCase);
  if (orbit !== undefined) return orbit;
  orbit = computeOrbit(lowerCase);
  orbits.set(lowerCase, orbit);
  return orbit;
}

function computeOrbit(t: number): readonly number[] | null {
  if (t < 0x80 || t > 0xffff || (t >= 0xd800 && t <= 0xdfff)) return null;
  const { lower, upper, lowerFrom, upperFrom } = foldTable();
  const seen = new Set<number>([t]);
  const queue = [t];
  for (let head = 0; head < queue.length; head++) {
    const c = queue[head]!;
    // ASCII, or a lower case of two units (İ): not foldable; nor is t unless it is lower case.
    if (c < 0x80 || lower[c] === -1 || (c === t && lower[c] !== t)) return null;
    for (const next of [lower[c]!, upper[c]!, ...(lowerFrom.get(c) ?? []), ...(upperFrom.get(c) ?? [])]) {
      if (next !== -1 && !seen.has(next)) { seen.add(next); queue.push(next); }
    }
  }
  return queue.slice(1);
}

/** Whether the scanner can fold this character's case as `toLowerCase` does (every ASCII
 * character, and the non-ASCII ones `otherCases` accepts). */
export function foldsSimply(c: number): boolean {
  if (c < 0x80) return true;
  const s = String.fromCharCode(c);
  const l = s.toLowerCase();
  return l.length === 1 && otherCases(l.charCodeAt(0)) !== null;
}
