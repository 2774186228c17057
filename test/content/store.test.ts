import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/content/store/store.ts';
import type { ContentStore } from '../../src/content/store/store.ts';
import { guardAgentStart, confirmIfStable } from '../../src/content/store/crash-guard.ts';
import { buildPack } from '../../src/content/pack-dir.ts';
import { tempDir, writePack, removeDir } from './helpers.ts';

const t0 = Date.parse('2025-01-01T00:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

function bundle(version: string) {
  const built = buildPack(writePack(tempDir(), { version }));
  assert.ok(built.ok);
  return built.value;
}

function install(store: ContentStore, version: string, minute: number) {
  const { pack, bytes } = bundle(version);
  const ref = store.stage(pack, bytes);
  store.activate(ref, at(minute));
  return ref;
}

function open(dir: string): ContentStore {
  const store = openStore(dir);
  assert.ok(store.ok);
  return store.value;
}

test('seeded content runs, and a store keeps last-known-good plus the two before it', (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  const store = open(dir);
  assert.ok(!store.load(at(0)).ok, 'an empty store has nothing to run');
  assert.ok(store.seed(bundle('1.0.0').bytes, at(0)).ok);
  for (const [i, v] of ['1.1.0', '1.2.0', '1.3.0', '1.4.0'].entries()) {
    install(store, v, i * 60);
    store.confirm(at(i * 60 + 40));
  }
  const status = open(dir).status();
  assert.equal(status.active, 'demo@1.4.0');
  assert.equal(status.lastKnownGood, 'demo@1.4.0');
  assert.deepEqual(status.previous, ['demo@1.3.0', 'demo@1.2.0']);
  assert.deepEqual(readdirSync(join(dir, 'versions')).sort(), ['demo@1.2.0.r3pack', 'demo@1.3.0.r3pack', 'demo@1.4.0.r3pack']);
  const loaded = store.load(at(300));
  assert.ok(loaded.ok && loaded.value.ref.version === '1.4.0' && loaded.value.role === 'active');
});

test('crash-loop guard: N starts within M minutes after a change roll back to last-known-good, once', (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  const store = open(dir);
  store.seed(bundle('1.0.0').bytes, at(0));
  install(store, '1.1.0', 10);
  const policy = { maxStarts: 3, windowMs: 5 * 60_000, probationMs: 30 * 60_000 };
  assert.equal(guardAgentStart(open(dir), at(11), policy).kind, 'on-probation');
  assert.equal(guardAgentStart(open(dir), at(12), policy).kind, 'on-probation');
  const third = guardAgentStart(open(dir), at(13), policy);
  assert.equal(third.kind, 'rolled-back');
  assert.ok(third.kind === 'rolled-back' && third.from === 'demo@1.1.0' && third.to === 'demo@1.0.0' && /crash loop/.test(third.reason));
  const after = open(dir);
  assert.equal(after.status().active, 'demo@1.0.0');
  assert.ok(after.isBad('demo@1.1.0'));
  assert.equal(after.status().lastRollback?.kind, 'rolled-back');
  assert.ok(after.takeUnreported().some((e) => e.kind === 'rolled-back'));
  assert.equal(guardAgentStart(after, at(14), policy).kind, 'steady');
});

test('slow restarts are not a crash loop, and the version is confirmed after its probation', (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  const store = open(dir);
  store.seed(bundle('1.0.0').bytes, at(0));
  install(store, '1.1.0', 10);
  const policy = { maxStarts: 3, windowMs: 5 * 60_000, probationMs: 30 * 60_000 };
  assert.equal(guardAgentStart(store, at(12), policy).kind, 'on-probation');
  assert.equal(guardAgentStart(store, at(20), policy).kind, 'on-probation');
  assert.equal(guardAgentStart(store, at(28), policy).kind, 'on-probation');
  assert.equal(confirmIfStable(store, at(35), policy), false);
  assert.equal(confirmIfStable(store, at(41), policy), true);
  assert.equal(store.status().lastKnownGood, 'demo@1.1.0');
  assert.deepEqual(store.status().previous, ['demo@1.0.0']);
});

test('a damaged active bundle is never run: the store falls back to last-known-good and says so', (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  const store = open(dir);
  store.seed(bundle('1.0.0').bytes, at(0));
  install(store, '1.1.0', 10);
  writeFileSync(join(dir, 'versions', 'demo@1.1.0.r3pack'), '{"format":"ring3-pack/1","files":[]}');
  const reopened = open(dir);
  const loaded = reopened.load(at(11));
  assert.ok(loaded.ok && loaded.value.ref.id === 'demo@1.0.0' && loaded.value.role === 'last-known-good');
  assert.equal(reopened.status().active, 'demo@1.0.0');
  assert.match(reopened.status().bad['demo@1.1.0']!.reason, /damaged/);
});

test('a corrupt state file is reported, not thrown', (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  writeFileSync(join(dir, 'state.json'), '{not json');
  const store = openStore(dir);
  assert.ok(!store.ok && store.diagnostics[0]!.code === 'store-corrupt');
});
