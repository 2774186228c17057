// The exec decider the exec permission worker runs: the prevention rules of the loaded content,
// compiled on that thread from a config that crossed a structured clone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createExecDecider, type ExecDeciderConfig } from '../../src/agent/exec-decider.ts';
import { preventionRulesOf } from '../../src/agent/prevention.ts';
import { loadRuleSet } from '../../src/sigma/index.ts';

const rule = (id: string, image: string, tags: string) =>
  `title: r ${id}\nid: ${id}\ntags: [${tags}]\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel: {Image|endswith: ${image}}\n  condition: sel\n`;
const prevent = '00000000-0000-4000-8000-00000000000a';
const alertOnly = '00000000-0000-4000-8000-00000000000b';
const filter = `title: builds may run it\nid: 00000000-0000-4000-8000-00000000000f\nlogsource: {product: linux}\nfilter:\n  rules: [${prevent}]\n  sel: {ParentImage: /usr/bin/make}\n  condition: sel\n`;
const unrelatedFilter = `title: other\nid: 00000000-0000-4000-8000-00000000000e\nlogsource: {product: linux}\nfilter:\n  rules: [${alertOnly}]\n  sel: {User: build}\n  condition: sel\n`;

function configOf(texts: string[], denyTags = ['ring3.prevent']): ExecDeciderConfig {
  const load = loadRuleSet(texts.map((text, i) => ({ name: `r${i}.yml`, text })));
  assert.equal(load.diagnostics.length, 0);
  // What the worker receives is a structured clone of what the agent built.
  return structuredClone({ rules: preventionRulesOf(load.parsed, denyTags), denyTags, hostName: 'h', placeholders: {} });
}

describe('exec decider', () => {
  it('denies only on a rule tagged for prevention, and keeps the filters that narrow it', () => {
    const config = configOf([rule(prevent, '/xmrig', 'ring3.prevent'), rule(alertOnly, '/nc', 'attack.t1059'), filter, unrelatedFilter]);
    assert.deepEqual(config.rules.map((r) => r.id), [prevent, '00000000-0000-4000-8000-00000000000f'], 'the tagged rule and its filter, nothing else');
    const decider = createExecDecider(config);
    assert.equal(decider.mayDeny, true);
    assert.equal(decider.readsCurrentImage, true, 'the filter reads ParentImage');
    assert.equal(createExecDecider(configOf([rule(prevent, '/xmrig', 'ring3.prevent')])).readsCurrentImage, false, 'Image alone: no need to read /proc/<pid>/exe');
    const keywords = `title: k\nid: 00000000-0000-4000-8000-0000000000c1\ntags: [ring3.prevent]\nlogsource: {product: linux, category: process_creation}\ndetection:\n  kw: [xmrig]\n  condition: kw\n`;
    assert.equal(createExecDecider(configOf([keywords])).readsCurrentImage, true, 'a keyword search reads every value');
    assert.deepEqual(decider.decide({ pid: 10, path: '/tmp/xmrig', currentImage: '/bin/sh' }), { allow: false, ruleId: prevent });
    assert.deepEqual(decider.decide({ pid: 11, path: '/tmp/xmrig', currentImage: '/usr/bin/make' }), { allow: true }, 'the filter applies');
    assert.deepEqual(decider.decide({ pid: 12, path: '/usr/bin/nc' }), { allow: true }, 'a detection without the prevention tag only alerts');
    assert.deepEqual(decider.decide({ pid: 13, path: '/usr/bin/ls' }), { allow: true });
  });

  it('does not look at execs when no rule can deny', () => {
    const decider = createExecDecider(configOf([rule(alertOnly, '/nc', 'attack.t1059')]));
    assert.equal(decider.mayDeny, false);
    assert.deepEqual(decider.decide({ pid: 1, path: '/usr/bin/nc' }), { allow: true });
    assert.equal(createExecDecider(configOf([rule(prevent, '/xmrig', 'ring3.prevent')], ['site.block'])).mayDeny, false, 'other deny tags');
  });

  it('refuses a config that is not one (the worker then allows every exec and reports it)', () => {
    assert.throws(() => createExecDecider({ rules: 'all' }), /exec decider config/);
    assert.throws(() => createExecDecider(null), /exec decider config/);
  });
});
