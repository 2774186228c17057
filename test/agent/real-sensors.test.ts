// A short run on the real kernel interfaces (root only): the agent with a few starter rules, a
// matching command run for real, the alert seen in the output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultAgentConfig, startAgent } from '../../src/agent/index.ts';
import { privateTmpfs } from '../sensors/helpers.ts';
import { removeTempDirs, starterRules, tempDir, testEnv, waitFor } from './helpers.ts';

after(removeTempDirs);

const root = process.getuid?.() === 0;

describe('agent on real sensors', () => {
  it('raises an alert for a real command', { skip: root ? false : 'needs root for the netlink process connector (run the suite as root, as CI does)' }, async () => {
    const dir = tempDir();
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    for (const name of ['base64-decode-to-shell.yml', 'shadow-file-read.yml']) {
      assert.ok(existsSync(join(starterRules, name)), `starter rule ${name}`);
      copyFileSync(join(starterRules, name), join(rules, name));
    }
    const alertsFile = join(dir, 'alerts.jsonl');
    const eventsFile = join(dir, 'events.jsonl');
    const base = defaultAgentConfig({ stateDir: join(dir, 'state'), hostName: 'real-host' });
    const config = { ...base, sensors: { hostName: 'real-host', process: { mode: 'kernel' as const } }, status: { ...base.status, intervalS: 0.5 } };
    const started = await startAgent({ config, rules: [rules], alertsOut: alertsFile, eventsOut: eventsFile }, testEnv());
    assert.ok(started.ok, JSON.stringify(started));
    const agent = started.agent;
    try {
      assert.equal(agent.status().sensors[0]!.state, 'running');
      const marker = `ring3-test-${process.pid}`;
      execFileSync('/bin/sh', ['-c', `echo ZWNobyBoaQo= | base64 -d | sh # ${marker}`]);
      await waitFor(() => existsSync(alertsFile) && readFileSync(alertsFile, 'utf8').includes(marker), 10_000, 'the alert');
      const alert = readFileSync(alertsFile, 'utf8').split('\n').filter((l) => l.includes(marker)).map((l) => JSON.parse(l))[0];
      assert.equal(alert.rule.title, 'Base64-decoded text piped into a shell');
      assert.equal(alert.event.kind, 'process_creation');
      assert.equal(alert.event.ProcessId > 0, true);
      assert.equal(alert.host.name, 'real-host');
      assert.ok(agent.status().events.total > 0);
    } finally {
      await agent.stop();
    }
  });

  it('denies an exec that a prevention rule matches, decided in the exec permission worker', { skip: root ? false : 'needs root for fanotify permission events' }, async () => {
    const dir = tempDir();
    const mount = privateTmpfs('ring3-agent-prevent-');
    for (const name of ['blocked-tool', 'alert-only-tool', 'plain-tool']) {
      copyFileSync('/bin/true', join(mount.dir, name));
      chmodSync(join(mount.dir, name), 0o755);
    }
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    const rule = (id: string, image: string, tags: string) =>
      `title: rule for ${image}\nid: ${id}\ntags: [${tags}]\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel: {Image|endswith: /${image}}\n  condition: sel\nlevel: high\n`;
    const preventId = '00000000-0000-4000-8000-0000000000b1';
    writeFileSync(join(rules, 'prevent.yml'), rule(preventId, 'blocked-tool', 'ring3.prevent'));
    writeFileSync(join(rules, 'alert.yml'), rule('00000000-0000-4000-8000-0000000000b2', 'alert-only-tool', 'attack.execution'));
    const base = defaultAgentConfig({ stateDir: join(dir, 'state'), hostName: 'real-host' });
    const config = { ...base, sensors: { hostName: 'real-host', execPermission: { enabled: true, mounts: [mount.dir] } }, status: { ...base.status, intervalS: 0.2 } };
    const env = testEnv();
    const started = await startAgent({ config, rules: [rules], alertsOut: join(dir, 'alerts.jsonl') }, env);
    assert.ok(started.ok, JSON.stringify(started));
    const agent = started.agent;
    // From a shell, so that the exec happens in a grandchild (ring3 never denies its own children).
    const exitOf = (name: string) => execFileSync('/bin/sh', ['-c', `${join(mount.dir, name)} 2>/dev/null; echo $?`], { encoding: 'utf8' }).trim();
    try {
      assert.equal(agent.status().sensors.find((s) => s.kind === 'exec_permission')?.state, 'running');
      assert.equal(exitOf('plain-tool'), '0');
      assert.equal(exitOf('alert-only-tool'), '0', 'a detection without the prevention tag only alerts');
      assert.equal(exitOf('blocked-tool'), '126', 'denied: the shell reports "permission denied"');
      await waitFor(() => env.logs.some((l) => l.message === 'exec denied'), 5000, 'the deny in the log');
      assert.deepEqual(env.logs.find((l) => l.message === 'exec denied')?.fields?.['ruleId'], preventId);
      await waitFor(() => agent.status().prevention.denied === 1, 5000, 'the deny in the status');
      assert.ok(agent.status().prevention.allowed >= 2);
    } finally {
      await agent.stop();
      mount.dispose();
    }
  });
});
