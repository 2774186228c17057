// Exec permission plumbing on a private tmpfs only: allow, deny, a stuck verdict answered at the
// deadline, and teardown that leaves no exec waiting. Execs outside the tmpfs are never marked.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, chmodSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createExecPermissionSensor, type ExecFacts, type ExecRequest } from '../../src/sensors/index.ts';
import { privateTmpfs, rootSkip } from './helpers.ts';

/** Runs `path` from a shell so the exec happens in a grandchild (ring3 auto-allows its own children). */
function run(path: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', `${path}; echo "exit=$?"`]);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('exit', (code) => resolve({ code, output, ms: performance.now() - started }));
  });
}

describe('exec permission plumbing (FAN_OPEN_EXEC_PERM)', { skip: rootSkip }, () => {
  it('allows, denies, and allows at the deadline when no verdict arrives', async () => {
    const mount = privateTmpfs('ring3-exec-');
    for (const name of ['allowed', 'denied', 'stuck', 'throws']) {
      copyFileSync('/bin/true', `${mount.dir}/${name}`);
      chmodSync(`${mount.dir}/${name}`, 0o755);
    }
    const requests: ExecRequest[] = [];
    const sensor = createExecPermissionSensor({
      mounts: [mount.dir],
      deadlineMs: 200,
      verdict(request) {
        requests.push(request);
        if (request.path.endsWith('/denied')) return 'deny';
        if (request.path.endsWith('/stuck')) return new Promise(() => {});
        if (request.path.endsWith('/throws')) throw new Error('engine bug');
        return 'allow';
      },
    });
    try {
      const status = await sensor.start(() => {});
      assert.equal(status.state, 'running', status.reason);
      const allowed = await run(`${mount.dir}/allowed`);
      assert.match(allowed.output, /exit=0/);
      const denied = await run(`${mount.dir}/denied`);
      assert.match(denied.output, /Operation not permitted/);
      assert.match(denied.output, /exit=126/);
      const stuck = await run(`${mount.dir}/stuck`);
      assert.match(stuck.output, /exit=0/);
      assert.ok(stuck.ms >= 180, `answered after ${stuck.ms} ms, before the deadline`);
      assert.ok(stuck.ms < 2000, `answered after ${stuck.ms} ms`);
      const throws = await run(`${mount.dir}/throws`);
      assert.match(throws.output, /exit=0/);
      // Execs outside the marked mount never reach the verdict port.
      await run('/bin/true');
      assert.ok(requests.every((r) => r.path.startsWith(mount.dir)));
      assert.equal(requests.find((r) => r.path.endsWith('/allowed'))?.currentImage, '/usr/bin/dash');
      await new Promise((r) => setTimeout(r, 150));
      const counters = sensor.status().counters;
      assert.equal(counters['denied'], 1);
      assert.equal(counters['timeouts'], 1, JSON.stringify(counters));
      assert.equal(counters['port_errors'], 1);
    } finally {
      await sensor.stop();
      mount.dispose();
    }
  });

  it('allows without asking while no verdict could deny, and asks again once one could', async () => {
    const mount = privateTmpfs('ring3-exec-needed-');
    copyFileSync('/bin/true', `${mount.dir}/denied`);
    chmodSync(`${mount.dir}/denied`, 0o755);
    let needed = false;
    let asked = 0;
    const sensor = createExecPermissionSensor({
      mounts: [mount.dir], deadlineMs: 200, verdictNeeded: () => needed,
      verdict: () => { asked += 1; return 'deny'; },
    });
    try {
      assert.equal((await sensor.start(() => {})).state, 'running');
      assert.match((await run(`${mount.dir}/denied`)).output, /exit=0/);
      assert.equal(asked, 0);
      needed = true;
      await new Promise((r) => setTimeout(r, 400));
      assert.match((await run(`${mount.dir}/denied`)).output, /exit=126/);
      assert.equal(asked, 1);
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(sensor.status().counters['no_deny_rules_allowed'], 1);
    } finally {
      await sensor.stop();
      mount.dispose();
    }
  });

  it('decides inside the worker with a decider module, follows its config, and fails open', async () => {
    const mount = privateTmpfs('ring3-exec-decider-');
    for (const name of ['plain', 'miner', 'dropper', 'throws']) {
      copyFileSync('/bin/true', `${mount.dir}/${name}`);
      chmodSync(`${mount.dir}/${name}`, 0o755);
    }
    let config: object = { deny: ['/miner'], throwOn: '/throws' };
    const denied: [ExecFacts, string][] = [];
    const sensor = createExecPermissionSensor({
      mounts: [mount.dir], deadlineMs: 5000,
      decider: { module: new URL('./exec-decider-fixture.ts', import.meta.url), config: () => config },
      verdict: () => assert.fail('a decider was given: the host is not asked'),
      onDeny: (exec, ruleId) => denied.push([exec, ruleId]),
    });
    const settle = () => new Promise((r) => setTimeout(r, 400));
    try {
      assert.equal((await sensor.start(() => {})).state, 'running');
      assert.match((await run(`${mount.dir}/plain`)).output, /exit=0/);
      assert.match((await run(`${mount.dir}/miner`)).output, /exit=126/);
      const thrown = await run(`${mount.dir}/throws`);
      assert.match(thrown.output, /exit=0/, 'a decider that throws allows');
      assert.ok(thrown.ms < 2000, `answered after ${thrown.ms} ms, not at the deadline`);
      // New content: the new config reaches the worker.
      config = { deny: ['/dropper'] };
      await settle();
      assert.match((await run(`${mount.dir}/miner`)).output, /exit=0/);
      assert.match((await run(`${mount.dir}/dropper`)).output, /exit=126/);
      // A config the decider refuses: every exec is allowed, and the status says so.
      config = { deny: [], broken: true };
      await settle();
      assert.match((await run(`${mount.dir}/dropper`)).output, /exit=0/);
      await settle();
      assert.deepEqual(denied.map(([exec, rule]) => [exec.path, rule, exec.currentImage]), [
        [`${mount.dir}/miner`, 'deny/miner', '/usr/bin/dash'], [`${mount.dir}/dropper`, 'deny/dropper', '/usr/bin/dash'],
      ]);
      const status = sensor.status();
      assert.equal(status.counters['denied'], 2);
      assert.equal(status.counters['decider_errors'], 1);
      assert.equal(status.counters['decider_failures'], 1);
      assert.ok(status.errors >= 1);
    } finally {
      await sensor.stop();
      mount.dispose();
    }
  });

  it('answers every waiting exec when it stops', async () => {
    const mount = privateTmpfs('ring3-exec-stop-');
    copyFileSync('/bin/true', `${mount.dir}/held`);
    chmodSync(`${mount.dir}/held`, 0o755);
    let asked!: () => void;
    const wasAsked = new Promise<void>((resolve) => (asked = resolve));
    const sensor = createExecPermissionSensor({
      mounts: [mount.dir],
      deadlineMs: 10_000,
      verdict: () => {
        asked();
        return new Promise(() => {});
      },
    });
    try {
      await sensor.start(() => {});
      const pending = run(`${mount.dir}/held`);
      await wasAsked;
      await sensor.stop();
      const result = await pending;
      assert.match(result.output, /exit=0/);
      assert.ok(result.ms < 5000);
    } finally {
      await sensor.stop();
      mount.dispose();
    }
  });
});
