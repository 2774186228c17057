// What every route module gets: the store, the clock, settings, metrics, the grouped heartbeat
// writer and the two authentication hooks. Passed in, never read from globals.
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { Heartbeat } from '../api/types.ts';
import type { HostAuthenticator } from '../auth/host-authenticator.ts';
import type { GroupWriter } from '../ingest/group-writer.ts';
import type { AlertUploadRecord, HeartbeatRecord, Store } from '../storage/store.ts';
import type { ServerMetrics } from './metrics.ts';

export type ServerSettings = {
  heartbeatIntervalS: number;
  /** A host not heard from for this long is `silent`. */
  silentAfterS: number;
  /** Lifetime of an enrollment token when the admin does not give one. */
  enrollmentTokenTtlS: number;
  /** How often this server looks for hosts revoked by another server sharing the database. */
  revocationSyncMs: number;
  /** SHA-256 of an admin token given by configuration, if any. */
  adminTokenHash?: string;
  /** SHA-256 of a token that may read /metrics (besides admin tokens), if any. */
  metricsTokenHash?: string;
  /** /metrics without a token (for a scraper on a network only it reaches). */
  metricsPublic?: boolean;
};

/** Something a server module tells a host in the heartbeat response (e.g. its assigned content). */
export type DirectiveSource = {
  name: string;
  directives(hostId: string, heartbeat: Heartbeat, now: number): Promise<unknown>;
};

export type ServerContext = {
  store: Store;
  now: () => number;
  settings: ServerSettings;
  metrics: ServerMetrics;
  heartbeatWriter: GroupWriter<HeartbeatRecord, boolean>;
  /** Alert uploads grouped like heartbeats: one transaction for the uploads that arrive together. */
  alertWriter: GroupWriter<AlertUploadRecord, { storedIds: string[] }>;
  /** Verified host credentials; `forget` a host when revoking it. */
  hostAuthenticator: HostAuthenticator;
  directiveSources: readonly DirectiveSource[];
  /**
   * onRequest hooks: refuse the request unless an enrolled host (sets `request.hostId`), an admin
   * (sets `request.adminTokenId`), or for `metrics` the metrics token or an admin calls.
   */
  auth: { host: onRequestHookHandler; admin: onRequestHookHandler; metrics: onRequestHookHandler };
};

/** A group of routes; the server registers the modules of one explicit list (routes.ts, modules.ts). */
export type RouteModule = {
  name: string;
  register(app: FastifyInstance, context: ServerContext): void;
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated host of an agent call; '' on other routes. */
    hostId: string;
    /** The admin token of an admin call ('configured' for the one given by configuration); '' on other routes. */
    adminTokenId: string;
  }
}
