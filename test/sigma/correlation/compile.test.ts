import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compileCorrelations, correlationOnlyRuleIds } from '../../../src/sigma/correlation/index.ts';
import { correlation, knownMap, meta } from './helpers.ts';

const detections = [meta('d-fail', 'failed_login'), meta('d-ok', 'successful_login'), meta('d-net', 'new_connection')];

function compile(docs: string[]) {
  const rules = docs.map(correlation);
  return compileCorrelations(rules, knownMap(detections, rules));
}

describe('compileCorrelations', () => {
  it('resolves references by id and by name, in order', () => {
    const { compiled, diagnostics } = compile([
      'id: c1\ncorrelation: {type: temporal_ordered, rules: [failed_login, d-ok], group-by: [User], timespan: 5m}',
    ]);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(compiled[0]!.references.map((r) => r.id), ['d-fail', 'd-ok']);
    assert.deepEqual(compiled[0]!.groupFields, [['User'], ['User']]);
    assert.equal(compiled[0]!.rule.id, 'c1');
  });

  it('rejects an unknown reference alone, naming it, and keeps the other correlations', () => {
    const { compiled, diagnostics } = compile([
      'id: bad\ncorrelation: {type: event_count, rules: [failed_login, no_such_rule], timespan: 5m, condition: {gte: 2}}',
      'id: good\ncorrelation: {type: event_count, rules: [failed_login], timespan: 5m, condition: {gte: 2}}',
    ]);
    assert.deepEqual(compiled.map((c) => c.rule.id), ['good']);
    assert.equal(diagnostics.length, 1);
    assert.deepEqual({ ...diagnostics[0], message: undefined }, {
      code: 'unknown-rule-reference', message: undefined, source: 'test.yml', ruleId: 'bad', line: 1, keyPath: 'correlation.rules[1]',
    });
    assert.match(diagnostics[0]!.message, /no_such_rule/);
  });

  it('rejects the same rule referenced by its id and its name', () => {
    const { compiled, diagnostics } = compile(['id: c1\ncorrelation: {type: temporal, rules: [failed_login, d-fail], timespan: 5m}']);
    assert.equal(compiled.length, 0);
    assert.equal(diagnostics[0]!.code, 'invalid-value');
  });

  it('chains correlations, by name too', () => {
    const { compiled, diagnostics } = compile([
      'id: outer\ncorrelation: {type: temporal_ordered, rules: [many_failed, successful_login], group-by: [User], timespan: 10m}',
      'id: inner\nname: many_failed\ncorrelation: {type: event_count, rules: [failed_login], group-by: [User], timespan: 10m, condition: {gte: 3}}',
    ]);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(compiled.find((c) => c.rule.id === 'outer')!.references.map((r) => r.id), ['inner', 'd-ok']);
  });

  it('rejects correlations on a cycle, and those built on them, keeping the rest', () => {
    const { compiled, diagnostics } = compile([
      'id: self\ncorrelation: {type: event_count, rules: [self], timespan: 5m, condition: {gte: 2}}',
      'id: a\ncorrelation: {type: event_count, rules: [b], timespan: 5m, condition: {gte: 2}}',
      'id: b\ncorrelation: {type: event_count, rules: [a, failed_login], timespan: 5m, condition: {gte: 2}}',
      'id: on-top\ncorrelation: {type: event_count, rules: [a], timespan: 5m, condition: {gte: 2}}',
      'id: fine\ncorrelation: {type: event_count, rules: [failed_login], timespan: 5m, condition: {gte: 2}}',
    ]);
    assert.deepEqual(compiled.map((c) => c.rule.id), ['fine']);
    const byRule = Object.fromEntries(diagnostics.map((d) => [d.ruleId, d.code]));
    assert.deepEqual(byRule, { self: 'correlation-cycle', a: 'correlation-cycle', b: 'correlation-cycle', 'on-top': 'unknown-rule-reference' });
    assert.match(diagnostics.find((d) => d.ruleId === 'on-top')!.message, /"a", which was rejected/);
  });

  it('rejects a duplicate correlation id', () => {
    const { compiled, diagnostics } = compile([
      'id: c1\ncorrelation: {type: event_count, rules: [failed_login], timespan: 5m, condition: {gte: 2}}',
      'id: c1\ncorrelation: {type: event_count, rules: [successful_login], timespan: 5m, condition: {gte: 2}}',
    ]);
    assert.equal(compiled.length, 1);
    assert.deepEqual(diagnostics.map((d) => d.code), ['duplicate-rule-id']);
  });

  it('resolves aliases per referenced rule, falling back to the alias name', () => {
    const { compiled } = compile([`
id: c1
correlation:
  type: temporal
  rules: [failed_login, new_connection, successful_login]
  group-by: [internal_ip, User]
  timespan: 10s
  aliases:
    internal_ip:
      failed_login: destination.ip
      new_connection: source.ip
`]);
    assert.deepEqual(compiled[0]!.groupFields, [['destination.ip', 'User'], ['source.ip', 'User'], ['internal_ip', 'User']]);
  });

  it('lists the rules that only feed correlations, honouring generate', () => {
    const { compiled } = compile([
      'id: c1\ncorrelation: {type: event_count, rules: [failed_login], timespan: 5m, condition: {gte: 2}}',
      'id: c2\ncorrelation: {type: event_count, rules: [successful_login, new_connection], timespan: 5m, condition: {gte: 2}}',
      'id: c3\ncorrelation: {type: event_count, rules: [new_connection], timespan: 5m, condition: {gte: 2}, generate: true}',
      'id: c4\ncorrelation: {type: temporal, rules: [c1, c2], timespan: 5m}',
    ]);
    assert.deepEqual([...correlationOnlyRuleIds(compiled)].sort(), ['c1', 'c2', 'd-fail', 'd-ok']);
  });
});
