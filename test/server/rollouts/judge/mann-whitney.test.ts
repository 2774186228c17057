import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mannWhitneyGreater, median, standardNormalCdf } from '../../../../src/server/rollouts/judge/mann-whitney.ts';

// Reference values from scipy.stats.mannwhitneyu(alternative='greater', method='asymptotic').
const cases = [
  { first: [6, 7, 8, 9, 10], second: [1, 2, 3, 4, 5], u: 25, p: 0.006092890177672406 },
  { first: [1, 2, 2, 3, 3, 3, 7], second: [1, 1, 2, 2, 3, 4, 4, 5, 5], u: 29.5, p: 0.6063571667072055 },
  { first: [5.1, 6.2, 6.2, 7.0, 8.8, 9.1, 9.1, 10.4], second: [4.0, 5.1, 5.1, 6.2, 6.9, 7.7], u: 38, p: 0.03917513782384978 },
];

test('U and the one-sided p-value match scipy, ties included', () => {
  for (const c of cases) {
    const result = mannWhitneyGreater(c.first, c.second);
    assert.equal(result.u, c.u);
    assert.ok(Math.abs(result.pValue - c.p) < 1e-6, `p ${result.pValue} vs ${c.p}`);
  }
});

test('all values tied gives no evidence (p = 1), empty samples too', () => {
  assert.equal(mannWhitneyGreater([3, 3, 3], [3, 3]).pValue, 1);
  assert.equal(mannWhitneyGreater([], [1, 2]).pValue, 1);
});

test('U of both directions adds up to n1·n2 and p-values are in [0, 1]', () => {
  const sample = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 });
  fc.assert(fc.property(sample, sample, (a, b) => {
    const ab = mannWhitneyGreater(a, b);
    const ba = mannWhitneyGreater(b, a);
    assert.ok(Math.abs(ab.u + ba.u - a.length * b.length) < 1e-9);
    assert.ok(ab.pValue >= 0 && ab.pValue <= 1);
  }));
});

test('Φ and median', () => {
  assert.ok(Math.abs(standardNormalCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(standardNormalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(standardNormalCdf(-2.326348) - 0.01) < 1e-6);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), 0);
});
