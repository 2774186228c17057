// The server decides the content version: a rollout's ring 0 (hosts tagged internal) gets the new
// version through the heartbeat's `directives.content`, the agent fetches it through TUF, proves it in
// a worker and swaps it in; an abort sends every host back to the previous version — a downgrade the
// agent must accept.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { defaultAgentConfig, startAgent, writeCredential, type ControlPlanePort } from '../../src/agent/index.ts';
import { buildPack, initRepo, publishBundle } from '../../src/content/index.ts';
import { createAdminClient, createAgentClient, enroll, startServer, type RunningServer } from '../../src/server/index.ts';
import { serveRepo, writePack } from '../content/helpers.ts';
import { removeTempDirs, tempDir, testEnv, waitFor } from './helpers.ts';

after(removeTempDirs);

describe('agent obeys content directives', () => {
  it('takes the version its ring is assigned, and goes back when the rollout is aborted', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const repoDir = join(dir, 'repo');
    assert.ok(initRepo(repoDir, { now: new Date() }).ok);
    for (const version of ['1.0.0', '1.1.0']) {
      const built = buildPack(writePack(join(dir, `pack-${version}`), { name: 'demo', version }));
      assert.ok(built.ok);
      assert.ok(publishBundle(repoDir, built.value.bytes, { now: new Date() }).ok);
    }
    const repo = await serveRepo(join(repoDir, 'public'));

    const started = await startServer({ dataDir: join(dir, 'server'), db: ':memory:', host: '127.0.0.1', port: 0, settings: { heartbeatIntervalS: 1, silentAfterS: 3 } }, { now: () => Date.now(), logger: pino({ level: 'silent' }) });
    assert.equal(started.kind, 'ok');
    const server = (started as { server: RunningServer }).server;
    const admin = createAdminClient({ baseUrl: server.url, adminToken: server.createdAdminToken! });
    const token = await admin.createEnrollmentToken({ ttlS: 600 });
    assert.equal(token.kind, 'ok');
    const enrolled = await enroll({ baseUrl: server.url }, { token: token.kind === 'ok' ? token.value.token : '', hostname: 'canary', tags: ['internal'] });
    assert.equal(enrolled.kind, 'ok');
    if (enrolled.kind !== 'ok') return;

    const stateDir = join(dir, 'agent');
    writeCredential(join(stateDir, 'credential.json'), { url: server.url, hostId: enrolled.value.hostId, credential: enrolled.value.credential, heartbeatIntervalS: 1, enrolledAt: new Date().toISOString() });
    const base = defaultAgentConfig({ stateDir, hostName: 'canary' });
    const config = {
      ...base,
      host: { name: 'canary', tags: ['internal'] },
      sensors: { hostName: 'canary' },
      content: { ...base.content, pack: 'demo', repository: repo.url, rootFile: join(repoDir, 'public', 'metadata', '1.root.json') },
      alerts: { ...base.alerts, output: null },
    };
    const port: ControlPlanePort = createAgentClient({ baseUrl: server.url, credential: enrolled.value.credential, retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 } });
    const agentStart = await startAgent({ config, controlPlane: { port, url: server.url, hostId: enrolled.value.hostId, intervalS: 1 } }, testEnv());
    assert.ok(agentStart.ok, JSON.stringify(agentStart));
    const agent = agentStart.agent;
    try {
      assert.equal(agent.status().content.label, 'ring3-starter@1.0.0', 'seeded with the starter pack');
      const rollout = await admin.request<{ id: string }>('POST', '/v1/admin/rollouts', { version: '1.1.0', previousVersion: '1.0.0', bakeS: 3600 });
      assert.equal(rollout.kind, 'ok', JSON.stringify(rollout));
      await waitFor(() => agent.status().content.label === 'demo@1.1.0', 40_000, 'the agent running demo@1.1.0');
      await waitFor(() => agent.status().content.version === '1.1.0' && agent.status().server.ring === 0, 10_000, 'ring 0');

      const id = rollout.kind === 'ok' ? rollout.value.id : '';
      const aborted = await admin.request('POST', `/v1/admin/rollouts/${id}/abort`, { reason: 'test' });
      assert.equal(aborted.kind, 'ok', JSON.stringify(aborted));
      await waitFor(() => agent.status().content.label === 'demo@1.0.0', 40_000, 'the agent back on demo@1.0.0 (a server-directed downgrade)');
      await agent.contentIdle();
      let reported: string | null = null;
      const started = Date.now();
      while (reported !== '1.0.0' && Date.now() - started < 10_000) {
        const host = await admin.getHost(enrolled.value.hostId);
        reported = host.kind === 'ok' ? host.value.contentVersion : null;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(reported, '1.0.0', 'the server sees the host back on 1.0.0');
    } finally {
      await agent.stop();
      await server.stop();
      await repo.close();
    }
  });
});
