// A real server on loopback in a temporary RING3_HOME, and `ring3 …` run in-process against it, for
// the CLI tests of one `describe` block (call it in the block's body: it registers before/after).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { pino } from 'pino';
import { main } from '../../../src/cli/main.ts';
import { startServer, type RunningServer } from '../../../src/server/index.ts';

export type CliRun = { code: number; out: string; err: string };
export type CliServer = { readonly home: string; readonly server: RunningServer; ring3(...argv: string[]): Promise<CliRun> };

export function useCliServer(): CliServer {
  let home = '';
  let server: RunningServer | undefined;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ring3-cli-'));
    const started = await startServer({ dataDir: join(home, 'server'), host: '127.0.0.1', port: 0 }, { now: Date.now, logger: pino({ level: 'silent' }) });
    assert.equal(started.kind, 'ok');
    server = (started as { server: RunningServer }).server;
  });
  after(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });
  return {
    get home() { return home; },
    get server() { assert.ok(server, 'the server starts in before()'); return server; },
    async ring3(...argv) {
      let out = '';
      let err = '';
      const code = await main(argv, {
        stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } },
        stdin: process.stdin, cwd: home, env: { RING3_HOME: home }, now: () => new Date(),
      });
      return { code, out, err };
    },
  };
}
