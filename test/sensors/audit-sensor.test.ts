// The audit multicast reader against the real kernel: the test adds one execve rule for its own
// children (auditctl, Debian package "auditd"), checks that the record arrives and decodes, and
// restores the audit state it found. The sensor itself never touches rules or settings.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ProcessCreationEvent, SensorEvent } from '../../src/events/index.ts';
import { createAuditSensor, createSensorRegistry, createSensors } from '../../src/sensors/index.ts';
import { collector, rootSkip } from './helpers.ts';

const auditctl = ['/sbin/auditctl', '/usr/sbin/auditctl'].find((p) => existsSync(p));
const rule = ['-F', 'arch=b64', '-S', 'execve', '-F', `ppid=${process.pid}`, '-k', `ring3test${process.pid}`];

function skipReason(): string | false {
  if (rootSkip) return rootSkip;
  if (!auditctl) return 'auditctl is not installed (Debian package "auditd"); cannot add an execve rule';
  try {
    const status = execFileSync(auditctl, ['-s'], { encoding: 'utf8' });
    if (/enabled 2/.test(status)) return 'audit configuration is locked (enabled 2): no rule can be added';
  } catch (error) {
    return `auditctl -s failed (no kernel audit support?): ${(error as Error).message.split('\n')[0]}`;
  }
  return false;
}

const skip = skipReason();
const isCreation = (e: SensorEvent): e is ProcessCreationEvent => e.kind === 'process_creation';

describe('audit sensor (audit multicast group, read-only)', { skip }, () => {
  let wasEnabled = '0';
  before(() => {
    wasEnabled = /enabled (\d)/.exec(execFileSync(auditctl!, ['-s'], { encoding: 'utf8' }))?.[1] ?? '0';
    execFileSync(auditctl!, ['-e', '1']);
    execFileSync(auditctl!, ['-a', 'always,exit', ...rule]);
  });
  after(() => {
    spawnSync(auditctl!, ['-d', 'always,exit', ...rule]);
    spawnSync(auditctl!, ['-e', wasEnabled]);
  });

  it('decodes an execve record into a process_creation event (argv with spaces, cwd, parent)', async () => {
    const sensor = createAuditSensor({ mode: 'events', hostName: 'audit-host' });
    const events = collector();
    try {
      const status = await sensor.start(events.sink);
      assert.equal(status.state, 'running', JSON.stringify(status));
      const marker = `r3audit${Math.floor(Math.random() * 1e9)}`;
      const child = spawnSync('/bin/true', [marker, 'two words', 'q"uote'], { cwd: '/tmp' });
      const e = (await events.waitFor((x) => isCreation(x) && x.ProcessId === child.pid)) as ProcessCreationEvent;
      assert.equal(e.CommandLine, `/bin/true ${marker} two words q"uote`);
      assert.equal(e.Image, '/usr/bin/true');
      assert.equal(e.CurrentDirectory, '/tmp');
      assert.equal(e.User, 'root');
      assert.equal(e.ParentProcessId, process.pid);
      assert.equal(e.ParentImage, process.execPath);
      assert.equal(e.host.name, 'audit-host');
      const counters = sensor.status().counters;
      assert.equal(sensor.status().drops, 0);
      assert.ok((counters['execs'] ?? 0) >= 1 || sensor.status().events >= 1);
    } finally {
      await sensor.stop();
    }
    assert.equal(sensor.status().state, 'stopped');
    const after = execFileSync(auditctl!, ['-l'], { encoding: 'utf8' });
    assert.match(after, new RegExp(`ring3test${process.pid}`), 'the sensor left the rule it did not set alone');
  });

  it('supplements the process sensor: no duplicate events, audit execs counted by the join', async () => {
    const built = createSensors({ process: {}, audit: {} });
    assert.ok(built.ok);
    const registry = createSensorRegistry(built.sensors);
    const events = collector();
    try {
      const statuses = await registry.startAll(events.sink);
      assert.deepEqual(statuses.map((s) => [s.name, s.state]), [['process', 'running'], ['audit', 'running']]);
      // The join holds incomplete events only once audit has shown it delivers exec records.
      spawnSync('/bin/true', ['warm-up']);
      const auditExecs = () => registry.get('audit')!.status().counters['audit_execs'] ?? 0;
      for (let waited = 0; auditExecs() < 1 && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      assert.ok(auditExecs() >= 1);
      const marker = `r3join${Math.floor(Math.random() * 1e9)}`;
      const child = spawnSync('/bin/true', [marker], { cwd: '/tmp' });
      await events.waitFor((x) => isCreation(x) && x.ProcessId === child.pid);
      for (let waited = 0; auditExecs() < 2 && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      const mine = events.events.filter((x) => isCreation(x) && x.ProcessId === child.pid);
      assert.equal(mine.length, 1, 'one event per exec');
      assert.equal((mine[0] as ProcessCreationEvent).CommandLine, `/bin/true ${marker}`);
    } finally {
      await registry.stopAll();
    }
  });
});
