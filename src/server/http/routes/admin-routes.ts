// The administrator's API: enrollment tokens, the fleet, alerts, and cutting a host off.
import type { CreateEnrollmentTokenRequest, CreatedEnrollmentToken, HostState, Page, HostSummary, StoredAlert } from '../../api/types.ts';
import { alertsQuerySchema, createEnrollmentTokenBodySchema, hostsQuerySchema, idParamsSchema } from '../../api/schemas.ts';
import { issueSecret } from '../../auth/secrets.ts';
import type { RouteModule } from '../context.ts';
import { apiError } from '../errors.ts';
import { alertView, hostView, tokenView } from '../views.ts';

type HostsQuery = { limit?: number; cursor?: string; tag?: string; state?: HostState };
type AlertsQuery = { limit?: number; cursor?: string; hostId?: string; ruleId?: string; level?: string; since?: string };
type IdParams = { id: string };

export const adminRoutes: RouteModule = {
  name: 'admin',
  register(app, { store, now, settings, auth, hostAuthenticator }) {
    const admin = { onRequest: auth.admin };
    const silentAfterMs = settings.silentAfterS * 1000;

    app.post<{ Body: CreateEnrollmentTokenRequest | undefined }>('/v1/admin/enrollment-tokens',
      { ...admin, schema: { body: createEnrollmentTokenBodySchema } }, async (request, reply) => {
        const body = request.body ?? {};
        const at = now();
        const issued = issueSecret('enrollment');
        const record = {
          id: issued.id, secretHash: issued.hash, note: body.note ?? '', createdAt: at,
          expiresAt: at + (body.ttlS ?? settings.enrollmentTokenTtlS) * 1000, revokedAt: null, maxUses: body.maxUses ?? null, uses: 0,
        };
        await store.createEnrollmentToken(record);
        request.log.info({ tokenId: issued.id }, 'enrollment token created');
        const created: CreatedEnrollmentToken = { ...tokenView(record), token: issued.text };
        return reply.code(201).send(created);
      });

    app.get('/v1/admin/enrollment-tokens', admin, async () => ({ items: (await store.listEnrollmentTokens()).map(tokenView) }));

    app.delete<{ Params: IdParams }>('/v1/admin/enrollment-tokens/:id', { ...admin, schema: { params: idParamsSchema } }, async (request, reply) => {
      if (await store.revokeEnrollmentToken(request.params.id, now())) return { revoked: true };
      const exists = await store.getEnrollmentToken(request.params.id);
      if (exists === undefined) return reply.code(404).send(apiError('not-found', `No enrollment token "${request.params.id}"`, 'params/id'));
      return { revoked: false };
    });

    app.get<{ Querystring: HostsQuery }>('/v1/admin/hosts', { ...admin, schema: { querystring: hostsQuerySchema } }, async (request) => {
      const at = now();
      const { limit = 100, ...filters } = request.query;
      const page = await store.listHosts({ ...filters, limit, now: at, silentAfterMs });
      const body: Page<HostSummary> = { items: page.items.map((host) => hostView(host, at, silentAfterMs)), nextCursor: page.nextCursor };
      return body;
    });

    app.get<{ Params: IdParams }>('/v1/admin/hosts/:id', { ...admin, schema: { params: idParamsSchema } }, async (request, reply) => {
      const host = await store.getHost(request.params.id);
      if (host === undefined) return reply.code(404).send(apiError('not-found', `No host "${request.params.id}"`, 'params/id'));
      return hostView(host, now(), silentAfterMs);
    });

    app.post<{ Params: IdParams }>('/v1/admin/hosts/:id/revoke', { ...admin, schema: { params: idParamsSchema } }, async (request, reply) => {
      // Forget after the write too: a request racing it may have cached the host again meanwhile.
      hostAuthenticator.forget(request.params.id);
      const revoked = await store.revokeHost(request.params.id, now());
      hostAuthenticator.forget(request.params.id);
      if (revoked) {
        request.log.info({ hostId: request.params.id }, 'host revoked');
        return { revoked: true };
      }
      if (await store.getHost(request.params.id) === undefined) return reply.code(404).send(apiError('not-found', `No host "${request.params.id}"`, 'params/id'));
      return { revoked: false };
    });

    app.get<{ Querystring: AlertsQuery }>('/v1/admin/alerts', { ...admin, schema: { querystring: alertsQuerySchema } }, async (request) => {
      const { limit = 100, since, ...filters } = request.query;
      const page = await store.listAlerts({ ...filters, limit, ...(since === undefined ? {} : { since: Date.parse(since) }) });
      const body: Page<StoredAlert> = { items: page.items.map(alertView), nextCursor: page.nextCursor };
      return body;
    });
  },
};
