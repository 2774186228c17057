// Alerts end to end: a replay sensor, the real engine with real rules, the alert output, the spool,
// --events-out, and the status file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSpool, readStatusFile, startAgent } from '../../src/agent/index.ts';
import { processEvent, removeTempDirs, replayConfig, starterRules, tempDir, testEnv, writeLines } from './helpers.ts';

after(removeTempDirs);

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const readLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);

function replayFile(dir: string) {
  return writeLines(dir, 'events.jsonl', [
    processEvent({ Image: '/usr/bin/bash', CommandLine: 'bash -c "echo ZWNobyBoaQ== | base64 -d | sh"', User: 'root' }),
    processEvent({ Image: '/usr/bin/ls', CommandLine: 'ls -la', User: 'alice' }),
    '{"kind": "process_creation", "@timestamp": ',
    processEvent({ Image: '/usr/bin/cat', CommandLine: 'cat /etc/shadow', User: 'root' }),
    { kind: 'file_event', action: 'created', '@timestamp': new Date().toISOString(), host: { name: 'test-host' }, missing: [], TargetFilename: '/root/.ssh/authorized_keys', Image: '/usr/bin/bash', ProcessId: 7 },
  ]);
}

describe('agent: replay → real rules → alerts', () => {
  it('--rules: alerts as JSON lines (id, rule, event, host, time), spooled; every event in --events-out', async () => {
    const dir = tempDir();
    const alertsFile = join(dir, 'alerts.jsonl');
    const eventsFile = join(dir, 'events.out.jsonl');
    const env = testEnv();
    const config = replayConfig(join(dir, 'state'), [replayFile(dir)]);
    const started = await startAgent({ config, rules: [starterRules], alertsOut: alertsFile, eventsOut: eventsFile }, env);
    assert.ok(started.ok, JSON.stringify(started));
    await started.agent.replayDone();
    const status = started.agent.status();
    await started.agent.stop();

    assert.equal(status.events.total, 4, 'the malformed line is skipped');
    assert.equal(status.sensors[0]!.errors, 1);
    assert.ok(env.logs.some((l) => l.message.includes('events.jsonl:3: replay.json')), 'the bad line is reported with file and line');
    assert.ok(status.rules.loaded >= 30);
    const alerts = readLines(alertsFile);
    assert.deepEqual(alerts.map((a) => a.rule.title).sort(), ['Base64-decoded text piped into a shell', 'Password hash file read by a generic tool', 'SSH authorized_keys written'].sort());
    for (const a of alerts) {
      assert.match(a.id, uuid);
      assert.equal(a.kind, 'detection');
      assert.equal(a.host.name, 'test-host');
      assert.ok(!Number.isNaN(Date.parse(a.time)));
      assert.equal(typeof a.rule.id, 'string');
      assert.ok(['medium', 'high', 'critical'].includes(a.rule.level), a.rule.level);
      assert.equal(a.rule.author, 'ring3 contributors');
      assert.equal(a.contentVersion, null);
      assert.equal(typeof a.event.kind, 'string');
    }
    assert.equal(readLines(eventsFile).length, 4);
    assert.equal(status.alerts.total, 3);

    const spool = openSpool({ dir: join(config.stateDir, 'spool'), maxBytes: 1 << 20, segmentBytes: 1 << 16, fsync: 'never', fsyncIntervalMs: 1000 });
    assert.deepEqual(spool.peek(10).map((r) => r.id).sort(), alerts.map((a) => a.id).sort(), 'the same alerts are in the spool');
    spool.close();

    const read = readStatusFile(config.status.file, new Date());
    assert.equal(read.kind, 'ok');
    if (read.kind === 'ok') {
      assert.equal(read.status.state, 'stopped');
      assert.equal(read.alive, false);
      assert.equal(read.status.alerts.total, 3);
    }
  });

  it('content store: seeded with the starter pack on first start; restarts and unclean stops are counted', async () => {
    const dir = tempDir();
    const alertsFile = join(dir, 'alerts.jsonl');
    const config = replayConfig(join(dir, 'state'), [replayFile(dir)]);
    const first = await startAgent({ config, alertsOut: alertsFile }, testEnv());
    assert.ok(first.ok, JSON.stringify(first));
    await first.agent.replayDone();
    const status = first.agent.status();
    assert.equal(status.content.source, 'store');
    assert.equal(status.content.label, 'ring3-starter@1.0.0');
    assert.equal(status.content.version, '1.0.0');
    assert.equal(status.runs.restarts, 0);
    // Not stopped: the next start sees an unclean end, as after kill -9.
    const second = await startAgent({ config: { ...config, sensors: { hostName: 'test-host' } }, alertsOut: null }, testEnv());
    assert.ok(second.ok);
    assert.deepEqual(second.agent.status().runs, { restarts: 1, crashes: 1 });
    assert.equal((second.agent.status().content.startDecision as { kind: string }).kind, 'steady');
    await second.agent.stop();
    await first.agent.stop();
    const alerts = readLines(alertsFile);
    assert.equal(alerts.length, 3);
    assert.ok(alerts.every((a) => a.contentVersion === '1.0.0'));
  });

  it('a start-up step that fails says which and why, and tears down what started', async () => {
    const dir = tempDir();
    const env = testEnv();
    const config = replayConfig(join(dir, 'state'), [replayFile(dir)]);
    const failed = await startAgent({ config, rules: [join(dir, 'no-such-rules')] }, env);
    assert.equal(failed.ok, false);
    if (!failed.ok) {
      assert.equal(failed.step, 'content');
      assert.equal(failed.diagnostics[0]!.code, 'agent.rules.unreadable');
    }
    const broken = writeLines(dir, 'broken.yml', ['title: [unclosed']);
    const none = await startAgent({ config, rules: [broken] }, env);
    assert.equal(none.ok, false);
    if (!none.ok) assert.equal(none.diagnostics[0]!.code, 'agent.rules.empty');
  });
});
