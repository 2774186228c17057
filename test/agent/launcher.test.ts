// bin/ring3.js re-executes `agent run` with the agent's V8 flags and Node's compile cache (the RSS
// budget, docs/sensors.md "Memory"); the agent must still work through it, end to end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/ring3.js', import.meta.url));
const rules = fileURLToPath(new URL('../../content/starter/rules/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ring3-launcher-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/ring3.js agent run', () => {
  it('re-executes with a compile cache and the agent still runs and alerts', () => {
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${JSON.stringify({ kind: 'process_creation', '@timestamp': new Date().toISOString(), ProcessId: 5, ProcessGuid: 'g5', Image: '/usr/bin/cat', CommandLine: 'cat /etc/shadow', User: 'root' })}\n`);
    writeFileSync(join(dir, 'agent.yaml'), `stateDir: ${join(dir, 'state')}\nsensors: {replay: {files: [${events}]}}\n`);
    const cache = join(dir, 'cache');
    const { NODE_OPTIONS: _options, NODE_DISABLE_COMPILE_CACHE: _off, ...env } = process.env;
    const run = spawnSync(process.execPath, [bin, 'agent', 'run', '--config', join(dir, 'agent.yaml'), '--rules', rules, '--until-replayed', '--no-server', '--log-level', 'silent'], {
      env: { ...env, NODE_COMPILE_CACHE: cache }, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 1, 'one alert on standard output');
    // The agent flushes the cache once started: the next start finds stripped code and bytecode.
    assert.ok(readdirSync(cache, { recursive: true }).length > 1, 'the compile cache was written');
  });
});
