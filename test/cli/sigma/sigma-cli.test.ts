// The `ring3 sigma` command-line contract, run in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../../src/cli/main.ts';

const cwd = fileURLToPath(new URL('../../fixtures/sigma/', import.meta.url));

async function run(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: (t: string) => { stderr += t; } },
    stdin: Readable.from([stdin]), cwd, env: {}, now: () => new Date(0),
  });
  return { code, stdout, stderr };
}

test('sigma check: one line per rejected rule, then the summary', async () => {
  const { code, stdout } = await run(['sigma', 'check', '--rules', 'rules.yml']);
  assert.equal(code, 0);
  const lines = stdout.trim().split('\n');
  assert.match(lines[0]!, /^rules\.yml: 6f0b1f7e-2c1a-4d55-9f0e-7a1c2b3d4e04: detection\.selection\.Image\|nosuch: unknown modifier "nosuch"/);
  assert.equal(lines[1], '4 rules: 3 ok, 1 rejected');
});

test('sigma check --strict exits 1 when a rule is rejected', async () => {
  assert.equal((await run(['sigma', 'check', '--strict', '--rules', 'rules.yml'])).code, 1);
});

test('sigma check --json: one object per rule', async () => {
  const { stdout } = await run(['sigma', 'check', '--json', '--rules', 'rules.yml']);
  const objects = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(objects.length, 4);
  assert.deepEqual(Object.keys(objects[0]), ['path', 'id', 'ok', 'reason']);
  assert.deepEqual(objects.map((o) => o.ok), [true, true, true, false]);
});

test('sigma check on a directory walks it recursively', async () => {
  const { stdout } = await run(['sigma', 'check', '--rules', '.']);
  assert.match(stdout, /4 rules: 3 ok, 1 rejected/);
});

test('sigma eval: matches, correlations, and malformed lines skipped with their line numbers', async () => {
  const { code, stdout, stderr } = await run(['sigma', 'eval', '--rules', 'rules.yml', '--events', 'events.jsonl']);
  assert.equal(code, 0);
  const out = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(out[0], { rule_id: '6f0b1f7e-2c1a-4d55-9f0e-7a1c2b3d4e01', title: 'Reverse shell through /dev/tcp', level: 'high', event_index: 0 });
  // failed_sudo feeds the correlation only (generate is false), so it does not alert on its own.
  assert.equal(out.filter((o) => o.rule_id === '6f0b1f7e-2c1a-4d55-9f0e-7a1c2b3d4e02').length, 0);
  const firing = out.find((o) => o.type === 'correlation');
  assert.equal(firing.rule_id, '6f0b1f7e-2c1a-4d55-9f0e-7a1c2b3d4e03');
  assert.deepEqual(firing.group, { User: 'mallory' });
  assert.deepEqual(firing.event_indexes, [1, 3, 6]);
  assert.match(stderr, /events\.jsonl:3: skipped: not JSON/);
  assert.match(stderr, /events\.jsonl:5: skipped: an event must be a JSON object/);
});

test('sigma eval reads standard input and honours --logsource', async () => {
  const events = '{"CommandLine":"x /dev/tcp/1.2.3.4/1"}\n';
  const linux = await run(['sigma', 'eval', '--rules', 'rules.yml', '--events', '-', '--logsource', 'linux:process_creation'], events);
  assert.equal(linux.stdout.trim().split('\n').length, 1);
  const windows = await run(['sigma', 'eval', '--rules', 'rules.yml', '--events', '-', '--logsource', 'windows:process_creation'], events);
  assert.equal(windows.stdout, '');
});

test('sigma eval with a missing events file fails with a clear error', async () => {
  const { code, stderr } = await run(['sigma', 'eval', '--rules', 'rules.yml', '--events', 'nope.jsonl']);
  assert.equal(code, 2);
  assert.match(stderr, /nope\.jsonl: cannot read events/);
});
