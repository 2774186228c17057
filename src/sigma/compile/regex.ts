// The `re` modifier: RE2 semantics through re2js, so matching time is linear in the input whatever the
// pattern. Patterns RE2 cannot run in linear time (backreferences, lookaround) are rejected at compile.
import { RE2JS } from 're2js';
import { regexNecessaryLiterals } from './regex-literals.ts';

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
  // The literal prefilter skips the regex engine for the (usual) values that cannot match.
  const needles = (regexNecessaryLiterals(source) ?? []).filter((n) => n.length >= 3);
  const usable = needles.length > 0 && needles.length <= 4 && needles.length === (regexNecessaryLiterals(source) ?? []).length;
  const test = usable
    ? (s: string) => { const folded = s.toLowerCase(); return needles.some((n) => folded.includes(n)) && re.test(s); }
    : (s: string) => re.test(s);
  return { ok: true, regex: { test, source } };
}
