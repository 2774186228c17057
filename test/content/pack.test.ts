import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, utimesSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildPack, readPackDir } from '../../src/content/pack-dir.ts';
import { decodeBundle, encodeBundle } from '../../src/content/bundle.ts';
import { parseManifest } from '../../src/content/manifest.ts';
import { formatContentDiagnostic } from '../../src/content/diagnostics.ts';
import { satisfies, compareVersions } from '../../src/content/semver.ts';
import { parseRuleTests } from '../../src/content/rule-tests.ts';
import { tempDir, writePack, removeDir } from './helpers.ts';

test('the same pack directory always builds the same bytes, whatever the mtimes', (t) => {
  const a = writePack(tempDir(), { version: '1.0.0' });
  const b = writePack(tempDir(), { version: '1.0.0' });
  t.after(() => { removeDir(a); removeDir(b); });
  utimesSync(join(b, 'rules', 'demo.yml'), new Date(0), new Date(0));
  const first = buildPack(a);
  const second = buildPack(b);
  assert.ok(first.ok && second.ok);
  assert.ok(first.value.bytes.equals(second.value.bytes));
  assert.equal(first.value.pack.manifest.version, '1.0.0');
  assert.equal(first.value.pack.digest, second.value.pack.digest);
});

test('a bundle round-trips and decoding refuses tampered shapes with a reason', () => {
  const files = [{ path: 'rules/b.yml', text: 'x' }, { path: 'pack.yaml', text: 'name: a\nversion: 1.0.0\npublisher: p\nengine: "*"\n' }];
  const bytes = encodeBundle(files);
  const pack = decodeBundle(bytes);
  assert.ok(pack.ok);
  assert.deepEqual(pack.value.files.map((f) => f.path), ['pack.yaml', 'rules/b.yml']);
  const cases: [string, string][] = [
    ['not json', 'not JSON'],
    ['{"format":"other","files":[]}', 'format'],
    ['{"format":"ring3-pack/1","files":[{"path":"../etc/passwd","text":""}]}', 'may not contain'],
    ['{"format":"ring3-pack/1","files":[{"path":"rules/b.yml","text":""},{"path":"pack.yaml","text":""}]}', 'out of order'],
    ['{"format":"ring3-pack/1","files":[]}', 'pack.yaml'],
  ];
  for (const [text, why] of cases) {
    const result = decodeBundle(Buffer.from(text), 'x.r3pack');
    assert.ok(!result.ok, text);
    assert.match(formatContentDiagnostic(result.diagnostics[0]!), new RegExp(why.replace('.', '\\.')));
  }
});

test('the manifest names the key that is wrong', () => {
  const result = parseManifest('name: Bad_Name\nversion: 1.0\npublisher: p\nengine: "nonsense"\nextra: 1\n');
  assert.ok(!result.ok);
  const text = result.diagnostics.map(formatContentDiagnostic).join('\n');
  for (const key of ['name', 'version', 'engine', 'extra']) assert.match(text, new RegExp(`field "${key}"`));
  assert.match(text, /pack\.yaml:1/);
});

test('a pack directory with a stray file is refused, naming the file', (t) => {
  const dir = writePack(tempDir(), { version: '1.0.0' });
  t.after(() => removeDir(dir));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'x.sh'), 'echo');
  const result = readPackDir(dir);
  assert.ok(!result.ok);
  assert.equal(result.diagnostics[0]!.file, 'bin/x.sh');
});

test('semver ranges', () => {
  assert.ok(satisfies('0.1.0', '>=0.1.0 <1.0.0'));
  assert.ok(!satisfies('1.0.0', '>=0.1.0 <1.0.0'));
  assert.ok(satisfies('1.4.2', '^1.2.0'));
  assert.ok(!satisfies('2.0.0', '^1.2.0'));
  assert.ok(satisfies('3.0.0', '^1.0.0 || ^3.0.0'));
  assert.ok(compareVersions('1.0.0-rc.1', '1.0.0') < 0);
  assert.ok(compareVersions('1.10.0', '1.9.0') > 0);
});

test('rule tests parse into cases and bad documents are reported with the file', () => {
  const { tests, diagnostics } = parseRuleTests([
    { path: 'tests/a.yml', text: 'rule: r1\nmatch:\n  - {A: 1}\nnomatch:\n  - {A: 2}\n---\nrule: r2\nsequences:\n  - expect: fire\n    events: [{A: 1}, {A: 1}]\n' },
    { path: 'tests/b.yml', text: 'rule: r3\nmatch: nope\n' },
  ]);
  assert.deepEqual(tests.map((t) => [t.ruleId, t.cases.map((c) => c.kind)]), [['r1', ['match', 'nomatch']], ['r2', ['sequence']], ['r3', []]]);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.file, 'tests/b.yml');
});
