// V8's helper threads of this very process go to SCHED_IDLE, and nothing else does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { idleHelperThreads } from '../../src/sensors/index.ts';

const policyOf = (tid: string) => Number(/^policy\s*:\s*(\d+)/m.exec(readFileSync(`/proc/self/task/${tid}/sched`, 'utf8'))?.[1]);
const nameOf = (tid: string) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();

test('idleHelperThreads puts the V8Worker threads in SCHED_IDLE and leaves the others', () => {
  const result = idleHelperThreads();
  assert.ok(result.threads >= 1, 'Node 24 names its platform threads V8Worker');
  assert.equal(result.failed, 0);
  const threads = readdirSync('/proc/self/task').map((tid) => ({ name: nameOf(tid), policy: policyOf(tid) }));
  const SCHED_IDLE = 5;
  assert.deepEqual(threads.filter((t) => t.name.startsWith('V8Worker')).map((t) => t.policy), Array(result.threads).fill(SCHED_IDLE));
  assert.ok(threads.filter((t) => !t.name.startsWith('V8Worker')).every((t) => t.policy !== SCHED_IDLE));
  assert.deepEqual(idleHelperThreads('/nonexistent'), { threads: 0, failed: 0 });
});
