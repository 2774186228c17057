// One table of storage cases, run against every Store implementation (store.test.ts).
import assert from 'node:assert/strict';
import type { Store } from '../../../src/server/storage/store.ts';
import { alert, enrollmentToken, heartbeat, newHost } from '../fixtures.ts';

export type StoreCase = { name: string; run(store: Store): Promise<void> };

/** Many hosts at once, straight into the table (enrolling each would make the case slow on PostgreSQL). */
async function manyHosts(store: Store, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `m${String(i).padStart(4, '0')}`);
  await store.db.insertInto('hosts').values(ids.map((id) => ({
    id, hostname: `host-${id}`, tags: '[]', credential_hash: `cred-${id}`, enrollment_token_id: null, enrolled_at: 1, revoked_at: null,
  }))).execute();
  return ids;
}

async function enrolled(store: Store, ids: string[], tokenOverrides = {}): Promise<void> {
  await store.createEnrollmentToken(enrollmentToken('t1', tokenOverrides));
  for (const id of ids) assert.deepEqual(await store.enrollHost('t1', newHost(id), 5000), { kind: 'ok' });
}

export const storeCases: readonly StoreCase[] = [
  {
    name: 'enrollment tokens are created, listed and revoked once',
    async run(store) {
      await store.createEnrollmentToken(enrollmentToken('t1', { note: 'lab' }));
      assert.equal((await store.getEnrollmentToken('t1'))?.note, 'lab');
      assert.equal(await store.getEnrollmentToken('nope'), undefined);
      assert.equal(await store.revokeEnrollmentToken('t1', 3000), true);
      assert.equal(await store.revokeEnrollmentToken('t1', 4000), false);
      const [token] = await store.listEnrollmentTokens();
      assert.equal(token?.revokedAt, 3000);
    },
  },
  {
    name: 'enrolling spends a token use; a used-up, expired or revoked token enrolls nobody',
    async run(store) {
      await store.createEnrollmentToken(enrollmentToken('t1', { maxUses: 1 }));
      assert.deepEqual(await store.enrollHost('t1', newHost('h1'), 5000), { kind: 'ok' });
      assert.deepEqual(await store.enrollHost('t1', newHost('h2'), 5000), { kind: 'token-unusable' });
      await store.createEnrollmentToken(enrollmentToken('t2', { expiresAt: 6000 }));
      assert.deepEqual(await store.enrollHost('t2', newHost('h3'), 6000), { kind: 'token-unusable' });
      await store.createEnrollmentToken(enrollmentToken('t3', { revokedAt: 1 }));
      assert.deepEqual(await store.enrollHost('t3', newHost('h4'), 5000), { kind: 'token-unusable' });
      assert.equal((await store.getEnrollmentToken('t1'))?.uses, 1);
      assert.equal(await store.getHost('h2'), undefined);
      assert.equal((await store.getHostAuth('h1'))?.credentialHash, 'cred-h1');
    },
  },
  {
    name: 'a heartbeat updates the host status; a retry of the same (boot, seq) is stored once',
    async run(store) {
      await enrolled(store, ['h1']);
      assert.equal((await store.getHost('h1'))?.status, null);
      const first = await store.recordHeartbeats([{ hostId: 'h1', receivedAt: 10_000, heartbeat: heartbeat({ seq: 1 }) }]);
      const retry = await store.recordHeartbeats([{ hostId: 'h1', receivedAt: 11_000, heartbeat: heartbeat({ seq: 1 }) }]);
      assert.deepEqual(first.stored, [true]);
      assert.deepEqual(retry.stored, [false]);
      const host = await store.getHost('h1');
      assert.equal(host?.status?.lastSeenAt, 11_000);
      assert.equal(host?.status?.contentVersion, '2025.01.01');
      assert.deepEqual(host?.status?.tags, ['internal']);
      assert.equal((await store.listHeartbeats({ since: 0, until: 1e12 })).length, 1);
    },
  },
  {
    name: 'a batch of heartbeats from many hosts, with several per host, keeps the latest status',
    async run(store) {
      const ids = Array.from({ length: 30 }, (_, i) => `h${String(i).padStart(2, '0')}`);
      await enrolled(store, ids);
      const records = ids.flatMap((hostId, i) => [
        { hostId, receivedAt: 20_000 + i, heartbeat: heartbeat({ seq: 1, cpuPct: 1 }) },
        { hostId, receivedAt: 30_000 + i, heartbeat: heartbeat({ seq: 2, cpuPct: 2, versions: { agent: '0.1.0', content: 'v2' } }) },
      ]);
      const { stored } = await store.recordHeartbeats(records);
      assert.equal(stored.filter(Boolean).length, 60);
      const host = await store.getHost('h07');
      assert.equal(host?.status?.cpuPct, 2);
      assert.equal(host?.status?.seq, 2);
      const v2 = await store.listHeartbeats({ since: 0, until: 1e12, contentVersion: 'v2', hostIds: ['h01', 'h02'] });
      assert.deepEqual(v2.map((s) => [s.hostId, s.seq, s.eventsPerS, s.drops, s.alertsTotal]), [['h01', 2, 15.5, 3, 3], ['h02', 2, 15.5, 3, 3]]);
    },
  },
  {
    name: 'an older heartbeat arriving late does not overwrite a newer status',
    async run(store) {
      await enrolled(store, ['h1']);
      await store.recordHeartbeats([{ hostId: 'h1', receivedAt: 50_000, heartbeat: heartbeat({ seq: 5, cpuPct: 5 }) }]);
      await store.recordHeartbeats([{ hostId: 'h1', receivedAt: 40_000, heartbeat: heartbeat({ seq: 4, cpuPct: 4 }) }]);
      assert.equal((await store.getHost('h1'))?.status?.cpuPct, 5);
    },
  },
  {
    name: 'heartbeats older than the retention are pruned',
    async run(store) {
      await enrolled(store, ['h1']);
      await store.recordHeartbeats([1, 2, 3].map((seq) => ({ hostId: 'h1', receivedAt: seq * 1000, heartbeat: heartbeat({ seq }) })));
      assert.equal(await store.pruneHeartbeats(2500), 2);
      assert.deepEqual((await store.listHeartbeats({ since: 0, until: 1e12 })).map((s) => s.seq), [3]);
    },
  },
  {
    // Larger than one write chunk (SQLite writes 500 heartbeats per transaction): the newest status
    // of a host must win even when its older heartbeat comes in a later chunk.
    name: 'a batch of 1,500 heartbeats: each is answered in order, retries are found, the newest status is kept',
    async run(store) {
      const ids = await manyHosts(store, 500);
      const newer = ids.map((hostId, i) => ({ hostId, receivedAt: 50_000 + i, heartbeat: heartbeat({ seq: 2, cpuPct: 2 }) }));
      const older = ids.map((hostId, i) => ({ hostId, receivedAt: 10_000 + i, heartbeat: heartbeat({ seq: 1, cpuPct: 1 }) }));
      const retries = ids.filter((_, i) => i % 2 === 0).map((hostId, i) => ({ hostId, receivedAt: 60_000 + i, heartbeat: heartbeat({ seq: 2, cpuPct: 9 }) }));
      const { stored } = await store.recordHeartbeats([...newer, ...older, ...retries]);
      assert.deepEqual(stored, [...newer.map(() => true), ...older.map(() => true), ...retries.map(() => false)]);
      // A retry is not stored again, but it is the host's latest contact.
      assert.deepEqual([(await store.getHost('m0000'))?.status?.lastSeenAt, (await store.getHost('m0000'))?.status?.seq], [60_000, 2]);
      assert.deepEqual([(await store.getHost('m0499'))?.status?.lastSeenAt, (await store.getHost('m0499'))?.status?.cpuPct], [50_499, 2]);
      assert.equal((await store.listHeartbeats({ since: 0, until: 1e12 })).length, 1000);
      assert.equal(await store.pruneHeartbeats(50_000), 500);
      assert.equal((await store.listHeartbeats({ since: 0, until: 1e12 })).length, 500);
    },
  },
  {
    name: 'a write that fails (a host that does not exist) is reported, and the next write works',
    async run(store) {
      await enrolled(store, ['h1']);
      await assert.rejects(store.recordHeartbeats([{ hostId: 'ghost', receivedAt: 1000, heartbeat: heartbeat() }]));
      await assert.rejects(store.storeAlerts('ghost', [alert('a1')], 1000));
      assert.deepEqual((await store.recordHeartbeats([{ hostId: 'h1', receivedAt: 1000, heartbeat: heartbeat() }])).stored, [true]);
      assert.deepEqual((await store.storeAlerts('h1', [alert('a1')], 1000)).storedIds, ['a1']);
    },
  },
  {
    name: 'heartbeats are pruned in several rounds when there are many',
    async run(store) {
      const ids = await manyHosts(store, 500);
      for (let seq = 1; seq <= 10; seq++) {
        await store.recordHeartbeats(ids.map((hostId) => ({ hostId, receivedAt: seq * 1000, heartbeat: heartbeat({ seq }) })));
      }
      assert.equal(await store.pruneHeartbeats(9500), 4500);
      assert.deepEqual(new Set((await store.listHeartbeats({ since: 0, until: 1e12 })).map((s) => s.seq)), new Set([10]));
    },
  },
  {
    name: 'uploads of 2,400 alerts in one go: whole uploads per answer, duplicates across uploads counted once',
    async run(store) {
      const [h1, h2] = await manyHosts(store, 2);
      const batch = (prefix: string, from: number, count: number) => Array.from({ length: count }, (_, i) => alert(`${prefix}${from + i}`));
      const results = await store.storeAlertUploads([
        { hostId: h1!, alerts: batch('a', 0, 900), receivedAt: 1000 },
        { hostId: h2!, alerts: batch('a', 0, 900), receivedAt: 1000 },
        { hostId: h1!, alerts: batch('a', 800, 600), receivedAt: 1001 },
      ]);
      assert.deepEqual(results.map((r) => r.storedIds.length), [900, 900, 500]);
      assert.deepEqual(results[2]!.storedIds.slice(0, 2), ['a900', 'a901']);
      assert.equal((await store.listAlerts({ limit: 1000, hostId: h1! })).items.length, 1000);
    },
  },
  {
    name: 'alerts are deduplicated per host by alert id; the same id from two hosts is two alerts',
    async run(store) {
      await enrolled(store, ['h1', 'h2']);
      assert.deepEqual((await store.storeAlerts('h1', [alert('a1'), alert('a2')], 1000)).storedIds.sort(), ['a1', 'a2']);
      assert.deepEqual((await store.storeAlerts('h1', [alert('a2'), alert('a3')], 2000)).storedIds, ['a3']);
      assert.deepEqual((await store.storeAlerts('h2', [alert('a1')], 3000)).storedIds, ['a1']);
      const page = await store.listAlerts({ limit: 10 });
      assert.equal(page.items.length, 4);
      assert.deepEqual(page.items[0], { ...alert('a1'), hostId: 'h2', hostname: 'host-h2', receivedAt: 3000 });
    },
  },
  {
    name: 'alerts page newest first and filter by host, rule, level and time',
    async run(store) {
      await enrolled(store, ['h1']);
      for (let i = 0; i < 7; i++) await store.storeAlerts('h1', [alert(`a${i}`, { ruleId: i % 2 === 0 ? 'even' : 'odd', level: i < 3 ? 'low' : 'high' })], 1000 + i);
      const first = await store.listAlerts({ limit: 3 });
      assert.deepEqual(first.items.map((a) => a.id), ['a6', 'a5', 'a4']);
      assert.notEqual(first.nextCursor, null);
      const second = await store.listAlerts({ limit: 3, cursor: first.nextCursor! });
      assert.deepEqual(second.items.map((a) => a.id), ['a3', 'a2', 'a1']);
      const last = await store.listAlerts({ limit: 3, cursor: second.nextCursor! });
      assert.deepEqual([last.items.map((a) => a.id), last.nextCursor], [['a0'], null]);
      assert.deepEqual((await store.listAlerts({ limit: 10, ruleId: 'odd' })).items.map((a) => a.id), ['a5', 'a3', 'a1']);
      assert.deepEqual((await store.listAlerts({ limit: 10, level: 'low', since: 1001 })).items.map((a) => a.id), ['a2', 'a1']);
      assert.deepEqual((await store.listAlerts({ limit: 10, hostId: 'other' })).items, []);
      assert.deepEqual(await store.listAlerts({ limit: 10, cursor: 'garbage' }), { items: [], nextCursor: null });
    },
  },
  {
    name: 'hosts page by hostname and filter by state and tag',
    async run(store) {
      await store.createEnrollmentToken(enrollmentToken('t1'));
      for (const [id, hostname] of [['h1', 'delta'], ['h2', 'alpha'], ['h3', 'charlie'], ['h4', 'bravo']] as const) {
        await store.enrollHost('t1', newHost(id, { hostname, tags: id === 'h4' ? ['web'] : [] }), 5000);
      }
      await store.recordHeartbeats([
        { hostId: 'h1', receivedAt: 100_000, heartbeat: heartbeat({ tags: ['internal', 'db'] }) },
        { hostId: 'h2', receivedAt: 10_000, heartbeat: heartbeat({ tags: [] }) },
      ]);
      await store.revokeHost('h3', 6000);
      const now = 110_000;
      const page = await store.listHosts({ limit: 3, now, silentAfterMs: 30_000 });
      assert.deepEqual(page.items.map((h) => h.hostname), ['alpha', 'bravo', 'charlie']);
      const rest = await store.listHosts({ limit: 3, cursor: page.nextCursor!, now, silentAfterMs: 30_000 });
      assert.deepEqual([rest.items.map((h) => h.hostname), rest.nextCursor], [['delta'], null]);
      const names = async (query: object) => (await store.listHosts({ limit: 10, now, silentAfterMs: 30_000, ...query })).items.map((h) => h.id);
      assert.deepEqual(await names({ state: 'online' }), ['h1']);
      assert.deepEqual(await names({ state: 'silent' }), ['h2']);
      assert.deepEqual(await names({ state: 'never-seen' }), ['h4']);
      assert.deepEqual(await names({ state: 'revoked' }), ['h3']);
      assert.deepEqual(await names({ tag: 'db' }), ['h1']);
      assert.deepEqual(await names({ tag: 'web' }), ['h4']);
      assert.deepEqual((await store.listActiveHosts()).map((h) => h.id), ['h1', 'h2', 'h4']);
    },
  },
  {
    name: 'uploads from several hosts are stored in one go; an alert repeated across uploads counts once',
    async run(store) {
      await enrolled(store, ['h1', 'h2']);
      const results = await store.storeAlertUploads([
        { hostId: 'h1', alerts: [alert('a1'), alert('a2')], receivedAt: 1000 },
        { hostId: 'h2', alerts: [alert('a1')], receivedAt: 1000 },
        { hostId: 'h1', alerts: [alert('a2'), alert('a3')], receivedAt: 1001 },
      ]);
      assert.deepEqual(results.map((r) => r.storedIds), [['a1', 'a2'], ['a1'], ['a3']]);
      assert.equal((await store.listAlerts({ limit: 10 })).items.length, 4);
    },
  },
  {
    name: 'every active host is listed, in id order, across the pages the store reads them in',
    async run(store) {
      const ids = await manyHosts(store, 2500);
      for (const id of ['m0000', 'm0999', 'm1000', 'm2499']) await store.revokeHost(id, 7000);
      await store.recordHeartbeats([{ hostId: 'm1500', receivedAt: 1000, heartbeat: heartbeat() }]);
      const active = await store.listActiveHosts();
      assert.deepEqual(active.map((h) => h.id), ids.filter((id) => !['m0000', 'm0999', 'm1000', 'm2499'].includes(id)));
      assert.equal(active.find((h) => h.id === 'm1500')?.status?.lastSeenAt, 1000);
    },
  },
  {
    name: 'revoking a host is recorded once',
    async run(store) {
      await enrolled(store, ['h1', 'h2']);
      assert.deepEqual(await store.listRevokedHostIds(0), []);
      assert.equal(await store.revokeHost('h1', 7000), true);
      assert.deepEqual(await store.listRevokedHostIds(7000), ['h1']);
      assert.deepEqual(await store.listRevokedHostIds(7001), []);
      assert.equal(await store.revokeHost('h1', 8000), false);
      assert.equal(await store.revokeHost('missing', 8000), false);
      assert.equal((await store.getHostAuth('h1'))?.revokedAt, 7000);
    },
  },
  {
    name: 'admin tokens are stored and counted while not revoked',
    async run(store) {
      assert.equal(await store.countAdminTokens(), 0);
      await store.createAdminToken({ id: 'a1', secretHash: 'x', note: 'first start', createdAt: 1, revokedAt: null });
      await store.createAdminToken({ id: 'a2', secretHash: 'y', note: 'old', createdAt: 1, revokedAt: 2 });
      assert.equal(await store.countAdminTokens(), 1);
      assert.equal((await store.getAdminToken('a1'))?.secretHash, 'x');
    },
  },
];
