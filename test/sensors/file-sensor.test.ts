// Real file activity in a private tmpfs, one table of cases run against fanotify and the inotify
// fallback alike; the fallback must say it cannot name the process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { FileEvent, SensorEvent } from '../../src/events/index.ts';
import { createFanotifyFileSensor, createInotifySensor, type Sensor } from '../../src/sensors/index.ts';
import { collector, privateTmpfs, rootSkip, type Collector } from './helpers.ts';

const isFile = (e: SensorEvent): e is FileEvent => e.kind === 'file_event';

const implementations: { name: string; make(dir: string): Sensor; knowsProcess: boolean; state: string }[] = [
  { name: 'fanotify', make: (dir) => createFanotifyFileSensor({ mounts: [dir] }), knowsProcess: true, state: 'running' },
  { name: 'inotify fallback', make: (dir) => createInotifySensor({ paths: [dir] }), knowsProcess: false, state: 'degraded' },
];

/** Writes probe files into `dir` until the sensor reports one: then it watches `dir`. */
async function untilWatched(dir: string, events: Collector): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const probe = `${dir}/.probe-${attempt}`;
    writeFileSync(probe, '');
    try {
      await events.waitFor((e) => isFile(e) && e.TargetFilename === probe, 250);
      return;
    } catch (error) {
      if (attempt === 40) throw error;
    }
  }
}

for (const impl of implementations) {
  describe(`file sensor (${impl.name})`, { skip: rootSkip }, () => {
    it('reports created, modified, renamed and deleted files with who did it', async () => {
      const mount = privateTmpfs('ring3-file-');
      const sensor = impl.make(mount.dir);
      const events = collector();
      try {
        const status = await sensor.start(events.sink);
        assert.equal(status.state, impl.state, status.reason);
        mkdirSync(`${mount.dir}/sub`);
        // The inotify fallback watches a new directory only once it has read its creation.
        if (!impl.knowsProcess) await untilWatched(`${mount.dir}/sub`, events);
        // A child process does the work: ring3's own file activity is excluded on purpose. The shell
        // then waits on stdin, so it is still alive (and /proc names it) when the sensor reads its
        // events, however late the sensor's worker runs on a loaded machine.
        const script = `cd ${mount.dir} && echo one > a.txt && mv a.txt b.txt && echo two > sub/c.txt && rm b.txt && { read _ || :; }`;
        const child = spawn('/bin/sh', ['-c', script], { stdio: ['pipe', 'ignore', 'inherit'] });
        child.stdin.on('error', () => {}); // a shell that failed early has closed its end: the exit status says why
        const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
        const find = (action: string, path: string) =>
          events.waitFor((e) => isFile(e) && e.action === action && e.TargetFilename === `${mount.dir}/${path}`) as Promise<FileEvent>;
        let created: FileEvent, modified: FileEvent, renamed: FileEvent, nested: FileEvent, deleted: FileEvent;
        try {
          created = await find('created', 'a.txt');
          modified = await find('modified', 'a.txt');
          renamed = await find('renamed', 'b.txt');
          nested = await find('created', 'sub/c.txt');
          deleted = await find('deleted', 'b.txt');
        } finally {
          child.stdin.end();
          assert.deepEqual(await exited, [0, null]);
        }
        assert.equal(renamed.SourceFilename, `${mount.dir}/a.txt`);
        if (impl.knowsProcess) {
          // The shell itself wrote a.txt (a redirect) and is still alive to be named.
          assert.equal(created.ProcessId, child.pid);
          assert.equal(created.Image, '/usr/bin/dash');
          assert.equal(created.User, 'root');
          assert.equal(modified.ProcessId, child.pid);
          assert.equal(nested.ProcessId, child.pid);
          // mv and rm exit at once; the event still carries their pid and says what it could not read.
          assert.equal(typeof deleted.ProcessId, 'number');
          if (deleted.Image === undefined) assert.ok(deleted.missing.includes('Image'));
        } else {
          assert.deepEqual(created.missing, ['ProcessId', 'ProcessGuid', 'Image', 'User']);
          assert.ok(sensor.status().misses.some((m) => m.includes('inotify reports no pid')));
        }
      } finally {
        await sensor.stop();
        mount.dispose();
      }
    });

    if (impl.knowsProcess) {
      it("excludes ring3's own file activity", async () => {
        const mount = privateTmpfs('ring3-own-');
        const sensor = impl.make(mount.dir);
        const events = collector();
        try {
          await sensor.start(events.sink);
          writeFileSync(`${mount.dir}/mine.txt`, 'x');
          renameSync(`${mount.dir}/mine.txt`, `${mount.dir}/mine2.txt`);
          rmSync(`${mount.dir}/mine2.txt`);
          spawnSync('/bin/sh', ['-c', `echo y > ${mount.dir}/theirs.txt`]);
          await events.waitFor((e) => isFile(e) && e.TargetFilename.endsWith('/theirs.txt'));
          assert.equal(events.events.filter((e) => isFile(e) && e.TargetFilename.includes('/mine')).length, 0);
        } finally {
          await sensor.stop();
          mount.dispose();
        }
      });
    }
  });
}

describe('file sensor start failure', { skip: rootSkip }, () => {
  it('fails with the reason when the mount does not exist', async () => {
    const sensor = createFanotifyFileSensor({ mounts: ['/nonexistent/ring3'] });
    const status = await sensor.start(() => {});
    assert.equal(status.state, 'failed');
    assert.match(status.reason ?? '', /fanotify_mark.*\/nonexistent\/ring3/);
    await sensor.stop();
  });
});
