// `ring3 server admin-token rotate` in-process against a real server on loopback: the token file
// the CLI read is rewritten, the CLI keeps working with it, and the old token is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { main } from '../../../src/cli/main.ts';
import { createAdminClient, startServer, type RunningServer } from '../../../src/server/index.ts';

describe('ring3 server admin-token rotate', () => {
  let home: string;
  let server: RunningServer;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ring3-cli-'));
    const started = await startServer({ dataDir: join(home, 'server'), host: '127.0.0.1', port: 0 }, { now: Date.now, logger: pino({ level: 'silent' }) });
    assert.equal(started.kind, 'ok');
    server = (started as { server: RunningServer }).server;
  });
  after(async () => {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  });

  async function ring3(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(argv, {
      stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } },
      stdin: process.stdin, cwd: home, env: { RING3_HOME: home }, now: () => new Date(),
    });
    return { code, out, err };
  }

  it('prints the new token once, rewrites the token file (mode 600), and the old token stops working', async () => {
    const old = server.createdAdminToken!;
    const rotated = await ring3('server', 'admin-token', 'rotate', '--note', 'monthly');
    assert.equal(rotated.code, 0, rotated.err);
    const token = rotated.out.trim();
    assert.match(token, /^r3a\./);
    assert.match(rotated.err, /the token used stopped working; written to .*admin-token/);
    assert.equal(readFileSync(server.adminTokenFile, 'utf8').trim(), token);
    assert.equal(statSync(server.adminTokenFile).mode & 0o777, 0o600);
    assert.equal((await ring3('fleet', 'ls', '--json')).code, 0);
    const refused = await createAdminClient({ baseUrl: server.url, adminToken: old }).listHosts();
    assert.equal(refused.kind === 'refused' && refused.status, 401);
    // /metrics takes an admin token.
    const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(metrics.status, 200);
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
  });
});
