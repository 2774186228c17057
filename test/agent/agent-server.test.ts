// The agent against a real server on loopback: enroll through the CLI, heartbeat, and alert upload
// while the server is down and while it restarts — no alert lost, none stored twice.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { startAgent, type AgentConfig } from '../../src/agent/index.ts';
import { controlPlaneOf, loadConfig } from '../../src/cli/agent/setup.ts';
import { main } from '../../src/cli/main.ts';
import { createAdminClient, startServer, type RunningServer, type StoredAlert } from '../../src/server/index.ts';
import { processEvent, removeTempDirs, starterRules, tempDir, testEnv, waitFor, writeLines } from './helpers.ts';

after(removeTempDirs);

const logger = pino({ level: 'silent' });

async function serve(dataDir: string, port = 0): Promise<RunningServer> {
  const started = await startServer({ dataDir, db: join(dataDir, 'server.db'), host: '127.0.0.1', port, settings: { heartbeatIntervalS: 1, silentAfterS: 3 } }, { now: () => Date.now(), logger });
  assert.equal(started.kind, 'ok', JSON.stringify(started));
  return (started as { server: RunningServer }).server;
}

function cliContext(cwd: string) {
  let out = '';
  let err = '';
  return {
    context: { stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } }, stdin: process.stdin, cwd, env: { HOME: cwd }, now: () => new Date() },
    out: () => out,
    err: () => err,
  };
}

async function allAlerts(url: string, adminToken: string): Promise<StoredAlert[]> {
  const admin = createAdminClient({ baseUrl: url, adminToken });
  const found: StoredAlert[] = [];
  let cursor: string | undefined;
  do {
    const page = await admin.listAlerts({ limit: 1000, ...(cursor ? { cursor } : {}) });
    assert.equal(page.kind, 'ok');
    if (page.kind !== 'ok') break;
    found.push(...page.value.items);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

describe('agent ↔ server (loopback)', () => {
  it('enrolls, heartbeats, and uploads every alert exactly once across server outages and a restart', async () => {
    const dir = tempDir();
    const serverDir = join(dir, 'server');
    let server = await serve(serverDir);
    const adminToken = server.createdAdminToken!;
    const port = Number(new URL(server.url).port);
    const admin = createAdminClient({ baseUrl: server.url, adminToken });
    const token = await admin.createEnrollmentToken({ ttlS: 600, maxUses: 1 });
    assert.equal(token.kind, 'ok');

    // Enroll through the CLI, as a person would.
    const configFile = join(dir, 'agent.yaml');
    const total = 240;
    const events = Array.from({ length: total }, (_, i) => processEvent({ Image: '/usr/bin/cat', CommandLine: `cat /etc/shadow #${i}`, User: 'root' }));
    const replay = writeLines(dir, 'events.jsonl', events);
    writeFileSync(configFile, `stateDir: ${join(dir, 'agent')}
host: {name: agent-under-test, tags: [internal]}
sensors: {replay: {files: [${replay}]}}
alerts: {output: null}
server: {uploadBatch: 40, uploadIntervalMs: 20, maxBackoffMs: 200}
status: {intervalS: 0.2}
`);
    const cli = cliContext(dir);
    const code = await main(['agent', 'enroll', server.url, token.kind === 'ok' ? token.value.token : '', '--config', configFile], { ...cli.context });
    assert.equal(code, 0, cli.err());
    assert.match(cli.out(), /enrolled as host [0-9a-f-]+/);
    const refused = cliContext(dir);
    assert.equal(await main(['agent', 'enroll', server.url, 'r3e.bogus.token', '--config', configFile], refused.context), 1);
    assert.match(refused.err(), /server refused \(403 enrollment-refused\)/);

    const config = loadConfig(configFile, cli.context as never) as AgentConfig;
    const cp = controlPlaneOf(config);
    assert.equal(cp.kind, 'ok');
    if (cp.kind !== 'ok') return;

    // The server goes down before the agent raises its alerts: they wait in the spool.
    await server.stop();
    const started = await startAgent({ config, rules: [starterRules], controlPlane: cp.controlPlane }, testEnv());
    assert.ok(started.ok, JSON.stringify(started));
    const agent = started.agent;
    try {
      await agent.replayDone();
      await waitFor(() => agent.status().server.state === 'unavailable', 10_000, 'the agent noticing the server is down');
      assert.equal(agent.status().alerts.spool.pending, total);

      // Back up: uploads resume. Once some are acknowledged, the server restarts mid-stream.
      server = await serve(serverDir, port);
      await waitFor(() => agent.status().server.uploaded >= 40, 15_000, 'first uploads');
      // A heartbeat may fail during the restart: the one awaited below must come after it.
      const heartbeatBeforeRestart = agent.status().server.lastHeartbeatAt;
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 300));
      server = await serve(serverDir, port);
      await waitFor(() => agent.status().alerts.spool.pending === 0, 20_000, 'the spool to drain');
      await waitFor(() => agent.status().server.lastHeartbeatAt !== heartbeatBeforeRestart, 10_000, 'a heartbeat after the restart');

      const stored = await allAlerts(server.url, adminToken);
      assert.equal(stored.length, total, 'every alert stored');
      assert.equal(new Set(stored.map((a) => a.id)).size, total, 'none stored twice');
      assert.ok(stored.every((a) => a.ruleTitle === 'Password hash file read by a generic tool' && a.hostId === cp.controlPlane.hostId));
      assert.ok(stored.every((a) => typeof a.event['CommandLine'] === 'string'));

      const host = await createAdminClient({ baseUrl: server.url, adminToken }).getHost(cp.controlPlane.hostId);
      assert.equal(host.kind, 'ok');
      if (host.kind === 'ok') {
        assert.equal(host.value.hostname, 'agent-under-test');
        assert.equal(host.value.agentVersion, '0.1.0');
        assert.deepEqual(host.value.tags, ['internal']);
        assert.notEqual(host.value.lastSeenAt, null);
        assert.equal(host.value.state, 'online');
      }
      assert.equal(agent.status().server.state, 'ok');
    } finally {
      await agent.stop();
      await server.stop();
    }
  });
});
