// The clients against a real server on loopback (sockets here: they are what the clients do).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createAdminClient, createAgentClient, enroll, startServer, type RunningServer } from '../../../src/server/index.ts';
import { alert, heartbeat } from '../fixtures.ts';

const quiet = pino({ level: 'silent' });
const noRetry = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

describe('agent and admin clients over loopback HTTP', () => {
  let dir: string;
  let server: RunningServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ring3-client-'));
    const started = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0 }, { now: Date.now, logger: quiet });
    assert.equal(started.kind, 'ok', JSON.stringify(started));
    server = (started as { server: RunningServer }).server;
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enrolls, heartbeats, uploads alerts idempotently, and the admin sees it all', async () => {
    const admin = createAdminClient({ baseUrl: server.url, adminToken: server.createdAdminToken!, retry: noRetry });
    const token = await admin.createEnrollmentToken({ note: 'client test', maxUses: 1 });
    assert.equal(token.kind, 'ok');
    const enrolled = await enroll({ baseUrl: server.url, retry: noRetry }, { token: token.kind === 'ok' ? token.value.token : '', hostname: 'client-host' });
    assert.equal(enrolled.kind, 'ok');
    const { credential, hostId } = (enrolled as { value: { credential: string; hostId: string } }).value;
    const again = await enroll({ baseUrl: server.url, retry: noRetry }, { token: token.kind === 'ok' ? token.value.token : '', hostname: 'x' });
    assert.equal(again.kind === 'refused' && again.error.code, 'enrollment-refused');

    const agent = createAgentClient({ baseUrl: server.url, credential, retry: noRetry });
    const beat = await agent.heartbeat(heartbeat());
    assert.equal(beat.kind === 'ok' && beat.value.stored, true);
    assert.ok(beat.kind === 'ok' && 'content' in beat.value.directives, 'the rollout module answers with a content directive');
    const first = await agent.uploadAlerts({ alerts: [alert('c1'), alert('c2')] });
    const retry = await agent.uploadAlerts({ alerts: [alert('c1'), alert('c2')] });
    assert.deepEqual(first.kind === 'ok' && first.value, { acknowledged: ['c1', 'c2'], stored: 2, duplicates: 0 });
    assert.deepEqual(retry.kind === 'ok' && retry.value, { acknowledged: ['c1', 'c2'], stored: 0, duplicates: 2 });

    const hosts = await admin.listHosts({ state: 'online' });
    assert.deepEqual(hosts.kind === 'ok' && hosts.value.items.map((h) => h.id), [hostId]);
    const alerts = await admin.listAlerts({ hostId });
    assert.equal(alerts.kind === 'ok' && alerts.value.items.length, 2);

    assert.equal((await admin.revokeHost(hostId)).kind, 'ok');
    const cut = await agent.heartbeat(heartbeat({ seq: 2 }));
    assert.equal(cut.kind === 'refused' && cut.status, 403);
  });

  it('reports an unreachable server as "unavailable" after its retries', async () => {
    const agent = createAgentClient({ baseUrl: 'http://127.0.0.1:9', credential: 'r3h.x.y', retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const result = await agent.heartbeat(heartbeat());
    assert.equal(result.kind, 'unavailable');
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('TLS', { skip: hasOpenssl ? false : 'openssl is not installed (needed to make a test certificate)' }, () => {
  it('serves https with the given certificate; a client trusting it connects, one that does not is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ring3-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const started = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0, tls: { certFile: cert, keyFile: key } }, { now: Date.now, logger: quiet });
    assert.equal(started.kind, 'ok', JSON.stringify(started));
    const { server } = started as { server: RunningServer };
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const { readFileSync } = await import('node:fs');
      const trusted = createAdminClient({ baseUrl: server.url, adminToken: server.createdAdminToken!, ca: readFileSync(cert), retry: noRetry });
      assert.equal((await trusted.listHosts()).kind, 'ok');
      const untrusted = createAdminClient({ baseUrl: server.url, adminToken: server.createdAdminToken!, retry: noRetry });
      const refused = await untrusted.listHosts();
      assert.equal(refused.kind, 'unavailable');
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start when the certificate cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ring3-tls-'));
    const started = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0, tls: { certFile: join(dir, 'none'), keyFile: join(dir, 'none') } }, { now: Date.now, logger: quiet });
    assert.equal(started.kind === 'error' && started.code, 'tls-files');
    rmSync(dir, { recursive: true, force: true });
  });
});
