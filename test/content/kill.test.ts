// kill -9 at every step of an update (download, verify, stage, prove, swap, and at random moments):
// after a restart the store runs the old version or the new one, never a mix and never nothing, and
// the next update completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scenario } from './update-helpers.ts';
import type { Scenario } from './update-helpers.ts';
import { decodeBundle } from '../../src/content/bundle.ts';

const child = fileURLToPath(new URL('./fixtures/update-child.ts', import.meta.url));

/** Starts the child; kills it with SIGKILL when `killWhen` says so for a line of its output. */
function runChild(s: Scenario, pauseAt: string, killWhen: (line: string) => boolean, killAfterMs?: number): Promise<{ killed: boolean; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, s.storeDir, s.server.metadataUrl, s.server.targetsUrl, pauseAt], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let killed = false;
    const kill = () => { if (!killed) { killed = true; proc.kill('SIGKILL'); } };
    if (killAfterMs !== undefined) setTimeout(kill, killAfterMs);
    let buffer = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        lines.push(line);
        if (killWhen(line)) kill();
      }
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => resolve({ killed: signal === 'SIGKILL', lines }));
  });
}

function assertOldOrNew(s: Scenario): string {
  const loaded = s.store().load(new Date());
  assert.ok(loaded.ok, 'the store always has content to run');
  const { ref, bytes, pack } = loaded.value;
  assert.ok(['demo@1.0.0', 'demo@1.1.0'].includes(ref.id), ref.id);
  assert.equal(`${pack.manifest.name}@${pack.manifest.version}`, ref.id, 'the bundle on disk is the version the state names');
  assert.ok(decodeBundle(bytes).ok);
  return ref.id;
}

for (const step of ['download', 'verify', 'stage', 'prove', 'swap']) {
  test(`kill -9 at ${step}: the old version runs after restart, and the next update completes`, async (t) => {
    const s = await scenario();
    t.after(s.close);
    const run = await runChild(s, step, (line) => line === `STEP ${step}`);
    assert.ok(run.killed, run.lines.join('|'));
    assert.equal(assertOldOrNew(s), 'demo@1.0.0');
    const resumed = await runChild(s, 'never', () => false);
    assert.ok(resumed.lines.includes('DONE updated'), resumed.lines.join('|'));
    assert.equal(assertOldOrNew(s), 'demo@1.1.0');
  });
}

test('kill -9 at random moments of an update: always old or new, never a mix or nothing', async (t) => {
  const s = await scenario();
  t.after(s.close);
  const seen = new Set<string>();
  // Child start-up takes most of the time; the delays sweep the update itself.
  for (const delay of [150, 220, 260, 290, 320, 350, 400, 480]) {
    await runChild(s, 'never', () => false, delay);
    seen.add(assertOldOrNew(s));
  }
  const finished = await runChild(s, 'never', () => false);
  assert.ok(finished.lines.some((l) => l.startsWith('DONE')), finished.lines.join('|'));
  assert.equal(assertOldOrNew(s), 'demo@1.1.0');
});

test('kill -9 right after the swap: the new version runs after restart', async (t) => {
  const s = await scenario();
  t.after(s.close);
  const run = await runChild(s, 'never', (line) => line.startsWith('DONE'));
  assert.ok(run.lines.includes('DONE updated'));
  assert.equal(assertOldOrNew(s), 'demo@1.1.0');
});
