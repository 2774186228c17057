import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { hashSecret, issueSecret } from '../../../src/server/auth/secrets.ts';
import { startHarness, type Harness } from './harness.ts';

const as = (h: Harness, token: string, method: 'GET' | 'POST', url: string, body?: object) =>
  h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body }) });

describe('admin token rotation', () => {
  let h: Harness;
  afterEach(async () => { await h.stop(); });

  it('the new token works and the one used stops working at once; a second rotation with it is refused', async () => {
    h = await startHarness();
    const other = issueSecret('admin');
    await h.store.createAdminToken({ id: other.id, secretHash: other.hash, note: 'ci', createdAt: 1, revokedAt: null });
    const rotated = await h.admin('POST', '/v1/admin/admin-token/rotate', { note: 'quarterly' });
    assert.equal(rotated.statusCode, 201, rotated.body);
    const { token, revoked } = rotated.json<{ token: string; revoked: string }>();
    assert.match(token, /^r3a\.[0-9a-f]{16}\.[\w-]{43}$/);
    assert.equal(revoked, 'caller');
    assert.equal((await as(h, token, 'GET', '/v1/admin/hosts')).statusCode, 200);
    assert.equal((await h.admin('GET', '/v1/admin/hosts')).statusCode, 401);
    assert.equal((await h.admin('POST', '/v1/admin/admin-token/rotate', {})).statusCode, 401);
    // Only the caller's token: another administrator's keeps working.
    assert.equal((await as(h, other.text, 'GET', '/v1/admin/hosts')).statusCode, 200);
    const stored = await h.store.getAdminToken(token.split('.')[1]!);
    assert.ok(stored !== undefined && stored.note === 'quarterly' && !token.includes(stored.secretHash));
  });

  it('with all, every other stored token stops working', async () => {
    h = await startHarness();
    const other = issueSecret('admin');
    await h.store.createAdminToken({ id: other.id, secretHash: other.hash, note: 'ci', createdAt: 1, revokedAt: null });
    const rotated = await as(h, other.text, 'POST', '/v1/admin/admin-token/rotate', { all: true });
    assert.equal(rotated.statusCode, 201, rotated.body);
    assert.equal(rotated.json().revoked, 'all');
    assert.equal((await h.admin('GET', '/v1/admin/hosts')).statusCode, 401);
    assert.equal((await as(h, other.text, 'GET', '/v1/admin/hosts')).statusCode, 401);
    assert.equal((await as(h, rotated.json().token, 'GET', '/v1/admin/hosts')).statusCode, 200);
    assert.equal(await h.store.countAdminTokens(), 1);
  });

  it('the configured token is replaced by configuration only; with all it replaces the stored ones', async () => {
    const configured = 'configured-admin-token-of-40-characters!';
    h = await startHarness({ settings: { adminTokenHash: hashSecret(configured) } });
    const refused = await as(h, configured, 'POST', '/v1/admin/admin-token/rotate', {});
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.where, 'body/all');
    const rotated = await as(h, configured, 'POST', '/v1/admin/admin-token/rotate', { all: true });
    assert.equal(rotated.statusCode, 201, rotated.body);
    assert.equal((await h.admin('GET', '/v1/admin/hosts')).statusCode, 401);
    assert.equal((await as(h, configured, 'GET', '/v1/admin/hosts')).statusCode, 200);
  });

  it('refuses unknown fields and agents', async () => {
    h = await startHarness();
    assert.equal((await h.admin('POST', '/v1/admin/admin-token/rotate', { every: true })).statusCode, 400);
    const agent = await h.enrollAgent('web-1');
    assert.equal((await as(h, agent.credential, 'POST', '/v1/admin/admin-token/rotate', {})).statusCode, 401);
    assert.equal((await h.admin('GET', '/v1/admin/hosts')).statusCode, 200);
  });
});

describe('/metrics authentication', () => {
  let h: Harness;
  afterEach(async () => { await h.stop(); });
  const metricsToken = 'metrics-token-for-the-scraper-0123456789';

  it('needs the metrics token or an admin token by default; nobody else, not an agent', async () => {
    h = await startHarness({ settings: { metricsTokenHash: hashSecret(metricsToken) } });
    const agent = await h.enrollAgent('web-1');
    assert.equal((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    assert.equal((await as(h, agent.credential, 'GET', '/metrics')).statusCode, 401);
    assert.equal((await as(h, `${metricsToken}x`, 'GET', '/metrics')).statusCode, 401);
    const scraped = await as(h, metricsToken, 'GET', '/metrics');
    assert.equal(scraped.statusCode, 200);
    assert.match(scraped.body, /ring3_http_request_duration_seconds/);
    assert.equal((await h.admin('GET', '/metrics')).statusCode, 200);
    // The metrics token is for /metrics only.
    assert.equal((await as(h, metricsToken, 'GET', '/v1/admin/hosts')).statusCode, 401);
    assert.equal((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });

  it('without a metrics token only admins read it; metricsPublic opens it', async () => {
    h = await startHarness();
    assert.equal((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    assert.equal((await h.admin('GET', '/metrics')).statusCode, 200);
    await h.stop();
    h = await startHarness({ settings: { metricsPublic: true } });
    assert.equal((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
  });
});
