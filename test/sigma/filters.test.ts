// Filter rules apply as AND NOT to the rules they name (by id or by name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDetectionEngine } from '../../src/sigma/index.ts';
import { load, rule } from './helpers.ts';

const base = rule('  sel:\n    Image|endswith: /curl\n  condition: sel', 'name: curl_use\n');
const filter = (ref: string) => `title: allow the updater\nid: f1\nlogsource:\n  product: linux\nfilter:\n  rules:\n    - ${ref}\n  selection:\n    User: updater\n  condition: selection\n`;

for (const ref of ['11111111-1111-4111-8111-111111111111', 'curl_use']) {
  test(`a filter referenced by ${ref.length > 10 ? 'id' : 'name'} suppresses matches`, () => {
    const loaded = load(`${base}---\n${filter(ref)}`);
    assert.deepEqual(loaded.rules.map((r) => r.ok), [true, true]);
    const engine = createDetectionEngine(loaded.ruleSet);
    assert.equal(engine.match({ Image: '/usr/bin/curl', User: 'updater' }).length, 0);
    assert.equal(engine.match({ Image: '/usr/bin/curl', User: 'alice' }).length, 1);
  });
}

test('a filter naming no loaded rule is rejected with the reason', () => {
  const loaded = load(`${base}---\n${filter('nope')}`);
  assert.equal(loaded.rules[1]!.ok, false);
  assert.match(loaded.rules[1]!.reason!, /refers to no loaded rule/);
});
