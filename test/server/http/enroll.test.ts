import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { heartbeat } from '../fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

describe('enrollment and identity', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.stop(); });

  const enroll = (token: string, hostname = 'web-1') => h.app.inject({ method: 'POST', url: '/v1/enroll', payload: { token, hostname } });

  it('a token enrolls an agent, which gets its own working credential; only hashes are stored', async () => {
    const token = await h.newEnrollmentToken({ note: 'lab' });
    assert.match(token, /^r3e\.[0-9a-f]{16}\.[\w-]{43}$/);
    const response = await enroll(token);
    assert.equal(response.statusCode, 201);
    const { hostId, credential, heartbeatIntervalS } = response.json();
    assert.equal(heartbeatIntervalS, 60);
    assert.match(credential, new RegExp(`^r3h\\.${hostId}\\.`));
    assert.equal((await h.agent(credential, '/v1/agents/self')).json().hostname, 'web-1');
    const stored = await h.store.getHostAuth(hostId);
    assert.ok(stored !== undefined && !credential.includes(stored.credentialHash));
    const [tokenRow] = await h.store.listEnrollmentTokens();
    assert.ok(tokenRow !== undefined && !token.includes(tokenRow.secretHash));
  });

  it('refuses unknown, tampered, expired, revoked and used-up tokens with where and why', async () => {
    const expect403 = async (token: string, why: string) => {
      const response = await enroll(token);
      assert.equal(response.statusCode, 403, response.body);
      assert.deepEqual(response.json(), { error: { code: 'enrollment-refused', message: `Cannot enroll: the enrollment token is ${why}`, where: 'body/token' } });
    };
    await expect403('not-a-token', 'unknown');
    const token = await h.newEnrollmentToken({ ttlS: 3600, maxUses: 1 });
    await expect403(`${token.slice(0, -2)}xx`, 'unknown');
    assert.equal((await enroll(token)).statusCode, 201);
    await expect403(token, 'used up');
    const expiring = await h.newEnrollmentToken({ ttlS: 60 });
    h.clock.now += 61_000;
    await expect403(expiring, 'expired');
    const revoked = await h.newEnrollmentToken();
    const id = revoked.split('.')[1]!;
    assert.deepEqual((await h.admin('DELETE', `/v1/admin/enrollment-tokens/${id}`)).json(), { revoked: true });
    assert.deepEqual((await h.admin('DELETE', `/v1/admin/enrollment-tokens/${id}`)).json(), { revoked: false });
    assert.equal((await h.admin('DELETE', '/v1/admin/enrollment-tokens/nope')).statusCode, 404);
    await expect403(revoked, 'revoked');
    const list = (await h.admin('GET', '/v1/admin/enrollment-tokens')).json().items;
    assert.equal(list.length, 3);
    assert.ok(list.every((t: object) => !('token' in t) && !('secretHash' in t)));
  });

  it('every agent call needs a valid credential; a host credential is no admin token', async () => {
    const hb = heartbeat();
    const noAuth = await h.app.inject({ method: 'POST', url: '/v1/agents/heartbeat', payload: hb });
    assert.equal(noAuth.statusCode, 401);
    assert.equal(noAuth.json().error.where, 'headers/authorization');
    const { credential, hostId } = await h.enrollAgent('a');
    assert.equal((await h.agent(`r3h.${hostId}.${'x'.repeat(43)}`, '/v1/agents/heartbeat', hb)).statusCode, 401);
    assert.equal((await h.agent('r3h.nobody.' + 'y'.repeat(43), '/v1/agents/heartbeat', hb)).statusCode, 401);
    assert.equal((await h.agent(credential, '/v1/admin/hosts')).statusCode, 401);
    assert.equal((await h.agent(h.adminToken, '/v1/agents/heartbeat', hb)).statusCode, 401);
    assert.equal((await h.agent(credential, '/v1/agents/heartbeat', hb)).statusCode, 200);
  });

  it('an agent sees and writes only its own host', async () => {
    const a = await h.enrollAgent('host-a');
    const b = await h.enrollAgent('host-b');
    await h.agent(a.credential, '/v1/agents/heartbeat', heartbeat({ cpuPct: 7 }));
    assert.equal((await h.agent(b.credential, '/v1/agents/self')).json().cpuPct, null);
    assert.equal((await h.agent(a.credential, '/v1/agents/self')).json().cpuPct, 7);
    const hosts = (await h.admin('GET', '/v1/admin/hosts')).json().items;
    assert.deepEqual(hosts.map((x: { hostname: string; state: string }) => [x.hostname, x.state]), [['host-a', 'online'], ['host-b', 'never-seen']]);
  });

  it('revoking a host cuts it off at once', async () => {
    const { credential, hostId } = await h.enrollAgent('gone');
    assert.equal((await h.agent(credential, '/v1/agents/heartbeat', heartbeat())).statusCode, 200);
    assert.deepEqual((await h.admin('POST', `/v1/admin/hosts/${hostId}/revoke`)).json(), { revoked: true });
    const refused = await h.agent(credential, '/v1/agents/heartbeat', heartbeat({ seq: 2 }));
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'forbidden');
    assert.equal((await h.agent(credential, '/v1/agents/alerts', { alerts: [] })).statusCode, 403);
    assert.equal((await h.admin('POST', '/v1/admin/hosts/missing/revoke')).statusCode, 404);
    assert.equal((await h.admin('GET', `/v1/admin/hosts/${hostId}`)).json().state, 'revoked');
  });

  it('a host revoked through another server sharing the store is cut off after the next sync', async () => {
    const { credential, hostId } = await h.enrollAgent('shared');
    assert.equal((await h.agent(credential, '/v1/agents/heartbeat', heartbeat())).statusCode, 200);
    await h.store.revokeHost(hostId, h.clock.now);
    await h.context.hostAuthenticator.sync();
    assert.equal((await h.agent(credential, '/v1/agents/heartbeat', heartbeat({ seq: 2 }))).statusCode, 403);
  });

  it('admin routes refuse a missing or wrong admin token', async () => {
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/admin/hosts' })).statusCode, 401);
    const wrong = await h.app.inject({ method: 'GET', url: '/v1/admin/hosts', headers: { authorization: `Bearer ${h.adminToken}x` } });
    assert.equal(wrong.statusCode, 401);
  });

  it('an admin token given by configuration works beside the stored one', async () => {
    const { hashSecret } = await import('../../../src/server/auth/secrets.ts');
    const configured = await startHarness({ settings: { adminTokenHash: hashSecret('from-the-config-file-0123456789') } });
    try {
      const response = await configured.app.inject({ method: 'GET', url: '/v1/admin/hosts', headers: { authorization: 'Bearer from-the-config-file-0123456789' } });
      assert.equal(response.statusCode, 200);
    } finally {
      await configured.stop();
    }
  });
});
