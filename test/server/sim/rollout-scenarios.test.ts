// End-to-end rollouts on the fleet simulator: a real server on loopback, agents speaking HTTP, a
// simulated clock (bake times of five minutes pass in a few seconds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFailure, type Failure } from '../../../src/server/sim/failures.ts';
import { defaultScenario, runScenario } from '../../../src/server/sim/scenario.ts';
import { defaultFleetSpec } from '../../../src/server/sim/sim-fleet.ts';

function failure(text: string): Failure {
  const parsed = parseFailure(text);
  assert.equal(parsed.kind, 'ok');
  return (parsed as { kind: 'ok'; failure: Failure }).failure;
}

test('a good version goes through every ring to the whole fleet', async () => {
  // 1000 hosts: rings 1 and 2 are large enough that chance differences between hosts stay small.
  const report = await runScenario({ ...defaultScenario, bakeS: 300, version: '2.0.0', fleet: { ...defaultFleetSpec, size: 1000 } });
  assert.equal(report.outcome, 'completed', report.status.transitions.at(-1)?.reason);
  assert.equal(report.ring, 3);
  assert.equal(report.runningAtEnd, 1000);
  const passes = report.status.verdicts.filter((v) => v.kind === 'pass').map((v) => v.ring);
  assert.deepEqual(passes, [0, 1, 2, 3]);
});

test('a version that hangs production hosts halts in ring 1, within ring 1 exposure, and rolls back', async () => {
  // 1000 hosts: ring 1 (1 %) holds production hosts in all but ~1 in 20,000 draws of host ids.
  const report = await runScenario({ ...defaultScenario, bakeS: 300, version: '2.0.0', fleet: { ...defaultFleetSpec, size: 1000, failures: [failure('2.0.0:hang@env:prod')] } });
  assert.equal(report.outcome, 'halted');
  assert.equal(report.ring, 1);
  assert.ok(report.exposure.hosts <= report.allowedExposure, `${report.exposure.hosts} exposed, ring 0..1 holds ${report.allowedExposure}`);
  assert.ok(report.exposure.share < 0.05, `exposure ${report.exposure.share}`);
  // Every host that can still talk went back to the previous version; only the hung ones did not.
  assert.equal(report.runningAtEnd, report.hungHosts);
  const failed = report.status.verdicts.find((v) => v.kind === 'fail');
  assert.ok(failed);
  assert.equal(failed.evidence.hardLimits.find((c) => c.name === 'silent-after-update')?.outcome, 'fail');
  assert.match(report.status.transitions.at(-1)!.reason, /rolled back to 1\.0\.0/);
});

test('a version that crashes alpine hosts halts and rolls back once it reaches them', async () => {
  const report = await runScenario({ ...defaultScenario, bakeS: 300, version: '2.0.0', fleet: { ...defaultFleetSpec, size: 300, seed: 7, alpineShare: 0.5, failures: [failure('2.0.0:crash@distro:alpine')] } });
  assert.equal(report.outcome, 'halted');
  assert.equal(report.runningAtEnd, 0);
  assert.ok(report.status.verdicts.some((v) => v.evidence.hardLimits.some((c) => c.name === 'crashes' && c.outcome === 'fail')));
});

test('a mild CPU rise is inconclusive: the rollout pauses for a person', async () => {
  const report = await runScenario({ ...defaultScenario, bakeS: 300, version: '2.0.0', fleet: { ...defaultFleetSpec, size: 300, internalShare: 0.06, failures: [failure('2.0.0:cpu:1.4')] } });
  assert.equal(report.outcome, 'paused');
  assert.equal(report.status.by, 'judge');
  const verdict = report.status.verdicts.at(-1)!;
  assert.equal(verdict.kind, 'inconclusive');
  assert.equal(verdict.evidence.metrics.find((m) => m.metric === 'cpuPct')?.outcome, 'marginal');
});
