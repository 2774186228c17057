// Logsource routing, quarantine, and robustness of the engine's public API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDetectionEngine, loadRuleSet } from '../../src/sigma/index.ts';

const ruleFor = (id: string, logsource: string, field = 'Image') =>
  `title: ${id}\nid: ${id}\nlogsource:\n${logsource}\ndetection:\n  sel:\n    ${field}|contains: x\n  condition: sel\n`;

test('events reach only the rules whose logsource they satisfy', () => {
  const { ruleSet } = loadRuleSet([
    { name: 'p.yml', text: ruleFor('proc', '  product: linux\n  category: process_creation') },
    { name: 'f.yml', text: ruleFor('file', '  product: linux\n  category: file_event') },
    { name: 'any.yml', text: ruleFor('linux_any', '  product: linux') },
    { name: 'win.yml', text: ruleFor('win', '  product: windows\n  category: process_creation') },
  ]);
  const engine = createDetectionEngine(ruleSet);
  const ids = (logsource?: { product?: string; category?: string }) => engine.match({ Image: 'x' }, logsource).map((m) => m.rule.id).sort();
  assert.deepEqual(ids({ product: 'linux', category: 'process_creation' }), ['linux_any', 'proc']);
  assert.deepEqual(ids({ product: 'Linux', category: 'file_event' }), ['file', 'linux_any']);
  assert.deepEqual(ids({ product: 'windows', category: 'process_creation' }), ['win']);
  assert.deepEqual(ids(), ['file', 'linux_any', 'proc', 'win']);
});

test('quarantined rules are skipped and listed', () => {
  const { ruleSet } = loadRuleSet([{ name: 'p.yml', text: ruleFor('proc', '  product: linux') }]);
  const engine = createDetectionEngine(ruleSet);
  engine.quarantine('proc', 'too slow');
  assert.equal(engine.match({ Image: 'x' }).length, 0);
  assert.deepEqual(engine.quarantined(), [{ ruleId: 'proc', reason: 'too slow' }]);
});

test('odd events never throw', () => {
  const { ruleSet } = loadRuleSet([{ name: 'p.yml', text: ruleFor('proc', '  product: linux') }]);
  const engine = createDetectionEngine(ruleSet);
  const cyclic: Record<string, unknown> = { Image: 'x' };
  cyclic.self = cyclic;
  for (const event of [{}, { Image: null }, { Image: 5 }, { Image: ['x'] }, { Image: { a: 1 } }, cyclic, Object.create(null) as object,
    null as unknown as object, 'str' as unknown as object, { Image: 'x'.repeat(1_000_000) }]) {
    assert.doesNotThrow(() => engine.match(event as Record<string, unknown>));
  }
});

test('keyword search on a cyclic event terminates', () => {
  const { ruleSet } = loadRuleSet([{ name: 'k.yml', text: 'title: k\nid: k\nlogsource:\n  product: linux\ndetection:\n  keywords:\n    - zzz\n  condition: keywords\n' }]);
  const engine = createDetectionEngine(ruleSet);
  const cyclic: Record<string, unknown> = { a: 'b' };
  cyclic.self = cyclic;
  assert.equal(engine.match(cyclic).length, 0);
});

test('the prefilter learns which necessary literal is selective in the traffic', async () => {
  const { RulePlan } = await import('../../src/sigma/engine/rule-plan.ts');
  const { EventView } = await import('../../src/sigma/compile/event-view.ts');
  // "microsoft corporation" is the longer literal (chosen first), but every event carries it.
  const { ruleSet } = loadRuleSet([{ name: 'c.yml', text: 'title: c\nid: c\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Company: Microsoft Corporation\n    Image|endswith: \\csi.exe\n  condition: sel\n' }]);
  const plan = new RulePlan(ruleSet.detections, ruleSet.fields);
  const view = new EventView();
  const common = { Company: 'Microsoft Corporation', Image: 'C:\\Windows\\explorer.exe' };
  let early = 0;
  let late = 0;
  for (let i = 0; i < 3 * 2048; i++) { view.reset(common); const n = plan.select(view); if (i < 2048) early += n; else late += n; }
  assert.equal(early, 2048);
  assert.equal(late, 0);
  const engine = createDetectionEngine(ruleSet);
  assert.equal(engine.match({ Company: 'Microsoft Corporation', Image: 'C:\\x\\csi.exe' }).length, 1);
});
