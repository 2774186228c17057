// Turns a set of string patterns into one test over a string, choosing hash lookups and plain string
// operations over per-pattern loops where the patterns allow it.
import { compilePattern, requiredLiteral, testPattern, type StringPattern } from './string-pattern.ts';
import type { SigmaString } from './sigma-string.ts';
import { buildLiteralScanner } from './literal-scanner.ts';
import { maxExactNonAscii } from './automaton.ts';
import { buildAnchoredTrie } from './anchored-trie.ts';

/** From this many strings on, one automaton or trie walk beats one comparison per string. */
const automatonThreshold = 6;

export type StringTest = (s: string) => boolean;

export function anyOf(values: readonly SigmaString[], fold: (s: string) => string): StringTest {
  const patterns = values.map((v) => compilePattern(v, fold));
  if (patterns.some((p) => p.kind === 'any')) return () => true;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const infixes: string[] = [];
  const others: StringPattern[] = [];
  for (const p of patterns) {
    if (p.kind === 'exact') exact.add(p.text);
    else if (p.kind === 'prefix') prefixes.push(p.text);
    else if (p.kind === 'suffix') suffixes.push(p.text);
    else if (p.kind === 'contains') infixes.push(p.text);
    else others.push(p);
  }
  const tests: StringTest[] = [];
  if (exact.size === 1) { const [only] = exact; tests.push((s) => s === only); }
  else if (exact.size > 1) tests.push((s) => exact.has(s));
  if (prefixes.length >= automatonThreshold) tests.push(buildAnchoredTrie(prefixes, false));
  else if (prefixes.length > 0) tests.push(prefixes.length === 1 ? ((p) => (s: string) => s.startsWith(p))(prefixes[0]!) : (s) => prefixes.some((p) => s.startsWith(p)));
  if (suffixes.length >= automatonThreshold) tests.push(buildAnchoredTrie(suffixes, true));
  else if (suffixes.length > 0) tests.push(suffixes.length === 1 ? ((p) => (s: string) => s.endsWith(p))(suffixes[0]!) : (s) => suffixes.some((p) => s.endsWith(p)));
  if (infixes.length >= automatonThreshold && distinctNonAscii(infixes) <= maxExactNonAscii) {
    // Values arrive already case-folded (or the rule is cased), so the automaton matches exactly.
    const scanner = buildLiteralScanner(infixes.map((text) => ({ text, rule: 0 })), { foldCase: false, exactNonAscii: true });
    tests.push((s) => scanner.containsAny(s));
  } else if (infixes.length > 0) tests.push(infixes.length === 1 ? ((p) => (s: string) => s.includes(p))(infixes[0]!) : (s) => infixes.some((p) => s.includes(p)));
  if (others.length >= automatonThreshold && others.every((p) => requiredLiteral(p) !== '')) {
    // Many wildcard patterns: find which ones can match from their literals in one pass, test only those.
    const scanner = buildLiteralScanner(others.map((p, rule) => ({ text: requiredLiteral(p), rule })), { foldCase: false });
    const possible: number[] = [];
    tests.push((s) => {
      possible.length = 0;
      scanner.collect(s, possible);
      for (const index of possible) if (testPattern(others[index]!, s)) return true;
      return false;
    });
  } else for (const p of others) tests.push((s) => testPattern(p, s));
  return tests.length === 1 ? tests[0]! : (s) => tests.some((t) => t(s));
}


function distinctNonAscii(texts: readonly string[]): number {
  const seen = new Set<number>();
  for (const text of texts) for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) seen.add(text.charCodeAt(i));
  return seen.size;
}
