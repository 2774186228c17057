// Rotating the admin token: a new one is made and shown once, and the caller's token (or every
// stored one) is revoked in the same transaction, so it stops working with the answer. Admin
// requests read their token from the store each time (no cache), so no server sharing the
// database accepts the old token afterwards.
import type { RotateAdminTokenRequest, RotatedAdminToken } from '../../api/types.ts';
import { rotateAdminTokenBodySchema } from '../../api/schemas.ts';
import { issueSecret } from '../../auth/secrets.ts';
import type { RouteModule } from '../context.ts';
import { apiError } from '../errors.ts';

export const adminTokenRoutes: RouteModule = {
  name: 'admin-tokens',
  register(app, { store, now, auth }) {
    app.post<{ Body: RotateAdminTokenRequest | undefined }>('/v1/admin/admin-token/rotate',
      { onRequest: auth.admin, schema: { body: rotateAdminTokenBodySchema } }, async (request, reply) => {
        const body = request.body ?? {};
        const caller = request.adminTokenId;
        if (caller === 'configured' && body.all !== true) {
          return reply.code(400).send(apiError('invalid-request',
            'This call used the admin token from the server\'s configuration (--admin-token-file or RING3_ADMIN_TOKEN), which only a change of configuration replaces; send {"all": true} to replace the stored admin tokens instead', 'body/all'));
        }
        const at = now();
        const issued = issueSecret('admin');
        const record = { id: issued.id, secretHash: issued.hash, note: body.note ?? 'rotated', createdAt: at, revokedAt: null };
        const revoke = body.all === true ? { kind: 'all' } as const : { kind: 'token', id: caller } as const;
        if (!await store.rotateAdminToken(record, revoke, at)) {
          return reply.code(401).send(apiError('unauthenticated', 'This admin token was revoked meanwhile (another rotation); use the new token', 'headers/authorization'));
        }
        request.log.warn({ tokenId: issued.id, revoked: revoke.kind === 'all' ? 'all' : caller }, 'admin token rotated');
        const rotated: RotatedAdminToken = { id: issued.id, token: issued.text, createdAt: new Date(at).toISOString(), revoked: revoke.kind === 'all' ? 'all' : 'caller' };
        return reply.code(201).send(rotated);
      });
  },
};
