import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SensorEvent } from '../../src/events/index.ts';
import { createSensorRegistry, createSensors, DuplicateSensorError, withFallback, type Sensor, type SensorStatus } from '../../src/sensors/index.ts';

function fake(name: string, state: SensorStatus['state'], emit: SensorEvent[] = []): Sensor & { started: number } {
  const status: SensorStatus = { name, kind: 'process', state: 'stopped', source: `fake-${state}`, misses: [], events: 0, drops: 0, errors: 0, counters: {} };
  const sensor = {
    name, kind: 'process' as const, started: 0,
    async start(sink: (e: SensorEvent) => void) {
      sensor.started += 1;
      status.state = state;
      if (state === 'failed') status.reason = 'no interface';
      emit.forEach(sink);
      return { ...status };
    },
    async stop() {
      status.state = 'stopped';
    },
    status: () => ({ ...status }),
  };
  return sensor;
}

const event: SensorEvent = { kind: 'process_termination', '@timestamp': '2026-01-01T00:00:00Z', host: { name: 'h' }, missing: [], ProcessGuid: 'g', ProcessId: 1 };

describe('sensor registry', () => {
  it('fails loudly on a duplicate sensor name', () => {
    const registry = createSensorRegistry([fake('process', 'running')]);
    assert.throws(() => registry.register(fake('process', 'running')), DuplicateSensorError);
  });

  it('starts every sensor with one sink and counts a sink that throws instead of crashing', async () => {
    const registry = createSensorRegistry([fake('a', 'running', [event]), fake('b', 'running', [event])]);
    const statuses = await registry.startAll(() => {
      throw new Error('engine bug');
    });
    assert.deepEqual(statuses.map((s) => s.state), ['running', 'running']);
    assert.equal(registry.sinkErrors(), 2);
    await registry.stopAll();
    assert.deepEqual(registry.statuses().map((s) => s.state), ['stopped', 'stopped']);
  });
});

describe('withFallback', () => {
  it('runs the fallback when the kernel sensor fails, and reports its status', async () => {
    const primary = fake('process', 'failed');
    let reason = '';
    const sensor = withFallback(primary, (why) => {
      reason = why;
      return fake('process', 'degraded');
    });
    const status = await sensor.start(() => {});
    assert.equal(status.state, 'degraded');
    assert.equal(reason, 'fake-failed: no interface');
    assert.equal(sensor.status().source, 'fake-degraded');
  });

  it('keeps the kernel sensor when it starts', async () => {
    const sensor = withFallback(fake('process', 'running'), () => assert.fail('fallback used'));
    assert.equal((await sensor.start(() => {})).state, 'running');
  });
});

describe('createSensors', () => {
  it('refuses exec permission without a verdict port', () => {
    const result = createSensors({ execPermission: { enabled: true, mounts: ['/'] } });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.diagnostics[0]!.code, 'sensors.exec-permission.no-verdict');
  });

  it('leaves exec permission off unless enabled, and builds the configured sensors in a fixed order', () => {
    const result = createSensors({ process: {}, network: {}, file: { mounts: ['/'] }, execPermission: { mounts: ['/'] }, replay: { files: [] } });
    assert.ok(result.ok);
    assert.deepEqual(result.ok && result.sensors.map((s) => s.kind), ['process', 'file', 'network', 'replay']);
  });
});
