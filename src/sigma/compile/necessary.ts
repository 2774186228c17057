// Necessary literals: for a rule, a set of (field, text) atoms such that the rule can only match an
// event where at least one atom holds, i.e. the lower-cased field value contains the text. The engine
// scans each field once for all atoms (literal-scanner.ts) and evaluates only the rules whose atoms
// hold. Rules without such a set (e.g. `not x` alone) are always evaluated.

/** `field: null` means any value of the event (keyword searches). Texts are lower-case ASCII. */
export type Atom = { field: string | null; text: string };
/** null: no literal is necessary (the rule must always be evaluated). */
export type Necessary = Atom[] | null;

export function union(parts: readonly Necessary[]): Necessary {
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  return dedupe((parts as Atom[][]).flat());
}

/** Short literals hold in most events and many atoms mean many chances: both make a set weak. */
function cost(atoms: readonly Atom[]): number {
  return atoms.reduce((sum, a) => sum + (a.text.length < 3 ? weak : 1 / a.text.length), 0);
}

const weak = 50;

/** The longest run of a literal, lower-cased, without non-ASCII letters that have case (their case
 * folding is not position-stable, and the scanner folds ASCII case only). Emoji and the like stay. */
export function asciiAtomText(literal: string): string {
  let bestRun = '';
  let run = '';
  for (const c of literal.toLowerCase()) {
    if (c.charCodeAt(0) >= 128 && c.toUpperCase() !== c) { if (run.length > bestRun.length) bestRun = run; run = ''; }
    else run += c;
  }
  return run.length > bestRun.length ? run : bestRun;
}

export function atomsFor(field: string | null, literals: readonly string[]): Necessary {
  const atoms: Atom[] = [];
  for (const literal of literals) {
    const text = asciiAtomText(literal);
    if (text === '') return null;
    atoms.push({ field, text });
  }
  return atoms.length > 0 ? dedupe(atoms) : null;
}

function dedupe(atoms: Atom[]): Atom[] {
  const seen = new Set<string>();
  return atoms.filter((a) => { const key = `${a.field ?? '\u0000'}\u0001${a.text}`; if (seen.has(key)) return false; seen.add(key); return true; });
}

/** Several sets, each of which alone is necessary (one per conjunct): the engine starts with the
 * cheapest-looking one and switches to the one that holds least often in the traffic it sees.
 * An empty list: nothing is necessary. */
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
  return rank(combos);
}

/** The alternative with the lowest static cost first; duplicates removed; at most `maxAlternatives`. */
export function rank(needs: readonly Atom[][]): Needs {
  const seen = new Set<string>();
  const out: Atom[][] = [];
  for (const alt of [...needs].sort((a, b) => cost(a) - cost(b))) {
    const key = alt.map((a) => `${a.field ?? '\u0000'}\u0001${a.text}`).sort().join('\u0002');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(alt);
  }
  // A set with a very short literal holds in most events: keep it only when nothing better exists,
  // since scanning for it costs on every event too.
  const strong = out.filter((alt) => cost(alt) < weak);
  return (strong.length > 0 ? strong : out).slice(0, maxAlternatives);
}
