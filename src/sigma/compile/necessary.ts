// Necessary literals: for a rule, a set of (field, text) atoms such that the rule can only match an
// event where at least one atom holds, i.e. the lower-cased field value contains the text. The engine
// scans each field once for all atoms (literal-scanner.ts) and evaluates only the rules whose atoms
// hold. Rules without such a set (e.g. `not x` alone) are always evaluated.
import { foldsSimply } from './case-fold.ts';

/** `field: null` means any value of the event (keyword searches). Texts are lower case, with no
 * letter whose case the scanner cannot fold (compile/case-fold.ts).
 * `exact`: the text as written, when case matters (a case-sensitive pattern); `atStart`/`atEnd`: the
 * text holds only at the start or end of the value (anchored patterns). The scanner checks these
 * where it finds the text, so e.g. `Image|endswith: '/ss'` does not hold for `/usr/bin/ssh`. */
export type Atom = { field: string | null; text: string; exact?: string; atStart?: boolean; atEnd?: boolean };
/** A literal a match needs, as the value tests produce it: `cased` when it must occur as written. */
export type NeededLiteral = { text: string; cased: boolean; atStart: boolean; atEnd: boolean };
/** null: no literal is necessary (the rule must always be evaluated). */
export type Necessary = Atom[] | null;

export function union(parts: readonly Necessary[]): Necessary {
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  return dedupe((parts as Atom[][]).flat());
}

/** Short literals hold in most events and many atoms mean many chances: both make a set weak. */
function cost(atoms: readonly Atom[]): number {
  return atoms.reduce((sum, a) => { const n = strength(a); return sum + (n < 3 ? weak : 1 / n); }, 0);
}

/** A literal's length, counting its checks: one that must start or end the value, or occur as
 * written, holds in fewer values (`Image|endswith: '/ls'` is rarer than "ls" anywhere). */
function strength(a: Atom): number {
  return a.text.length + (a.atStart ? 2 : 0) + (a.atEnd ? 2 : 0) + (a.exact !== undefined ? 1 : 0);
}

const weak = 50;

/** The longest run of a literal, lower-cased, without letters whose case the scanner cannot fold
 * (`ſ` and `ı`, whose case reaches ASCII; `İ`, whose lower case is two units; letters outside the
 * BMP: see compile/case-fold.ts). Emoji and the like stay. */
export function atomText(literal: string): string {
  return atomRun(literal).text;
}

export function atomsFor(field: string | null, literals: readonly NeededLiteral[]): Necessary {
  const atoms: Atom[] = [];
  for (const literal of literals) {
    const atom = atomOf(field, literal);
    if (atom === null) return null;
    atoms.push(atom);
  }
  return atoms.length > 0 ? dedupe(atoms) : null;
}

function atomOf(field: string | null, literal: NeededLiteral): Atom | null {
  // The run the scanner looks for; when it is only part of the literal, it is no longer anchored.
  const run = atomRun(literal.text);
  if (run.length === 0) return null;
  const atom: Atom = { field, text: run.text };
  const whole = run.length === literal.text.length;
  // The run's letters lower-case one unit to one: `exact` and the lower-cased text line up
  // character for character. (The scanner folds case, so a cased literal
  // with any letter, even a lower-case one, needs its exact check.)
  if (literal.cased && /[a-z]/i.test(run.exact)) atom.exact = run.exact;
  if (literal.atStart && (whole || run.start === 0)) atom.atStart = true;
  if (literal.atEnd && (whole || run.start + run.length === literal.text.length)) atom.atEnd = true;
  return atom;
}

/** The longest run of the literal without letters whose case the scanner cannot fold: where it
 * starts, as written, and lower-cased. */
function atomRun(literal: string): { start: number; length: number; exact: string; text: string } {
  let best = { start: 0, length: 0 };
  let start = 0;
  let i = 0;
  for (const c of literal) { // by code point: a letter outside the BMP is two code units
    const cased = c.charCodeAt(0) >= 128 && (c.toUpperCase() !== c || c.toLowerCase() !== c);
    if (cased && (c.length !== 1 || !foldsSimply(c.charCodeAt(0)))) {
      if (i - start > best.length) best = { start, length: i - start };
      start = i + c.length;
    }
    i += c.length;
  }
  if (i - start > best.length) best = { start, length: i - start };
  const exact = literal.slice(best.start, best.start + best.length);
  return { ...best, exact, text: exact.toLowerCase() };
}

/** A literal that may occur anywhere in the value, in any case (nothing to check where it is found). */
export const anywhere = (text: string): NeededLiteral => ({ text, cased: false, atStart: false, atEnd: false });

function atomKey(a: Atom): string {
  return `${a.field ?? '\u0000'}\u0001${a.text}\u0001${a.exact ?? ''}\u0001${a.atStart ? 's' : ''}${a.atEnd ? 'e' : ''}`;
}

function dedupe(atoms: Atom[]): Atom[] {
  const seen = new Set<string>();
  return atoms.filter((a) => { const key = atomKey(a); if (seen.has(key)) return false; seen.add(key); return true; });
}

/** Several sets, each of which alone is necessary (one per conjunct, or per way of covering a
 * disjunction): the engine scans for all of them in one pass and evaluates a rule only when every
 * set holds. An empty list: nothing is necessary. */
export type Needs = Atom[][];

/** At most this many alternatives per rule are tracked. */
export const maxAlternatives = 6;

export function needsOf(necessary: Necessary): Needs {
  return necessary === null ? [] : [necessary];
}

/** A conjunction: any part's alternative is necessary for the whole. */
export function needsAll(parts: readonly Needs[]): Needs {
  return rank(parts.flat());
}

/** A disjunction: one atom from every part's alternative; the cheapest pairs are kept. */
export function needsAny(parts: readonly Needs[]): Needs {
  if (parts.length === 0 || parts.some((p) => p.length === 0)) return [];
  let combos: Atom[][] = [[]];
  for (const part of parts) {
    combos = combos.flatMap((combo) => part.slice(0, 2).map((alt) => [...combo, ...alt]));
    combos = rank(combos.map(dedupe)).slice(0, 4);
  }
  // The cheapest-looking sets lean on one field (`1 of` selections that each pair an Image with a
  // command line give sets of Images, which benign events hold all the time). A set per field, from
  // each part the alternative on that field where it has a strong one, gives the engine another
  // necessary set, and an event must hold every set to be a candidate.
  const fields = new Set(parts.flatMap((part) => part.flatMap((alt) => alt.map((a) => a.field))));
  const perField = [...fields].map((field) => dedupe(parts.flatMap((part) =>
    part.find((alt) => alt.every((a) => a.field === field) && cost(alt) < weak) ?? part[0]!)));
  return rank([...combos.slice(0, maxAlternatives - Math.min(fields.size, 2)), ...perField]);
}

/** The alternative with the lowest static cost first; duplicates and sets containing another removed;
 * at most `maxAlternatives`. */
export function rank(needs: readonly Atom[][]): Needs {
  const out: Atom[][] = [];
  const kept: Set<string>[] = [];
  // A set that contains another holds whenever that one does: it filters nothing more, and each of
  // its marks costs the scan. Cheaper sets come first, so the contained one is already kept.
  for (const alt of [...needs].sort((a, b) => cost(a) - cost(b))) {
    const keys = new Set(alt.map(atomKey));
    if (kept.some((smaller) => smaller.size <= keys.size && [...smaller].every((key) => keys.has(key)))) continue;
    kept.push(keys);
    out.push(alt);
  }
  // A set with a very short literal holds in most events: keep it only when nothing better exists,
  // since scanning for it costs on every event too.
  const strong = out.filter((alt) => cost(alt) < weak);
  return (strong.length > 0 ? strong : out).slice(0, maxAlternatives);
}
