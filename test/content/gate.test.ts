import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { buildPack } from '../../src/content/pack-dir.ts';
import { runGate } from '../../src/content/gate/gate.ts';
import type { GateSettings } from '../../src/content/gate/gate.ts';
import { runGateInWorker } from '../../src/content/gate/run-in-worker.ts';
import { formatGateReport } from '../../src/content/gate/report.ts';
import { starterPackDir } from '../../src/content/starter.ts';
import { tempDir, writePack, removeDir, simpleRule, simpleTests } from './helpers.ts';

// As the gate worker measures: time budgets in the thread's CPU time, not in wall time a loaded machine stretches.
const runtime = { now: () => performance.now(), cpuNow: () => { const { user, system } = process.threadCpuUsage(); return (user + system) / 1000; } };
const fast: Partial<GateSettings> = { streamSize: 2_000, rounds: 1, minMs: 50, hugeBytes: 16 * 1024 };

function gate(spec: Parameters<typeof writePack>[1], settings: Partial<GateSettings> = {}) {
  const dir = writePack(tempDir(), spec);
  try {
    const built = buildPack(dir);
    assert.ok(built.ok);
    return runGate(built.value.bytes, { mode: 'release', engineVersion: '0.1.0', ...fast, ...settings }, runtime);
  } finally {
    removeDir(dir);
  }
}

const failed = (report: ReturnType<typeof runGate>) => report.checks.filter((c) => !c.ok).map((c) => c.name);

test('the starter pack passes the release gate: every rule compiles, is tested, and survives adversarial events', () => {
  const built = buildPack(starterPackDir);
  assert.ok(built.ok, built.ok ? '' : JSON.stringify(built.diagnostics));
  const report = runGate(built.value.bytes, { mode: 'release', engineVersion: '0.1.0', ...fast }, runtime);
  assert.ok(report.ok, formatGateReport(report));
  assert.ok((report.figures.rules ?? 0) >= 30);
  assert.deepEqual(report.warnings, []);
});

test('a good pack passes', () => {
  const report = gate({ version: '1.0.0' });
  assert.ok(report.ok, formatGateReport(report));
});

test('a failing test, a rejected rule and an untested rule each fail the gate with where and why', () => {
  const id = '00000000-0000-4000-8000-000000000001';
  const report = gate({
    version: '1.0.0',
    rules: {
      'demo.yml': simpleRule(id, 'evil'),
      'broken.yml': 'title: Broken\nid: 00000000-0000-4000-8000-000000000002\nlogsource: {product: linux, category: process_creation}\ndetection:\n  selection:\n    CommandLine|nosuchmodifier: x\n  condition: selection\n',
      'untested.yml': simpleRule('00000000-0000-4000-8000-000000000003', 'other'),
    },
    tests: { 'demo.yml': `rule: ${id}\nmatch:\n  - { CommandLine: 'harmless' }\n` },
  });
  assert.deepEqual(failed(report), ['compile', 'tests']);
  const text = formatGateReport(report);
  assert.match(text, /rules\/broken\.yml:\d+: 00000000-0000-4000-8000-000000000002: Rule rejected by the engine/);
  assert.match(text, /tests\/demo\.yml:1: .*match\[0\]: the event should match the rule and does not/);
  assert.match(text, /rules\/untested\.yml:1: .*has no passing positive test/);
});

test('a pack for another engine version fails the engine check', () => {
  const report = gate({ version: '1.0.0', engine: '>=2.0.0' });
  assert.deepEqual(failed(report), ['engine']);
});

test('an event over the time budget is reported as a stall of that rule', () => {
  const report = gate({ version: '1.0.0' }, { stallMs: 0 });
  assert.deepEqual(failed(report), ['adversarial']);
  assert.match(formatGateReport(report), /Stalled on ".*": .* ms, budget 0 ms/);
});

test('throughput falling more than the allowed share below the previous version fails', () => {
  const base = buildPack(writePack(tempDir(), { version: '1.0.0' }));
  assert.ok(base.ok);
  const rules: Record<string, string> = {};
  const tests: Record<string, string> = {};
  for (let i = 0; i < 300; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    // One-character classes give the engine no literal to prefilter on, so every rule runs its regex on every event.
    const classes = [...`needle${i}`].map((c) => `[${c}]`).join('');
    rules[`r${i}.yml`] = simpleRule(id, `needle${i}`).replace(`CommandLine|contains: 'needle${i}'`, `CommandLine|re: '${classes}'`);
    tests[`r${i}.yml`] = simpleTests(id, `needle${i}`);
  }
  const report = gate({ version: '1.1.0', rules, tests }, { baseline: base.value.bytes, maxThroughputDrop: 0.2, rounds: 2 });
  const check = report.checks.find((c) => c.name === 'throughput')!;
  assert.equal(check.ok, false, check.summary);
  assert.match(check.diagnostics[0]!.message, /Throughput fell to \d+ % of the previous version's/);
});

test('the worker bounds time and memory: a gate that overruns fails with the step it reached', async () => {
  const built = buildPack(starterPackDir);
  assert.ok(built.ok);
  const slow = await runGateInWorker(built.value.bytes, { mode: 'release', engineVersion: '0.1.0' }, { timeoutMs: 200, maxOldGenerationSizeMb: 256 });
  assert.equal(slow.ok, false);
  assert.match(slow.checks[0]!.summary, /did not finish within 200 ms \(last step: /);
  const host = await runGateInWorker(built.value.bytes, { mode: 'host', engineVersion: '0.1.0' }, { timeoutMs: 60_000, maxOldGenerationSizeMb: 256 });
  assert.ok(host.ok, formatGateReport(host));
  assert.ok(!host.checks.some((c) => c.name === 'throughput'), 'the host proof does not measure throughput');
});
