import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextPollDelayMs } from '../../src/content/store/update.ts';
import { scenario } from './update-helpers.ts';

test('an update fetches, proves and swaps in the new version; the old one stays last-known-good', async (t) => {
  const s = await scenario();
  t.after(s.close);
  const outcome = await s.update();
  assert.deepEqual(outcome.kind === 'updated' && [outcome.from, outcome.to], ['demo@1.0.0', 'demo@1.1.0']);
  const status = s.store().status();
  assert.equal(status.active, 'demo@1.1.0');
  assert.equal(status.onProbation, true);
  assert.equal((await s.update()).kind, 'up-to-date');
});

test('a version that fails its proof on the host is marked bad, not retried, and a newer one is', async (t) => {
  const s = await scenario();
  t.after(s.close);
  const failing = async () => ({ ok: false as const, diagnostics: [{ code: 'proof-failed' as const, message: 'worker ran out of memory' }] });
  const refused = await s.update({ prove: failing });
  assert.ok(refused.kind === 'refused' && refused.step === 'prove');
  assert.equal(s.store().status().active, 'demo@1.0.0');
  const before = s.server.requests.length;
  const again = await s.update();
  assert.equal(again.kind, 'skipped-bad');
  assert.ok(!s.server.requests.slice(before).some((p) => p.endsWith('.r3pack')), 'a bad version is not downloaded again');
  s.publish('1.2.0');
  const newer = await s.update();
  assert.ok(newer.kind === 'updated' && newer.to === 'demo@1.2.0');
});

test('a bundle needing another engine version is refused at verify and marked bad', async (t) => {
  const s = await scenario();
  t.after(s.close);
  await s.update();
  s.publish('1.2.0', new Date(), '>=9.0.0');
  const outcome = await s.update();
  assert.ok(outcome.kind === 'refused' && outcome.step === 'verify', JSON.stringify(outcome));
  assert.match(outcome.diagnostics[0]!.message, /needs engine >=9\.0\.0; this host runs 0\.1\.0/);
  assert.equal(s.store().status().active, 'demo@1.1.0');
  assert.ok(s.store().isBad('demo@1.2.0'));
});

test('poll delays spread over interval ± jitter', () => {
  assert.equal(nextPollDelayMs(60_000, 0.2, () => 0), 48_000);
  assert.equal(nextPollDelayMs(60_000, 0.2, () => 1), 72_000);
  assert.equal(nextPollDelayMs(60_000, 0, () => 0.7), 60_000);
});

test('the real host proof: a worker proves a good version; a version that breaks only under this host\'s budget is refused and marked bad', async (t) => {
  const { createWorkerProver } = await import('../../src/content/store/prove.ts');
  const s = await scenario();
  t.after(s.close);
  const strict = await s.update({ prove: createWorkerProver({ engineVersion: '0.1.0', stallMs: 0 }) });
  assert.ok(strict.kind === 'refused' && strict.step === 'prove', JSON.stringify(strict));
  assert.match(strict.diagnostics.map((d) => d.message).join('\n'), /Stalled/);
  assert.equal(s.store().status().active, 'demo@1.0.0');
  s.publish('1.2.0');
  const proven = await s.update({ prove: createWorkerProver({ engineVersion: '0.1.0' }) });
  assert.ok(proven.kind === 'updated' && proven.to === 'demo@1.2.0' && proven.proof.tests === 2, JSON.stringify(proven));
});
