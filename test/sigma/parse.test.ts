// Rule shape validation: errors name the file, rule id, key path, line and reason; other rules load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRuleSet } from '../../src/sigma/index.ts';
import { load, rejection, rule } from './helpers.ts';

test('a valid rule loads with its metadata', () => {
  const loaded = load(rule('  sel:\n    Image: x\n  condition: sel', 'level: high\nstatus: test\nauthor: ring3\ntags:\n  - attack.t1059\n'));
  assert.deepEqual(loaded.rules.map((r) => r.ok), [true]);
  const meta = loaded.ruleSet.rules[0]!;
  assert.equal(meta.level, 'high');
  assert.equal(meta.author, 'ring3');
  assert.deepEqual(meta.tags, ['attack.t1059']);
});

test('missing keys are reported with the key path', () => {
  const loaded = load('title: t\nid: r1\nlogsource:\n  product: linux\n');
  const d = loaded.rules[0]!.diagnostics[0]!;
  assert.equal(d.code, 'missing-field');
  assert.equal(d.keyPath, 'detection');
  assert.equal(d.ruleId, 'r1');
  assert.equal(d.source, 'test.yml');
});

test('bad values name the field, the key path and the line', () => {
  const yaml = 'title: t\nid: r2\nlogsource:\n  product: linux\ndetection:\n  sel:\n    Image|nosuchmod: x\n  condition: sel\n';
  const loaded = load(yaml);
  const d = loaded.rules[0]!.diagnostics[0]!;
  assert.equal(d.code, 'invalid-modifier');
  assert.equal(d.keyPath, 'detection.sel.Image|nosuchmod');
  assert.match(d.message, /unknown modifier "nosuchmod"/);
});

test('invalid level and status are rejected', () => {
  assert.match(rejection(rule('  sel:\n    a: b\n  condition: sel', 'level: severe\n')) ?? '', /level: must be one of/);
  assert.match(rejection(rule('  sel:\n    a: b\n  condition: sel', 'status: nope\n')) ?? '', /status: must be one of/);
});

test('YAML syntax errors give the line', () => {
  const loaded = load('title: t\ndetection: [\n');
  assert.equal(loaded.rules[0]!.ok, false);
  assert.equal(loaded.rules[0]!.diagnostics[0]!.code, 'yaml-syntax');
  assert.ok(loaded.rules[0]!.diagnostics[0]!.line! >= 2);
});

test('multi-document files: one bad rule does not stop the others', () => {
  const good = rule('  sel:\n    Image: x\n  condition: sel').replace('11111111-1111-4111-8111-111111111111', 'good');
  const bad = rule('  sel:\n    Image|re: "(a"\n  condition: sel').replace('11111111-1111-4111-8111-111111111111', 'bad');
  const loaded = load(`${good}---\n${bad}`);
  assert.deepEqual(loaded.rules.map((r) => [r.id, r.ok]), [['good', true], ['bad', false]]);
  assert.equal(loaded.rules[1]!.line, 11); // the line after the '---' separator
  assert.equal(loaded.ruleSet.detections.length, 1);
});

test('duplicate ids: the second is rejected', () => {
  const r = rule('  sel:\n    Image: x\n  condition: sel');
  const loaded = loadRuleSet([{ name: 'a.yml', text: r }, { name: 'b.yml', text: r }]);
  assert.deepEqual(loaded.rules.map((x) => x.ok), [true, false]);
  assert.match(loaded.rules[1]!.reason!, /already used/);
});

test('unsafe and invalid regular expressions are rejected with the reason', () => {
  assert.match(rejection(rule("  sel:\n    a|re: '(a)\\1'\n  condition: sel")) ?? '', /linear time/);
  assert.match(rejection(rule("  sel:\n    a|re: '(?=x)y'\n  condition: sel")) ?? '', /linear time/);
  assert.match(rejection(rule("  sel:\n    a|re: '[z-a]'\n  condition: sel")) ?? '', /invalid regular expression/);
});

test('unresolved placeholders are rejected with that reason', () => {
  assert.match(rejection(rule("  sel:\n    User|expand: '%Admins%'\n  condition: sel")) ?? '', /placeholder %Admins% has no values/);
});

test('modifier misuse is rejected', () => {
  assert.match(rejection(rule('  sel:\n    a|contains|re: x\n  condition: sel')) ?? '', /cannot be combined/);
  assert.match(rejection(rule('  sel:\n    a|i: x\n  condition: sel')) ?? '', /sub-modifier of "re"/);
  assert.match(rejection(rule('  sel:\n    a|cidr: 10.0.0.0/33\n  condition: sel')) ?? '', /not an IPv4 or IPv6 network/);
  assert.match(rejection(rule('  sel:\n    a|gt: abc\n  condition: sel')) ?? '', /numeric/);
  assert.match(rejection(rule('  sel:\n    a|exists: maybe\n  condition: sel')) ?? '', /true or false/);
  assert.match(rejection(rule('  sel:\n    a|contains|all: x\n  condition: sel')) ?? '', /at least two/);
  assert.match(rejection(rule("  sel:\n    a|base64: 'x*'\n  condition: sel")) ?? '', /wildcards/);
  assert.match(rejection(rule('  sel:\n    a:\n      - x\n      - null\n  condition: sel')) ?? '', /null cannot be part/);
});

test('Sigma 1 rule collections are rejected with the reason', () => {
  assert.match(rejection('action: global\ntitle: t\n') ?? '', /Sigma 1/);
});

test('non-mapping documents are rejected', () => {
  assert.match(rejection('- a\n- b\n') ?? '', /must be a mapping/);
});

test('billion-laughs YAML is rejected, not expanded', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
  const loaded = load(lines.join('\n') + '\n');
  assert.equal(loaded.rules[0]!.ok, false);
});
