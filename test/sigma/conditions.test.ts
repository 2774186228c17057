// Condition forms, keywords and detection structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matches, rejection, rule } from './helpers.ts';

const detection = `  sel_a:\n    Image|endswith: /a\n  sel_b:\n    CommandLine|contains: b\n  filter_x:\n    User: root\n  _helper:\n    CommandLine|contains: h\n`;
const withCondition = (condition: string) => rule(`${detection}  condition: ${condition}`);
const A = { Image: '/usr/bin/a' };
const AB = { Image: '/usr/bin/a', CommandLine: 'xbx' };
const ABroot = { ...AB, User: 'root' };

const cases: [string, Record<string, unknown>, boolean][] = [
  ['sel_a', A, true],
  ['sel_a and sel_b', A, false],
  ['sel_a and sel_b', AB, true],
  ['sel_a or sel_b', { CommandLine: 'b' }, true],
  ['not sel_a', A, false],
  ['not sel_a', {}, true],
  ['sel_a and not filter_x', ABroot, false],
  ['sel_a and not filter_x', AB, true],
  // Precedence: not > and > or.
  ['sel_b or sel_a and filter_x', { CommandLine: 'b' }, true],
  ['sel_b or sel_a and filter_x', A, false],
  ['(sel_b or sel_a) and filter_x', A, false],
  ['(sel_b or sel_a) and filter_x', { ...A, User: 'root' }, true],
  ['not sel_a and sel_b', { CommandLine: 'b' }, true],
  ['not (sel_a and sel_b)', AB, false],
  ['1 of sel_*', A, true],
  ['all of sel_*', A, false],
  ['all of sel_*', AB, true],
  ['1 of sel_* and not 1 of filter_*', ABroot, false],
  ['any of sel_*', { CommandLine: 'b' }, true],
  ['all of them', AB, false], // filter_x also required; _helper is excluded
  ['all of them', ABroot, true],
  ['1 of them', { CommandLine: 'h' }, false], // only _helper matches, and it is not part of "them"
  ['_helper', { CommandLine: 'h' }, true],
  ['SEL_A', A, false],
  ['sel_a AND sel_b', AB, true],
  ['sel_a Or sel_b', { CommandLine: 'b' }, true],
  ['not not sel_a', A, true],
];

for (const [condition, event, expected] of cases) {
  test(`condition: ${condition} on ${JSON.stringify(event)}`, () => {
    if (condition === 'SEL_A') { assert.match(rejection(withCondition(condition)) ?? '', /SEL_A/); return; }
    assert.equal(matches(withCondition(condition), event), expected);
  });
}

test('a list of conditions is OR', () => {
  const yaml = rule(`${detection}  condition:\n    - sel_a and sel_b\n    - filter_x`);
  assert.equal(matches(yaml, { User: 'root' }), true);
  assert.equal(matches(yaml, A), false);
});

test('a list of maps is OR of ANDs', () => {
  const yaml = rule(`  sel:\n    - Image|endswith: /a\n      User: root\n    - CommandLine|contains: b\n  condition: sel`);
  assert.equal(matches(yaml, { Image: '/a', User: 'root' }), true);
  assert.equal(matches(yaml, { Image: '/a' }), false);
  assert.equal(matches(yaml, { CommandLine: 'b' }), true);
});

test('keywords search every value, as substrings, case-insensitively', () => {
  const yaml = rule(`  keywords:\n    - 'event::clear'\n    - 'svchost.exe -n evil'\n  condition: keywords`);
  assert.equal(matches(yaml, { Message: 'x EVENT::CLEAR y' }), true);
  assert.equal(matches(yaml, { nested: { deep: ['svchost.exe -n evil'] } }), true);
  assert.equal(matches(yaml, { Message: 'clean' }), false);
});

test('keywords with |all need every value', () => {
  const yaml = rule(`  keywords:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '\n  condition: keywords`);
  assert.equal(matches(yaml, { a: 'OabVirtualDirectory', b: 'x -externalurl y' }), true);
  assert.equal(matches(yaml, { a: 'OabVirtualDirectory' }), false);
});

test('condition errors name the problem', () => {
  assert.match(rejection(withCondition('sel_a and')) ?? '', /expected .* at the end/);
  assert.match(rejection(withCondition('(sel_a')) ?? '', /expected "\)"/);
  assert.match(rejection(withCondition('sel_a sel_b')) ?? '', /expected "and", "or"/);
  assert.match(rejection(withCondition('2 of sel_*')) ?? '', /"2 of" is not supported/);
  assert.match(rejection(withCondition('1 of nothing_*')) ?? '', /matches no search identifier/);
  assert.match(rejection(withCondition('sel_a | count() > 5')) ?? '', /correlation rule/);
});

test('hostile identifier patterns compile in linear time', () => {
  const pattern = 'a*'.repeat(40) + 'b';
  const name = 'a'.repeat(60);
  const yaml = rule(`  ${name}:\n    Image: x\n  condition: 1 of ${pattern}`);
  const started = performance.now();
  assert.match(rejection(yaml) ?? '', /matches no search identifier/);
  assert.ok(performance.now() - started < 1000);
});
