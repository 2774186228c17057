import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPack } from '../../src/content/pack-dir.ts';
import { initRepo, publishBundle, rotateKeys, delegate, refreshTimestamp } from '../../src/content/tuf/repo.ts';
import { repoPaths } from '../../src/content/tuf/repo-metadata.ts';
import { generateSigningKey, saveSigningKey } from '../../src/content/tuf/keys.ts';
import { checkForUpdate } from '../../src/content/tuf/client.ts';
import { formatContentDiagnostic } from '../../src/content/diagnostics.ts';
import { tempDir, writePack, removeDir, serveRepo } from './helpers.ts';

const now = () => new Date();

function bundle(version: string, name = 'demo'): Buffer {
  const built = buildPack(writePack(tempDir(), { name, version }));
  assert.ok(built.ok);
  return built.value.bytes;
}

export async function setupRepo() {
  const dir = tempDir('ring3-repo-');
  assert.ok(initRepo(dir, { now: now() }).ok);
  const server = await serveRepo(join(dir, 'public'));
  const client = tempDir('ring3-client-');
  mkdirSync(join(client, 'metadata'));
  copyFileSync(join(dir, 'public', 'metadata', '1.root.json'), join(client, 'metadata', 'root.json'));
  const options = { metadataDir: join(client, 'metadata'), metadataBaseUrl: server.metadataUrl, targetBaseUrl: server.targetsUrl, workDir: client, fetchTimeoutMs: 5000 };
  return { dir, server, client, options, close: async () => { await server.close(); removeDir(dir); removeDir(client); } };
}

test('publish then fetch: the client gets the newest version, verified, and nothing when up to date', async (t) => {
  const repo = await setupRepo();
  t.after(repo.close);
  const one = bundle('1.0.0');
  const published = publishBundle(repo.dir, one, { now: now() });
  assert.ok(published.ok, published.ok ? '' : published.diagnostics.map(formatContentDiagnostic).join());
  const first = await checkForUpdate(repo.options, 'demo', undefined);
  assert.ok(first.ok && first.value.kind === 'fetched', JSON.stringify(first));
  assert.equal(first.value.channel.version, '1.0.0');
  assert.ok(first.value.bytes.equals(one));
  const again = await checkForUpdate(repo.options, 'demo', '1.0.0');
  assert.ok(again.ok && again.value.kind === 'up-to-date');
  assert.ok(publishBundle(repo.dir, bundle('1.1.0'), { now: now() }).ok);
  const second = await checkForUpdate(repo.options, 'demo', '1.0.0');
  assert.ok(second.ok && second.value.kind === 'fetched' && second.value.channel.version === '1.1.0');
  const older = publishBundle(repo.dir, bundle('1.0.5'), { now: now() });
  assert.ok(!older.ok && older.diagnostics[0]!.code === 'version-rollback');
});

test('root key rotation: a client holding only root v1 follows the chain to v2 and v3', async (t) => {
  const repo = await setupRepo();
  t.after(repo.close);
  assert.ok(publishBundle(repo.dir, bundle('1.0.0'), { now: now() }).ok);
  const r2 = rotateKeys(repo.dir, { now: now(), role: 'root', keys: 2, threshold: 2 });
  assert.ok(r2.ok, r2.ok ? '' : r2.diagnostics.map(formatContentDiagnostic).join());
  const r3 = rotateKeys(repo.dir, { now: now(), role: 'timestamp' });
  assert.ok(r3.ok && r3.value.rootVersion === 3);
  const result = await checkForUpdate(repo.options, 'demo', undefined);
  assert.ok(result.ok && result.value.kind === 'fetched', JSON.stringify(result));
  const trusted = JSON.parse(readFileSync(join(repo.options.metadataDir, 'root.json'), 'utf8'));
  assert.equal(trusted.signed.version, 3);
  assert.equal(trusted.signed.roles.root.threshold, 2);
  assert.ok(publishBundle(repo.dir, bundle('1.1.0'), { now: now() }).ok);
  const next = await checkForUpdate(repo.options, 'demo', '1.0.0');
  assert.ok(next.ok && next.value.kind === 'fetched' && next.value.channel.version === '1.1.0');
});

test('a delegated publisher ships its own pack with its own keys, and only under its paths', async (t) => {
  const repo = await setupRepo();
  t.after(repo.close);
  const orgKeys = tempDir('ring3-org-keys-');
  t.after(() => removeDir(orgKeys));
  const key = generateSigningKey();
  saveSigningKey(orgKeys, key);
  assert.ok(publishBundle(repo.dir, bundle('1.0.0'), { now: now() }).ok);
  const delegated = delegate(repo.dir, { now: now(), name: 'acme', paths: ['acme-*/*'], publicKeys: [key.publicJson], threshold: 1 });
  assert.ok(delegated.ok);
  // The repository's own keys cannot sign for acme: its key lives only with acme.
  const withoutKey = publishBundle(repo.dir, bundle('1.0.0', 'acme-rules'), { now: now(), role: 'acme' });
  assert.ok(!withoutKey.ok && withoutKey.diagnostics[0]!.code === 'key-missing');
  const outside = publishBundle(repo.dir, bundle('2.0.0', 'demo'), { now: now(), role: 'acme', keyDirs: [orgKeys] });
  assert.ok(!outside.ok && /may publish/.test(outside.diagnostics[0]!.message));
  const published = publishBundle(repo.dir, bundle('1.0.0', 'acme-rules'), { now: now(), role: 'acme', keyDirs: [orgKeys] });
  assert.ok(published.ok, published.ok ? '' : published.diagnostics.map(formatContentDiagnostic).join());
  const vendor = await checkForUpdate(repo.options, 'demo', undefined);
  const org = await checkForUpdate(repo.options, 'acme-rules', undefined);
  assert.ok(vendor.ok && vendor.value.kind === 'fetched');
  assert.ok(org.ok && org.value.kind === 'fetched' && org.value.channel.version === '1.0.0');
});

test('the timestamp can be re-signed without a new publish', async (t) => {
  const repo = await setupRepo();
  t.after(repo.close);
  const result = refreshTimestamp(repo.dir, { now: now() });
  assert.ok(result.ok && result.value.timestampVersion === 2);
  const ts = JSON.parse(readFileSync(join(repoPaths(repo.dir).metadata, 'timestamp.json'), 'utf8'));
  assert.equal(ts.signed.version, 2);
  writeFileSync(join(repo.client, 'x'), '');
});
