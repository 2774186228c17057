// Heartbeat counters and upload behaviour against a fake control plane (the loopback test covers the real one).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSpool, type ControlPlanePort, type HeartbeatPayload } from '../../src/agent/index.ts';
import { heartbeatOf, startUplink, type AgentFacts } from '../../src/agent/uplink.ts';
import { removeTempDirs, tempDir, waitFor } from './helpers.ts';

after(removeTempDirs);

const facts = (over: Partial<AgentFacts> = {}): AgentFacts => ({
  atMs: 10_000, cpuUs: 0, rssMb: 50, agentVersion: '0.1.0', contentVersion: '1.0.0', ring: null, tags: ['internal'],
  sensors: [{ name: 'process', state: 'running', events: 0, drops: 0 }], alertsByRule: {}, quarantinedRules: [], restarts: 1, crashes: 1, extensions: {}, ...over,
});

const alert = (id: string, level = 'high') => ({ id, kind: 'detection', time: new Date().toISOString(), host: { name: 'h' }, rule: { id: `rule-${id}`, title: 't', level, tags: [] }, contentVersion: null, event: { Image: '/bin/sh' } });

describe('uplink', () => {
  it('heartbeats carry counters since the last stored one', () => {
    const before = facts();
    const now = facts({ atMs: 70_000, cpuUs: 600_000, alertsByRule: { a: 3, b: 1 }, sensors: [{ name: 'process', state: 'degraded', events: 1200, drops: 7 }] });
    const hb = heartbeatOf(now, { ...before, alertsByRule: { a: 1 }, restarts: 0, crashes: 0 }, { bootId: 'b', seq: 2, intervalS: 60, sentAt: new Date().toISOString() });
    assert.deepEqual(hb.alertCounts, { a: 2, b: 1 });
    assert.deepEqual(hb.sensors, [{ name: 'process', state: 'degraded', eventsPerS: 20, drops: 7 }]);
    assert.equal(hb.cpuPct, 1);
    assert.equal(hb.engineRestarts, 1);
    assert.equal(hb.engineCrashes, 1);
    assert.equal(hb.versions.content, '1.0.0');
  });

  it('an alert the server refuses alone is dropped and counted; the rest of its batch goes through', async () => {
    const spool = openSpool({ dir: join(tempDir(), 'spool'), maxBytes: 1 << 20, segmentBytes: 1 << 16, fsync: 'never', fsyncIntervalMs: 1000 });
    for (const id of ['a1', 'poison', 'a2', 'a3']) spool.append(alert(id));
    const stored = new Set<string>();
    const heartbeats: HeartbeatPayload[] = [];
    const port: ControlPlanePort = {
      async heartbeat(h) { heartbeats.push(h); return { kind: 'ok', value: { heartbeatIntervalS: 60, directives: { content: { version: '2.0.0', reason: 'rollout', rolloutId: 'r1', ring: 1 } } } }; },
      async uploadAlerts(batch) {
        if (batch.alerts.some((a) => a.id === 'poison')) return { kind: 'refused', status: 400, error: { code: 'invalid-request', message: 'bad alert' } };
        for (const a of batch.alerts) stored.add(a.id);
        return { kind: 'ok', value: { acknowledged: batch.alerts.map((a) => a.id) } };
      },
    };
    const directives: unknown[] = [];
    const uplink = startUplink({ port, spool, intervalS: 0.05, uploadBatch: 10, uploadIntervalMs: 10, maxBackoffMs: 20, facts: () => facts(), onDirectives: (d) => directives.push(d), now: () => new Date(), random: () => 0.5 });
    try {
      await waitFor(() => spool.stats().pending === 0 && directives.length > 0, 5000, 'the spool to drain');
      assert.deepEqual([...stored].sort(), ['a1', 'a2', 'a3']);
      assert.equal(uplink.status().rejected, 1);
      assert.equal(heartbeats[0]!.engineRestarts, 1, 'the start is reported once');
      assert.deepEqual((directives[0] as { content: { version: string } }).content.version, '2.0.0');
    } finally {
      await uplink.stop();
      spool.close();
    }
  });

  it('keeps alerts while the server is unavailable or refuses the credential', async () => {
    const spool = openSpool({ dir: join(tempDir(), 'spool'), maxBytes: 1 << 20, segmentBytes: 1 << 16, fsync: 'never', fsyncIntervalMs: 1000 });
    spool.append(alert('x1'));
    let mode: 'down' | 'revoked' = 'down';
    const port: ControlPlanePort = {
      heartbeat: async () => ({ kind: 'unavailable', message: 'connect ECONNREFUSED' }),
      uploadAlerts: async () => (mode === 'down' ? { kind: 'unavailable', message: 'connect ECONNREFUSED' } : { kind: 'refused', status: 403, error: { code: 'forbidden', message: 'host revoked' } }),
    };
    const uplink = startUplink({ port, spool, intervalS: 0.05, uploadBatch: 10, uploadIntervalMs: 10, maxBackoffMs: 20, facts: () => facts(), onDirectives: () => undefined, now: () => new Date(), random: () => 0.5 });
    try {
      await waitFor(() => uplink.status().state === 'unavailable', 5000);
      mode = 'revoked';
      await waitFor(() => uplink.status().state === 'refused', 5000);
      assert.equal(spool.stats().pending, 1);
    } finally {
      await uplink.stop();
      spool.close();
    }
  });
});
