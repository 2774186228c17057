// Fastify onRequest hooks around authenticate.ts: 401 for missing or unknown credentials, 403 for a
// revoked host. The same answer for "unknown" and "bad secret", so callers learn nothing.
import type { onRequestHookHandler } from 'fastify';
import { authenticateAdmin } from '../auth/authenticate.ts';
import type { HostAuthenticator } from '../auth/host-authenticator.ts';
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
    if (outcome.kind === 'ok') return;
    metrics.authRefusals.inc({ who: 'admin', reason: outcome.reason });
    return reply.code(401).send(apiError('unauthenticated', 'Send an admin token as "Authorization: Bearer …"', 'headers/authorization'));
  };
}
