import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeHealth, type HostWindow, type JudgeInput } from '../../../../src/server/rollouts/judge/health-judge.ts';
import { defaultJudgeConfig } from '../../../../src/server/rollouts/judge/judge-config.ts';

const now = 3_600_000;

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hosts(prefix: string, count: number, seed: number, shape: Partial<{ cpu: number; alerts: number; crashes: number; quarantined: number; lastSeenAt: number }> = {}): HostWindow[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const samples = 60;
    return {
      hostId: `${prefix}${i}`, samples,
      cpuPctSum: samples * (shape.cpu ?? 5) * (0.8 + 0.4 * random()),
      rssMbSum: samples * 120 * (0.9 + 0.2 * random()),
      drops: Math.floor(random() * 20), alerts: Math.floor(samples * (shape.alerts ?? 0.5) * (0.5 + random())),
      crashes: shape.crashes ?? 0, restarts: 0, quarantinedRulesMax: shape.quarantined ?? 0,
      lastSeenAt: shape.lastSeenAt ?? now - 30_000,
    };
  });
}

function input(canary: HostWindow[], control: HostWindow[], deliveries?: JudgeInput['deliveries']): JudgeInput {
  return { now, windowStart: 0, canary, control, deliveries: deliveries ?? canary.map((h) => ({ hostId: h.hostId, deliveredAt: 0, lastSeenAt: h.lastSeenAt })) };
}

test('healthy canaries pass, with evidence for every metric and limit', () => {
  const verdict = judgeHealth(input(hosts('c', 10, 1), hosts('k', 200, 2)), defaultJudgeConfig);
  assert.equal(verdict.kind, 'pass', verdict.reasons.join('; '));
  assert.deepEqual(verdict.evidence.metrics.map((m) => m.outcome), ['pass', 'pass', 'pass', 'pass']);
  assert.equal(verdict.evidence.hardLimits.length, 5);
  assert.equal(verdict.evidence.canaryHosts, 10);
});

test('canaries that went silent after updating fail the release', () => {
  const canary = hosts('c', 10, 1);
  const deliveries = canary.map((h, i) => ({ hostId: h.hostId, deliveredAt: 0, lastSeenAt: i < 3 ? 60_000 : now - 10_000 }));
  const verdict = judgeHealth(input(canary.slice(3), hosts('k', 200, 2), deliveries), defaultJudgeConfig);
  assert.equal(verdict.kind, 'fail');
  assert.match(verdict.reasons[0]!, /silent-after-update: 3\/10 canary/);
});

test('crashes, quarantined rules and alert floods fail it', () => {
  assert.equal(judgeHealth(input(hosts('c', 10, 1, { crashes: 2 }), hosts('k', 200, 2)), defaultJudgeConfig).kind, 'fail');
  assert.equal(judgeHealth(input(hosts('c', 10, 1, { quarantined: 1 }), hosts('k', 200, 2)), defaultJudgeConfig).kind, 'fail');
  const flood = judgeHealth(input(hosts('c', 10, 1, { alerts: 40 }), hosts('k', 200, 2)), defaultJudgeConfig);
  assert.equal(flood.kind, 'fail');
  assert.ok(flood.evidence.metrics.find((m) => m.metric === 'alertsPerBeat')!.outcome === 'fail');
});

test('doubled CPU is a significant regression; a mild rise is inconclusive', () => {
  const doubled = judgeHealth(input(hosts('c', 10, 1, { cpu: 10 }), hosts('k', 200, 2)), defaultJudgeConfig);
  assert.equal(doubled.kind, 'fail');
  assert.match(doubled.reasons.join(), /cpuPct regressed/);
  const mild = judgeHealth(input(hosts('c', 10, 1, { cpu: 6.5 }), hosts('k', 200, 2)), defaultJudgeConfig);
  assert.equal(mild.kind, 'inconclusive', mild.reasons.join('; '));
});

test('too few canaries cannot pass on statistics; no control leaves hard limits only', () => {
  assert.equal(judgeHealth(input(hosts('c', 2, 1), hosts('k', 200, 2)), defaultJudgeConfig).kind, 'inconclusive');
  const last = judgeHealth(input(hosts('c', 50, 1), []), defaultJudgeConfig);
  assert.equal(last.kind, 'pass');
  assert.ok(last.evidence.metrics.every((m) => m.outcome === 'insufficient'));
  assert.equal(judgeHealth(input(hosts('c', 50, 1, { crashes: 1 }), []), defaultJudgeConfig).kind, 'fail');
});
