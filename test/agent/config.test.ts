import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultAgentConfig, formatAgentDiagnostic, parseAgentConfig } from '../../src/agent/index.ts';

const defaults = { stateDir: '/var/lib/ring3/agent', hostName: 'h1' };
const problems = (text: string) => {
  const result = parseAgentConfig(text, 'agent.yaml', defaults);
  assert.equal(result.ok, false, 'expected the config to be refused');
  return result.ok ? [] : result.diagnostics.map(formatAgentDiagnostic);
};

describe('agent config', () => {
  it('defaults: process, file and network sensors on, prevention off, spool bounded', () => {
    const config = defaultAgentConfig(defaults);
    assert.equal(config.host.name, 'h1');
    assert.equal(config.sensors.process?.enabled, true);
    assert.equal(config.sensors.execPermission?.enabled, false);
    assert.equal(config.alerts.output, '-');
    assert.equal(config.alerts.spool.maxMb, 64);
    assert.equal(config.content.store, '/var/lib/ring3/agent/content');
    assert.equal(config.status.file, '/var/lib/ring3/agent/status.json');
    assert.equal(config.sensors.process?.scheduling, 'realtime');
  });

  it('the process reader\'s scheduling is realtime or nice', () => {
    const nice = parseAgentConfig('sensors: {process: {scheduling: nice}}\n', 'agent.yaml', defaults);
    assert.ok(nice.ok && nice.value.sensors.process?.scheduling === 'nice');
    assert.match(problems('sensors: {process: {scheduling: fifo}}\n').join('\n'), /sensors\.process\.scheduling/);
  });

  it('V8 helper threads are idle unless set to normal', () => {
    const config = parseAgentConfig('', 'agent.yaml', defaults);
    assert.ok(config.ok && config.value.scheduling.helperThreads === 'idle');
    const normal = parseAgentConfig('scheduling: {helperThreads: normal}\n', 'agent.yaml', defaults);
    assert.ok(normal.ok && normal.value.scheduling.helperThreads === 'normal');
    assert.match(problems('scheduling: {helperThreads: fifo}\n').join('\n'), /scheduling\.helperThreads: expected one of idle, normal/);
  });

  it('reads a full config', () => {
    const result = parseAgentConfig(`
host: {name: web-1, tags: [internal, group:web]}
stateDir: /srv/ring3
sensors:
  process: {mode: fallback, pollIntervalMs: 100}
  file: {mounts: [/], prefixes: [/etc]}
  network: {enabled: false}
  execPermission: {enabled: true, mounts: [/tmp], deadlineMs: 100}
alerts: {output: /var/log/ring3/alerts.jsonl, spool: {maxMb: 8, fsync: always}}
engine: {ruleBudgetMs: 5, sampleEvery: 10}
server: {url: https://ring3.example:7300}
`, 'agent.yaml', defaults);
    assert.ok(result.ok, result.ok ? '' : result.diagnostics.map(formatAgentDiagnostic).join('\n'));
    assert.deepEqual(result.value.host, { name: 'web-1', tags: ['internal', 'group:web'] });
    assert.equal(result.value.content.store, '/srv/ring3/content');
    assert.equal(result.value.sensors.hostName, 'web-1');
    assert.equal(result.value.sensors.process?.mode, 'fallback');
    assert.equal(result.value.sensors.execPermission?.deadlineMs, 100);
    assert.equal(result.value.alerts.spool.fsync, 'always');
    assert.equal(result.value.server.url, 'https://ring3.example:7300');
  });

  it('names file, line and key of a wrong type', () => {
    assert.deepEqual(problems('sensors:\n  file:\n    mounts: /home\n'), [
      'agent.yaml:3: sensors.file.mounts: expected a list of strings, got string "/home" (agent.config.invalid)',
    ]);
  });

  it('refuses unknown keys (a typo must not pass silently)', () => {
    const found = problems('sensors:\n  proces: {}\nalerts:\n  spool: {maxMB: 3}\n');
    assert.equal(found.length, 2);
    assert.match(found[0]!, /^agent\.yaml:2: sensors\.proces: unknown setting; expected one of process, file/);
    assert.match(found[1]!, /^agent\.yaml:4: alerts\.spool\.maxMB: unknown setting/);
  });

  it('checks ranges, choices, paths and URLs, and reports every problem at once', () => {
    const found = problems(`
engine: {sampleEvery: 0}
alerts: {spool: {fsync: sometimes}}
sensors: {execPermission: {mounts: [tmp]}, process: {mode: turbo}}
server: {url: ftp://x}
`);
    assert.equal(found.length, 5, found.join('\n'));
    assert.ok(found.some((p) => p.includes('engine.sampleEvery: expected an integer from 1 to 1000000, got number 0')));
    assert.ok(found.some((p) => p.includes('alerts.spool.fsync: expected one of always, interval, never, got string "sometimes"')));
    assert.ok(found.some((p) => p.includes('sensors.execPermission.mounts[0]: expected an absolute path, got "tmp"')));
    assert.ok(found.some((p) => p.includes('sensors.process.mode: expected one of auto, kernel, fallback')));
    assert.ok(found.some((p) => p.includes('server.url: expected an http(s) URL, got "ftp://x"')));
  });

  it('reports YAML syntax errors with their line', () => {
    const found = problems('host:\n  name: [unclosed\n');
    assert.match(found[0]!, /^agent\.yaml:\d+: not valid YAML/);
    assert.match(found[0]!, /agent\.config\.syntax/);
  });

  it('refuses a top level that is not a mapping, and an empty file means defaults', () => {
    assert.match(problems('- a\n- b\n')[0]!, /expected a mapping of settings/);
    assert.ok(parseAgentConfig('', 'agent.yaml', defaults).ok);
    assert.ok(parseAgentConfig('# only a comment\n', 'agent.yaml', defaults).ok);
  });
});
