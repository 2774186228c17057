// Property tests: whatever the correlation content and the event stream, the engine never throws,
// stays within the group cap and the firing bounds, and keeps to a time bound.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CorrelationRule } from '../../../src/sigma/ast.ts';
import { compileCorrelations, createCorrelationEngine, parseCorrelationSection } from '../../../src/sigma/correlation/index.ts';
import { knownMap, meta } from './helpers.ts';

const detections = [meta('d1', 'one'), meta('d2', 'two'), meta('d3', 'three')];
const where = { source: 'prop.yml', ruleId: 'p', line: 1 };
const fieldName = fc.constantFrom('User', 'Host', 'Bytes', 'source.ip', 'ip', 'Missing');

const section = fc.record({
  type: fc.constantFrom('event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile'),
  rules: fc.uniqueArray(fc.constantFrom('one', 'two', 'three', 'd1', 'c0', 'c1'), { minLength: 1, maxLength: 3 }),
  'group-by': fc.uniqueArray(fieldName, { maxLength: 3 }),
  timespan: fc.constantFrom('1s', '10s', '1m', '1h', '1d'),
  condition: fc.record({ gte: fc.integer({ min: 0, max: 6 }), lt: fc.integer({ min: 7, max: 50 }), field: fieldName }, { requiredKeys: ['gte'] }),
  aliases: fc.constant({ ip: { one: 'source.ip' } }),
}, { requiredKeys: ['type', 'rules', 'timespan'] }).map((s) => {
  // Mostly valid sections (a few invalid ones stay, to exercise rejection): drop the keys that the
  // drawn type or rules cannot take, add the ones they need.
  const fixed: Record<string, unknown> = { ...s };
  const valueType = s.type.startsWith('value_');
  if (!s.rules.includes('one')) delete fixed['aliases'];
  if (s.condition) {
    const { field, ...rest } = s.condition;
    fixed['condition'] = valueType ? { ...rest, field: field ?? 'Bytes' } : rest;
  } else if (!s.type.startsWith('temporal')) {
    fixed['condition'] = valueType ? { gte: 1, field: 'Bytes' } : { gte: 2 };
  }
  return fixed;
});

const value = fc.oneof(
  fc.constantFrom('alice', 'bob', 'carol', 'h1', 'h2', '10.0.0.1'),
  fc.integer({ min: -5, max: 2000 }),
  fc.constantFrom(null, true, '', '123', 'NaN'),
  fc.record({ ip: fc.constantFrom('10.0.0.1', '10.0.0.2') }),
  fc.double(),
);
const noise = fc.dictionary(fc.constantFrom('User', 'Host', 'Bytes', 'source', 'source.ip', 'ip', '__proto__', 'constructor'), value, { maxKeys: 3 });
// Mostly well-formed events from a few users and hosts (so that groups fill and fire), some noise.
const event = fc.tuple(
  fc.record({ User: fc.constantFrom('alice', 'bob'), Host: fc.constantFrom('h1', 'h2'), Bytes: fc.integer({ min: 0, max: 3 }), source: fc.record({ ip: fc.constantFrom('10.0.0.1', '10.0.0.2') }) }),
  fc.option(noise, { freq: 4 }),
).map(([base, extra]) => ({ ...base, ...(extra ?? {}) }));
const step = fc.record({
  ruleId: fc.constantFrom('d1', 'd2', 'd3', 'c0', 'nope'),
  event,
  // Mostly forward, sometimes late, sometimes a jump, now and then not a time at all.
  dt: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 5_000 }) }, fc.integer({ min: -20_000, max: 0 }), fc.constantFrom(3_600_000, Number.NaN)),
});

function build(sections: Record<string, unknown>[]) {
  const rules: CorrelationRule[] = [];
  sections.forEach((s, i) => {
    const parsed = parseCorrelationSection(s, where);
    if (parsed.ok) rules.push({ ...meta(`c${i}`), kind: 'correlation', correlation: parsed.correlation });
  });
  return compileCorrelations(rules, knownMap(detections, rules)).compiled;
}

describe('correlation engine properties', () => {
  it('parses anything without throwing', () => {
    fc.assert(fc.property(fc.anything(), (input) => {
      const result = parseCorrelationSection(input, where);
      assert.ok(result.ok || result.diagnostics.length > 0);
    }), { numRuns: 500 });
  });

  it('never throws, respects the group cap and the firing bounds, and stays fast', () => {
    fc.assert(fc.property(fc.array(section, { minLength: 1, maxLength: 5 }), fc.array(step, { minLength: 30, maxLength: 300, size: 'medium' }), fc.integer({ min: 1, max: 20 }), (sections, steps, maxGroups) => {
      const engine = createCorrelationEngine(build(sections), { maxGroups });
      let timeMs = 1_700_000_000_000;
      const started = performance.now();
      steps.forEach(({ ruleId, event: e, dt }, eventIndex) => {
        timeMs = Number.isNaN(dt) ? timeMs : timeMs + dt;
        for (const firing of engine.process(ruleId, e, { timeMs: Number.isNaN(dt) ? dt : timeMs, eventIndex })) {
          assert.ok(firing.eventIndexes.length <= 32);
          assert.ok(Number.isFinite(firing.value));
        }
        assert.ok(engine.stats().liveGroups <= maxGroups);
      });
      assert.ok(performance.now() - started < 1_000, 'a few hundred events take well under a second');
      const saved = JSON.parse(JSON.stringify(engine.exportState())) as unknown;
      const again = createCorrelationEngine(build(sections), { maxGroups });
      assert.deepEqual(again.importState(saved), { ok: true });
      assert.deepEqual(again.exportState(), saved);
    }), { numRuns: 200 });
  });

  it('imports anything without throwing', () => {
    const engine = createCorrelationEngine(build([{ type: 'event_count', rules: ['one'], timespan: '1m', condition: { gte: 2 } }]));
    fc.assert(fc.property(fc.anything(), (input) => {
      const result = engine.importState(input);
      assert.equal(typeof result.ok, 'boolean');
    }), { numRuns: 300 });
  });

  it('processes a long stream over many groups in bounded time and memory', () => {
    const engine = createCorrelationEngine(build([
      { type: 'value_count', rules: ['one'], 'group-by': ['Host'], timespan: '1h', condition: { field: 'User', gte: 50 } },
      { type: 'event_count', rules: ['one', 'two'], 'group-by': ['User'], timespan: '10m', condition: { gte: 1000 } },
      { type: 'value_percentile', rules: ['two'], 'group-by': ['Host'], timespan: '1d', condition: { field: 'User', lte: 1 } },
    ]), { maxGroups: 5_000 });
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) {
      engine.process(i % 3 === 0 ? 'd2' : 'd1', { Host: `h${i % 7000}`, User: `u${(i * 7919) % 20011}` }, { timeMs: i * 10, eventIndex: i });
    }
    const elapsed = performance.now() - started;
    assert.ok(engine.stats().liveGroups <= 5_000);
    assert.ok(engine.stats().evictedGroups > 0);
    assert.ok(elapsed < 10_000, `100,000 events took ${elapsed.toFixed(0)} ms`);
  });
});
