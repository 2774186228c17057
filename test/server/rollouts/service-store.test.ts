// The rollout service on both stores (SQLite always, PostgreSQL when RING3_TEST_PG_URL is set):
// its migrations, upserts, the bake-window aggregate over heartbeats and the delivery join.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRolloutService, defaultJudgeConfig, rolloutMigrations } from '../../../src/server/rollouts/index.ts';
import { coreMigrations, migrate } from '../../../src/server/storage/migrations.ts';
import { storeTargets } from '../store-targets.ts';
import { enrollmentToken, heartbeat, newHost } from '../fixtures.ts';

for (const target of storeTargets) {
  test(`${target.name}: a crashing canary halts the rollout and the fleet is told to go back`, { skip: target.skip }, async () => {
    const store = await target.open();
    try {
      const migrated = await migrate(store.db, [...coreMigrations, ...rolloutMigrations], { dialect: store.dialect });
      assert.equal(migrated.kind, 'ok', JSON.stringify(migrated));
      await store.createEnrollmentToken(enrollmentToken('t1', { expiresAt: 10 ** 13 }));
      const hosts = Array.from({ length: 40 }, (_, i) => `h${String(i).padStart(2, '0')}`);
      for (const [i, id] of hosts.entries()) assert.equal((await store.enrollHost('t1', newHost(id, { tags: i < 5 ? ['internal'] : [] }), 1000)).kind, 'ok');
      const tagsOf = (i: number) => (i < 5 ? ['internal'] : ['env:prod']);
      let seq = 0;
      const beat = async (at: number, version: (i: number) => string, crashes: (i: number) => number) => {
        seq += 1;
        await store.recordHeartbeats(hosts.map((hostId, i) => ({ hostId, receivedAt: at, heartbeat: heartbeat({ seq, versions: { agent: '1', content: version(i) }, tags: tagsOf(i), engineCrashes: crashes(i) }) })));
      };
      const service = createRolloutService({ store, judge: { ...defaultJudgeConfig, silentAfterSeconds: 180 }, stateTtlMs: 0 });
      await beat(10_000, () => '1.0', () => 0);
      const started = await service.start({ version: '2.0' }, 20_000);
      assert.equal(started.kind, 'ok');
      assert.equal(started.kind === 'ok' && started.value.previousVersion, '1.0');
      const told = await Promise.all(hosts.map((hostId, i) => service.directiveFor({ hostId, tags: tagsOf(i), contentVersion: '1.0' }, 30_000)));
      assert.deepEqual(told.map((d) => d.version === '2.0'), hosts.map((_, i) => i < 5));
      await beat(90_000, (i) => (i < 5 ? '2.0' : '1.0'), (i) => (i < 2 ? 1 : 0));
      const ticked = await service.tick(100_000);
      assert.equal(ticked.kind, 'ok');
      assert.equal(ticked.kind === 'ok' && ticked.value.kind, 'moved');
      const status = await service.status('current', 110_000);
      assert.equal(status.kind, 'ok');
      if (status.kind === 'ok') {
        assert.equal(status.value.rollout.phase.kind, 'halted');
        assert.equal(status.value.exposure.delivered, 5);
        const verdict = status.value.verdicts[0]!;
        assert.equal(verdict.kind, 'fail');
        assert.deepEqual(verdict.evidence.hardLimits.find((c) => c.name === 'crashes')?.canary, { hosts: 5, affected: 2, rate: 0.4 });
      }
      const after = await service.directiveFor({ hostId: 'h00', tags: ['internal'], contentVersion: '2.0' }, 120_000);
      assert.deepEqual([after.version, after.reason], ['1.0', 'latest-release']);
      await service.setPolicy('db', { kind: 'one-behind' }, 1);
      await service.setPolicy('db', { kind: 'delay', seconds: 60 }, 2);
      assert.deepEqual([...(await service.policies())], [['db', { kind: 'delay', seconds: 60 }]]);
    } finally {
      await store.close();
    }
  });
}
