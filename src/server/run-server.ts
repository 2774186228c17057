// Start-up of `ring3 server run`, as an ordered list of steps: read TLS files, open and migrate the
// store, make the first admin token, start the modules, build the app, listen. Stopping runs every
// teardown step even when one fails.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ensureAdminToken } from './auth/admin-bootstrap.ts';
import { hashSecret } from './auth/secrets.ts';
import { buildApp, defaultSettings } from './http/app.ts';
import type { ServerSettings } from './http/context.ts';
import { serverModules, type ModuleInstance, type ServerModule } from './modules.ts';
import { openStore, redact } from './storage/open-store.ts';

export type ServerOptions = {
  /** `--db`: a SQLite path or postgres:// URL; default `<dataDir>/server.db`. */
  db?: string;
  dataDir: string;
  host: string;
  port: number;
  tls?: { certFile: string; keyFile: string };
  /** An admin token from configuration; when given, no token is generated. */
  adminToken?: string;
  /** A token that may read /metrics (admin tokens may too). */
  metricsToken?: string;
  /** Serve /metrics without a token. */
  metricsPublic?: boolean;
  logRequests?: boolean;
  settings?: Partial<ServerSettings>;
  modules?: readonly ServerModule[];
};

export type RunningServer = {
  url: string;
  dbLabel: string;
  /** Set on the first start only: the generated admin token, also written to `adminTokenFile`. */
  createdAdminToken: string | undefined;
  adminTokenFile: string;
  stop(): Promise<void>;
};

export type StartResult = { kind: 'ok'; server: RunningServer } | { kind: 'error'; code: string; message: string };

export const adminTokenFileName = 'admin-token';
export const serverInfoFileName = 'server.json';

export async function startServer(options: ServerOptions, env: { now: () => number; logger: Logger }): Promise<StartResult> {
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (options.tls !== undefined) {
    try {
      tls = { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) };
    } catch (error) {
      return { kind: 'error', code: 'tls-files', message: `Cannot read the TLS certificate or key: ${(error as Error).message}` };
    }
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const dbText = options.db ?? join(options.dataDir, 'server.db');
  const modules = options.modules ?? serverModules();
  const opened = await openStore(dbText, { migrations: modules.flatMap((m) => m.migrations) });
  if (opened.kind === 'error') return { kind: 'error', code: opened.code, message: opened.message };
  const { store } = opened;
  if (opened.applied.length > 0) env.logger.info({ applied: opened.applied }, 'database migrated');

  const adminTokenFile = join(options.dataDir, adminTokenFileName);
  let createdAdminToken: string | undefined;
  if (options.adminToken === undefined) {
    const bootstrap = await ensureAdminToken(store, env.now());
    if (bootstrap.kind === 'created') {
      createdAdminToken = bootstrap.token;
      writeFileSync(adminTokenFile, `${bootstrap.token}\n`, { mode: 0o600 });
      chmodSync(adminTokenFile, 0o600);
      env.logger.warn({ file: adminTokenFile, tokenId: bootstrap.id }, 'first start: admin token generated');
    }
  }

  const settings: ServerSettings = {
    ...defaultSettings,
    ...options.settings,
    ...(options.adminToken === undefined ? {} : { adminTokenHash: hashSecret(options.adminToken) }),
    ...(options.metricsToken === undefined ? {} : { metricsTokenHash: hashSecret(options.metricsToken) }),
    ...(options.metricsPublic === true ? { metricsPublic: true } : {}),
  };
  const instances: ModuleInstance[] = modules.map((module) => module.start({ store, now: env.now, logger: env.logger.child({ module: module.name }), settings }));
  const built = buildApp({
    store, now: env.now, settings, logger: env.logger, logRequests: options.logRequests ?? false, processMetrics: true,
    routes: instances.flatMap((i) => i.routes),
    directiveSources: instances.flatMap((i) => i.directiveSources ?? []),
    ...(tls === undefined ? {} : { tls }),
  });
  const stop = async () => {
    const steps: (() => Promise<unknown>)[] = [() => built.close(), ...instances.map((i) => () => i.stop?.() ?? Promise.resolve()), () => store.close()];
    for (const step of steps) await step().catch((error: unknown) => env.logger.error({ err: error }, 'shutdown step failed'));
  };
  let address: string;
  try {
    address = await built.app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await stop();
    return { kind: 'error', code: 'listen', message: `Cannot listen on ${options.host}:${options.port}: ${(error as Error).message}` };
  }
  const url = address.replace(/^http:/, tls === undefined ? 'http:' : 'https:');
  writeFileSync(join(options.dataDir, serverInfoFileName), `${JSON.stringify({ url, pid: process.pid })}\n`);
  env.logger.info({ url, db: redact(dbText), store: store.dialect, tls: tls !== undefined }, 'server listening');
  return { kind: 'ok', server: { url, dbLabel: redact(dbText), createdAdminToken, adminTokenFile, stop } };
}
