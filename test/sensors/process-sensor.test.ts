// Real processes against the netlink process connector and the /proc polling fallback.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { ProcessCreationEvent, ProcessTerminationEvent, SensorEvent } from '../../src/events/index.ts';
import { createProcConnectorSensor, createProcPollSensor } from '../../src/sensors/index.ts';
import { collector, rootSkip, sleep } from './helpers.ts';

const isCreation = (e: SensorEvent): e is ProcessCreationEvent => e.kind === 'process_creation';

describe('process sensor (netlink process connector)', { skip: rootSkip }, () => {
  it('reports a fork+exec with command line, parent, user and a process key', async () => {
    const sensor = createProcConnectorSensor({ hostName: 'test-host' });
    const events = collector();
    try {
      const status = await sensor.start(events.sink);
      assert.equal(status.state, 'running', status.reason);
      // A unique sleep duration marks the process; it lives long enough for /proc to be read.
      const marker = `0.2${Math.floor(Math.random() * 1e6)}`;
      // "; :" makes the shell fork for sleep instead of exec'ing it in place.
      const shell = spawnSync('/bin/sh', ['-c', `/bin/sleep ${marker}; :`], { cwd: '/tmp' });
      assert.equal(shell.status, 0);
      const echo = (await events.waitFor((e) => isCreation(e) && e.CommandLine === `/bin/sleep ${marker}`)) as ProcessCreationEvent;
      assert.equal(echo.Image, '/usr/bin/sleep');
      assert.equal(echo.CurrentDirectory, '/tmp');
      assert.equal(echo.User, 'root');
      assert.equal(echo.host.name, 'test-host');
      assert.equal(echo.ParentImage, '/usr/bin/dash');
      assert.equal(echo.ParentCommandLine, `/bin/sh -c /bin/sleep ${marker}; :`);
      assert.equal(echo.ParentProcessId, shell.pid);
      assert.match(echo.ProcessGuid, new RegExp(`^[0-9a-f]{8}-${echo.ProcessId}-\\d+$`));
      const parent = (await events.waitFor((e) => isCreation(e) && e.ProcessId === shell.pid)) as ProcessCreationEvent;
      assert.equal(echo.ParentProcessGuid, parent.ProcessGuid);
      assert.ok(Math.abs(Date.parse(echo['@timestamp']) - Date.now()) < 10_000);
      const ended = (await events.waitFor((e) => e.kind === 'process_termination' && e.ProcessId === echo.ProcessId)) as ProcessTerminationEvent;
      assert.equal(ended.ProcessGuid, echo.ProcessGuid);
      assert.equal(ended.ExitCode, 0);
    } finally {
      await sensor.stop();
    }
    assert.equal(sensor.status().state, 'stopped');
  });

  it('keeps an exited parent resolvable for its children', async () => {
    const sensor = createProcConnectorSensor();
    const events = collector();
    try {
      await sensor.start(events.sink);
      const marker = `0.1${Math.floor(Math.random() * 1e6)}`;
      // The outer shell exits after 100 ms; the subshell execs sleep 300 ms after the start, when the
      // shell is gone, and still names it with image and command line.
      spawnSync('/bin/sh', ['-c', `(sleep 0.3; /bin/sleep ${marker}) & sleep 0.1; exit 0`]);
      const echo = (await events.waitFor((e) => isCreation(e) && e.CommandLine === `/bin/sleep ${marker}`)) as ProcessCreationEvent;
      assert.ok(echo.ParentImage, `parent image missing: ${JSON.stringify(echo)}`);
      assert.ok(echo.ParentProcessGuid);
    } finally {
      await sensor.stop();
    }
  });

  it('reports every one of a burst of short-lived processes', async () => {
    const sensor = createProcConnectorSensor();
    const events = collector();
    try {
      await sensor.start(events.sink);
      const marker = `r3burst${process.pid}`;
      const numbers = Array.from({ length: 200 }, (_, i) => i + 1).join(' ');
      spawnSync('/bin/sh', ['-c', `for i in ${numbers}; do /bin/true ${marker} $i; done`]);
      // Either its own command line or its parent's names the burst (one of them may be missing when
      // the process was gone before /proc was read); on a loaded machine the last events take a while.
      const burst = () => events.events.filter((e) => isCreation(e) && (e.CommandLine?.includes(marker) || e.ParentCommandLine?.includes(marker)) && !e.CommandLine?.includes('for i in'));
      for (let waited = 0; burst().length < 200 && waited < 15_000; waited += 50) await sleep(50);
      const seen = burst();
      assert.equal(seen.length, 200);
      // A process that exited before /proc was read is reported anyway, with what is missing said.
      for (const e of seen as ProcessCreationEvent[]) {
        if (e.CommandLine === undefined) assert.ok(e.missing.includes('CommandLine'));
      }
      assert.equal(sensor.status().drops, 0);
    } finally {
      await sensor.stop();
    }
  });
});

describe('process sensor fallback (/proc polling)', { skip: process.platform === 'linux' ? false : 'needs /proc' }, () => {
  it('reports a process that lives longer than the polling interval, and says it is degraded', async () => {
    const sensor = createProcPollSensor({ intervalMs: 50 });
    const events = collector();
    try {
      const status = await sensor.start(events.sink);
      assert.equal(status.state, 'degraded');
      assert.equal(status.source, 'proc-polling');
      assert.ok(status.misses.some((m) => m.includes('shorter than the polling interval')));
      const marker = `${Math.floor(Math.random() * 1e6) + 1000}`;
      const child = spawn('/bin/sleep', [`0.${marker}`]);
      const seen = (await events.waitFor((e) => isCreation(e) && e.ProcessId === child.pid)) as ProcessCreationEvent;
      assert.equal(seen.Image, '/usr/bin/sleep');
      assert.equal(seen.CommandLine, `/bin/sleep 0.${marker}`);
      await events.waitFor((e) => e.kind === 'process_termination' && e.ProcessId === child.pid, 5000);
    } finally {
      await sensor.stop();
    }
  });
});
