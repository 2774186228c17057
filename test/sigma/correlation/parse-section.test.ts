import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseCorrelationSection, parseTimespan } from '../../../src/sigma/correlation/index.ts';

const where = { source: 'rules/mr_test.yml', ruleId: 'r-1', line: 3 };

function section(yamlText: string) {
  return parseCorrelationSection(parse(yamlText), where);
}

function problems(yamlText: string) {
  const result = section(yamlText);
  assert.equal(result.ok, false, 'expected the section to be rejected');
  return result.ok ? [] : result.diagnostics.map((d) => ({ code: d.code, keyPath: d.keyPath, message: d.message }));
}

describe('parseCorrelationSection: valid sections', () => {
  it('reads every key of an event_count section', () => {
    const result = section(`
type: event_count
rules: [5638f7c0-ac70-491d-8465-2a65075e0d86, failed_login]
group-by: [ComputerName, User]
timespan: 1h
condition: { gte: 100 }
generate: true
`);
    assert.ok(result.ok);
    assert.deepEqual(result.correlation, {
      type: 'event_count',
      rules: ['5638f7c0-ac70-491d-8465-2a65075e0d86', 'failed_login'],
      groupBy: ['ComputerName', 'User'],
      timespanMs: 3_600_000,
      condition: { comparisons: [{ op: 'gte', value: 100 }], fields: [] },
      aliases: new Map(),
      generate: true,
    });
  });

  it('accepts every type, with field where the type needs one', () => {
    for (const type of ['value_count', 'value_sum', 'value_avg', 'value_percentile']) {
      const result = section(`{type: ${type}, rules: [a1], group-by: [Host], timespan: 1d, condition: {field: Bytes, gt: 5}}`);
      assert.ok(result.ok, type);
      assert.deepEqual(result.correlation.condition?.fields, ['Bytes']);
    }
    for (const type of ['temporal', 'temporal_ordered']) {
      const result = section(`{type: ${type}, rules: [a1, b2], group-by: [Host], timespan: 5m}`);
      assert.ok(result.ok, type);
      assert.equal(result.correlation.condition, null);
      assert.equal(result.correlation.generate, false);
    }
  });

  it('takes a single rule as a string, a range, a list of fields, aliases and no group-by', () => {
    const result = section(`
type: value_count
rules: failed_login
timespan: 10m
condition: { field: [User, Domain], gt: 100, lte: 200 }
aliases:
  ip:
    failed_login: source.ip
`);
    assert.ok(result.ok);
    assert.deepEqual(result.correlation.rules, ['failed_login']);
    assert.deepEqual(result.correlation.groupBy, []);
    assert.deepEqual(result.correlation.condition, { comparisons: [{ op: 'gt', value: 100 }, { op: 'lte', value: 200 }], fields: ['User', 'Domain'] });
    assert.deepEqual([...result.correlation.aliases.get('ip')!], [['failed_login', 'source.ip']]);
  });

  it('lets temporal types carry a condition on the number of rules seen', () => {
    const result = section('{type: temporal, rules: [a1, b2, c3], group-by: [User], timespan: 5m, condition: {gte: 2}}');
    assert.ok(result.ok);
    assert.deepEqual(result.correlation.condition, { comparisons: [{ op: 'gte', value: 2 }], fields: [] });
  });
});

describe('parseTimespan', () => {
  it('reads s, m, h, d, and also w and y', () => {
    assert.deepEqual(
      ['30s', '90m', '2h', '1d', '1w', '1y'].map((t) => parseTimespan(t)),
      [30_000, 5_400_000, 7_200_000, 86_400_000, 604_800_000, 31_536_000_000].map((ms) => ({ ok: true, ms })),
    );
  });

  it('refuses other forms, saying why', () => {
    for (const bad of ['5', '5 m', '5M', '1.5h', 'h', '0s', '', '-1m', 60, null]) {
      const result = parseTimespan(bad);
      assert.equal(result.ok, false, String(bad));
    }
    const result = parseTimespan('0m');
    assert.ok(!result.ok && /longer than zero/.test(result.reason));
  });
});

describe('parseCorrelationSection: malformed sections name the key and the reason', () => {
  it('a section that is not a mapping', () => {
    assert.deepEqual(problems('[a, b]').map((p) => [p.code, p.keyPath]), [['not-a-mapping', 'correlation']]);
  });

  it('carries the source, rule id and line', () => {
    const result = section('{rules: [a1], timespan: 5m}');
    assert.ok(!result.ok);
    assert.deepEqual(result.diagnostics[0], {
      code: 'missing-field', message: 'is required', source: 'rules/mr_test.yml', ruleId: 'r-1', line: 3, keyPath: 'correlation.type',
    });
  });

  const cases: [string, string, [string, string][]][] = [
    ['unknown type', '{type: event_sum, rules: [a1], timespan: 5m, condition: {gt: 1}}', [['invalid-value', 'correlation.type']]],
    ['missing rules and timespan', '{type: temporal}', [['missing-field', 'correlation.rules'], ['missing-field', 'correlation.timespan']]],
    ['bad timespan', '{type: temporal, rules: [a1], timespan: 5 minutes}', [['invalid-value', 'correlation.timespan']]],
    ['numeric timespan', '{type: temporal, rules: [a1], timespan: 300}', [['invalid-value', 'correlation.timespan']]],
    ['empty rules', '{type: temporal, rules: [], timespan: 5m}', [['invalid-value', 'correlation.rules']]],
    ['a rule that is not a string', '{type: temporal, rules: [a1, 7], timespan: 5m}', [['invalid-value', 'correlation.rules[1]']]],
    ['a rule named twice', '{type: temporal, rules: [a1, a1], timespan: 5m}', [['invalid-value', 'correlation.rules[1]']]],
    ['group-by as a string', '{type: temporal, rules: [a1], group-by: User, timespan: 5m}', [['invalid-value', 'correlation.group-by']]],
    ['group-by entry twice', '{type: temporal, rules: [a1], group-by: [U, U], timespan: 5m}', [['invalid-value', 'correlation.group-by[1]']]],
    ['missing condition', '{type: event_count, rules: [a1], timespan: 5m}', [['missing-field', 'correlation.condition']]],
    ['condition as a number', '{type: event_count, rules: [a1], timespan: 5m, condition: 10}', [['invalid-value', 'correlation.condition']]],
    ['condition value not a number', '{type: event_count, rules: [a1], timespan: 5m, condition: {gte: "10"}}', [['invalid-value', 'correlation.condition.gte']]],
    ['unknown operator', '{type: event_count, rules: [a1], timespan: 5m, condition: {ge: 10}}', [['invalid-field', 'correlation.condition.ge']]],
    ['no comparison', '{type: value_count, rules: [a1], timespan: 5m, condition: {field: User}}', [['missing-field', 'correlation.condition']]],
    ['missing field', '{type: value_sum, rules: [a1], timespan: 5m, condition: {gt: 10}}', [['missing-field', 'correlation.condition.field']]],
    ['field where none belongs', '{type: event_count, rules: [a1], timespan: 5m, condition: {gt: 1, field: User}}', [['invalid-field', 'correlation.condition.field']]],
    ['two fields to sum', '{type: value_sum, rules: [a1], timespan: 5m, condition: {gt: 1, field: [A, B]}}', [['invalid-value', 'correlation.condition.field']]],
    ['an empty range', '{type: event_count, rules: [a1], timespan: 5m, condition: {gt: 10, lt: 5}}', [['invalid-value', 'correlation.condition']]],
    ['eq and neq the same', '{type: event_count, rules: [a1], timespan: 5m, condition: {eq: 3, neq: 3}}', [['invalid-value', 'correlation.condition']]],
    ['too many distinct values', '{type: value_count, rules: [a1], timespan: 5m, condition: {field: U, gte: 1000000}}', [['limit-exceeded', 'correlation.condition.gte']]],
    ['alias for a rule not listed', '{type: temporal, rules: [a1], timespan: 5m, aliases: {ip: {b2: src}}}', [['unknown-rule-reference', 'correlation.aliases.ip.b2']]],
    ['alias field not a string', '{type: temporal, rules: [a1], timespan: 5m, aliases: {ip: {a1: [x]}}}', [['invalid-value', 'correlation.aliases.ip.a1']]],
    ['aliases as a list', '{type: temporal, rules: [a1], timespan: 5m, aliases: [ip]}', [['invalid-value', 'correlation.aliases']]],
    ['generate as a string', '{type: temporal, rules: [a1], timespan: 5m, generate: "yes"}', [['invalid-value', 'correlation.generate']]],
    ['unknown key', '{type: temporal, rules: [a1], timespan: 5m, groupby: [User]}', [['invalid-field', 'correlation.groupby']]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const found = problems(text);
      assert.deepEqual(found.map((p) => [p.code, p.keyPath]), expected, JSON.stringify(found));
      for (const p of found) assert.ok(p.message.length > 5, `a reason for ${p.keyPath}`);
    });
  }
});
