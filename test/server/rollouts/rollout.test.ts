import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRollout, step, type Rollout, type RolloutEvent, type VerdictRef } from '../../../src/server/rollouts/rollout.ts';
import { defaultRingPlan } from '../../../src/server/rollouts/ring-plan.ts';

const pass: VerdictRef = { id: 'v1', kind: 'pass', summary: 'fine' };
const failing: VerdictRef = { id: 'v2', kind: 'fail', summary: 'crashes' };
const unsure: VerdictRef = { id: 'v3', kind: 'inconclusive', summary: 'cpu ×1.3' };

function start(approvalRings: number[] = []): Rollout {
  return newRollout({ id: 'r1', version: '2', previousVersion: '1', salt: 's', plan: defaultRingPlan({ bakeSeconds: 60, approvalRings }), now: 0 }).rollout;
}

function apply(rollout: Rollout, event: RolloutEvent, now: number): Rollout {
  const result = step(rollout, event, now);
  assert.equal(result.kind, 'ok', JSON.stringify(result));
  if (result.kind !== 'ok' || result.value === null) return rollout;
  return result.value.rollout;
}

test('passing verdicts after each bake walk the release through every ring to completion', () => {
  let rollout = start();
  assert.deepEqual([rollout.phase.kind, rollout.ringIndex], ['baking', 0]);
  const midBake = step(rollout, { kind: 'judged', verdict: pass, bakeElapsed: false }, 30_000);
  assert.deepEqual(midBake, { kind: 'ok', value: null });
  for (let ring = 1; ring <= 3; ring += 1) {
    rollout = apply(rollout, { kind: 'judged', verdict: pass, bakeElapsed: true }, ring * 60_000);
    assert.deepEqual([rollout.phase.kind, rollout.ringIndex, rollout.ringStartedAt], ['baking', ring, ring * 60_000]);
  }
  const done = step(rollout, { kind: 'judged', verdict: pass, bakeElapsed: true }, 240_000);
  assert.equal(done.kind, 'ok');
  if (done.kind === 'ok' && done.value) {
    assert.equal(done.value.rollout.phase.kind, 'completed');
    assert.equal(done.value.rollout.endedAt, 240_000);
    assert.match(done.value.transition.reason, /release complete/);
    assert.equal(done.value.transition.verdictId, 'v1');
  }
});

test('a failing verdict halts at once, even mid-bake, and says it rolled back', () => {
  const rollout = apply(start(), { kind: 'judged', verdict: pass, bakeElapsed: true }, 60_000);
  const result = step(rollout, { kind: 'judged', verdict: failing, bakeElapsed: false }, 70_000);
  assert.equal(result.kind, 'ok');
  if (result.kind === 'ok' && result.value) {
    assert.deepEqual([result.value.rollout.phase.kind, result.value.rollout.ringIndex], ['halted', 1]);
    assert.match(result.value.transition.reason, /rolled back to 1/);
    assert.deepEqual(result.value.transition.from, { phase: 'baking', ring: 1 });
  }
  const after = step(apply(rollout, { kind: 'judged', verdict: failing, bakeElapsed: false }, 70_000), { kind: 'resume', reason: 'x' }, 80_000);
  assert.equal(after.kind, 'error');
});

test('inconclusive pauses; resume bakes the ring again; approve overrides the judge', () => {
  const paused = apply(start(), { kind: 'judged', verdict: unsure, bakeElapsed: true }, 60_000);
  assert.deepEqual(paused.phase, { kind: 'paused', by: 'judge' });
  const resumed = apply(paused, { kind: 'resume', reason: 'more data' }, 90_000);
  assert.deepEqual([resumed.phase.kind, resumed.ringIndex, resumed.ringStartedAt], ['baking', 0, 90_000]);
  const approved = apply(paused, { kind: 'approve', reason: 'looked at it' }, 90_000);
  assert.deepEqual([approved.phase.kind, approved.ringIndex], ['baking', 1]);
});

test('rings that need approval wait for it; operator pause cannot be approved', () => {
  let rollout = start([0, 2]);
  assert.deepEqual([rollout.phase.kind, rollout.ringIndex], ['awaiting-approval', -1]);
  rollout = apply(rollout, { kind: 'approve', reason: 'go' }, 10);
  assert.deepEqual([rollout.phase.kind, rollout.ringIndex], ['baking', 0]);
  rollout = apply(rollout, { kind: 'judged', verdict: pass, bakeElapsed: true }, 60_010);
  rollout = apply(rollout, { kind: 'judged', verdict: pass, bakeElapsed: true }, 120_010);
  assert.deepEqual([rollout.phase.kind, rollout.ringIndex], ['awaiting-approval', 1]);
  const paused = apply(rollout, { kind: 'pause', reason: 'weekend' }, 130_000);
  assert.equal(step(paused, { kind: 'approve', reason: 'x' }, 1).kind, 'error');
  assert.equal(step(paused, { kind: 'pause', reason: 'x' }, 1).kind, 'error');
  const resumed = apply(paused, { kind: 'resume', reason: 'monday' }, 140_000);
  assert.deepEqual([resumed.phase.kind, resumed.ringIndex, resumed.ringStartedAt], ['baking', 1, 140_000]);
});

test('abort and the kill switch end the rollout from any live phase', () => {
  const aborted = apply(start(), { kind: 'abort', reason: 'operator said so' }, 5);
  assert.deepEqual(aborted.phase, { kind: 'aborted', by: 'operator' });
  const killed = apply(apply(start(), { kind: 'pause', reason: 'p' }, 1), { kind: 'kill', reason: 'version 2 marked bad' }, 5);
  assert.deepEqual(killed.phase, { kind: 'aborted', by: 'kill-switch' });
  assert.equal(step(killed, { kind: 'abort', reason: 'again' }, 6).kind, 'error');
});
