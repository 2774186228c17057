import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { engineFor, meta, run } from './helpers.ts';

const recon = [meta('d-a', 'recon_a'), meta('d-b', 'recon_b'), meta('d-c', 'recon_c')];

function temporal(type: string, extra = '') {
  return engineFor([`id: c1\ncorrelation: {type: ${type}, rules: [recon_a, recon_b, recon_c], group-by: [User], timespan: 5m${extra}}`], recon);
}

describe('temporal', () => {
  it('fires when every referenced rule was seen in the window, in any order', () => {
    const engine = temporal('temporal');
    const firings = run(engine, [
      ['d-c', { User: 'u' }, 0], ['d-a', { User: 'u' }, 10], ['d-a', { User: 'v' }, 11], ['d-a', { User: 'u' }, 12], ['d-b', { User: 'u' }, 20],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.value, f.eventIndexes, f.group]), [[4, 3, [0, 3, 4], { User: 'u' }]]);
  });

  it('needs them within the timespan', () => {
    const engine = temporal('temporal');
    assert.deepEqual(run(engine, [['d-a', { User: 'u' }, 0], ['d-b', { User: 'u' }, 100], ['d-c', { User: 'u' }, 300]]), []);
    assert.equal(run(engine, [['d-a', { User: 'u' }, 301]]).length, 1);
  });

  it('applies a condition to the number of distinct rules seen', () => {
    const engine = temporal('temporal', ', condition: {gte: 2}');
    const firings = run(engine, [['d-a', { User: 'u' }, 0], ['d-a', { User: 'u' }, 1], ['d-c', { User: 'u' }, 2]]);
    assert.deepEqual(firings.map((f) => [f.at, f.value]), [[2, 2]]);
  });
});

describe('temporal_ordered', () => {
  it('fires only when the rules are seen in the given order', () => {
    const engine = temporal('temporal_ordered');
    const firings = run(engine, [
      ['d-c', { User: 'u' }, 0], ['d-b', { User: 'u' }, 1], ['d-a', { User: 'u' }, 2], // wrong order: nothing
      ['d-b', { User: 'u' }, 3], ['d-c', { User: 'u' }, 4],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.value, f.eventIndexes]), [[4, 3, [2, 3, 4]]]);
  });

  it('uses the latest start, so a fresh first step can still complete in time', () => {
    const engine = temporal('temporal_ordered');
    const firings = run(engine, [
      ['d-a', { User: 'u' }, 0], ['d-a', { User: 'u' }, 200], ['d-b', { User: 'u' }, 310], ['d-c', { User: 'u' }, 320],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.eventIndexes]), [[3, [1, 2, 3]]]);
  });

  it('does not complete when the first step left the window', () => {
    const engine = temporal('temporal_ordered');
    assert.deepEqual(run(engine, [['d-a', { User: 'u' }, 0], ['d-b', { User: 'u' }, 100], ['d-c', { User: 'u' }, 300]]), []);
  });

  it('with a condition, counts the ordered prefix seen', () => {
    const engine = temporal('temporal_ordered', ', condition: {eq: 2}');
    const firings = run(engine, [['d-b', { User: 'u' }, 0], ['d-a', { User: 'u' }, 1], ['d-b', { User: 'u' }, 2]]);
    assert.deepEqual(firings.map((f) => [f.at, f.value]), [[2, 2]]);
  });
});

describe('aliases', () => {
  it('group events of different rules by differently named fields', () => {
    const engine = engineFor([`
id: c1
correlation:
  type: temporal
  rules: [internal_error, new_network_connection]
  group-by: [internal_ip, remote_ip]
  timespan: 10s
  aliases:
    internal_ip:
      internal_error: destination.ip
      new_network_connection: source.ip
    remote_ip:
      internal_error: source.ip
      new_network_connection: destination.ip
`], [meta('d-err', 'internal_error'), meta('d-net', 'new_network_connection')]);
    const firings = run(engine, [
      ['d-err', { source: { ip: '8.8.8.8' }, destination: { ip: '10.0.0.5' } }, 0],
      ['d-net', { source: { ip: '10.0.0.9' }, destination: { ip: '8.8.8.8' } }, 1], // another internal host
      ['d-net', { source: { ip: '10.0.0.5' }, destination: { ip: '8.8.8.8' } }, 2],
    ]);
    assert.deepEqual(firings.map((f) => [f.at, f.group, f.eventIndexes]), [[2, { internal_ip: '10.0.0.5', remote_ip: '8.8.8.8' }, [0, 2]]]);
  });
});

describe('chaining', () => {
  const rules = [meta('d-fail', 'failed_login'), meta('d-ok', 'successful_login')];
  const docs = [
    'id: outer\ncorrelation: {type: temporal_ordered, rules: [many_failed, successful_login], group-by: [User], timespan: 10m}',
    // The inner correlation groups by host; the outer one still groups by user, as in the specification.
    'id: inner\nname: many_failed\ncorrelation: {type: event_count, rules: [failed_login], group-by: [Computer], timespan: 10m, condition: {gte: 3}}',
  ];

  it('feeds a firing to the correlations that reference it, and returns both', () => {
    const engine = engineFor(docs, rules);
    const firings = run(engine, [
      ['d-fail', { User: 'u', Computer: 'h' }, 0], ['d-ok', { User: 'u', Computer: 'h' }, 1],
      ['d-fail', { User: 'u', Computer: 'h' }, 2], ['d-fail', { User: 'u', Computer: 'h' }, 3],
      ['d-ok', { User: 'w', Computer: 'h' }, 4], ['d-ok', { User: 'u', Computer: 'h' }, 5],
    ]);
    assert.deepEqual(firings.map((f) => [f.rule.id, f.at, f.group, f.eventIndexes]), [
      ['inner', 3, { Computer: 'h' }, [0, 2, 3]],
      ['outer', 5, { User: 'u' }, [0, 2, 3, 5]],
    ]);
  });

  it('a chain stops at an inner firing that cannot be grouped', () => {
    const engine = engineFor(docs, rules);
    const firings = run(engine, [['d-fail', { Computer: 'h' }, 0], ['d-fail', { Computer: 'h' }, 1], ['d-fail', { Computer: 'h' }, 2], ['d-ok', { User: 'u' }, 3]]);
    assert.deepEqual(firings.map((f) => f.rule.id), ['inner']);
  });
});
