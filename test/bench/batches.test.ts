// The benchmark's pipeline shape: every line decoded once and evaluated once, in order, with its own
// index, whatever the batch boundaries; the floor decodes without evaluating.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchEvents, inBatches, perEvent, type Decoded } from '../../bench/lib/batches.ts';

const lines = Array.from({ length: batchEvents * 2 + 5 }, (_, i) => JSON.stringify({ n: i }));

test('batches hand every line in [from, to) to the evaluator once, in order, with its index', () => {
  for (const [from, to] of [[0, lines.length], [3, batchEvents + 7], [10, 10], [batchEvents, batchEvents * 2]] as const) {
    const seen: [number, number][] = [];
    inBatches(lines, from, to, (event: Decoded, index) => seen.push([event.n as number, index]));
    assert.deepEqual(seen, Array.from({ length: to - from }, (_, k) => [from + k, from + k]));
  }
});

test('a batch is decoded whole before its first event is evaluated', () => {
  const order: string[] = [];
  const parse = JSON.parse;
  JSON.parse = ((text: string) => { order.push('decode'); return parse(text); }) as typeof JSON.parse;
  try {
    inBatches(lines, 0, 3, () => order.push('evaluate'));
    perEvent(lines, 0, 2, () => order.push('evaluate'));
  } finally {
    JSON.parse = parse;
  }
  assert.deepEqual(order, ['decode', 'decode', 'decode', 'evaluate', 'evaluate', 'evaluate', 'decode', 'evaluate', 'decode', 'evaluate']);
});

test('without an evaluator, lines are only decoded (the floor)', () => {
  assert.doesNotThrow(() => inBatches(lines, 0, lines.length));
  assert.throws(() => inBatches(['{"a":1}', 'not json'], 0, 2), SyntaxError);
});
