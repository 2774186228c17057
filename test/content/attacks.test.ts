// Each attack on distribution is refused with a clear reason while the running content keeps running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata } from '@tufjs/models';
import type { MetadataKind } from '@tufjs/models';
import { refreshTimestamp } from '../../src/content/tuf/repo.ts';
import { generateSigningKey, signerFor } from '../../src/content/tuf/keys.ts';
import { checkForUpdate } from '../../src/content/tuf/client.ts';
import type { UpdateOutcome } from '../../src/content/store/update.ts';
import { scenario } from './update-helpers.ts';
import type { Scenario } from './update-helpers.ts';

const metadataFile = (s: Scenario, name: string) => join(s.repoDir, 'public', 'metadata', name);
const latest = (s: Scenario, suffix: string) => readdirSync(join(s.repoDir, 'public', 'metadata')).filter((n) => n.endsWith(suffix)).sort((a, b) => parseInt(b) - parseInt(a))[0]!;

async function expectRefused(s: Scenario, why: RegExp, expectRunning = 'demo@1.0.0'): Promise<UpdateOutcome> {
  const outcome = await s.update();
  assert.equal(outcome.kind, 'refused', JSON.stringify(outcome));
  assert.ok(outcome.kind === 'refused');
  assert.match(outcome.diagnostics.map((d) => d.message).join('\n'), why);
  const loaded = s.store().load(new Date());
  assert.ok(loaded.ok && loaded.value.ref.id === expectRunning, 'the running content is unchanged');
  assert.deepEqual(s.store().status().bad, {}, 'an attack is not blamed on the version');
  return outcome;
}

test('rollback: an older timestamp than the trusted one is refused', async (t) => {
  const s = await scenario();
  t.after(s.close);
  assert.equal((await s.update()).kind, 'updated');
  const old = readFileSync(metadataFile(s, 'timestamp.json'));
  s.publish('1.2.0');
  assert.equal((await s.update()).kind, 'updated');
  s.publish('1.3.0');
  s.server.override((path, _req, res) => (path === '/metadata/timestamp.json' ? (res.end(old), true) : false));
  await expectRefused(s, /rollback/, 'demo@1.2.0');
});

test('rollback: a channel that points below the running version is refused', async (t) => {
  const s = await scenario();
  t.after(s.close);
  const result = await checkForUpdate({ metadataDir: join(s.storeDir, 'tuf'), metadataBaseUrl: s.server.metadataUrl, targetBaseUrl: s.server.targetsUrl, workDir: join(s.storeDir, 'work') }, 'demo', '2.0.0');
  assert.ok(!result.ok && result.diagnostics[0]!.code === 'version-rollback' && /older than the running 2\.0\.0/.test(result.diagnostics[0]!.message));
});

test('freeze: an expired timestamp is refused', async (t) => {
  const s = await scenario();
  t.after(s.close);
  assert.ok(refreshTimestamp(s.repoDir, { now: new Date(Date.now() - 3 * 86_400_000) }).ok);
  await expectRefused(s, /expired.*freeze/);
});

test('mix-and-match: a targets file of another version than the snapshot lists is refused', async (t) => {
  const s = await scenario();
  t.after(s.close);
  const current = latest(s, '.targets.json');
  const older = readFileSync(metadataFile(s, `${parseInt(current) - 1}.targets.json`));
  s.server.override((path, _req, res) => (path === `/metadata/${current}` ? (res.end(older), true) : false));
  await expectRefused(s, /mix-and-match|version/);
});

test('wrong hash: a bundle with the right length but other bytes is refused', async (t) => {
  const s = await scenario();
  t.after(s.close);
  s.server.override((path, _req, res) => {
    if (!path.endsWith('.demo-1.1.0.r3pack')) return false;
    const bytes = readFileSync(join(s.repoDir, 'public', path));
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 1;
    res.end(bytes);
    return true;
  });
  await expectRefused(s, /length or hash/);
});

test('wrong length: a longer bundle is cut off at the signed length', async (t) => {
  const s = await scenario();
  t.after(s.close);
  s.server.override((path, _req, res) => (path.endsWith('.demo-1.1.0.r3pack') ? (res.end(Buffer.concat([readFileSync(join(s.repoDir, 'public', path)), Buffer.from('extra')])), true) : false));
  await expectRefused(s, /more bytes than the signed metadata allows/);
});

for (const target of ['/metadata/timestamp.json', 'bundle']) {
  test(`endless data: an endless ${target} is cut off`, async (t) => {
    const s = await scenario();
    t.after(s.close);
    s.server.override((path, _req, res) => {
      if (!(path === target || (target === 'bundle' && path.endsWith('.r3pack')))) return false;
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => { while (res.write(chunk)) { /* fill the socket buffer */ } };
      res.on('drain', pump);
      res.on('close', () => res.off('drain', pump));
      pump();
      return true;
    });
    await expectRefused(s, /endless data/);
  });
}

test('untrusted key: a timestamp signed by a key root does not list is refused', async (t) => {
  const s = await scenario();
  t.after(s.close);
  const json = JSON.parse(readFileSync(metadataFile(s, 'timestamp.json'), 'utf8'));
  json.signed.version += 10;
  json.signatures = [];
  const forged = Metadata.fromJSON('timestamp' as MetadataKind.Timestamp, json);
  forged.sign(signerFor(generateSigningKey()));
  const bytes = JSON.stringify(forged.toJSON());
  s.server.override((path, _req, res) => (path === '/metadata/timestamp.json' ? (res.end(bytes), true) : false));
  await expectRefused(s, /not signed by enough trusted keys/);
});

test('unmet threshold: targets signed by one of the two required keys is refused', async (t) => {
  const s = await scenario({ roles: { targets: { keys: 2, threshold: 2 } } });
  t.after(s.close);
  const current = latest(s, '.targets.json');
  const json = JSON.parse(readFileSync(metadataFile(s, current), 'utf8'));
  assert.equal(json.signatures.length, 2);
  json.signatures = json.signatures.slice(0, 1);
  s.server.override((path, _req, res) => (path === `/metadata/${current}` ? (res.end(JSON.stringify(json)), true) : false));
  await expectRefused(s, /not signed by enough trusted keys|threshold/);
});

test('an unreachable repository is reported as such and nothing changes', async (t) => {
  const s = await scenario();
  t.after(s.close);
  s.server.override((_path, req) => (req.socket.destroy(), true));
  const outcome = await expectRefused(s, /could not be reached|rejected/);
  assert.ok(outcome.kind === 'refused');
});
