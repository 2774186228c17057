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

/** Any one part is enough (a conjunction): keep the cheapest to check and rarest to hold. */
export function best(parts: readonly Necessary[]): Necessary {
  let chosen: Necessary = null;
  let chosenCost = Infinity;
  for (const part of parts) {
    if (part === null) continue;
    const c = cost(part);
    if (c < chosenCost) { chosen = part; chosenCost = c; }
  }
  return chosen;
}

/** Short literals hold in most events and many atoms mean many chances: both make a set weak. */
function cost(atoms: readonly Atom[]): number {
  return atoms.reduce((sum, a) => sum + (a.text.length < 3 ? 50 : 1 / a.text.length), 0);
}

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
