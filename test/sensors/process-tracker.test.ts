// The process table with a scripted /proc: missing fields, parents after exit, eviction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcSnapshot } from '../../src/sensors/linux/procfs.ts';
import { createProcessTracker } from '../../src/sensors/process-tracker.ts';

function setup() {
  const proc = new Map<number, ProcSnapshot>();
  const tracker = createProcessTracker({
    host: { name: 'h' }, bootId: 'abcdef0123', users: (uid) => (uid === undefined ? undefined : uid === 0 ? 'root' : String(uid)),
    read: (pid) => proc.get(pid) ?? { pid }, exitedTtlMs: 1000, maxEntries: 100,
  });
  return { proc, tracker };
}

describe('process tracker', () => {
  it('reports a process that exited before /proc was read, listing what is missing', () => {
    const { proc, tracker } = setup();
    proc.set(10, { pid: 10, ppid: 1, startTicks: 5, image: '/bin/bash', cmdline: 'bash', cwd: '/', uid: 0 });
    tracker.learn(10);
    tracker.fork(10, 11, 7);
    const event = tracker.exec(11, 1000);
    assert.deepEqual(event.missing, ['Image', 'CommandLine', 'CurrentDirectory']);
    assert.equal(event.ProcessGuid, 'abcdef01-11-7');
    assert.equal(event.ParentImage, '/bin/bash');
    assert.equal(event.ParentProcessGuid, 'abcdef01-10-5');
    assert.equal(event.User, 'root'); // inherited from the parent at fork
  });

  it('keeps an exited parent for its children until the TTL, then forgets it', () => {
    const { proc, tracker } = setup();
    proc.set(20, { pid: 20, ppid: 1, startTicks: 9, image: '/bin/sh', cmdline: 'sh -c x', uid: 1000 });
    tracker.learn(20);
    tracker.fork(20, 21, 10);
    proc.delete(20);
    assert.equal(tracker.exit(20, 0, 0)?.Image, '/bin/sh');
    proc.set(21, { pid: 21, ppid: 1, startTicks: 10, image: '/bin/x', cmdline: 'x', uid: 1000 });
    const child = tracker.exec(21, 500);
    assert.equal(child.ParentImage, '/bin/sh');
    assert.equal(child.ParentProcessId, 20, 'the fork-time parent, not init after reparenting');
    tracker.sweep(1500);
    assert.equal(tracker.lookup(20), undefined);
    assert.equal(tracker.evicted(), 1);
  });

  it('uses the /proc start time as the key and survives pid reuse', () => {
    const { proc, tracker } = setup();
    proc.set(30, { pid: 30, startTicks: 100, image: '/a', cmdline: 'a' });
    const first = tracker.exec(30, 0);
    proc.set(30, { pid: 30, startTicks: 200, image: '/b', cmdline: 'b' });
    const second = tracker.exec(30, 0);
    assert.notEqual(first.ProcessGuid, second.ProcessGuid);
  });

  it('resynchronises: unknown live pids become creations, known ones do not', () => {
    const { proc, tracker } = setup();
    proc.set(40, { pid: 40, startTicks: 1, image: '/k', cmdline: 'k' });
    tracker.learn(40);
    proc.set(41, { pid: 41, startTicks: 2, image: '/n', cmdline: 'n' });
    assert.deepEqual(tracker.resync([40, 41], 0).map((e) => e.ProcessId), [41]);
  });
});
