// The SigmaHQ community rule set (../shared/sigma, used in place, never copied) loads: every rule
// compiles or is rejected for a real unsupported feature; rules/linux compiles without rejection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadRuleSet } from '../../src/sigma/index.ts';
import { readRuleFiles } from '../../src/content/rule-files.ts';

const sigmaRoot = fileURLToPath(new URL('../../../shared/sigma/', import.meta.url));
const skip = existsSync(sigmaRoot) ? false : `no SigmaHQ rules at ${sigmaRoot}`;

test('every rule under rules/linux compiles', { skip }, async () => {
  const { sources, errors } = await readRuleFiles([join(sigmaRoot, 'rules/linux')]);
  assert.deepEqual(errors, []);
  const loaded = loadRuleSet(sources);
  const rejected = loaded.rules.filter((r) => !r.ok).map((r) => `${r.source}: ${r.reason}`);
  assert.deepEqual(rejected, []);
  assert.ok(loaded.rules.length >= 200);
});

test('the whole rule set: rejections only for unresolvable placeholders', { skip }, async () => {
  const { sources } = await readRuleFiles([sigmaRoot]);
  const loaded = loadRuleSet(sources);
  const rejected = loaded.rules.filter((r) => !r.ok);
  const codes = new Set(rejected.flatMap((r) => r.diagnostics.map((d) => d.code)));
  assert.deepEqual([...codes], rejected.length > 0 ? ['unresolved-placeholder'] : []);
  assert.ok(loaded.rules.length >= 3700);
  assert.ok(rejected.length <= 30, `${rejected.length} rejected`);
});

test('with placeholder values configured, the placeholder rules compile too', { skip }, async () => {
  const { sources } = await readRuleFiles([join(sigmaRoot, 'rules-placeholder')]);
  const names = new Set<string>();
  for (const s of sources) for (const m of s.text.matchAll(/%([A-Za-z0-9_-]+)%/g)) names.add(m[1]!);
  const placeholders = Object.fromEntries([...names].map((n) => [n, ['example']]));
  const loaded = loadRuleSet(sources, { placeholders });
  assert.deepEqual(loaded.rules.filter((r) => !r.ok).map((r) => r.reason), []);
});
