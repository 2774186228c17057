// The `re` modifier: RE2 semantics through re2js, so matching time is linear in the input whatever the
// pattern. Patterns RE2 cannot run in linear time (backreferences, lookaround) are rejected at compile.
import { RE2JS } from 're2js';
import { regexNecessaryLiterals, regexNecessaryLiteralsCased } from './regex-literals.ts';

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
  return { ok: true, regex: { test: withLiteralCheck(source, flags, (s) => re.test(s)), source } };
}

/** The regex engine runs only on values that contain one of the literals every match needs: for a
 * case-sensitive pattern as written (even short ones like `-W`, checked natively without copying
 * the value), otherwise case-folded and only when they are long enough to be worth lower-casing. */
function withLiteralCheck(source: string, flags: RegexFlags, test: (s: string) => boolean): (s: string) => boolean {
  const cased = !flags.caseInsensitive && !source.includes('(?') ? regexNecessaryLiteralsCased(source) : null;
  if (cased !== null && cased.length <= 8) return (s) => cased.some((n) => s.includes(n)) && test(s);
  const folded = regexNecessaryLiterals(source) ?? [];
  if (folded.length > 0 && folded.length <= 4 && folded.every((n) => n.length >= 3)) {
    return (s) => { const lower = s.toLowerCase(); return folded.some((n) => lower.includes(n)) && test(s); };
  }
  return test;
}
