import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { zodIssuesToFieldErrors } from '../../domain/patient.ts';
import { AppError } from '../../services/app-error.ts';
import { appErrorForDatabase } from '../../services/database-app-error.ts';
import { isApiPath } from './auth.ts';

function apiBody(error: AppError, requestId: string) {
  return {
    error: { code: error.code, message: error.message, fields: error.fieldErrors, details: error.details },
    requestId,
  };
}

/** Maps every error to one response shape: JSON under /api/v1, the error page elsewhere.
 * Unexpected errors never show their message or stack to the user. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    let error: AppError;
    // A unique key's conflict is a 409; a database that is down, full or read-only a 503.
    const fromDatabase = err instanceof AppError ? null : appErrorForDatabase(err);
    if (fromDatabase) {
      if (fromDatabase.log !== null) {
        request.log.error(fromDatabase.log);
      }
      error = fromDatabase.error;
    } else if (err instanceof AppError) {
      error = err;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      // The type provider puts each zod issue's path in instancePath ("/a/b").
      const issues = err.validation.map((v) => ({
        path: v.instancePath.split('/').filter(Boolean),
        message: v.message ?? 'Invalid value',
      }));
      error = new AppError('VALIDATION_FAILED', 'The request has invalid fields', {
        fieldErrors: zodIssuesToFieldErrors(issues, err.validationContext ?? 'body'),
      });
    } else if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
      error = new AppError(
        'CSRF_INVALID',
        'This form had expired or was sent from another page. Go back, reload the page and try again.',
      );
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      error = new AppError('VALIDATION_FAILED', err.message);
      reply.status(err.statusCode);
    } else {
      request.log.error({ err }, 'unexpected error');
      const status = 500;
      if (isApiPath(request.url)) {
        return reply.status(status).send({
          error: { code: 'INTERNAL', message: 'Something went wrong. The error has been logged.' },
          requestId: request.id,
        });
      }
      return reply.status(status).page('pages/error.njk', {
        title: 'Sorry, there is a problem with the service',
        message:
          'Try again later. If it keeps happening, tell the service administrator and quote this reference.',
        requestId: request.id,
      });
    }
    if (error.code === 'SIGN_IN_THROTTLED') {
      reply.header('retry-after', String(Number(error.details.retryAfterSeconds ?? 60)));
    }
    if (isApiPath(request.url) || request.url === '/health') {
      return reply
        .status(reply.statusCode >= 400 ? reply.statusCode : error.status)
        .send(apiBody(error, request.id));
    }
    const titles: Partial<Record<AppError['code'], string>> = {
      FORBIDDEN: 'You do not have access to this page',
      NOT_FOUND: 'Page not found',
      CSRF_INVALID: 'Your form could not be sent',
      DATABASE_UNAVAILABLE: 'Sorry, the service is temporarily unavailable',
    };
    return reply.status(error.status).page('pages/error.njk', {
      title: titles[error.code] ?? 'There is a problem',
      message: error.message,
      requestId: request.id,
    });
  });

  app.setNotFoundHandler({ preHandler: async () => undefined }, async (request, reply) => {
    if (isApiPath(request.url)) {
      return reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: 'No such endpoint' }, requestId: request.id });
    }
    return reply.status(404).page('pages/error.njk', {
      title: 'Page not found',
      message: 'If you typed the web address, check it is correct.',
      requestId: request.id,
    });
  });
}
