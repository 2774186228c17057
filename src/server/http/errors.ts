// The API's error catalogue and the one place errors become responses. Every error body is
// `{ error: { code, message, where? } }`; a 5xx never carries internals (they go to the log).
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ApiError } from '../api/types.ts';

/** Every code the API answers with, documented in docs/server.md. */
export const errorCodes = {
  'invalid-request': 400,
  'unauthenticated': 401,
  'forbidden': 403,
  'not-found': 404,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'enrollment-refused': 403,
  'unavailable': 503,
  'internal': 500,
} as const;
export type ErrorCode = keyof typeof errorCodes;

export function apiError(code: ErrorCode, message: string, where?: string): ApiError {
  return { error: where === undefined ? { code, message } : { code, message, where } };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(apiError('not-found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation !== undefined) {
      const first = error.validation[0];
      const part = error.validationContext ?? 'body';
      const path = first?.instancePath ?? '';
      const missing = first?.keyword === 'required' ? `/${String((first.params as { missingProperty?: string }).missingProperty)}` : '';
      const extra = first?.keyword === 'additionalProperties' ? `/${String((first.params as { additionalProperty?: string }).additionalProperty)}` : '';
      const where = `${part}${path}${missing}${extra}`;
      const why = first?.keyword === 'required' ? 'is required'
        : first?.keyword === 'additionalProperties' ? 'is not a known field'
        : first?.message ?? 'is invalid';
      return reply.code(400).send(apiError('invalid-request', `Invalid request: ${where} ${why}`, where));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send(apiError('payload-too-large', error.message));
    if (status === 415) return reply.code(415).send(apiError('unsupported-media-type', error.message));
    if (status >= 400 && status < 500) return reply.code(status).send(apiError('invalid-request', error.message, 'body'));
    request.log.error({ err: error }, 'request failed');
    return reply.code(status === 503 ? 503 : 500).send(status === 503
      ? apiError('unavailable', 'The server cannot store this right now; retry later')
      : apiError('internal', 'Internal error; the server log has the details'));
  });
}

/** An error a handler throws to answer 503: storage failed, the agent should retry. */
export function unavailable(cause: unknown): Error & { statusCode: number } {
  return Object.assign(new Error('store unavailable', { cause }), { statusCode: 503 });
}
