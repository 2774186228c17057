// The `re` modifier: RE2 semantics through re2js, so matching time is linear in the input whatever the
// pattern. Patterns RE2 cannot run in linear time (backreferences, lookaround) are rejected at compile.
import { RE2JS } from 're2js';

export type RegexFlags = { caseInsensitive: boolean; multiline: boolean; dotAll: boolean };
export type CompiledRegex = { test(s: string): boolean; source: string };

export const maxRegexLength = 4096;

export function compileRegex(source: string, flags: RegexFlags): { ok: true; regex: CompiledRegex } | { ok: false; reason: string; unsafe: boolean } {
  if (source.length > maxRegexLength) return { ok: false, reason: `regular expression is longer than ${maxRegexLength} characters`, unsafe: true };
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, (flags.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0) | (flags.multiline ? RE2JS.MULTILINE : 0) | (flags.dotAll ? RE2JS.DOTALL : 0));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unsafe = /\(\?[=!<]|\\[1-9]|backreference|lookahead|lookbehind/i.test(source + message);
    return {
      ok: false,
      unsafe,
      reason: unsafe
        ? `regular expression uses lookaround or backreferences, which cannot be matched in linear time (${message})`
        : `invalid regular expression: ${message}`,
    };
  }
  const literal = requiredRegexLiteral(source);
  const folded = flags.caseInsensitive || /\(\?[a-z]*i/.test(source);
  const needle = folded ? literal.toLowerCase() : literal;
  // The literal prefilter skips the regex engine for the (usual) values that cannot match.
  const test = needle.length >= 3
    ? (folded ? (s: string) => s.toLowerCase().includes(needle) && re.test(s) : (s: string) => s.includes(needle) && re.test(s))
    : (s: string) => re.test(s);
  return { ok: true, regex: { test, source } };
}

const escapedLiterals = new Set([...'.\\/-_:;,\'"!@#%&=<>~` ^$*+?()[]{}|']);

/** The longest run of characters every match must contain, read conservatively from the pattern's
 * top level (no alternation anywhere, nothing inside groups or classes). '' when unsure. */
export function requiredRegexLiteral(source: string): string {
  if (hasTopLevelOrAnyAlternation(source)) return '';
  let best = '';
  let run = '';
  const commit = () => { if (run.length > best.length) best = run; run = ''; };
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    let char: string | null = null;
    let width = 1;
    if (c === '\\') {
      const next = source[i + 1];
      // Escapes that consume further characters (\x41, \u0041, \p{L}, \0, \1…) end the analysis.
      if (next !== undefined && /[xupPcN0-9]/.test(next)) return '';
      if (next !== undefined && escapedLiterals.has(next)) { char = next; width = 2; }
      else { commit(); i++; continue; }
    } else if (c === '[') {
      commit();
      i = skipClass(source, i);
      continue;
    } else if (c === '(') { depth++; commit(); continue; }
    else if (c === ')') { depth--; commit(); continue; }
    else if ('.^$|'.includes(c)) { commit(); continue; }
    else if (c === '{') { commit(); const close = source.indexOf('}', i); i = close < 0 ? source.length : close; continue; }
    else if ('*+?'.includes(c)) { commit(); continue; }
    else char = c;
    if (depth > 0) continue;
    const after = source[i + width];
    if (after === '*' || after === '?' || after === '{') { commit(); i += width - 1; continue; }
    run += char;
    i += width - 1;
    if (after === '+') commit();
  }
  commit();
  return best;
}

function hasTopLevelOrAnyAlternation(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') { i++; continue; }
    if (source[i] === '[') { i = skipClass(source, i); continue; }
    if (source[i] === '|') return true;
  }
  return false;
}

function skipClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') { i++; continue; }
    if (source[i] === ']') return i;
  }
  return source.length;
}
