// The agent's calls, all authenticated as one host. No route takes a host id: the host is the one
// the credential names, so an agent can neither read nor write another host's data.
import type { AlertBatch, AlertBatchResponse, Heartbeat, HeartbeatResponse } from '../../api/types.ts';
import { alertBatchBodySchema, heartbeatBodySchema, limits } from '../../api/schemas.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { apiError, unavailable } from '../errors.ts';
import { hostView } from '../views.ts';

export const agentRoutes: RouteModule = {
  name: 'agent',
  register(app, context) {
    const { store, now, settings, metrics, heartbeatWriter, alertWriter, auth } = context;

    app.post<{ Body: Heartbeat }>('/v1/agents/heartbeat', { onRequest: auth.host, schema: { body: heartbeatBodySchema } }, async (request) => {
      const receivedAt = now();
      const stored = await heartbeatWriter.write({ hostId: request.hostId, receivedAt, heartbeat: request.body })
        .catch((error: unknown) => { throw unavailable(error); });
      metrics.heartbeats.inc({ result: stored ? 'stored' : 'duplicate' });
      const body: HeartbeatResponse = {
        stored,
        serverTime: new Date(receivedAt).toISOString(),
        heartbeatIntervalS: settings.heartbeatIntervalS,
        directives: await directivesFor(context, request.hostId, request.body, receivedAt, (name, err) => {
          request.log.error({ err, source: name }, 'directive source failed; heartbeat answered without it');
        }),
      };
      return body;
    });

    app.post<{ Body: AlertBatch }>('/v1/agents/alerts', { onRequest: auth.host, schema: { body: alertBatchBodySchema } }, async (request, reply) => {
      const alerts = request.body.alerts;
      const ids = new Set<string>();
      for (const [i, alert] of alerts.entries()) {
        const where = `body/alerts/${i}`;
        if (ids.has(alert.id)) return reply.code(400).send(apiError('invalid-request', `Invalid request: ${where}/id "${alert.id}" appears twice in the batch`, `${where}/id`));
        ids.add(alert.id);
        if (JSON.stringify(alert.event).length > limits.alertEventBytes) {
          return reply.code(413).send(apiError('payload-too-large', `${where}/event is larger than ${limits.alertEventBytes} bytes`, `${where}/event`));
        }
      }
      const { storedIds } = await alertWriter.write({ hostId: request.hostId, alerts, receivedAt: now() })
        .catch((error: unknown) => { throw unavailable(error); });
      metrics.alerts.inc({ result: 'stored' }, storedIds.length);
      metrics.alerts.inc({ result: 'duplicate' }, alerts.length - storedIds.length);
      const body: AlertBatchResponse = { acknowledged: alerts.map((a) => a.id), stored: storedIds.length, duplicates: alerts.length - storedIds.length };
      return body;
    });

    app.get('/v1/agents/self', { onRequest: auth.host }, async (request) => {
      const host = await store.getHost(request.hostId);
      return hostView(host!, now(), settings.silentAfterS * 1000);
    });
  },
};

/** Asks each server module for its word to this host; one failing module does not fail the heartbeat. */
async function directivesFor(context: ServerContext, hostId: string, heartbeat: Heartbeat, at: number,
  onError: (source: string, error: unknown) => void): Promise<Record<string, unknown>> {
  const directives: Record<string, unknown> = {};
  for (const source of context.directiveSources) {
    try {
      const value = await source.directives(hostId, heartbeat, at);
      if (value !== undefined) directives[source.name] = value;
    } catch (error) {
      onError(source.name, error);
    }
  }
  return directives;
}
