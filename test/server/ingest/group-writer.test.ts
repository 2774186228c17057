import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupWriter } from '../../../src/server/ingest/group-writer.ts';

describe('group writer', () => {
  it('writes requests of one turn together; each caller gets its own result, in order', async () => {
    const batches: number[][] = [];
    const writer = createGroupWriter(async (items: number[]) => {
      batches.push(items);
      return items.map((n) => n * 10);
    }, { maxBatch: 100 });
    const results = await Promise.all([1, 2, 3].map((n) => writer.write(n)));
    assert.deepEqual(results, [10, 20, 30]);
    assert.deepEqual(batches, [[1, 2, 3]]);
  });

  it('with a linger, items arriving within it share the first write; a failed write fails its own callers only', async () => {
    const batches: number[][] = [];
    const writer = createGroupWriter(async (items: number[]) => {
      batches.push(items);
      if (items.includes(99)) throw new Error('store down');
      return items.map(() => true);
    }, { maxBatch: 100, lingerMs: 20 });
    const first = writer.write(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = writer.write(2);
    assert.deepEqual(await Promise.all([first, second]), [true, true]);
    assert.deepEqual(batches, [[1, 2]]);
    await assert.rejects(writer.write(99), /store down/);
    assert.equal(await writer.write(3), true);
    await writer.drain();
    assert.equal(writer.pending(), 0);
  });
});
