import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { zodIssuesToFieldErrors } from '../../domain/field-error.ts';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../../services/app-error.ts';
import { isMalformedMultipart } from './input-guard.ts';
import { appErrorForDatabase } from '../../services/database-app-error.ts';

function apiBody(error: AppError, requestId: string) {
  return {
    error: {
      code: error.code,
      ...(error.reason === null ? {} : { reason: error.reason }),
      message: error.message,
      fields: error.fieldErrors,
      details: error.details,
    },
    requestId,
  };
}

/**
 * What a thrown error means to the client: an AppError as it is, a database failure as its
 * 409 or 503 (database-app-error.ts), a schema failure as
 * VALIDATION_FAILED naming each field, any other 4xx (a body that cannot be parsed, a wrong
 * content type) as a 4xx of the same status. Null for an unexpected error, which is logged
 * and never shown.
 */
export function clientError(
  err: FastifyError | AppError,
  request: FastifyRequest,
): { error: AppError; status: number } | null {
  if (err instanceof AppError) {
    return { error: err, status: err.status };
  }
  // A unique key's conflict is a 409; a database that is down, full or read-only a 503.
  const fromDatabase = appErrorForDatabase(err);
  if (fromDatabase) {
    if (fromDatabase.log !== null) {
      request.log.error(fromDatabase.log);
    }
    return { error: fromDatabase.error, status: fromDatabase.error.status };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    // The type provider puts each zod issue's path in instancePath ("/a/b").
    const issues = err.validation.map((v) => ({
      path: v.instancePath.split('/').filter(Boolean),
      message: v.message ?? 'Invalid value',
    }));
    const error = new AppError('VALIDATION_FAILED', 'The request has invalid fields', {
      fieldErrors: zodIssuesToFieldErrors(issues, err.validationContext ?? 'body'),
    });
    return { error, status: error.status };
  }
  if (isMalformedMultipart(err)) {
    const error = new AppError(
      'VALIDATION_FAILED',
      'The request body could not be read as multipart form data',
      {
        fieldErrors: [
          {
            field: 'body',
            message: 'Send a complete multipart body with the boundary its content-type names',
          },
        ],
      },
    );
    return { error, status: error.status };
  }
  if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
    const error = new AppError(
      'CSRF_INVALID',
      'This form had expired or was sent from another page. Go back, reload the page and try again.',
    );
    return { error, status: error.status };
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return { error: new AppError('VALIDATION_FAILED', err.message), status: err.statusCode };
  }
  return null;
}

function withRetryAfter(reply: FastifyReply, error: AppError): void {
  if (error.code === 'SIGN_IN_THROTTLED') {
    reply.header('retry-after', String(Number(error.details.retryAfterSeconds ?? 60)));
  }
}

/** JSON errors, for the API's context (and /health): `{ error: { code, message, … }, requestId }`. */
export function registerApiErrors(app: FastifyInstance, options: { notFound: boolean }): void {
  app.setErrorHandler(async (err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = clientError(err, request);
    if (!mapped) {
      request.log.error({ err }, 'unexpected error');
      return reply.status(500).send({
        error: { code: 'INTERNAL', message: 'Something went wrong. The error has been logged.' },
        requestId: request.id,
      });
    }
    withRetryAfter(reply, mapped.error);
    return reply.status(mapped.status).send(apiBody(mapped.error, request.id));
  });
  if (options.notFound) {
    app.setNotFoundHandler(async (request, reply) =>
      reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: 'No such endpoint' }, requestId: request.id }),
    );
  }
}

const PAGE_TITLES: Partial<Record<AppError['code'], string>> = {
  FORBIDDEN: 'You do not have access to this page',
  NOT_FOUND: 'Page not found',
  CSRF_INVALID: 'Your form could not be sent',
  DATABASE_UNAVAILABLE: 'Sorry, the service is temporarily unavailable',
};

/** The error page, for the pages' context and anything outside the API. Unexpected errors
 * never show their message or stack to the user. */
export function registerPageErrors(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = clientError(err, request);
    if (!mapped) {
      request.log.error({ err }, 'unexpected error');
      return reply.status(500).page('pages/error.njk', {
        title: 'Sorry, there is a problem with the service',
        message:
          'Try again later. If it keeps happening, tell the service administrator and quote this reference.',
        requestId: request.id,
      });
    }
    withRetryAfter(reply, mapped.error);
    return reply.status(mapped.status).page('pages/error.njk', {
      title: PAGE_TITLES[mapped.error.code] ?? 'There is a problem',
      message: mapped.error.message,
      requestId: request.id,
    });
  });

  app.setNotFoundHandler(async (request, reply) =>
    reply.status(404).page('pages/error.njk', {
      title: 'Page not found',
      message: 'If you typed the web address, check it is correct.',
      requestId: request.id,
    }),
  );
}
