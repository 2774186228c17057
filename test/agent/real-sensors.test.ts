// A short run on the real kernel interfaces (root only): the agent with a few starter rules, a
// matching command run for real, the alert seen in the output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultAgentConfig, startAgent } from '../../src/agent/index.ts';
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
});
