// An app on an in-memory SQLite store with a settable clock, an admin token and helpers to enroll
// agents; requests go through fastify.inject (no sockets).
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions, type App } from '../../../src/server/http/app.ts';
import { ensureAdminToken } from '../../../src/server/auth/admin-bootstrap.ts';
import { openStore } from '../../../src/server/storage/open-store.ts';
import type { Store } from '../../../src/server/storage/store.ts';

export type Harness = App & {
  store: Store;
  clock: { now: number };
  adminToken: string;
  admin(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
  agent(credential: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
  newEnrollmentToken(body?: object): Promise<string>;
  enrollAgent(hostname: string, tags?: string[]): Promise<{ hostId: string; credential: string }>;
  stop(): Promise<void>;
};

export async function startHarness(options: Partial<AppOptions> = {}): Promise<Harness> {
  const opened = await openStore(':memory:');
  assert.equal(opened.kind, 'ok');
  const store = (opened as { store: Store }).store;
  const clock = { now: Date.parse('2025-03-01T12:00:00.000Z') };
  const bootstrap = await ensureAdminToken(store, clock.now);
  assert.equal(bootstrap.kind, 'created');
  const adminToken = (bootstrap as { token: string }).token;
  const built = buildApp({ store, now: () => clock.now, ...options });
  const harness: Harness = {
    ...built,
    store,
    clock,
    adminToken,
    admin: (method, url, body) => built.app.inject({
      method, url, headers: { authorization: `Bearer ${adminToken}` }, ...(body === undefined ? {} : { payload: body as object }),
    }),
    agent: (credential, url, body) => built.app.inject({
      method: body === undefined ? 'GET' : 'POST', url, headers: { authorization: `Bearer ${credential}` }, ...(body === undefined ? {} : { payload: body as object }),
    }),
    async newEnrollmentToken(body = {}) {
      const response = await harness.admin('POST', '/v1/admin/enrollment-tokens', body);
      assert.equal(response.statusCode, 201, response.body);
      return response.json<{ token: string }>().token;
    },
    async enrollAgent(hostname, tags = []) {
      const token = await harness.newEnrollmentToken();
      const response = await built.app.inject({ method: 'POST', url: '/v1/enroll', payload: { token, hostname, tags } });
      assert.equal(response.statusCode, 201, response.body);
      return response.json<{ hostId: string; credential: string }>();
    },
    async stop() {
      await built.close();
      await store.close();
    },
  };
  return harness;
}
