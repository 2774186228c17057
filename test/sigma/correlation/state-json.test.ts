import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { createEvaluator, loadRuleSet } from '../../../src/sigma/index.ts';
// Group values JSON cannot carry (Infinity, a bigint, an object) still export and import: found by the
// property test with a rare seed.
test('correlation state with odd group values survives a JSON round trip', () => {
  const text = [stringify({ title: 'd', id: 'd1', name: 'one', logsource: { product: 'x' }, detection: { sel: { User: 'alice' }, condition: 'sel' } }),
    stringify({ title: 'c', id: 'c1', correlation: { type: 'event_count', rules: ['one'], 'group-by': ['Host'], timespan: '1m', condition: { gte: 5 } } })].join('---\n');
  const { ruleSet } = loadRuleSet([{ name: 'x.yml', text }]);
  const ev = createEvaluator(ruleSet);
  ev.evaluate({ User: 'alice', Host: Infinity }, { timeMs: 0, eventIndex: 0 });
  ev.evaluate({ User: 'alice', Host: 10n as unknown as number }, { timeMs: 0, eventIndex: 1 });
  ev.evaluate({ User: 'alice', Host: { a: 1 } }, { timeMs: 0, eventIndex: 2 });
  const state = JSON.parse(JSON.stringify(ev.exportState()));
  const other = createEvaluator(ruleSet);
  assert.deepEqual(other.importState(state), { ok: true });
});
