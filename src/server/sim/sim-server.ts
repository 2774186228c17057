// A real ring3 server for the simulator, in this process, on a loopback port, with a clock the
// simulator moves: bake times of hours pass in seconds. Rollouts are judged when the simulator says
// (its own tick over HTTP), not on a timer.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { hashSecret } from '../auth/secrets.ts';
import { buildApp } from '../http/app.ts';
import { coreRoutes } from '../http/routes.ts';
import { createRolloutService, type RolloutService } from '../rollouts/service.ts';
import { rolloutDirectiveSource, rolloutRoutes } from '../rollouts/routes.ts';
import { rolloutMigrations } from '../rollouts/storage/migrations.ts';
import type { JudgeConfig } from '../rollouts/judge/judge-config.ts';
import { coreMigrations } from '../storage/migrations.ts';
import { openStore } from '../storage/open-store.ts';

export type SimClock = { now(): number; advance(ms: number): number };

export function manualClock(start: number): SimClock {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

export type SimServer = { url: string; adminToken: string; clock: SimClock; service: RolloutService; close(): Promise<void> };

export async function startSimServer(options: { db: string; judge: JudgeConfig; heartbeatIntervalS: number; start: number; logger?: Logger }): Promise<SimServer> {
  const opened = await openStore(options.db, { migrations: [...coreMigrations, ...rolloutMigrations] });
  if (opened.kind === 'error') throw new Error(opened.message);
  const store = opened.store;
  const clock = manualClock(options.start);
  const adminToken = `sim-admin-${randomBytes(16).toString('hex')}`;
  const service = createRolloutService({ store, judge: options.judge, stateTtlMs: 1000 });
  const { app, close } = buildApp({
    store, now: clock.now,
    settings: { heartbeatIntervalS: options.heartbeatIntervalS, silentAfterS: options.judge.silentAfterSeconds, adminTokenHash: hashSecret(adminToken) },
    routes: [...coreRoutes, rolloutRoutes(service)],
    directiveSources: [rolloutDirectiveSource(service)],
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`, adminToken, clock, service,
    async close() {
      await close();
      await store.close();
    },
  };
}
