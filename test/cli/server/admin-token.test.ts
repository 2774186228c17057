// `ring3 server admin-token rotate` in-process against a real server on loopback: the token file
// the CLI read is rewritten, the CLI keeps working with it, and the old token is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { useCliServer } from './cli-server.ts';
import { runServerCommand, type ServerRunOptions } from '../../../src/cli/server/run.ts';
import { createAdminClient } from '../../../src/server/index.ts';

describe('ring3 server admin-token rotate', () => {
  const cli = useCliServer();
  const ring3 = cli.ring3;

  it('prints the new token once, rewrites the token file (mode 600), and the old token stops working', async () => {
    const old = cli.server.createdAdminToken!;
    const rotated = await ring3('server', 'admin-token', 'rotate', '--note', 'monthly');
    assert.equal(rotated.code, 0, rotated.err);
    const token = rotated.out.trim();
    assert.match(token, /^r3a\./);
    assert.match(rotated.err, /the token used stopped working; written to .*admin-token/);
    assert.equal(readFileSync(cli.server.adminTokenFile, 'utf8').trim(), token);
    assert.equal(statSync(cli.server.adminTokenFile).mode & 0o777, 0o600);
    assert.equal((await ring3('fleet', 'ls', '--json')).code, 0);
    const refused = await createAdminClient({ baseUrl: cli.server.url, adminToken: old }).listHosts();
    assert.equal(refused.kind === 'refused' && refused.status, 401);
    // /metrics takes an admin token.
    const metrics = await fetch(`${cli.server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(metrics.status, 200);
    assert.equal((await fetch(`${cli.server.url}/metrics`)).status, 401);
  });
});

describe('ring3 server run --metrics-token-file', () => {
  const base: ServerRunOptions = { host: '127.0.0.1', port: '0', logLevel: 'error', heartbeatInterval: '60' };

  async function run(options: Partial<ServerRunOptions>, env: Record<string, string>, whileUp: (url: string) => Promise<void> = async () => {}) {
    const home = mkdtempSync(join(tmpdir(), 'ring3-cli-'));
    let err = '';
    let resolveUp: (url: string) => void = () => {};
    const up = new Promise<string>((resolve) => { resolveUp = resolve; });
    const context = {
      stdout: { write: () => true }, stderr: { write: (t: string) => { err += t; const m = /listening on (\S+)/.exec(t); if (m) resolveUp(m[1]!); return true; } },
      stdin: process.stdin, cwd: home, env: { RING3_HOME: home, ...env }, now: () => new Date(),
    } as unknown as Parameters<typeof runServerCommand>[1];
    try {
      let stop: () => void = () => {};
      const until = new Promise<void>((resolve) => { stop = resolve; });
      const running = runServerCommand({ ...base, ...options }, context, until);
      const first = await Promise.race([up, running]);
      if (typeof first === 'number') return { code: first, err };
      await whileUp(first);
      stop();
      return { code: await running, err };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  it('a metrics token opens /metrics only; a short one or one beside --metrics-public is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ring3-metrics-'));
    const tokenFile = join(dir, 'metrics-token');
    writeFileSync(tokenFile, 'a-metrics-token-of-enough-length-000\n');
    try {
      const served = await run({ metricsTokenFile: tokenFile }, {}, async (url) => {
        const auth = { headers: { authorization: 'Bearer a-metrics-token-of-enough-length-000' } };
        assert.equal((await fetch(`${url}/metrics`, auth)).status, 200);
        assert.equal((await fetch(`${url}/metrics`)).status, 401);
        assert.equal((await fetch(`${url}/v1/admin/hosts`, auth)).status, 401);
      });
      assert.equal(served.code, 0, served.err);
      const open = await run({ metricsPublic: true }, {}, async (url) => {
        assert.equal((await fetch(`${url}/metrics`)).status, 200);
      });
      assert.equal(open.code, 0, open.err);
      const short = await run({}, { RING3_METRICS_TOKEN: 'short' });
      assert.equal(short.code, 2);
      assert.match(short.err, /metrics token is shorter than 24 characters/);
      const both = await run({ metricsTokenFile: tokenFile, metricsPublic: true }, {});
      assert.equal(both.code, 2);
      assert.match(both.err, /--metrics-public serves \/metrics to anyone/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
