// `ring3 fleet ls`, `alerts ls` and `server token …` in-process, against a real server on loopback
// found through the data directory the server leaves behind.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main.ts';
import { useCliServer } from './cli-server.ts';
import { createAgentClient, enroll } from '../../../src/server/index.ts';
import { alert, heartbeat } from '../../server/fixtures.ts';

describe('ring3 fleet / alerts / server token', () => {
  const cli = useCliServer();
  const ring3 = cli.ring3;

  it('creates a token, an agent enrolls with it, and the fleet and its alerts are listed as tables and JSON', async () => {
    const created = await ring3('server', 'token', 'create', '--ttl', '1h', '--uses', '2', '--note', 'cli');
    assert.equal(created.code, 0, created.err);
    const token = created.out.trim();
    const enrolled = await enroll({ baseUrl: cli.server.url }, { token, hostname: 'db-7', tags: ['internal'] });
    assert.equal(enrolled.kind, 'ok');
    const agent = createAgentClient({ baseUrl: cli.server.url, credential: (enrolled as { value: { credential: string } }).value.credential });
    await agent.heartbeat(heartbeat({ tags: ['internal', 'db'] }));
    await agent.uploadAlerts({ alerts: [alert('x1', { ruleId: 'proc-shell', ruleTitle: 'Shell from web server' })] });

    const table = await ring3('fleet', 'ls');
    assert.equal(table.code, 0, table.err);
    const [header, row] = table.out.trim().split('\n');
    assert.match(header!, /^HOST\s+ID\s+STATE\s+LAST SEEN\s+AGENT\s+CONTENT/);
    assert.match(row!, /^db-7\s+\S+\s+online\s+\d+s ago\s+0\.1\.0\s+2025\.01\.01\s+1\s+1\.5\s+80\s+0\s+0\s+internal,db$/);
    const json = await ring3('fleet', 'ls', '--json', '--tag', 'db');
    assert.equal(JSON.parse(json.out).hostname, 'db-7');
    assert.equal((await ring3('fleet', 'ls', '--json', '--state', 'revoked')).out, '');

    const alerts = await ring3('alerts', 'ls', '--since', '1h');
    assert.match(alerts.out, /TIME\s+HOST\s+LEVEL\s+RULE/);
    assert.match(alerts.out, /db-7\s+high\s+proc-shell\s+Shell from web server/);
    assert.equal(JSON.parse((await ring3('alerts', 'ls', '--json', '--rule', 'proc-shell')).out).id, 'x1');

    const tokens = await ring3('server', 'token', 'ls');
    assert.match(tokens.out, /usable\s+1\/2/);
  });

  it('bad options get a clear message and exit status 2', async () => {
    const cases: [string[], RegExp][] = [
      [['fleet', 'ls', '--state', 'asleep'], /--state: expected one of online/],
      [['alerts', 'ls', '--since', 'last week'], /--since: expected an ISO time or a duration/],
      [['alerts', 'ls', '--level', 'severe'], /--level: expected one of/],
      [['fleet', 'ls', '--limit', '0'], /--limit: expected a positive whole number/],
      [['server', 'token', 'create', '--ttl', '5s'], /--ttl: expected a duration/],
      [['fleet', 'ls', '--server', 'not a url'], /--server: "not a url" is not a URL/],
      [['server', 'run', '--tls-cert', 'x.pem'], /--tls-cert and --tls-key go together/],
    ];
    for (const [argv, message] of cases) {
      const result = await ring3(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.err, message);
    }
  });

  it('a wrong admin token is reported as refused, exit status 1', async () => {
    const result = await main(['fleet', 'ls'], {
      stdout: { write: () => true }, stderr: { write: (t: string) => { assert.match(t, /server refused \(401 unauthenticated\)/); } },
      stdin: process.stdin, cwd: cli.home, env: { RING3_HOME: cli.home, RING3_ADMIN_TOKEN: 'r3a.nope.aaaaaaaaaaaaaaaaaaaaaaaa' }, now: () => new Date(),
    });
    assert.equal(result, 1);
  });
});
