// The value cache may forget, never confuse: a lookup returns the value last stored for that exact
// string, or nothing. Strings that share the sampled characters are the interesting case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AdaptiveCache, retryAfter, sampleSize, ValueCache } from '../../src/sigma/compile/value-cache.ts';
import { memoizeTest } from '../../src/sigma/compile/memo-test.ts';

// Few characters and lengths: many strings share their samples and fight for the same slots.
const key = fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 12 });

test('a lookup returns what was last stored for that exact string, or nothing', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), key, fc.integer()), { maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (ops, entries) => {
    const cache = new ValueCache<number>(entries);
    const truth = new Map<string, number>();
    for (const [isSet, text, value] of ops) {
      if (isSet) { cache.set(text, value); truth.set(text, value); continue; }
      const got = cache.get(text);
      if (got !== undefined) assert.equal(got, truth.get(text), `cached value of ${JSON.stringify(text)}`);
    }
  }));
});

test('holds recent values and keeps the newest two of a colliding pair', () => {
  const cache = new ValueCache<string>(1024);
  cache.set('/usr/bin/ls', 'ls');
  cache.set('/usr/bin/cat', 'cat');
  assert.equal(cache.get('/usr/bin/ls'), 'ls');
  assert.equal(cache.get('/usr/bin/cat'), 'cat');
  assert.equal(cache.get('/usr/bin/lz'), undefined);
  // Same length and same characters at every sampled position: one pair of slots.
  const tiny = new ValueCache<number>(4);
  for (const [i, text] of ['axxxb', 'ayxxb', 'axyxb'].entries()) tiny.set(text, i);
  assert.equal(tiny.get('axyxb'), 2);
});

test('a memoised test answers like the test itself, with repeats and collisions', () => {
  fc.assert(fc.property(fc.array(key, { maxLength: 400 }), (texts) => {
    const raw = (s: string) => s.includes('ab/');
    const memo = memoizeTest(raw, 8);
    for (const text of texts) assert.equal(memo(text), raw(text), JSON.stringify(text));
  }));
});

test('an adaptive cache stops remembering where values do not repeat, and tries again later', () => {
  const cache = new AdaptiveCache<number>(64);
  const remember = (text: string) => { if (cache.recall(text) === undefined && cache.worth(text)) cache.set(text, text.length); };
  remember('/usr/bin/ls');
  assert.equal(cache.recall('/usr/bin/ls'), '/usr/bin/ls'.length);
  // A sample of values that never repeat: below the hit rate, it forgets and stops remembering.
  for (let i = 0; i < sampleSize; i++) remember(`2026-11-01T00:00:00.${i}Z`);
  remember('/usr/bin/ls');
  assert.equal(cache.recall('/usr/bin/ls'), undefined);
  assert.equal(cache.worth('/usr/bin/ls'), false);
  // After enough values with remembering off, it remembers again.
  for (let i = 0; i < retryAfter; i++) cache.worth(`x${i}`);
  remember('/usr/bin/ls');
  assert.equal(cache.recall('/usr/bin/ls'), '/usr/bin/ls'.length);
  // Too long a value is never worth remembering.
  assert.equal(cache.worth('x'.repeat(10_000)), false);
});
