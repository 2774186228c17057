import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSpool, type SpoolOptions } from '../../src/agent/index.ts';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'ring3-spool-')); dirs.push(d); return d; };
const options = (dir: string, extra: Partial<SpoolOptions> = {}): SpoolOptions => ({ dir, maxBytes: 1 << 20, segmentBytes: 4096, fsync: 'never', fsyncIntervalMs: 1000, ...extra });
const ids = (records: { id: string }[]) => records.map((r) => r.id);

describe('alert spool', () => {
  it('keeps records in order across reopen; acknowledged ones are gone', () => {
    const dir = tempDir();
    let spool = openSpool(options(dir, { segmentBytes: 200 }));
    for (let i = 0; i < 20; i++) assert.ok(spool.append({ id: `a${i}`, n: i }));
    assert.deepEqual(ids(spool.peek(5)), ['a0', 'a1', 'a2', 'a3', 'a4']);
    assert.equal(spool.acknowledge(['a0', 'a1', 'a3']), 2, 'stops at the first record not acknowledged');
    spool.close();
    spool = openSpool(options(dir, { segmentBytes: 200 }));
    assert.equal(spool.stats().pending, 18);
    assert.equal(spool.stats().acknowledged, 2);
    const rest = spool.peek(100);
    assert.deepEqual(ids(rest), Array.from({ length: 18 }, (_, i) => `a${i + 2}`));
    assert.equal(spool.acknowledge(ids(rest)), 18);
    assert.equal(spool.stats().pending, 0);
    assert.ok(spool.stats().segments <= 1, 'finished segments are deleted');
    assert.ok(spool.append({ id: 'b0' }));
    assert.deepEqual(ids(spool.peek(10)), ['b0']);
    spool.close();
  });

  it('is bounded: the oldest records are evicted first and counted', () => {
    const dir = tempDir();
    const spool = openSpool(options(dir, { maxBytes: 2000, segmentBytes: 500 }));
    for (let i = 0; i < 300; i++) assert.ok(spool.append({ id: `r${i}`, pad: 'y'.repeat(20) }));
    const stats = spool.stats();
    assert.ok(stats.bytes <= 2000, `${stats.bytes} bytes`);
    assert.equal(stats.evicted + stats.pending, 300);
    const pending = ids(spool.peek(1000));
    assert.equal(pending.length, stats.pending);
    assert.equal(pending.at(-1), 'r299');
    assert.equal(pending[0], `r${stats.evicted}`, 'what is left is the newest, in order');
    assert.equal(spool.append({ id: 'huge', pad: 'z'.repeat(5000) }), false, 'a record larger than the spool is refused');
    assert.equal(spool.stats().oversized, 1);
    spool.close();
  });

  it('cuts off a half-written last line after a crash', () => {
    const dir = tempDir();
    const spool = openSpool(options(dir));
    spool.append({ id: 'ok1' });
    spool.append({ id: 'ok2' });
    spool.close();
    const segment = readdirSync(dir).find((n) => n.endsWith('.seg'))!;
    appendFileSync(join(dir, segment), '{"id":"torn","pa');
    const reopened = openSpool(options(dir));
    assert.equal(reopened.stats().corruptLines, 1);
    assert.deepEqual(ids(reopened.peek(10)), ['ok1', 'ok2']);
    reopened.append({ id: 'ok3' });
    assert.deepEqual(ids(reopened.peek(10)), ['ok1', 'ok2', 'ok3']);
    reopened.close();
  });

  it('fsync policies: always syncs every record, interval on a timer', async () => {
    const always = openSpool(options(tempDir(), { fsync: 'always' }));
    always.append({ id: 'a' });
    always.append({ id: 'b' });
    assert.equal(always.stats().fsyncs, 2);
    always.close();
    const interval = openSpool(options(tempDir(), { fsync: 'interval', fsyncIntervalMs: 20 }));
    interval.append({ id: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(interval.stats().fsyncs, 1);
    interval.close();
  });

  it('survives kill -9 of a writer: nothing lost, nothing duplicated, bound respected', async () => {
    const dir = tempDir();
    const maxBytes = 64 * 1024;
    const printed: string[] = [];
    for (const prefix of ['a', 'b', 'c']) {
      const last = await runAndKill(dir, prefix, maxBytes, 1500 + Math.floor(Math.random() * 2000));
      printed.push(last);
    }
    const spool = openSpool(options(dir, { maxBytes, segmentBytes: maxBytes / 8 }));
    const stats = spool.stats();
    assert.ok(stats.bytes <= maxBytes, `spool holds ${stats.bytes} bytes, bound ${maxBytes}`);
    const pending = ids(spool.peek(1_000_000));
    assert.equal(pending.length, stats.pending);
    assert.equal(new Set(pending).size, pending.length, 'no record twice');
    // Every run wrote prefix-0, prefix-1, … with no gap; acknowledged and evicted records leave from the head only.
    const runs = new Map<string, number[]>();
    for (const id of pending) {
      const [p, n] = id.split('-');
      runs.set(p!, [...(runs.get(p!) ?? []), Number(n)]);
    }
    for (const [, numbers] of runs) numbers.forEach((n, i) => { if (i > 0) assert.equal(n, numbers[i - 1]! + 1, 'contiguous'); });
    assert.deepEqual([...runs.keys()], [...new Set(pending.map((id) => id.split('-')[0]))], 'runs stay in order');
    const lastC = runs.get('c')!.at(-1)!;
    assert.ok(lastC >= Number(printed[2]!.split('-')[1]), `the last record the writer saw appended (${printed[2]}) is there (last c-${lastC})`);
    // Total accounting: acknowledged + evicted + pending = everything written.
    const writtenA = Number(printed[0]!.split('-')[1]) + 1;
    assert.ok(stats.acknowledged > 0 && stats.evicted > 0, JSON.stringify(stats));
    assert.ok(stats.acknowledged + stats.evicted + stats.pending >= writtenA, JSON.stringify(stats));
    spool.close();
  });
});

/** Starts a writer, waits until it has appended at least `atLeast` records, kills it with SIGKILL; returns the last id it printed. */
function runAndKill(dir: string, prefix: string, maxBytes: number, atLeast: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [new URL('./fixtures/spool-child.ts', import.meta.url).pathname, dir, prefix, String(maxBytes), '13'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    let last = '';
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) { seen += 1; last = line; }
      if (seen >= atLeast && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`writer exited with ${code} before it was killed`));
    });
  });
}
