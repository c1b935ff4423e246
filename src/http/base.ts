// What every route relies on, for the gateway and for any app built from its route modules: the zod contract's
// validator and serializer, security headers, per-route helmet, the JSON parser and the one error shape.
import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { AppError, isAppError, SHOWN_SERVER_ERRORS } from '../core/errors.ts';
import { registerSecurityHeaders } from './headers.ts';
import { registerHelmet } from './security.ts';

export function errorBody(code: string, message: string, fields?: Record<string, unknown>) {
  return { error: { ...fields, code, message } };
}

/** Call right after creating the app, before any hook or route. */
export async function registerBase(app: FastifyInstance, options: { https: boolean }): Promise<void> {
  // Routes with zod schemas (src/api) are validated and serialized by them; the others parse their own input.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerSecurityHeaders(app, options);
  await registerHelmet(app);

  // JSON only (form posts are read inside the webhooks plugin); an empty body is no body, not an error.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body: string, done) => {
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      done(new AppError('ERR_VALIDATION', 'The body is not valid JSON.'), undefined);
    }
  });

  app.setErrorHandler((err, req, reply) => {
    if (isAppError(err)) {
      const status = err.status;
      if (status >= 500) req.log.error({ err }, 'request failed');
      if (status === 429 && err.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
      if (status >= 500 && !SHOWN_SERVER_ERRORS.has(err.code)) return reply.code(status).send(errorBody(err.code, 'Internal error'));
      return reply.code(status).send(errorBody(err.code, err.message, status < 500 ? err.fields : undefined));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      // Each bad field named, as the hand-written parsers do: body.title: Too small…
      const where = err.validationContext ?? 'body';
      const problems = err.validation.map((v) => `${[where, ...v.instancePath.split('/').filter(Boolean)].join('.')}: ${v.message}`);
      return reply.code(400).send(errorBody('ERR_VALIDATION', problems.join('; ')));
    }
    if (isResponseSerializationError(err)) {
      // The server drifted from its own contract: a bug to fix, never a half-right answer.
      req.log.error({ err, issues: err.cause.issues, url: err.url }, 'response does not match its schema');
      return reply.code(500).send(errorBody('ERR_INTERNAL', 'Internal error'));
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(errorBody('ERR_PAYLOAD_TOO_LARGE', 'The request body is too large.'));
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(errorBody('ERR_UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type; send application/json.'));
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send(errorBody('ERR_VALIDATION', e.message ?? 'Bad request'));
    }
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errorBody('ERR_INTERNAL', 'Internal error'));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody('ERR_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`)));
}
