// The prefilter's case folding beyond ASCII: every character a foldable letter's lower case comes
// from is in its orbit, and the letters it cannot fold are the ones whose case shifts positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldsSimply, otherCases } from '../../src/sigma/compile/case-fold.ts';

test('every BMP character that lower-cases to a foldable letter is in that letter\'s orbit', () => {
  let folded = 0;
  for (let c = 0x80; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length !== 1 || lower.charCodeAt(0) < 0x80 || !foldsSimply(c)) continue;
    const t = lower.charCodeAt(0);
    const orbit = otherCases(t);
    assert.ok(orbit !== null, `U+${c.toString(16)}`);
    if (c !== t) { assert.ok(orbit.includes(c), `U+${c.toString(16)} lower-cases to U+${t.toString(16)}, not in its orbit`); folded++; }
    // Closed under case: the lower and upper case of each member are members (one class for all).
    const members = new Set([t, ...orbit]);
    for (const m of members) {
      for (const other of [String.fromCharCode(m).toLowerCase(), String.fromCharCode(m).toUpperCase()]) {
        if (other.length === 1) assert.ok(members.has(other.charCodeAt(0)), `U+${m.toString(16)} → U+${other.charCodeAt(0).toString(16)} outside the orbit of U+${t.toString(16)}`);
      }
    }
  }
  assert.ok(folded > 1000, `only ${folded} characters folded`);
});

test('orbits: what shares a class, and what is not folded', () => {
  const chars = (list: readonly number[] | null) => (list === null ? null : [...list].map((c) => String.fromCharCode(c)).sort());
  assert.deepEqual(chars(otherCases('а'.charCodeAt(0))), ['А']);
  assert.deepEqual(chars(otherCases('в'.charCodeAt(0))), ['ᲀ', 'В'].sort()); // RE2 folds ᲀ with в
  assert.deepEqual(chars(otherCases('σ'.charCodeAt(0))), ['Σ', 'ς'].sort()); // Σ lower-cases to σ or ς
  assert.deepEqual(chars(otherCases('ß'.charCodeAt(0))), ['ẞ']);
  assert.deepEqual(chars(otherCases('–'.charCodeAt(0))), []); // no case
  assert.equal(otherCases('ſ'.charCodeAt(0)), null); // upper case S: ASCII classes are the scanner's own
  assert.equal(otherCases('ı'.charCodeAt(0)), null);
  assert.equal(foldsSimply('İ'.charCodeAt(0)), false); // lower case i̇, two units
  assert.equal(foldsSimply('А'.charCodeAt(0)), true);
});
