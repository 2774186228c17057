// Property tests on the public API: random rules and random events never make anything throw out of
// it, and matching stays within a time bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { createEvaluator, loadRuleSet } from '../../src/sigma/index.ts';

const modifiers = ['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'base64', 'base64offset', 'utf16le', 'utf16be', 'utf16',
  'wide', 'windash', 'cidr', 'exists', 'cased', 'gt', 'gte', 'lt', 'lte', 'neq', 'fieldref', 'minute', 'hour', 'day', 'week', 'month', 'year',
  'expand', 'bogus'];
const fieldNames = fc.constantFrom('Image', 'CommandLine', 'User', 'a.b', 'DestinationIp', '@timestamp', '__proto__', 'constructor', '');
const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('*', '?', '\\', '.*', '(a+)+$', '10.0.0.0/8', '%x%', '::1/128'));
const key = fc.tuple(fieldNames, fc.array(fc.constantFrom(...modifiers), { maxLength: 4 })).map(([f, ms]) => [f, ...ms].join('|'));
const selection = fc.oneof(
  fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 5 })), { maxKeys: 4 }),
  fc.array(scalar, { maxLength: 4 }),
  fc.array(fc.dictionary(key, scalar, { maxKeys: 3 }), { maxLength: 3 }),
  scalar,
);
const condition = fc.oneof(
  fc.constantFrom('sel', 'sel and not filter', '1 of sel*', 'all of them', 'not sel or (filter and sel)', '1 of x*', 'sel |', '((sel)', ''),
  fc.string({ maxLength: 40 }),
);
const ruleDoc = fc.record({
  title: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
  id: fc.uuid(),
  logsource: fc.oneof(fc.constant({ product: 'linux', category: 'process_creation' }), fc.constant({ product: 'linux' }), fc.constant('x'), fc.constant(null)),
  detection: fc.oneof(fc.record({ sel: selection, filter: selection, condition: fc.oneof(condition, fc.array(condition, { maxLength: 2 })) }), fc.constant(null), fc.string()),
  level: fc.constantFrom('low', 'high', 'bogus', undefined),
}, { requiredKeys: ['title', 'id'] });

const eventValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' },
    fc.string({ maxLength: 200 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('10.1.2.3', 'fe80::1', '2026-01-02T03:04:05Z', 'aGVsbG8='),
    fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 })),
})).value;
const event = fc.dictionary(fc.oneof(fieldNames, fc.string({ maxLength: 8 })), eventValue, { maxKeys: 8 });

test('random rules and random events: nothing throws, matching stays fast', () => {
  fc.assert(
    fc.property(fc.array(ruleDoc, { minLength: 1, maxLength: 4 }), fc.array(event, { maxLength: 10 }), (rules, events) => {
      const text = rules.map((r) => stringify(r)).join('---\n');
      const loaded = loadRuleSet([{ name: 'random.yml', text }], { placeholders: { x: ['a', 'b*'] } });
      for (const status of loaded.rules) if (!status.ok) assert.ok(status.reason && status.reason.length > 0);
      const evaluator = createEvaluator(loaded.ruleSet);
      const started = performance.now();
      events.forEach((e, i) => {
        evaluator.evaluate(e as Record<string, unknown>, { timeMs: i * 1000, eventIndex: i });
        evaluator.evaluate(e as Record<string, unknown>, { timeMs: i * 1000, eventIndex: i, logsource: { product: 'linux', category: 'process_creation' } });
      });
      assert.ok(performance.now() - started < 2000, 'matching a handful of events took over 2 s');
    }),
    { numRuns: 300 },
  );
});

test('random YAML text never throws out of loadRuleSet', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
    const loaded = loadRuleSet([{ name: 'noise.yml', text }]);
    assert.ok(Array.isArray(loaded.rules));
  }), { numRuns: 500 });
});

test('a catastrophic-backtracking regex stays linear on a huge event', () => {
  const text = stringify({ title: 'redos', id: 'redos', logsource: { product: 'linux' }, detection: { sel: { 'CommandLine|re': '^(a+)+$' }, condition: 'sel' } });
  const loaded = loadRuleSet([{ name: 'redos.yml', text }]);
  assert.equal(loaded.rules[0]!.ok, true);
  const evaluator = createEvaluator(loaded.ruleSet);
  const started = performance.now();
  evaluator.evaluate({ CommandLine: 'a'.repeat(200_000) + '!' }, { timeMs: 0, eventIndex: 0 });
  assert.ok(performance.now() - started < 2000);
});
