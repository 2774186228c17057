// A Sigma string pattern compiled to the cheapest test that decides it: equality, prefix, suffix,
// substring, or a linear-time segment scan for general wildcards. Never a backtracking regex.
import { AnyChars, OneChar, type SigmaString } from './sigma-string.ts';

export type StringPattern =
  | { kind: 'exact'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'suffix'; text: string }
  | { kind: 'contains'; text: string }
  | { kind: 'any' }
  | { kind: 'glob'; segments: Segment[]; anchoredStart: boolean; anchoredEnd: boolean; minLength: number };

/** A run between `*`s; `?` positions are holes that match any one character. */
type Segment = { text: string; holes: boolean[] | null };

export function compilePattern(value: SigmaString, fold: (s: string) => string): StringPattern {
  const tokens = value.map((t) => (typeof t === 'string' ? fold(t) : t));
  const hasOne = tokens.includes(OneChar);
  const literals = tokens.filter((t): t is string => typeof t === 'string');
  if (!hasOne) {
    const stars = tokens.filter((t) => t === AnyChars).length;
    const first = tokens[0] === AnyChars;
    const last = tokens.at(-1) === AnyChars && tokens.length > 0;
    if (stars === 0) return { kind: 'exact', text: literals.join('') };
    if (literals.length === 0) return { kind: 'any' };
    if (literals.length === 1) {
      if (first && last) return { kind: 'contains', text: literals[0]! };
      if (first) return { kind: 'suffix', text: literals[0]! };
      if (last) return { kind: 'prefix', text: literals[0]! };
    }
  }
  const segments: Segment[] = [];
  let current = '';
  let holes: boolean[] = [];
  let anyHole = false;
  const flush = () => { segments.push({ text: current, holes: anyHole ? holes : null }); current = ''; holes = []; anyHole = false; };
  for (const token of tokens) {
    if (token === AnyChars) flush();
    else if (token === OneChar) { current += '?'; holes.push(true); anyHole = true; }
    else { current += token; for (let i = 0; i < token.length; i++) holes.push(false); }
  }
  flush();
  const minLength = segments.reduce((n, s) => n + s.text.length, 0);
  return { kind: 'glob', segments, anchoredStart: tokens[0] !== AnyChars, anchoredEnd: tokens.at(-1) !== AnyChars, minLength };
}

export function testPattern(pattern: StringPattern, s: string): boolean {
  switch (pattern.kind) {
    case 'exact': return s === pattern.text;
    case 'prefix': return s.startsWith(pattern.text);
    case 'suffix': return s.endsWith(pattern.text);
    case 'contains': return s.includes(pattern.text);
    case 'any': return true;
    case 'glob': return testGlob(pattern, s);
  }
}

/** Greedy leftmost placement of each segment is optimal for `*`-separated segments, so one pass
 * decides the match: O(len(s) × len(segment)) at worst, never exponential. */
function testGlob(pattern: Extract<StringPattern, { kind: 'glob' }>, s: string): boolean {
  if (s.length < pattern.minLength) return false;
  const { segments } = pattern;
  const last = segments.length - 1;
  let position = 0;
  let end = s.length;
  if (pattern.anchoredEnd) {
    const tail = segments[last]!;
    const start = s.length - tail.text.length;
    if (start < 0 || !segmentAt(tail, s, start)) return false;
    end = start;
    if (last === 0) return !pattern.anchoredStart || start === 0;
  }
  for (let i = 0; i <= (pattern.anchoredEnd ? last - 1 : last); i++) {
    const segment = segments[i]!;
    if (i === 0 && pattern.anchoredStart) {
      if (segment.text.length > end || !segmentAt(segment, s, 0)) return false;
      position = segment.text.length;
      continue;
    }
    const found = findSegment(segment, s, position, end);
    if (found < 0) return false;
    position = found + segment.text.length;
  }
  return position <= end;
}

function findSegment(segment: Segment, s: string, from: number, end: number): number {
  if (segment.holes === null) {
    const at = s.indexOf(segment.text, from);
    return at >= 0 && at + segment.text.length <= end ? at : -1;
  }
  for (let at = from; at + segment.text.length <= end; at++) if (segmentAt(segment, s, at)) return at;
  return -1;
}

function segmentAt(segment: Segment, s: string, at: number): boolean {
  if (segment.holes === null) return s.startsWith(segment.text, at);
  const { text, holes } = segment;
  if (at + text.length > s.length) return false;
  for (let i = 0; i < text.length; i++) if (!holes[i] && s.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}

/** A literal run a match must contain; `atStart`/`atEnd`: it can only occur at the start or the end of
 * the matched text (a prefilter may check where it found it). */
export type LiteralRun = { text: string; atStart: boolean; atEnd: boolean };

/** Every literal run a match must contain, longest first, with where it must be. */
export function requiredRuns(pattern: StringPattern): LiteralRun[] {
  switch (pattern.kind) {
    case 'exact': case 'prefix': case 'suffix': case 'contains':
      return pattern.text === '' ? [] : [{ text: pattern.text, atStart: pattern.kind === 'exact' || pattern.kind === 'prefix', atEnd: pattern.kind === 'exact' || pattern.kind === 'suffix' }];
    case 'any': return [];
    case 'glob': {
      const { segments } = pattern;
      const last = segments.length - 1;
      // Only a whole segment without holes, first or last, sits at a known end.
      const atStart = (run: string) => pattern.anchoredStart && segments[0]!.holes === null && segments[0]!.text === run;
      const atEnd = (run: string) => pattern.anchoredEnd && segments[last]!.holes === null && segments[last]!.text === run;
      return requiredLiterals(pattern).map((text) => {
        // A run that also occurs elsewhere in the pattern is not bound to one end.
        const ends = segments.filter((segment) => segment.text.includes(text)).length === 1;
        return { text, atStart: ends && atStart(text), atEnd: ends && atEnd(text) };
      });
    }
  }
}

/** The longest literal run a match must contain (used by prefilters), or '' when there is none. */
export function requiredLiteral(pattern: StringPattern): string {
  return requiredLiterals(pattern)[0] ?? '';
}

/** Every literal run a match must contain, longest first (each one alone is necessary). */
export function requiredLiterals(pattern: StringPattern): string[] {
  switch (pattern.kind) {
    case 'exact': case 'prefix': case 'suffix': case 'contains': return pattern.text === '' ? [] : [pattern.text];
    case 'any': return [];
    case 'glob': {
      const runs = new Set<string>();
      for (const segment of pattern.segments) {
        for (const run of segment.holes === null ? [segment.text] : segment.text.split('?')) if (run !== '') runs.add(run);
      }
      return [...runs].sort((a, b) => b.length - a.length);
    }
  }
}
