// Fastify onRequest hooks around authenticate.ts: 401 for missing or unknown credentials, 403 for a
// revoked host. The same answer for "unknown" and "bad secret", so callers learn nothing.
import type { onRequestHookHandler } from 'fastify';
import { authenticateAdmin } from '../auth/authenticate.ts';
import type { HostAuthenticator } from '../auth/host-authenticator.ts';
import { bearerToken, secretMatches } from '../auth/secrets.ts';
import type { Store } from '../storage/store.ts';
import { apiError } from './errors.ts';
import type { ServerMetrics } from './metrics.ts';

export function hostAuthHook(authenticator: HostAuthenticator, metrics: ServerMetrics): onRequestHookHandler {
  return async (request, reply) => {
    const outcome = await authenticator.authenticate(request.headers.authorization);
    if (outcome.kind === 'ok') {
      request.hostId = outcome.value.hostId;
      return;
    }
    metrics.authRefusals.inc({ who: 'host', reason: outcome.reason });
    if (outcome.reason === 'revoked') return reply.code(403).send(apiError('forbidden', 'This host was revoked; enroll it again to reconnect'));
    return reply.code(401).send(apiError('unauthenticated', 'Send the host credential from enrollment as "Authorization: Bearer r3h.…"', 'headers/authorization'));
  };
}

export function adminAuthHook(store: Store, metrics: ServerMetrics, configuredHash: string | undefined): onRequestHookHandler {
  return async (request, reply) => {
    const outcome = await authenticateAdmin(store, request.headers.authorization, configuredHash);
    if (outcome.kind === 'ok') {
      request.adminTokenId = outcome.value.tokenId;
      return;
    }
    metrics.authRefusals.inc({ who: 'admin', reason: outcome.reason });
    return reply.code(401).send(apiError('unauthenticated', 'Send an admin token as "Authorization: Bearer …"', 'headers/authorization'));
  };
}

/** /metrics: open when configured so, else the metrics token or any admin token. */
export function metricsAuthHook(admin: onRequestHookHandler, options: { metricsTokenHash?: string | undefined; metricsPublic?: boolean | undefined }): onRequestHookHandler {
  return async function metricsAuth(request, reply) {
    if (options.metricsPublic === true) return;
    const token = bearerToken(request.headers.authorization);
    if (token !== undefined && options.metricsTokenHash !== undefined && secretMatches(token, options.metricsTokenHash)) return;
    return admin.call(this, request, reply, () => {});
  };
}
