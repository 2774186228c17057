// The `ring3 content` commands, run in-process through the CLI entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { tempDir, writePack, removeDir, simpleRule } from './helpers.ts';

async function ring3(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: (t: string) => { stderr += t; } }, stdin: process.stdin, cwd, env: {}, now: () => new Date() });
  return { code, stdout, stderr };
}

test('content build is deterministic and content test exits non-zero on a broken pack', async (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  writePack(join(dir, 'pack'), { version: '1.0.0' });
  assert.equal((await ring3(['content', 'build', 'pack', '--out', 'a.r3pack'], dir)).code, 0);
  assert.equal((await ring3(['content', 'build', 'pack', '--out', 'b.r3pack'], dir)).code, 0);
  assert.ok(readFileSync(join(dir, 'a.r3pack')).equals(readFileSync(join(dir, 'b.r3pack'))));
  writePack(join(dir, 'broken'), { version: '1.0.1', rules: { 'demo.yml': simpleRule('00000000-0000-4000-8000-000000000001', 'other') } });
  const result = await ring3(['content', 'test', 'broken'], dir);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /FAIL tests/);
});

test('content repo init, publish (gated), store init and update through the CLI', async (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  writePack(join(dir, 'pack'), { version: '1.0.0' });
  assert.equal((await ring3(['content', 'repo', 'init', 'repo'], dir)).code, 0);
  const published = await ring3(['content', 'publish', 'pack', '--repo', 'repo'], dir);
  assert.equal(published.code, 0, published.stderr);
  assert.match(published.stdout, /PASS[\s\S]*published demo\/demo-1\.0\.0\.r3pack/);
  writePack(join(dir, 'broken'), { version: '1.0.1', rules: { 'demo.yml': simpleRule('00000000-0000-4000-8000-000000000001', 'other') } });
  const refused = await ring3(['content', 'publish', 'broken', '--repo', 'repo'], dir);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /not published: the release gate failed/);
  assert.equal((await ring3(['content', 'store', 'init', '--store', 'host', '--root', 'repo/public/metadata/1.root.json'], dir)).code, 0);
  assert.ok(existsSync(join(dir, 'host', 'tuf', 'root.json')));
});

test('content import keeps each rule\'s author and license', async (t) => {
  const dir = tempDir();
  t.after(() => removeDir(dir));
  writePack(join(dir, 'src'), { version: '1.0.0' });
  const result = await ring3(['content', 'import', 'src/rules', '--out', 'imported', '--name', 'imported'], dir);
  assert.equal(result.code, 0, result.stderr);
  const manifest = readFileSync(join(dir, 'imported', 'pack.yaml'), 'utf8');
  assert.match(manifest, /author: ring3 tests/);
  assert.match(manifest, /license: DRL-1\.1/);
  assert.match(readFileSync(join(dir, 'imported', 'NOTICE.md'), 'utf8'), /rules\/demo\.yml: by ring3 tests, license DRL-1\.1/);
});

test('content import of SigmaHQ\'s Linux rules keeps authors (when ../shared/sigma is present)', async (t) => {
  const sigma = join(import.meta.dirname, '..', '..', '..', 'shared', 'sigma', 'rules', 'linux');
  if (!existsSync(sigma)) { t.skip('../shared/sigma is not present'); return; }
  const dir = tempDir();
  t.after(() => removeDir(dir));
  const result = await ring3(['content', 'import', sigma, '--out', 'imported'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /imported \d{2,} rules/);
  const built = await ring3(['content', 'build', 'imported', '--out', 'x.r3pack'], dir);
  assert.equal(built.code, 0, built.stderr);
});
