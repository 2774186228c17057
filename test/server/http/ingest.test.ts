import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { alert, heartbeat } from '../fixtures.ts';
import { startHarness, type Harness } from './harness.ts';

describe('heartbeats and alerts', () => {
  let h: Harness;
  let agent: { hostId: string; credential: string };
  beforeEach(async () => {
    h = await startHarness({ directiveSources: [
      { name: 'echo', directives: async (hostId) => ({ hostId }) },
      { name: 'broken', directives: async () => { throw new Error('boom'); } },
    ] });
    agent = await h.enrollAgent('web-1', ['internal']);
  });
  afterEach(async () => { await h.stop(); });

  const send = (url: string, body: unknown) => h.agent(agent.credential, url, body);

  it('stores a heartbeat once; a retry is acknowledged without a second row', async () => {
    const first = await send('/v1/agents/heartbeat', heartbeat({ seq: 9 }));
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), {
      stored: true, serverTime: '2025-03-01T12:00:00.000Z', heartbeatIntervalS: 60, directives: { echo: { hostId: agent.hostId } },
    });
    h.clock.now += 5000;
    assert.equal((await send('/v1/agents/heartbeat', heartbeat({ seq: 9 }))).json().stored, false);
    const samples = await h.store.listHeartbeats({ since: 0, until: 1e15 });
    assert.equal(samples.length, 1);
    const host = (await h.admin('GET', `/v1/admin/hosts/${agent.hostId}`)).json();
    assert.equal(host.lastSeenAt, '2025-03-01T12:00:05.000Z');
    assert.equal(host.contentVersion, '2025.01.01');
  });

  it('concurrent heartbeats from many agents are grouped into few writes and all stored', async () => {
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => h.enrollAgent(`h${i}`)));
    const responses = await Promise.all(agents.map((a) => h.agent(a.credential, '/v1/agents/heartbeat', heartbeat())));
    assert.ok(responses.every((r) => r.statusCode === 200 && r.json().stored === true));
    assert.equal((await h.store.listHeartbeats({ since: 0, until: 1e15 })).length, 20);
  });

  it('alerts upload in batches, are acknowledged, and are stored once across retries', async () => {
    const batch = { alerts: [alert('a1'), alert('a2', { level: 'critical' })] };
    assert.deepEqual((await send('/v1/agents/alerts', batch)).json(), { acknowledged: ['a1', 'a2'], stored: 2, duplicates: 0 });
    const retry = { alerts: [alert('a2'), alert('a3')] };
    assert.deepEqual((await send('/v1/agents/alerts', retry)).json(), { acknowledged: ['a2', 'a3'], stored: 1, duplicates: 1 });
    const listed = (await h.admin('GET', '/v1/admin/alerts?limit=2')).json();
    assert.equal(listed.items.length, 2);
    assert.equal(listed.items[0].hostname, 'web-1');
    const next = (await h.admin('GET', `/v1/admin/alerts?limit=2&cursor=${listed.nextCursor}`)).json();
    assert.equal(next.items.length, 1);
    assert.equal(next.nextCursor, null);
    assert.deepEqual((await h.admin('GET', '/v1/admin/alerts?level=critical')).json().items.map((a: { id: string }) => a.id), ['a2']);
  });

  it('refuses a batch naming one alert twice, or too many alerts, with where', async () => {
    const twice = await send('/v1/agents/alerts', { alerts: [alert('x'), alert('x')] });
    assert.equal(twice.statusCode, 400);
    assert.equal(twice.json().error.where, 'body/alerts/1/id');
    const many = await send('/v1/agents/alerts', { alerts: Array.from({ length: 1001 }, (_, i) => alert(`a${i}`)) });
    assert.equal(many.statusCode, 400);
    assert.equal(many.json().error.where, 'body/alerts');
    const empty = await send('/v1/agents/alerts', { alerts: [] });
    assert.equal(empty.statusCode, 400);
  });

  it('bad bodies get a 400 that says where and why', async () => {
    const cases: [unknown, string, RegExp][] = [
      [heartbeat({ cpuPct: -1 }), 'body/cpuPct', /must be >= 0/],
      [{ ...heartbeat(), bogus: 1 }, 'body/bogus', /is not a known field/],
      [(({ seq: _, ...rest }) => rest)(heartbeat()), 'body/seq', /is required/],
      [heartbeat({ sensors: [{ name: 's', state: 'melting' as 'running', eventsPerS: 1, drops: 0 }] }), 'body/sensors/0/state', /must be equal to one of/],
      [heartbeat({ sentAt: 'yesterday' }), 'body/sentAt', /must match format/],
      [{ alerts: [alert('a', { level: 'severe' as 'high' })] }, 'body/alerts/0/level', /must be equal to one of/],
    ];
    for (const [body, where, why] of cases) {
      const url = (body as object).hasOwnProperty('alerts') ? '/v1/agents/alerts' : '/v1/agents/heartbeat';
      const response = await send(url, body);
      assert.equal(response.statusCode, 400, `${where}: ${response.body}`);
      const { error } = response.json();
      assert.equal(error.code, 'invalid-request');
      assert.equal(error.where, where);
      assert.match(error.message, why);
    }
  });

  it('malformed JSON, wrong media types, huge bodies and unknown routes are 4xx, never 5xx', async () => {
    const raw = (payload: string, contentType: string) => h.app.inject({
      method: 'POST', url: '/v1/agents/heartbeat', payload, headers: { authorization: `Bearer ${agent.credential}`, 'content-type': contentType },
    });
    assert.equal((await raw('{"seq": 1,', 'application/json')).statusCode, 400);
    assert.equal((await raw('', 'application/json')).statusCode, 400);
    assert.equal((await raw('seq=1', 'application/x-www-form-urlencoded')).statusCode, 415);
    assert.equal((await raw('x'.repeat(5 * 1024 * 1024), 'application/json')).statusCode, 413);
    const missing = await h.app.inject({ method: 'GET', url: '/v1/nothing' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not-found');
    assert.equal((await h.admin('GET', '/v1/admin/hosts?limit=0')).json().error.where, 'querystring/limit');
  });

  it('no random body makes the server answer 5xx', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue(), fc.constantFrom('/v1/agents/heartbeat', '/v1/agents/alerts', '/v1/enroll'), async (body, url) => {
      const response = await h.agent(agent.credential, url, body ?? null);
      assert.ok(response.statusCode < 500, `${url} ${JSON.stringify(body)} → ${response.statusCode} ${response.body}`);
    }), { numRuns: 150 });
  });

  it('exposes Prometheus metrics', async () => {
    await send('/v1/agents/heartbeat', heartbeat());
    const metrics = await h.admin('GET', '/metrics');
    assert.equal(metrics.statusCode, 200);
    assert.match(metrics.body, /ring3_heartbeats_total\{result="stored"\} 1/);
    assert.match(metrics.body, /ring3_http_request_duration_seconds_count\{method="POST",route="\/v1\/agents\/heartbeat",status="200"\} 1/);
    assert.equal((await h.app.inject({ method: 'GET', url: '/healthz' })).json().ok, true);
  });

  it('the fleet list filters by state and tag and pages', async () => {
    await send('/v1/agents/heartbeat', heartbeat({ tags: ['internal'] }));
    await h.enrollAgent('web-2');
    h.clock.now += 200_000;
    const silent = (await h.admin('GET', '/v1/admin/hosts?state=silent')).json();
    assert.deepEqual(silent.items.map((x: { hostname: string }) => x.hostname), ['web-1']);
    assert.deepEqual((await h.admin('GET', '/v1/admin/hosts?tag=internal')).json().items.length, 1);
    const page = (await h.admin('GET', '/v1/admin/hosts?limit=1')).json();
    assert.notEqual(page.nextCursor, null);
    assert.equal((await h.admin('GET', '/v1/admin/hosts?state=asleep')).statusCode, 400);
  });
});
