import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignVersion, type FleetRolloutState } from '../../../src/server/rollouts/assignment.ts';
import { newRollout } from '../../../src/server/rollouts/rollout.ts';
import { defaultRingPlan } from '../../../src/server/rollouts/ring-plan.ts';
import { parseGroupPolicy, type GroupPolicy } from '../../../src/server/rollouts/policy.ts';
import { bucketOf } from '../../../src/server/rollouts/buckets.ts';

const hour = 3_600_000;
const releases = [{ version: '1', releasedAt: 0 }, { version: '2', releasedAt: 10 * hour }];

function state(overrides: Partial<FleetRolloutState> = {}): FleetRolloutState {
  return { active: null, releases, badVersions: new Set(), policies: new Map(), ...overrides };
}

test('without a rollout, everyone follows the latest good release', () => {
  assert.deepEqual(assignVersion(state(), { hostId: 'h', tags: [], group: null }, 11 * hour), { version: '2', reason: 'latest-release', rolloutId: null, ring: null });
  assert.equal(assignVersion(state({ releases: [] }), { hostId: 'h', tags: [], group: null }, 0).version, null);
});

test('during a rollout, only hosts in exposed rings take the new version', () => {
  const rollout = newRollout({ id: 'r', version: '3', previousVersion: '2', salt: 'salt', plan: defaultRingPlan(), now: 0 }).rollout;
  const internal = assignVersion(state({ active: rollout }), { hostId: 'a', tags: ['internal'], group: null }, 0);
  assert.deepEqual([internal.version, internal.reason, internal.ring], ['3', 'rollout', 0]);
  const hosts = Array.from({ length: 1000 }, (_, i) => `h${i}`);
  const widened = { ...rollout, ringIndex: 2 };
  const onNew = hosts.filter((id) => assignVersion(state({ active: widened }), { hostId: id, tags: [], group: null }, 0).version === '3');
  assert.deepEqual(onNew, hosts.filter((id) => bucketOf('salt', id) < 10));
});

test('the kill switch takes a version away from every host, rollout or release', () => {
  const rollout = { ...newRollout({ id: 'r', version: '3', previousVersion: '2', salt: 's', plan: defaultRingPlan(), now: 0 }).rollout, ringIndex: 3 };
  assert.equal(assignVersion(state({ active: rollout, badVersions: new Set(['3']) }), { hostId: 'h', tags: [], group: null }, 0).version, '2');
  assert.equal(assignVersion(state({ badVersions: new Set(['2']) }), { hostId: 'h', tags: [], group: null }, 0).version, '1');
});

test('group policies: one release behind, or the latest once it is old enough', () => {
  const policies = new Map<string, GroupPolicy>([['db', { kind: 'one-behind' }], ['slow', { kind: 'delay', seconds: 24 * 3600 }]]);
  const rollout = { ...newRollout({ id: 'r', version: '3', previousVersion: '2', salt: 's', plan: defaultRingPlan(), now: 0 }).rollout, ringIndex: 3 };
  const s = state({ policies, active: rollout });
  assert.equal(assignVersion(s, { hostId: 'h', tags: ['internal'], group: 'db' }, 11 * hour).version, '1');
  assert.equal(assignVersion(s, { hostId: 'h', tags: [], group: 'slow' }, 11 * hour).version, '1');
  assert.equal(assignVersion(s, { hostId: 'h', tags: [], group: 'slow' }, 34 * hour).version, '2');
  assert.equal(assignVersion(s, { hostId: 'h', tags: [], group: 'other' }, 11 * hour).version, '3');
});

test('policies parse from their text and JSON forms', () => {
  assert.deepEqual(parseGroupPolicy('delay:6h'), { kind: 'ok', value: { kind: 'delay', seconds: 21_600 } });
  assert.deepEqual(parseGroupPolicy({ kind: 'one-behind' }), { kind: 'ok', value: { kind: 'one-behind' } });
  assert.equal(parseGroupPolicy('delay:soon').kind, 'error');
  assert.equal(parseGroupPolicy('latest').kind, 'error');
  assert.equal(parseGroupPolicy({ kind: 'delay', seconds: -1 }).kind, 'error');
});
