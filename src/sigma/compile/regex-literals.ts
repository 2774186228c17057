// Which literal strings must occur in any match of a regular expression, as an OR-set: the regex can
// only match text that contains one of them. Read from a small parse of the pattern (the classic
// "exact set / required set" analysis); anything it does not understand yields no set (null), which
// is always safe: the rule is then evaluated without a literal prefilter.

type Info = { exact: Set<string> | null; must: string[] | null };

const maxExact = 16;
const unknown: Info = { exact: null, must: null };

/** Lower-cased literals (at least one must occur, case-insensitively), or null. */
export function regexNecessaryLiterals(source: string): string[] | null {
  return necessaryLiterals(source)?.map((s) => s.toLowerCase()) ?? null;
}

/** The literals as written (at least one occurs exactly in any match of a case-sensitive pattern),
 * or null. Callers must know the pattern is case-sensitive (no `i` flag, no inline flags). */
export function regexNecessaryLiteralsCased(source: string): string[] | null {
  return necessaryLiterals(source);
}

function necessaryLiterals(source: string): string[] | null {
  let info: Info;
  try {
    info = new RegexAnalyzer(source).parseAlternation();
  } catch {
    return null;
  }
  const set = info.exact ? [...info.exact] : info.must;
  if (!set || set.length === 0 || set.some((s) => s.length === 0)) return null;
  return set;
}

class RegexAnalyzer {
  #pos = 0;
  readonly #src: string;
  constructor(src: string) { this.#src = src; }

  parseAlternation(): Info {
    let info = this.parseConcat();
    while (this.#src[this.#pos] === '|') {
      this.#pos++;
      info = alternate(info, this.parseConcat());
    }
    if (this.#pos < this.#src.length && this.#src[this.#pos] !== ')') throw new Error('unexpected');
    return info;
  }

  /** A sequence: runs of exactly-known items combine into longer literals; the best run or required
   * set of an inexact item is what the whole sequence requires. */
  parseConcat(): Info {
    let run: Set<string> | null = new Set(['']);
    let allExact = true;
    let must: string[] | null = null;
    const closeRun = () => { if (run) must = better(must, required({ exact: run, must: null })); run = new Set(['']); };
    while (this.#pos < this.#src.length && this.#src[this.#pos] !== '|' && this.#src[this.#pos] !== ')') {
      const item = this.parseRepeat();
      if (item.exact && run && run.size * item.exact.size <= maxExact) {
        const next = new Set<string>();
        for (const x of run) for (const y of item.exact) next.add(x + y);
        run = next;
        continue;
      }
      allExact = false;
      closeRun();
      must = better(must, required(item));
      if (item.exact) run = new Set(item.exact);
    }
    if (allExact) return { exact: run, must: null };
    closeRun();
    return { exact: null, must };
  }

  parseRepeat(): Info {
    const atom = this.parseAtom();
    const c = this.#src[this.#pos];
    let min = 1;
    let max = 1;
    if (c === '*') { min = 0; max = Infinity; this.#pos++; }
    else if (c === '+') { min = 1; max = Infinity; this.#pos++; }
    else if (c === '?') { min = 0; this.#pos++; }
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#src.slice(this.#pos));
      if (m) { min = Number(m[1]); max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]); this.#pos += m[0].length; }
    }
    if (this.#src[this.#pos] === '?' && (min !== 1 || max !== 1)) this.#pos++; // lazy quantifier
    if (min === 1 && max === 1) return atom;
    if (min === 0) return unknown; // may match nothing, or anything the atom matches
    return { exact: null, must: required(atom) };
  }

  parseAtom(): Info {
    const c = this.#src[this.#pos]!;
    if (c === '(') {
      this.#pos++;
      if (this.#src[this.#pos] === '?') {
        const flags = /^\?([a-zA-Z-]*)(:|\))/.exec(this.#src.slice(this.#pos));
        const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(this.#src.slice(this.#pos));
        if (named) this.#pos += named[0].length;
        else if (flags && flags[2] === ')') { this.#pos += flags[0].length; return { exact: new Set(['']), must: null }; }
        else if (flags) this.#pos += flags[0].length;
        else throw new Error('unsupported group');
      }
      const inner = this.parseAlternation();
      if (this.#src[this.#pos] !== ')') throw new Error('unbalanced');
      this.#pos++;
      return inner;
    }
    if (c === '[') { this.#skipClass(); return unknown; }
    if (c === '.') { this.#pos++; return unknown; }
    if (c === '^' || c === '$') { this.#pos++; return { exact: new Set(['']), must: null }; }
    if (c === '\\') {
      const next = this.#src[this.#pos + 1];
      if (next === undefined) throw new Error('trailing backslash');
      this.#pos += 2;
      if (/[bBAzZ]/.test(next)) return { exact: new Set(['']), must: null };
      if (/[dDwWsSpPxuc0-9Nk]/.test(next)) { this.#skipEscapeOperand(next); return unknown; }
      if (/[a-zA-Z]/.test(next)) return unknown; // \t, \n, \Q and friends: not worth modelling
      return { exact: new Set([next]), must: null };
    }
    if ('*+?{'.includes(c)) throw new Error('quantifier without operand');
    this.#pos++;
    return { exact: new Set([c]), must: null };
  }

  /** `\x41`, `\x{263a}`, `\u0041`, `\p{Greek}`, `\pL`, `\cA`, `\012`: step over what the escape consumes. */
  #skipEscapeOperand(kind: string): void {
    if (this.#src[this.#pos] === '{' && 'xupPk'.includes(kind)) { const end = this.#src.indexOf('}', this.#pos); this.#pos = end < 0 ? this.#src.length : end + 1; return; }
    if (kind === 'x') this.#pos += 2;
    else if (kind === 'u') this.#pos += 4;
    else if (kind === 'p' || kind === 'P' || kind === 'c') this.#pos += 1;
    else if (/[0-9]/.test(kind)) while (/[0-9]/.test(this.#src[this.#pos] ?? '')) this.#pos++;
  }

  #skipClass(): void {
    let i = this.#pos + 1;
    if (this.#src[i] === '^') i++;
    if (this.#src[i] === ']') i++;
    for (; i < this.#src.length; i++) {
      if (this.#src[i] === '\\') { i++; continue; }
      if (this.#src[i] === ']') { this.#pos = i + 1; return; }
    }
    throw new Error('unterminated class');
  }
}

function alternate(a: Info, b: Info): Info {
  if (a.exact && b.exact && a.exact.size + b.exact.size <= maxExact) return { exact: new Set([...a.exact, ...b.exact]), must: null };
  const ra = required(a);
  const rb = required(b);
  return { exact: null, must: ra && rb ? [...ra, ...rb] : null };
}

/** An OR-set implied by the node, or null when nothing useful is required. */
function required(info: Info): string[] | null {
  if (info.exact) return [...info.exact].some((s) => s.length === 0) ? null : [...info.exact];
  return info.must;
}

/** Of two OR-sets that are both required, keep the more selective (fewer, longer strings). */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (!a) return b;
  if (!b) return a;
  const score = (set: string[]) => set.reduce((sum, s) => sum + 1 / Math.max(1, s.length) ** 2, 0);
  return score(a) <= score(b) ? a : b;
}
