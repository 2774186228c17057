// `ring3 agent install | status | run` in-process: the unit and starting config, the status view, and
// what a bad config or a failed step does to the exit code.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAgentConfig } from '../../../src/agent/index.ts';
import { main } from '../../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'ring3-agent-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } }, stdin: process.stdin, cwd: dir, env: { HOME: dir, RING3_HOME: join(dir, 'home') }, now: () => new Date() });
  return { code, out, err };
}

describe('ring3 agent (CLI)', () => {
  it('install writes the systemd unit and a starting config that validates', async () => {
    const result = await run(['agent', 'install', '--unit-dir', 'units', '--config', 'etc/agent.yaml']);
    assert.equal(result.code, 0, result.err);
    const unit = readFileSync(join(dir, 'units', 'ring3-agent.service'), 'utf8');
    assert.match(unit, new RegExp(`ExecStart=\\S+node\\S* \\S+/bin/ring3\\.js agent run --config ${join(dir, 'etc/agent.yaml')}`));
    assert.match(unit, /Restart=always/);
    assert.match(result.out, /systemctl daemon-reload && systemctl enable --now ring3-agent\.service/);
    const config = parseAgentConfig(readFileSync(join(dir, 'etc/agent.yaml'), 'utf8'), 'agent.yaml', { stateDir: '/var/lib/ring3/agent', hostName: 'h' });
    assert.ok(config.ok);
    const printed = await run(['agent', 'install', '--print']);
    assert.match(printed.out, /\[Service\]/);
  });

  it('run refuses a bad config with exit 2 and says where', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'sensors:\n  file: {mounts: relative/path}\n');
    const result = await run(['agent', 'run', '--config', 'bad.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.err, /bad\.yaml:2: sensors\.file\.mounts: expected a list of strings/);
  });

  it('run names the step that failed (exit 1); status reads what a run left', async () => {
    writeFileSync(join(dir, 'replay.yaml'), `stateDir: ${join(dir, 'state')}\nsensors: {replay: {files: [${join(dir, 'events.jsonl')}]}}\n`);
    writeFileSync(join(dir, 'events.jsonl'), `${JSON.stringify({ kind: 'process_creation', '@timestamp': new Date().toISOString(), ProcessId: 5, ProcessGuid: 'g5', Image: '/usr/bin/cat', CommandLine: 'cat /etc/shadow', User: 'root' })}\n`);
    const failed = await run(['agent', 'run', '--config', 'replay.yaml', '--rules', 'missing-dir', '--log-level', 'silent']);
    assert.equal(failed.code, 1);
    assert.match(failed.err, /start-up failed at step "content"/);
    const rules = new URL('../../../content/starter/rules/', import.meta.url).pathname;
    const ok = await run(['agent', 'run', '--config', 'replay.yaml', '--rules', rules, '--until-replayed', '--log-level', 'silent']);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out.trim().split('\n').length, 1, 'one alert on standard output');
    assert.equal(JSON.parse(ok.out).rule.title, 'Password hash file read by a generic tool');
    const status = await run(['agent', 'status', '--config', 'replay.yaml']);
    assert.equal(status.code, 3, 'the agent has stopped');
    assert.match(status.out, /not running \(last seen/);
    assert.match(status.out, /rules\s+\d+ loaded/);
    assert.match(status.out, /replay\s+stopped\s+json-lines/);
    const json = await run(['agent', 'status', '--config', 'replay.yaml', '--json']);
    assert.equal(JSON.parse(json.out).alerts.total, 1);
    const none = await run(['agent', 'status', '--status-file', 'nowhere.json']);
    assert.equal(none.code, 1);
    assert.match(none.err, /no agent status at/);
  });
});
