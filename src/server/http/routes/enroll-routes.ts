// POST /v1/enroll: an agent presents an enrollment token and receives its own host credential.
import type { EnrollRequest, EnrollResponse } from '../../api/types.ts';
import { enrollBodySchema } from '../../api/schemas.ts';
import { issueSecret, parseSecret, secretMatches } from '../../auth/secrets.ts';
import type { EnrollmentTokenRecord } from '../../storage/store.ts';
import type { RouteModule } from '../context.ts';
import { apiError } from '../errors.ts';

export const enrollRoutes: RouteModule = {
  name: 'enroll',
  register(app, { store, now, settings, metrics }) {
    app.post<{ Body: EnrollRequest }>('/v1/enroll', { schema: { body: enrollBodySchema } }, async (request, reply) => {
      const at = now();
      const parsed = parseSecret('enrollment', request.body.token);
      const token = parsed === undefined ? undefined : await store.getEnrollmentToken(parsed.id);
      const refusal = token === undefined || parsed === undefined || !secretMatches(parsed.secret, token.secretHash)
        ? 'unknown' : whyUnusable(token, at);
      if (refusal !== undefined) {
        metrics.enrollments.inc({ result: refusal });
        return reply.code(403).send(apiError('enrollment-refused', `Cannot enroll: the enrollment token is ${refusal}`, 'body/token'));
      }
      const credential = issueSecret('host');
      const outcome = await store.enrollHost(token!.id, {
        id: credential.id, hostname: request.body.hostname, tags: request.body.tags ?? [], credentialHash: credential.hash, enrolledAt: at,
      }, at);
      if (outcome.kind !== 'ok') {
        metrics.enrollments.inc({ result: 'used up' });
        return reply.code(403).send(apiError('enrollment-refused', 'Cannot enroll: the enrollment token was used up or revoked meanwhile', 'body/token'));
      }
      metrics.enrollments.inc({ result: 'ok' });
      request.log.info({ hostId: credential.id, hostname: request.body.hostname, tokenId: token!.id }, 'host enrolled');
      const body: EnrollResponse = { hostId: credential.id, credential: credential.text, heartbeatIntervalS: settings.heartbeatIntervalS };
      return reply.code(201).send(body);
    });
  },
};

function whyUnusable(token: EnrollmentTokenRecord, at: number): string | undefined {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt <= at) return 'expired';
  if (token.maxUses !== null && token.uses >= token.maxUses) return 'used up';
  return undefined;
}
