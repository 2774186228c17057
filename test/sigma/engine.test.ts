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

test('a rule is a candidate only when every one of its necessary literal sets holds', async () => {
  const { RulePlan } = await import('../../src/sigma/engine/rule-plan.ts');
  const { EventView } = await import('../../src/sigma/compile/event-view.ts');
  // Two conjuncts, two necessary sets: "microsoft corporation" occurs in every event, "\\csi.exe" rarely.
  const { ruleSet } = loadRuleSet([{ name: 'c.yml', text: 'title: c\nid: c\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Company: Microsoft Corporation\n    Image|endswith: \\csi.exe\n  condition: sel\n' }]);
  assert.equal(ruleSet.detections[0]!.needs.length, 2);
  const plan = new RulePlan(ruleSet.detections, ruleSet.fields);
  const view = new EventView();
  const candidates = (event: Record<string, unknown>) => { view.reset(event); return plan.select(view); };
  assert.equal(candidates({ Company: 'Microsoft Corporation', Image: 'C:\\Windows\\explorer.exe' }), 0);
  assert.equal(candidates({ Company: 'Other', Image: 'C:\\x\\csi.exe' }), 0);
  assert.equal(candidates({ Company: 'Microsoft Corporation', Image: 'C:\\x\\csi.exe' }), 1);
  const engine = createDetectionEngine(ruleSet);
  assert.equal(engine.match({ Company: 'Microsoft Corporation', Image: 'C:\\x\\csi.exe' }).length, 1);
});

test('one condition keeps all its necessary sets: both sides of an AND can exclude the rule', () => {
  const { ruleSet } = loadRuleSet([{ name: 'w.yml', text: 'title: w\nid: w\nlogsource:\n  product: linux\ndetection:\n  selection_a:\n    ParentImage|endswith: [/nginx, /httpd]\n  selection_b:\n    ParentCommandLine|contains|all: [/bin/java, tomcat]\n  sub:\n    Image|endswith: [/whoami, /id, /uname, /hostname, /netstat, /ifconfig]\n  condition: 1 of selection_* and sub\n' }]);
  const fields = ruleSet.detections[0]!.needs.map((alternative) => [...new Set(alternative.map((atom) => atom.field))].sort().join(','));
  assert.ok(fields.includes('Image'), `the sub-process set is kept: ${JSON.stringify(fields)}`);
  const engine = createDetectionEngine(ruleSet);
  assert.equal(engine.match({ ParentImage: '/usr/sbin/nginx', Image: '/usr/bin/id' }).length, 1);
  assert.equal(engine.match({ ParentImage: '/usr/sbin/nginx', Image: '/usr/bin/ls' }).length, 0);
});

test('values that never repeat (the memo turns itself off) are still searched, times and addresses included', () => {
  const keyword = (id: string, words: string[]) => ({ name: `${id}.yml`, text: `title: ${id}\nid: ${id}\nlogsource:\n  product: linux\ndetection:\n  keywords:\n${words.map((w) => `    - '${w}'`).join('\n')}\n  condition: keywords\n` });
  const { ruleSet } = loadRuleSet([keyword('word', ['evil']), keyword('time', ['T10:4'])]);
  const engine = createDetectionEngine(ruleSet);
  const found: string[] = [];
  // Unique values in every key: the memo turns itself off and each value is scanned directly.
  for (let i = 0; i < 6000; i++) {
    const time = new Date(Date.UTC(2026, 10, 1, 10, 0, i)).toISOString();
    const note = i === 5000 ? `an evil note ${i}` : `note ${i}`;
    for (const m of engine.match({ '@timestamp': time, note, address: `10.0.${i >> 8}.${i & 255}` }, { product: 'linux' })) found.push(`${m.rule.id}@${i}`);
  }
  const times = found.filter((f) => f.startsWith('time@'));
  assert.ok(found.includes('word@5000'), 'a unique non-numeric value still reaches the automaton');
  assert.equal(found.filter((f) => f.startsWith('word@')).length, 1);
  // One event a second from 10:00:00: those from 10:40:00 to 10:49:59 carry the numeric literal.
  assert.deepEqual(times, Array.from({ length: 600 }, (_, k) => `time@${2400 + k}`));
});

test('keywords search what happened, not the logsource object an event carries; fields may still read it', () => {
  const keywordRule = (id: string, keywords: string) =>
    `title: ${id}\nid: ${id}\nlogsource:\n  product: linux\ndetection:\n  words:\n${keywords}\n  condition: words\n`;
  const { ruleSet } = loadRuleSet([
    { name: 'k.yml', text: keywordRule('kw', "    - 'linux'") },
    // `|all` keywords go through the event's collected values rather than a search per value.
    { name: 'a.yml', text: keywordRule('kw_all', "    '|all':\n      - 'linux'\n      - 'ls'") },
    { name: 'f.yml', text: 'title: f\nid: field\nlogsource:\n  product: linux\ndetection:\n  sel:\n    logsource.product: linux\n  condition: sel\n' },
  ]);
  const engine = createDetectionEngine(ruleSet);
  const logsource = { product: 'linux', category: 'process_creation' };
  const ids = (event: Record<string, unknown>) => engine.match(event, logsource).map((m) => m.rule.id).sort();
  assert.deepEqual(ids({ logsource, CommandLine: 'ls -la' }), ['field']);
  assert.deepEqual(ids({ logsource, CommandLine: 'uname linux; ls' }), ['field', 'kw', 'kw_all']);
  assert.deepEqual(ids({ CommandLine: 'uname linux; ls' }), ['kw', 'kw_all']);
  // Only the object is the envelope: a plain value under that name is searched like any other.
  assert.deepEqual(ids({ logsource: 'linux ls' }), ['kw', 'kw_all']);
});
