// Builds the Fastify application: validation, error handling, metrics, authentication hooks and the
// route modules of one explicit list. No sockets here: tests call `app.inject`, run-server listens.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createGroupWriter, type GroupWriter } from '../ingest/group-writer.ts';
import type { AlertUploadRecord, HeartbeatRecord, Store } from '../storage/store.ts';
import { createHostAuthenticator } from '../auth/host-authenticator.ts';
import { adminAuthHook, hostAuthHook, metricsAuthHook } from './auth-hooks.ts';
import type { DirectiveSource, RouteModule, ServerContext, ServerSettings } from './context.ts';
import { installErrorHandling } from './errors.ts';
import { createMetrics } from './metrics.ts';
import { coreRoutes } from './routes.ts';

export const defaultSettings: ServerSettings = { heartbeatIntervalS: 60, silentAfterS: 180, enrollmentTokenTtlS: 24 * 3600, revocationSyncMs: 5000 };

export type AppOptions = {
  store: Store;
  now?: () => number;
  settings?: Partial<ServerSettings>;
  /** Defaults to the core routes; run-server passes the routes of every server module. */
  routes?: readonly RouteModule[];
  directiveSources?: readonly DirectiveSource[];
  logger?: Logger;
  /** Log every request (pino, info level); off by default because a fleet heartbeats constantly. */
  logRequests?: boolean;
  tls?: { cert: string | Buffer; key: string | Buffer };
  bodyLimitBytes?: number;
  processMetrics?: boolean;
};

export type App = { app: FastifyInstance; context: ServerContext; close(): Promise<void> };

export function buildApp(options: AppOptions): App {
  const settings = { ...defaultSettings, ...options.settings };
  const metrics = createMetrics({ processMetrics: options.processMetrics ?? false });
  const { store } = options;
  const observe = (table: string) => (size: number, ms: number) => {
    metrics.writeBatchSize.observe({ table }, size);
    metrics.writeBatchSeconds.observe({ table }, ms / 1000);
  };
  // PostgreSQL answers a batch in ~1 ms, so without a linger every heartbeat was its own statement
  // (1.5 rows per batch at 100k agents) and PostgreSQL's CPU went to per-statement work. SQLite's
  // writer thread lingers on its own (sqlite-writer.ts).
  const lingerMs = store.dialect === 'postgres' ? 5 : 0;
  const heartbeatWriter: GroupWriter<HeartbeatRecord, boolean> = createGroupWriter(
    async (records: HeartbeatRecord[]) => (await store.recordHeartbeats(records)).stored,
    { maxBatch: 2000, lingerMs, onBatch: observe('heartbeats') },
  );
  const alertWriter: GroupWriter<AlertUploadRecord, { storedIds: string[] }> = createGroupWriter(
    (uploads: AlertUploadRecord[]) => store.storeAlertUploads(uploads),
    { maxBatch: 200, lingerMs, onBatch: observe('alerts') },
  );
  const now = options.now ?? Date.now;
  const hostAuthenticator = createHostAuthenticator(store, { now, maxEntries: 1_000_000 });
  const revocationSync = setInterval(() => { void hostAuthenticator.sync().catch(() => undefined); }, settings.revocationSyncMs);
  revocationSync.unref();
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    logController: new LogController({ disableRequestLogging: !(options.logRequests ?? false) }),
    bodyLimit: options.bodyLimitBytes ?? 4 * 1024 * 1024,
    ...(options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key } }),
    // Strict bodies: an unknown field is an error with its path, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  app.decorateRequest('hostId', '');
  app.decorateRequest('adminTokenId', '');
  installErrorHandling(app);
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestSeconds.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  const adminAuth = adminAuthHook(store, metrics, settings.adminTokenHash);
  const context: ServerContext = {
    store,
    now,
    settings,
    metrics,
    heartbeatWriter,
    alertWriter,
    hostAuthenticator,
    directiveSources: options.directiveSources ?? [],
    auth: { host: hostAuthHook(hostAuthenticator, metrics), admin: adminAuth, metrics: metricsAuthHook(adminAuth, settings) },
  };
  const seen = new Set<string>();
  for (const routes of options.routes ?? coreRoutes) {
    // Two modules with one name would make logs and docs ambiguous: fail loudly at start-up.
    if (seen.has(routes.name)) throw new Error(`route module "${routes.name}" is registered twice`);
    seen.add(routes.name);
    routes.register(app, context);
  }
  return {
    app,
    context,
    async close() {
      clearInterval(revocationSync);
      await app.close();
      await heartbeatWriter.drain();
      await alertWriter.drain();
    },
  };
}
