// `ring3 start` (npm start): starts a server and an enrolled local agent, prints the address and the
// admin token, answers /healthz, shows the host in the fleet, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'ring3-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const mainTs = new URL('../../src/cli/main.ts', import.meta.url).pathname;

describe('ring3 start', () => {
  it('runs a server and an enrolled agent until SIGTERM', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [mainTs, 'start', '--port', '0', '--heartbeat-interval', '1'], { cwd: dir, env: { ...process.env, RING3_HOME: join(dir, 'home') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => { out += t; });
    child.stderr.setEncoding('utf8').on('data', (t: string) => { err += t; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => /admin token\s+\S+/.test(out) && out.includes('try'), 30_000, () => `${out}\n${err}`);
      const url = /API\s+(http:\/\/[0-9.:]+)/.exec(out)![1]!;
      const token = /admin token\s+(\S+)/.exec(out)![1]!;
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      assert.match(out, /content ring3-starter@1\.0\.0, \d+ rules/);
      assert.match(out, /sensors\s+process (running|degraded)/);
      let hosts: { items: { hostname: string; state: string; contentVersion: string | null }[] } = { items: [] };
      await until(async () => {
        hosts = await (await fetch(`${url}/v1/admin/hosts`, { headers: { authorization: `Bearer ${token}` } })).json() as typeof hosts;
        return hosts.items.some((h) => h.state === 'online');
      }, 15_000, () => JSON.stringify(hosts));
      assert.equal(hosts.items.length, 1);
      assert.equal(hosts.items[0]!.contentVersion, '1.0.0');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 20_000).unref())]);
    assert.equal(code, 0, err);
    assert.match(out, /ring3: stopping/);
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
