// Value transformation modifiers (expand, windash, utf16*, wide, base64, base64offset): each turns one
// value into one or more values, applied in the order the rule gives them.
import { hasWildcards, literalString, parseSigmaString, plainText, type SigmaString } from './sigma-string.ts';

/** A value under transformation; `binary` marks text that holds bytes (one char per byte). */
export type WorkValue = { text: SigmaString; binary: boolean };
export type TransformResult = { ok: true; values: WorkValue[] } | { ok: false; reason: string };

export const maxExpandedValues = 4096;
const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];

export function expandPlaceholders(value: WorkValue, raw: string, placeholders: ReadonlyMap<string, readonly string[]>): TransformResult {
  // Placeholders are found in the raw text: `%name%`, where `\%` is a plain percent sign.
  const parts: (string | { placeholder: string })[] = [];
  let literal = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\' && raw[i + 1] === '%') { literal += '\\%'; i++; continue; }
    if (raw[i] === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end > i + 1) { parts.push(literal); literal = ''; parts.push({ placeholder: raw.slice(i + 1, end) }); i = end; continue; }
    }
    literal += raw[i];
  }
  parts.push(literal);
  let texts = [''];
  for (const part of parts) {
    if (typeof part === 'string') { texts = texts.map((t) => t + part.replace(/\\%/g, '%')); continue; }
    const substitutes = placeholders.get(part.placeholder);
    if (!substitutes || substitutes.length === 0) {
      return { ok: false, reason: `placeholder %${part.placeholder}% has no values in the placeholder configuration` };
    }
    texts = texts.flatMap((t) => substitutes.map((s) => t + s));
    if (texts.length > maxExpandedValues) return { ok: false, reason: `placeholders expand to more than ${maxExpandedValues} values` };
  }
  void value;
  return { ok: true, values: texts.map((t) => ({ text: parseSigmaString(t), binary: false })) };
}

/** Every combination of the dash characters for a `-` or `/` that starts a word. */
export function windash(value: WorkValue): TransformResult {
  let variants: SigmaString[] = [[]];
  for (const token of value.text) {
    if (typeof token !== 'string') { variants = variants.map((v) => [...v, token]); continue; }
    let pieces = [''];
    for (let i = 0; i < token.length; i++) {
      const c = token[i]!;
      const startsWord = (c === '-' || c === '/') && !isWordChar(token[i - 1]) && isWordChar(token[i + 1]);
      pieces = startsWord ? pieces.flatMap((p) => dashes.map((d) => p + d)) : pieces.map((p) => p + c);
      if (pieces.length * variants.length > maxExpandedValues) return { ok: false, reason: `windash expands to more than ${maxExpandedValues} values` };
    }
    variants = variants.flatMap((v) => pieces.map((p) => [...v, p]));
  }
  return { ok: true, values: variants.map((text) => ({ text: mergeLiterals(text), binary: value.binary })) };
}

export function utf16(value: WorkValue, variant: 'le' | 'be' | 'bom'): TransformResult {
  if (hasWildcards(value.text)) return { ok: false, reason: 'wildcards cannot be encoded as UTF-16' };
  const text = plainText(value.text);
  let out = variant === 'bom' ? '\xff\xfe' : '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lo = String.fromCharCode(code & 0xff);
    const hi = String.fromCharCode(code >> 8);
    out += variant === 'be' ? hi + lo : lo + hi;
  }
  return { ok: true, values: [{ text: literalString(out), binary: true }] };
}

export function base64(value: WorkValue): TransformResult {
  if (hasWildcards(value.text)) return { ok: false, reason: 'wildcards cannot be base64-encoded' };
  return { ok: true, values: [{ text: literalString(btoa(toBytes(value))), binary: false }] };
}

/** The three encodings of a value at byte offsets 0, 1 and 2, trimmed to the characters that do not
 * depend on the neighbouring bytes (so they can be searched for inside a larger base64 text). */
export function base64offset(value: WorkValue): TransformResult {
  if (hasWildcards(value.text)) return { ok: false, reason: 'wildcards cannot be base64-encoded' };
  const bytes = toBytes(value);
  const startTrim = [0, 2, 3];
  const endTrim = [0, 3, 2];
  const values: WorkValue[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = btoa(' '.repeat(shift) + bytes);
    const end = encoded.length - endTrim[(bytes.length + shift) % 3]!;
    const part = encoded.slice(startTrim[shift], end);
    if (part) values.push({ text: literalString(part), binary: false });
  }
  return { ok: true, values };
}

/** The bytes of a value as a binary string: UTF-8 for text, as-is for already-encoded bytes. */
function toBytes(value: WorkValue): string {
  const text = plainText(value.text);
  if (value.binary) return text;
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c);
}

function mergeLiterals(value: SigmaString): SigmaString {
  const out: SigmaString = [];
  for (const token of value) {
    if (typeof token === 'string' && typeof out.at(-1) === 'string') out[out.length - 1] = (out.at(-1) as string) + token;
    else if (token !== '') out.push(token);
  }
  return out;
}
