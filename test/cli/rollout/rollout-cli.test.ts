// `ring3 rollout …` in-process against a real server (the simulator's, on loopback) with a small fleet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main.ts';
import type { CreatedEnrollmentToken } from '../../../src/server/api/types.ts';
import { defaultJudgeConfig } from '../../../src/server/rollouts/index.ts';
import { createSimFleet, defaultFleetSpec, startSimServer } from '../../../src/server/sim/index.ts';
import { postJson } from '../../../src/server/sim/http-json.ts';

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } },
    stdin: process.stdin, cwd: process.cwd(), env, now: () => new Date(Date.UTC(2025, 0, 1)),
  });
  return { code, out, err };
}

test('start, approve, pause, resume, status, abort and the kill switch through the CLI', async () => {
  const server = await startSimServer({ db: ':memory:', judge: { ...defaultJudgeConfig, silentAfterSeconds: 180 }, heartbeatIntervalS: 60, start: Date.UTC(2025, 0, 1) });
  try {
    const env = { RING3_SERVER_URL: server.url, RING3_ADMIN_TOKEN: server.adminToken, HOME: '/nonexistent' };
    const token = await postJson<CreatedEnrollmentToken>(`${server.url}/v1/admin/enrollment-tokens`, {}, server.adminToken);
    assert.ok(token.ok);
    const fleet = createSimFleet({ ...defaultFleetSpec, size: 30, internalShare: 0.2 });
    await fleet.enroll(server.url, token.body.token);
    await fleet.heartbeatRound(server.url, server.clock.now(), 60);

    const started = await cli(['rollout', 'start', '2.0.0', '--bake', '2m', '--approve', '0', '--json'], env);
    assert.equal(started.code, 0, started.err);
    const rollout = JSON.parse(started.out) as { id: string; phase: string; previousVersion: string };
    assert.deepEqual([rollout.phase, rollout.previousVersion], ['awaiting-approval', '1.0.0']);
    assert.equal((await cli(['rollout', 'start', '3.0.0'], env)).code, 1);

    const approved = await cli(['rollout', 'approve', '--reason', 'change ticket 42'], env);
    assert.match(approved.out, /awaiting-approval@-1 -> baking@0: change ticket 42; widened to ring 0/);
    server.clock.advance(60_000);
    await fleet.heartbeatRound(server.url, server.clock.now(), 60);
    assert.ok(fleet.countRunning('2.0.0') > 0);
    assert.equal(fleet.countRunning('2.0.0'), fleet.agents.filter((a) => a.tags.includes('internal')).length);

    assert.equal((await cli(['rollout', 'pause', rollout.id, '--reason', 'holiday'], env)).code, 0);
    assert.equal((await cli(['rollout', 'pause'], env)).code, 1, 'pausing twice is refused');
    assert.match((await cli(['rollout', 'resume'], env)).out, /paused@0 -> baking@0/);

    const status = await cli(['rollout', 'status'], env);
    assert.match(status.out, /phase: {4}baking in ring 0/);
    assert.match(status.out, /current bake window \(not final\)/);
    assert.match(status.out, /silent-after-update/);
    const json = JSON.parse((await cli(['rollout', 'status', rollout.id, '--json'], env)).out) as { transitions: unknown[]; exposure: { running: number } };
    assert.equal(json.transitions.length, 4);

    const aborted = await cli(['rollout', 'abort', '--reason', 'wrong build'], env);
    assert.match(aborted.out, /aborted@0: wrong build; rolled back to 1\.0\.0/);
    server.clock.advance(60_000);
    await fleet.heartbeatRound(server.url, server.clock.now(), 60);
    assert.equal(fleet.countRunning('2.0.0'), 0);

    const killed = await cli(['rollout', 'kill', '2.0.0', '--reason', 'crashes'], env);
    assert.match(killed.out, /2\.0\.0 marked bad/);
    assert.equal((await cli(['rollout', 'start', '2.0.0'], env)).code, 1);
    assert.match((await cli(['rollout', 'bad-versions'], env)).out, /2\.0\.0 +\S+ +crashes/);
    assert.match((await cli(['rollout', 'ls'], env)).out, /aborted \(by operator\)/);

    assert.equal((await cli(['rollout', 'policy', 'db', 'delay:2h'], env)).code, 0);
    assert.equal((await cli(['rollout', 'policy', 'db', 'later'], env)).code, 2);
    assert.equal((await cli(['rollout', 'start', '4.0.0', '--bake', 'soon'], env)).code, 2);
  } finally {
    await server.close();
  }
});

test('bad request bodies get a 4xx with where and why', async () => {
  const server = await startSimServer({ db: ':memory:', judge: defaultJudgeConfig, heartbeatIntervalS: 60, start: 0 });
  try {
    const bad = await postJson(`${server.url}/v1/admin/rollouts`, { version: '2', plan: { rings: [{ selector: { kind: 'percent', percent: 5 }, bakeSeconds: 1 }] } }, server.adminToken);
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.equal(bad.status, 400);
      assert.match(bad.message, /body\/plan\.rings\[0\]: the last ring must be/);
    }
    const noVersion = await postJson(`${server.url}/v1/admin/rollouts`, { plan: {} }, server.adminToken);
    assert.equal(noVersion.ok ? 200 : noVersion.status, 400);
    const unknown = await postJson(`${server.url}/v1/admin/rollouts/nope/pause`, {}, server.adminToken);
    assert.equal(unknown.ok ? 200 : unknown.status, 404);
    const unauthenticated = await postJson(`${server.url}/v1/admin/rollouts`, { version: '2' });
    assert.equal(unauthenticated.ok ? 200 : unauthenticated.status, 401);
  } finally {
    await server.close();
  }
});
