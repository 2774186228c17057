import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { engineFor, meta, run } from './helpers.ts';

const failed = meta('d-fail', 'failed_login');
const web = meta('d-web', 'web_access');

function single(type: string, condition: string, groupBy = '[User]', timespan = '1m') {
  return engineFor([`id: c1\ncorrelation: {type: ${type}, rules: [failed_login], group-by: ${groupBy}, timespan: ${timespan}, condition: ${condition}}`], [failed, web]);
}

describe('event_count', () => {
  it('fires when the count in the window meets the condition, once per burst', () => {
    const engine = single('event_count', '{gte: 3}');
    const firings = run(engine, [
      ['d-fail', { User: 'a' }, 0], ['d-fail', { User: 'a' }, 10], ['d-fail', { User: 'b' }, 11],
      ['d-fail', { User: 'a' }, 20], ['d-fail', { User: 'a' }, 21], ['d-fail', { User: 'a' }, 22],
    ]);
    assert.deepEqual(firings.map((f) => ({ at: f.at, group: f.group, value: f.value, idx: f.eventIndexes, t: f.timeMs })), [
      { at: 3, group: { User: 'a' }, value: 3, idx: [0, 1, 3], t: 20_000 },
    ]);
    assert.equal(firings[0]!.type, 'event_count');
    assert.equal(firings[0]!.rule.id, 'c1');
  });

  it('forgets events older than the timespan', () => {
    const engine = single('event_count', '{gte: 3}');
    const firings = run(engine, [
      ['d-fail', { User: 'a' }, 0], ['d-fail', { User: 'a' }, 30], ['d-fail', { User: 'a' }, 60], // the first left at 60 s
      ['d-fail', { User: 'a' }, 75],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.eventIndexes]), [[3, [1, 2, 3]]]);
  });

  it('groups by several fields together, and skips events lacking one', () => {
    const engine = single('event_count', '{gte: 2}', '[User, Host]');
    const firings = run(engine, [
      ['d-fail', { User: 'a', Host: 'h1' }, 0], ['d-fail', { User: 'a', Host: 'h2' }, 1], ['d-fail', { User: 'a' }, 2],
      ['d-fail', { User: 'a', Host: null }, 3], ['d-fail', { User: 'a', Host: 'h2' }, 4],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.group]), [[4, { User: 'a', Host: 'h2' }]]);
  });

  it('reads dotted names in nested objects, and treats 7 and "7" alike', () => {
    const engine = single('event_count', '{gte: 2}', '[source.ip, Port]');
    const firings = run(engine, [['d-fail', { source: { ip: '10.0.0.1' }, Port: 7 }, 0], ['d-fail', { 'source.ip': '10.0.0.1', Port: '7' }, 1]]);
    assert.deepEqual(firings.map((f) => f.at), [1]);
  });

  it('without group-by, counts every event together', () => {
    const engine = single('event_count', '{eq: 2}', '[]');
    assert.deepEqual(run(engine, [['d-fail', {}, 0], ['d-fail', { User: 'x' }, 1]]).map((f) => f.group), [{}]);
  });

  it('supports ranges and eq/neq (evaluated as each event arrives)', () => {
    const ranged = single('event_count', '{gt: 2, lte: 3}');
    assert.deepEqual(run(ranged, Array.from({ length: 7 }, (_, i) => ['d-fail', { User: 'a' }, i] as [string, Record<string, unknown>, number])).map((f) => [f.at, f.value]), [[2, 3], [5, 3]]);
    const notTwo = single('event_count', '{neq: 1, lt: 4}');
    assert.deepEqual(run(notTwo, [['d-fail', { User: 'a' }, 0], ['d-fail', { User: 'a' }, 1]]).map((f) => f.value), [2]);
  });

  it('ignores events of rules it does not reference, and events without a finite time', () => {
    const engine = single('event_count', '{gte: 1}');
    assert.deepEqual(engine.process('d-web', { User: 'a' }, { timeMs: 0, eventIndex: 0 }), []);
    assert.deepEqual(engine.process('d-fail', { User: 'a' }, { timeMs: Number.NaN, eventIndex: 1 }), []);
    assert.equal(engine.stats().liveGroups, 0);
  });

  it('counts slightly late events as happening at the group\'s latest time, and drops events older than the window', () => {
    const engine = single('event_count', '{gte: 3}');
    const firings = run(engine, [
      ['d-fail', { User: 'a' }, 100], ['d-fail', { User: 'a' }, 95], // 5 s late: counted
      ['d-fail', { User: 'a' }, 30], // 70 s late: outside the window, dropped
      ['d-fail', { User: 'a' }, 101],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.eventIndexes, f.timeMs]), [[3, [0, 1, 3], 101_000]]);
  });
});

describe('value_count', () => {
  it('counts distinct values of the field in the window', () => {
    const engine = single('value_count', '{field: Target, gte: 3}', '[User]');
    const firings = run(engine, [
      ['d-fail', { User: 'a', Target: 'x' }, 0], ['d-fail', { User: 'a', Target: 'x' }, 1], ['d-fail', { User: 'a', Target: 'y' }, 2],
      ['d-fail', { User: 'a' }, 3], ['d-fail', { User: 'b', Target: 'z' }, 4], ['d-fail', { User: 'a', Target: 'z' }, 5],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.value, f.eventIndexes]), [[5, 3, [0, 1, 2, 5]]]);
  });

  it('expires values not seen again within the timespan', () => {
    const engine = single('value_count', '{field: Target, gte: 3}', '[User]');
    const firings = run(engine, [
      ['d-fail', { User: 'a', Target: 'x' }, 0], ['d-fail', { User: 'a', Target: 'y' }, 10],
      ['d-fail', { User: 'a', Target: 'z' }, 65], // x has expired: 2 distinct
      ['d-fail', { User: 'a', Target: 'x' }, 66],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.value]), [[3, 3]]);
  });

  it('links several fields with AND: distinct combinations', () => {
    const engine = single('value_count', '{field: [User, Domain], eq: 2}', '[]');
    const firings = run(engine, [['d-fail', { User: 'a', Domain: 'd1' }, 0], ['d-fail', { User: 'a', Domain: 'd1' }, 1], ['d-fail', { User: 'a', Domain: 'd2' }, 2]]);
    assert.deepEqual(firings.map((f) => f.at), [2]);
  });

  it('keeps a bounded number of values per group yet still compares above the threshold', () => {
    const engine = single('value_count', '{field: Target, gt: 100}', '[]', '1h');
    const steps = Array.from({ length: 5000 }, (_, i) => ['d-fail', { Target: `v${i}` }, i / 100] as [string, Record<string, unknown>, number]);
    const firings = run(engine, steps);
    assert.equal(firings.length, 49);
    assert.ok(firings.every((f) => f.value === 101 && f.eventIndexes.length <= 32));
  });
});

describe('value_sum and value_avg', () => {
  it('sums a numeric field, numeric strings included, ignoring other values', () => {
    const engine = single('value_sum', '{field: Bytes, gt: 1000}', '[User]');
    const firings = run(engine, [
      ['d-fail', { User: 'a', Bytes: 600 }, 0], ['d-fail', { User: 'a', Bytes: 'lots' }, 1], ['d-fail', { User: 'a', Bytes: true }, 2],
      ['d-fail', { User: 'a', Bytes: '300' }, 3], ['d-fail', { User: 'a', Bytes: 101 }, 4],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.value, f.eventIndexes]), [[4, 1001, [0, 3, 4]]]);
  });

  it('subtracts what leaves the window', () => {
    const engine = single('value_sum', '{field: Bytes, gte: 1000}', '[User]');
    const firings = run(engine, [['d-fail', { User: 'a', Bytes: 900 }, 0], ['d-fail', { User: 'a', Bytes: 200 }, 61], ['d-fail', { User: 'a', Bytes: 800 }, 62]]);
    assert.deepEqual(firings.map((f) => [f.at, f.value]), [[2, 1000]]);
  });

  it('averages a numeric field', () => {
    const engine = single('value_avg', '{field: Bytes, gt: 500}', '[User]');
    const firings = run(engine, [['d-fail', { User: 'a', Bytes: 100 }, 0], ['d-fail', { User: 'a', Bytes: 800 }, 1], ['d-fail', { User: 'a', Bytes: 1000 }, 2]]);
    assert.deepEqual(firings.map((f) => [f.at, f.value]), [[2, (100 + 800 + 1000) / 3]]); // 450 at the second event is not > 500
  });
});

describe('value_percentile', () => {
  it('fires on a value whose share of the group window is at most the threshold, keeping the baseline', () => {
    const engine = single('value_percentile', '{field: Image, lte: 1}', '[Host]', '1d');
    const steps: [string, Record<string, unknown>, number][] = Array.from({ length: 199 }, (_, i) => ['d-fail', { Host: 'h', Image: '/usr/bin/ls' }, i]);
    steps.push(['d-fail', { Host: 'h', Image: '/tmp/x' }, 300], ['d-fail', { Host: 'h', Image: '/tmp/y' }, 301], ['d-fail', { Host: 'other', Image: '/tmp/z' }, 302]);
    const firings = run(engine, steps);
    assert.deepEqual(firings.map((f) => [f.at, f.eventIndexes, Number(f.value.toFixed(3))]), [[199, [199], 0.5], [200, [200], 0.498]]);
  });
});
