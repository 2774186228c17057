// The condition language: `or` < `and` < `not` < `1 of`/`all of` < parentheses, identifiers with `*`
// patterns and `them`. Parses to a small tree; errors say what was expected where.

export type ConditionNode =
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'identifier'; name: string }
  | { kind: 'quantified'; quantifier: 'one' | 'all'; pattern: string };

type Tok = { type: 'word' | '(' | ')'; text: string; at: number };

export const maxConditionLength = 8192;
export const maxConditionDepth = 64;

export function parseCondition(text: string): { ok: true; node: ConditionNode } | { ok: false; reason: string } {
  if (text.length > maxConditionLength) return { ok: false, reason: `condition is longer than ${maxConditionLength} characters` };
  if (/\|\s*(count|min|max|avg|sum|near)\b/i.test(text)) {
    return { ok: false, reason: 'aggregation expressions in conditions are Sigma 1 syntax; use a correlation rule' };
  }
  const tokens: Tok[] = [];
  const re = /\s*(?:([()])|([^\s()]+))/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[1]) tokens.push({ type: m[1] as '(' | ')', text: m[1], at: m.index });
    else if (m[2]) tokens.push({ type: 'word', text: m[2], at: m.index });
  }
  if (tokens.length === 0) return { ok: false, reason: 'condition is empty' };
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const isWord = (t: Tok | undefined, word: string) => t?.type === 'word' && t.text.toLowerCase() === word;
  const error = (expected: string) => {
    const t = peek();
    throw new ConditionError(t ? `expected ${expected} at "${t.text}" (column ${t.at + 1})` : `expected ${expected} at the end of the condition`);
  };
  const parseOr = (): ConditionNode => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) { pos++; left = { kind: 'or', left, right: parseAnd() }; }
    return left;
  };
  const parseAnd = (): ConditionNode => {
    let left = parseNot();
    while (isWord(peek(), 'and')) { pos++; left = { kind: 'and', left, right: parseNot() }; }
    return left;
  };
  const parseNot = (): ConditionNode => {
    if (isWord(peek(), 'not')) {
      pos++;
      if (++depth > maxConditionDepth) throw new ConditionError(`condition nests deeper than ${maxConditionDepth}`);
      const operand = parseNot();
      depth--;
      return { kind: 'not', operand };
    }
    return parseAtom();
  };
  const parseAtom = (): ConditionNode => {
    const t = peek();
    if (!t) return error('an identifier, "not", "1 of", "all of" or "("');
    if (t.type === '(') {
      pos++;
      if (++depth > maxConditionDepth) throw new ConditionError(`condition nests deeper than ${maxConditionDepth}`);
      const inner = parseOr();
      depth--;
      if (peek()?.type !== ')') return error('")"');
      pos++;
      return inner;
    }
    if (t.type === ')') return error('an identifier');
    const lowered = t.text.toLowerCase();
    if (['and', 'or', 'of'].includes(lowered)) return error('an identifier');
    if (isWord(tokens[pos + 1], 'of')) {
      if (lowered !== '1' && lowered !== 'all' && lowered !== 'any') {
        throw new ConditionError(`"${t.text} of" is not supported; use "1 of" or "all of" (column ${t.at + 1})`);
      }
      pos += 2;
      const target = peek();
      if (target?.type !== 'word' || ['and', 'or', 'not', 'of'].includes(target.text.toLowerCase())) return error('a search identifier pattern or "them"');
      pos++;
      return { kind: 'quantified', quantifier: lowered === 'all' ? 'all' : 'one', pattern: target.text };
    }
    if (!/^[\w.*-]+$/u.test(t.text)) throw new ConditionError(`"${t.text}" is not a valid search identifier (column ${t.at + 1})`);
    pos++;
    return { kind: 'identifier', name: t.text };
  };
  try {
    const node = parseOr();
    if (pos < tokens.length) error('"and", "or" or the end of the condition');
    return { ok: true, node };
  } catch (e) {
    if (e instanceof ConditionError) return { ok: false, reason: e.message };
    throw e;
  }
}

class ConditionError extends Error {}
