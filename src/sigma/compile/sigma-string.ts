// A Sigma string value as tokens: literal text and the wildcards `*` and `?`, with the spec's escaping
// (`\*`, `\?` and `\\` escape; a backslash before anything else is a plain backslash).

export type Token = string | typeof AnyChars | typeof OneChar;
export const AnyChars = Symbol('*');
export const OneChar = Symbol('?');

/** Tokens; consecutive literal characters are merged into one string token. */
export type SigmaString = Token[];

export function parseSigmaString(text: string): SigmaString {
  const tokens: SigmaString = [];
  let literal = '';
  const flush = () => { if (literal) { tokens.push(literal); literal = ''; } };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\') { literal += next; i++; } else literal += c;
    } else if (c === '*') { flush(); if (tokens.at(-1) !== AnyChars) tokens.push(AnyChars); }
    else if (c === '?') { flush(); tokens.push(OneChar); }
    else literal += c;
  }
  flush();
  return tokens;
}

export function literalString(text: string): SigmaString {
  return text === '' ? [] : [text];
}

export function hasWildcards(value: SigmaString): boolean {
  return value.some((token) => typeof token !== 'string');
}

/** The plain text of a wildcard-free value. */
export function plainText(value: SigmaString): string {
  return value.filter((token): token is string => typeof token === 'string').join('');
}

export function withLeadingWildcard(value: SigmaString): SigmaString {
  return value[0] === AnyChars ? value : [AnyChars, ...value];
}

export function withTrailingWildcard(value: SigmaString): SigmaString {
  return value.at(-1) === AnyChars ? value : [...value, AnyChars];
}

export function mapLiterals(value: SigmaString, map: (text: string) => string): SigmaString {
  return value.map((token) => (typeof token === 'string' ? map(token) : token));
}

/** Back to Sigma's escaped text form (for messages and for literal prefilters). */
export function formatSigmaString(value: SigmaString): string {
  return value.map((t) => (t === AnyChars ? '*' : t === OneChar ? '?' : t.replace(/[\\*?]/g, '\\$&'))).join('');
}
