import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { engineFor, meta, run } from './helpers.ts';

const rules = [meta('d-fail', 'failed_login'), meta('d-ok', 'successful_login')];
const docs = [
  'id: count\ncorrelation: {type: event_count, rules: [failed_login], group-by: [User], timespan: 1m, condition: {gte: 3}}',
  'id: distinct\ncorrelation: {type: value_count, rules: [failed_login], group-by: [Host], timespan: 1m, condition: {field: User, gte: 3}}',
  'id: rare\ncorrelation: {type: value_percentile, rules: [failed_login], group-by: [Host], timespan: 1h, condition: {field: User, lt: 20}}',
  'id: seq\ncorrelation: {type: temporal_ordered, rules: [failed_login, successful_login], group-by: [User], timespan: 1m}',
  'id: both\ncorrelation: {type: temporal, rules: [failed_login, successful_login], group-by: [Host], timespan: 1m}',
];
type Step = [string, Record<string, unknown>, number];

describe('bounded state', () => {
  it('evicts the least recently updated group at the cap, and counts it', () => {
    const engine = engineFor([docs[0]!], rules, { maxGroups: 3 });
    run(engine, [['d-fail', { User: 'a' }, 0], ['d-fail', { User: 'b' }, 1], ['d-fail', { User: 'c' }, 2], ['d-fail', { User: 'a' }, 3]]);
    assert.deepEqual(engine.stats(), { liveGroups: 3, evictedGroups: 0 });
    run(engine, [['d-fail', { User: 'd' }, 4]]); // b is the least recently updated
    assert.deepEqual(engine.stats(), { liveGroups: 3, evictedGroups: 1 });
    const firings = run(engine, [['d-fail', { User: 'b' }, 5], ['d-fail', { User: 'b' }, 6], ['d-fail', { User: 'a' }, 7]]);
    assert.deepEqual(firings.map((f) => f.group), [{ User: 'a' }]); // b started over; a kept its two events
    assert.deepEqual(engine.stats(), { liveGroups: 2, evictedGroups: 2 }); // c went for b
  });

  it('drops groups once their events leave the timespan', () => {
    const engine = engineFor([docs[0]!], rules);
    run(engine, Array.from({ length: 50 }, (_, i): Step => ['d-fail', { User: `u${i}` }, i / 10]));
    assert.equal(engine.stats().liveGroups, 50);
    for (let i = 0; i < 20; i++) run(engine, [['d-fail', { User: 'late' }, 120 + i]]);
    assert.deepEqual(engine.stats(), { liveGroups: 1, evictedGroups: 0 });
  });

  it('frees a group when it fires', () => {
    const engine = engineFor([docs[0]!], rules);
    run(engine, [['d-fail', { User: 'a' }, 0], ['d-fail', { User: 'a' }, 1], ['d-fail', { User: 'a' }, 2]]);
    assert.equal(engine.stats().liveGroups, 0);
  });
});

describe('exportState / importState', () => {
  const before: Step[] = [
    ['d-fail', { User: 'a', Host: 'h' }, 0], ['d-fail', { User: 'b', Host: 'h' }, 1], ['d-fail', { User: 'a', Host: 'h' }, 2],
    ['d-ok', { User: 'x', Host: 'h2' }, 3], ['d-fail', { User: 'x', Host: 'h3' }, 4],
  ];
  const after: Step[] = [
    ['d-fail', { User: 'c', Host: 'h' }, 5], ['d-fail', { User: 'a', Host: 'h' }, 6], ['d-ok', { User: 'x', Host: 'h3' }, 7],
    ['d-fail', { User: 'y', Host: 'h2' }, 8], ['d-fail', { User: 'zz', Host: 'h' }, 9],
  ];

  it('round-trips through JSON: an imported engine continues exactly like the original', () => {
    const original = engineFor(docs, rules);
    run(original, before);
    const saved = JSON.parse(JSON.stringify(original.exportState())) as unknown;
    const restored = engineFor(docs, rules);
    assert.deepEqual(restored.importState(saved), { ok: true });
    assert.deepEqual(restored.stats(), original.stats());
    const expected = run(original, after.map(([r, e, t]) => [r, e, t]));
    assert.ok(expected.length >= 4, 'the scenario fires several correlations');
    // run() numbers events from 0 again; compare everything but the indexes.
    const strip = (fs: typeof expected) => fs.map((f) => ({ rule: f.rule.id, group: f.group, value: f.value, t: f.timeMs }));
    assert.deepEqual(strip(run(restored, after)), strip(expected));
    assert.deepEqual(restored.exportState(), original.exportState());
  });

  it('refuses malformed state with where and why, keeping its own state', () => {
    const engine = engineFor(docs, rules);
    run(engine, before);
    const good = engine.exportState() as { groups: { state: Record<string, unknown> }[] };
    const statsBefore = engine.stats();
    const broken = structuredClone(good);
    broken.groups[0]!.state['times'] = ['soon'];
    const cases: [unknown, RegExp][] = [
      [null, /^state: must be an object/],
      [{ ...good, format: 'other' }, /^format:/],
      [{ ...good, version: 99 }, /^version:/],
      [{ ...good, groups: 'x' }, /^groups: must be a list/],
      [{ ...good, groups: [7] }, /^groups\[0\]: must be an object/],
      [broken, /^groups\[0\]\.state\.times: must be a list of finite numbers/],
      [{ ...good, groups: [good.groups[0], good.groups[0]] }, /^groups\[1\]: repeats/],
    ];
    for (const [state, reason] of cases) {
      const result = engine.importState(state);
      assert.equal(result.ok, false);
      assert.match(result.reason ?? '', reason);
    }
    assert.deepEqual(engine.stats(), statsBefore);
    assert.deepEqual(engine.exportState(), good);
  });

  it('drops groups of correlations that are gone after a content swap', () => {
    const engine = engineFor(docs, rules);
    run(engine, before);
    const saved = engine.exportState();
    const swapped = engineFor([docs[0]!, docs[4]!.replace('timespan: 1m', 'timespan: 2m')], rules);
    assert.deepEqual(swapped.importState(saved), { ok: true });
    const kinds = (swapped.exportState() as { groups: { rule: string }[] }).groups.map((g) => g.rule);
    assert.deepEqual([...new Set(kinds)].sort(), ['both', 'count']);
  });

  it('keeps at most its own cap of imported groups, the most recent ones', () => {
    const big = engineFor([docs[0]!], rules);
    run(big, Array.from({ length: 10 }, (_, i): Step => ['d-fail', { User: `u${i}` }, i]));
    const small = engineFor([docs[0]!], rules, { maxGroups: 4 });
    assert.deepEqual(small.importState(big.exportState()), { ok: true });
    const users = (small.exportState() as { groups: { group: { User: string } }[] }).groups.map((g) => g.group.User);
    assert.deepEqual(users, ['u6', 'u7', 'u8', 'u9']);
  });
});
