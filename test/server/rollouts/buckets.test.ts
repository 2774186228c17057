import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bucketOf, ringOfHost } from '../../../src/server/rollouts/buckets.ts';
import { defaultRingPlan, parseRingPlan } from '../../../src/server/rollouts/ring-plan.ts';

test('a host keeps its bucket: once in a ring, it is in every wider ring', () => {
  fc.assert(fc.property(fc.string(), fc.string({ minLength: 1 }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (salt, hostId, narrow, extra) => {
    const wide = Math.min(100, narrow + extra);
    const bucket = bucketOf(salt, hostId);
    assert.ok(bucket >= 0 && bucket < 100);
    if (bucket < narrow) assert.ok(bucket < wide);
  }));
});

test('buckets spread evenly, and the salt picks a different 1 %', () => {
  const hosts = Array.from({ length: 20_000 }, (_, i) => `host-${i}`);
  const inOnePercent = hosts.filter((h) => bucketOf('release-a', h) < 1);
  const inTenPercent = hosts.filter((h) => bucketOf('release-a', h) < 10);
  assert.ok(inOnePercent.length > 140 && inOnePercent.length < 260, `${inOnePercent.length}`);
  assert.ok(inTenPercent.length > 1800 && inTenPercent.length < 2200, `${inTenPercent.length}`);
  const otherSalt = new Set(hosts.filter((h) => bucketOf('release-b', h) < 1));
  const overlap = inOnePercent.filter((h) => otherSalt.has(h)).length;
  assert.ok(overlap < inOnePercent.length / 4, `overlap ${overlap}`);
});

test('ring 0 is the internal tag; the rest are cumulative percentages', () => {
  const plan = defaultRingPlan();
  assert.equal(ringOfHost(plan, { hostId: 'x', tags: ['internal'] }, 's'), 0);
  const hosts = Array.from({ length: 2000 }, (_, i) => ({ hostId: `h${i}`, tags: [] }));
  const rings = hosts.map((h) => ringOfHost(plan, h, 's'));
  assert.ok(rings.every((r) => r >= 1 && r <= 3));
  assert.ok(rings.filter((r) => r === 3).length > 1700);
});

test('plans from outside are validated with where and why', () => {
  const bad = parseRingPlan({ rings: [{ selector: { kind: 'percent', percent: 10 }, bakeSeconds: 1 }, { selector: { kind: 'percent', percent: 5 }, bakeSeconds: 1 }] });
  assert.equal(bad.kind, 'error');
  if (bad.kind === 'error') assert.equal(bad.diagnostics[0]!.where, 'plan.rings[1].selector.percent');
  const noEnd = parseRingPlan({ rings: [{ selector: { kind: 'tag', tag: 'internal' }, bakeSeconds: 1 }] });
  assert.equal(noEnd.kind, 'error');
  const good = parseRingPlan({ rings: [{ selector: { kind: 'tag', tag: 'internal' }, bakeSeconds: 5, requireApproval: true }, { selector: { kind: 'percent', percent: 100 }, bakeSeconds: 0 }] });
  assert.equal(good.kind, 'ok');
  if (good.kind === 'ok') assert.deepEqual(good.value.rings.map((r) => [r.name, r.requireApproval]), [['ring 0', true], ['ring 1', false]]);
  assert.equal(parseRingPlan('nope').kind, 'error');
});
