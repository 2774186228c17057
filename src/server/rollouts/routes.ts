// The rollout API for administrators, and the directive source that answers each heartbeat with the
// host's assigned content. Registered through the server's module list; handlers only translate
// between HTTP and the service, whose diagnostics become 4xx answers.
import type { FastifyReply } from 'fastify';
import type { Heartbeat } from '../api/types.ts';
import type { DirectiveSource, RouteModule } from '../http/context.ts';
import { apiError, type ErrorCode } from '../http/errors.ts';
import type { ActionRequest, ContentDirectiveView, KillRequest, StartRolloutRequest } from './api-types.ts';
import { formatRolloutDiagnostic, RolloutCodes, type Result } from './diagnostics.ts';
import { parseGroupPolicy } from './policy.ts';
import { defaultRingPlan, parseRingPlan } from './ring-plan.ts';
import type { OperatorAction, RolloutService } from './service.ts';
import { badVersionView, rolloutView, statusView, transitionView } from './views.ts';

const versionText = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._+-]*$' } as const;
const reasonBody = { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } } as const;
const startBody = {
  type: 'object', additionalProperties: false, required: ['version'],
  properties: {
    version: versionText, previousVersion: versionText, salt: { type: 'string', minLength: 1, maxLength: 128 },
    plan: { type: 'object' }, bakeS: { type: 'number', minimum: 0, maximum: 30 * 86400 },
    approvalRings: { type: 'array', maxItems: 16, items: { type: 'integer', minimum: 0, maximum: 15 } },
  },
} as const;
const killBody = { type: 'object', additionalProperties: false, required: ['version'], properties: { version: versionText, reason: { type: 'string', maxLength: 500 } } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const groupParams = { type: 'object', required: ['group'], properties: { group: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const actions: readonly OperatorAction[] = ['pause', 'resume', 'approve', 'abort'];

export function rolloutRoutes(service: RolloutService): RouteModule {
  return {
    name: 'rollouts',
    register(app, { now, auth }) {
      const admin = { onRequest: auth.admin };

      app.get('/v1/admin/rollouts', admin, async () => ({ items: (await service.list(50)).map(rolloutView) }));

      app.post<{ Body: StartRolloutRequest }>('/v1/admin/rollouts', { ...admin, schema: { body: startBody } }, async (request, reply) => {
        const body = request.body;
        let plan = defaultRingPlan({ ...(body.bakeS === undefined ? {} : { bakeSeconds: body.bakeS }), approvalRings: body.approvalRings ?? [] });
        if (body.plan !== undefined) {
          const parsed = parseRingPlan(body.plan, 'body/plan');
          if (parsed.kind === 'error') return refuse(reply, parsed);
          plan = parsed.value;
        }
        const started = await service.start({ version: body.version, plan, ...optional('salt', body.salt), ...optional('previousVersion', body.previousVersion) }, now());
        if (started.kind === 'error') return refuse(reply, started);
        request.log.info({ rolloutId: started.value.id, version: body.version }, 'rollout started');
        return reply.code(201).send(rolloutView(started.value));
      });

      app.get<{ Params: { id: string } }>('/v1/admin/rollouts/:id', { ...admin, schema: { params: idParams } }, async (request, reply) => {
        const status = await service.status(request.params.id, now());
        return status.kind === 'error' ? refuse(reply, status) : statusView(status.value);
      });

      for (const action of actions) {
        app.post<{ Params: { id: string }; Body: ActionRequest | undefined }>(`/v1/admin/rollouts/:id/${action}`,
          { ...admin, schema: { params: idParams, body: reasonBody } }, async (request, reply) => {
            const moved = await service.act(request.params.id, action, request.body?.reason ?? '', now());
            if (moved.kind === 'error') return refuse(reply, moved);
            request.log.info({ rolloutId: moved.value.rolloutId, action }, 'rollout moved by an operator');
            return transitionView(moved.value);
          });
      }

      // Judges the active rollout now rather than at the next timer tick.
      app.post('/v1/admin/rollouts/tick', admin, async (_request, reply) => {
        const outcome = await service.tick(now());
        if (outcome.kind === 'error') return refuse(reply, outcome);
        const active = await service.list(1);
        return { outcome: outcome.value.kind, rollout: active[0] ? rolloutView(active[0]) : null };
      });

      app.get('/v1/admin/releases', admin, async () => ({
        items: (await service.releases()).map((r) => ({ version: r.version, releasedAt: new Date(r.releasedAt).toISOString() })),
      }));

      app.get('/v1/admin/bad-versions', admin, async () => ({ items: (await service.badVersions()).map(badVersionView) }));
      app.post<{ Body: KillRequest }>('/v1/admin/bad-versions', { ...admin, schema: { body: killBody } }, async (request, reply) => {
        const killed = await service.kill(request.body.version, request.body.reason ?? '', now());
        if (killed.kind === 'error') return refuse(reply, killed);
        request.log.warn({ version: request.body.version }, 'kill switch: version marked bad');
        return reply.code(201).send({ version: killed.value.version, aborted: killed.value.aborted ? transitionView(killed.value.aborted) : null });
      });

      app.get('/v1/admin/rollout-policies', admin, async () => ({
        items: [...(await service.policies())].map(([group, policy]) => ({ group, policy })),
      }));
      app.post<{ Params: { group: string }; Body: { policy: unknown } }>('/v1/admin/rollout-policies/:group',
        { ...admin, schema: { params: groupParams, body: { type: 'object', required: ['policy'], additionalProperties: false, properties: { policy: {} } } } },
        async (request, reply) => {
          const policy = parseGroupPolicy(request.body.policy, 'body/policy');
          if (policy.kind === 'error') return refuse(reply, policy);
          await service.setPolicy(request.params.group, policy.value, now());
          return { group: request.params.group, policy: policy.value };
        });
    },
  };
}

/** Answers `directives.content` in every heartbeat response. */
export function rolloutDirectiveSource(service: RolloutService): DirectiveSource {
  return {
    name: 'content',
    async directives(hostId: string, heartbeat: Heartbeat, now: number): Promise<ContentDirectiveView> {
      return service.directiveFor({ hostId, tags: heartbeat.tags, contentVersion: heartbeat.versions.content }, now);
    },
  };
}

const statusOf: Record<string, { status: number; code: ErrorCode }> = {
  [RolloutCodes.notFound]: { status: 404, code: 'not-found' },
  [RolloutCodes.alreadyActive]: { status: 409, code: 'invalid-request' },
  [RolloutCodes.invalidTransition]: { status: 409, code: 'invalid-request' },
};

function refuse(reply: FastifyReply, result: Extract<Result<unknown>, { kind: 'error' }>) {
  const first = result.diagnostics[0]!;
  const { status, code } = statusOf[first.code] ?? { status: 400, code: 'invalid-request' as const };
  return reply.code(status).send(apiError(code, `${first.code}: ${formatRolloutDiagnostic(first)}`, first.where));
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
