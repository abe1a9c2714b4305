import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { AppError } from '../../../services/app-error.ts';
import type { SecurityRefusalLimiter } from '../../../services/security-refusal-audit.ts';
import { registerApiAuth } from '../../plugins/auth.ts';
import { clientError } from '../../plugins/errors.ts';
import { operationOutcome, outcomeIssue, outcomeOfAppError } from './operation-outcome.ts';

/** FHIR's JSON media type (https://hl7.org/fhir/R4/http.html#mime-type). */
export const FHIR_JSON = 'application/fhir+json';

/** The largest import bundle accepted over HTTP: 10,000 patients of about a kilobyte each. */
export const FHIR_IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The FHIR context, /fhir/R4: the API's bearer tokens (registerApiAuth, the same tokens and
 * refusal audit as /api/v1, never a cookie), bodies in `application/fhir+json` or
 * `application/json`, every answer `application/fhir+json`, and every error an
 * OperationOutcome with its HTTP status, never the /api/v1 error body or an HTML page.
 */
export function registerFhirContext(
  app: FastifyInstance,
  deps: RouteDeps,
  options: { refusals: SecurityRefusalLimiter | undefined },
): void {
  registerApiAuth(app, deps, options);
  app.addContentTypeParser(
    FHIR_JSON,
    { parseAs: 'string', bodyLimit: FHIR_IMPORT_BODY_LIMIT },
    app.getDefaultJsonParser('error', 'error'),
  );
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-type', `${FHIR_JSON}; charset=utf-8`);
    return payload;
  });
  app.setErrorHandler(async (err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = clientError(err, request);
    if (!mapped) {
      request.log.error({ err }, 'unexpected error');
      return reply
        .status(500)
        .send(
          operationOutcome([
            outcomeIssue(
              'exception',
              `Something went wrong. The error has been logged (request ${request.id}).`,
            ),
          ]),
        );
    }
    if (mapped.error.code === 'SIGN_IN_THROTTLED') {
      reply.header('retry-after', String(Number(mapped.error.details.retryAfterSeconds ?? 60)));
    }
    if (mapped.error.code === 'UNAUTHENTICATED') {
      reply.header('www-authenticate', 'Bearer');
    }
    return reply.status(mapped.status).send(outcomeOfAppError(mapped.error));
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply
      .status(404)
      .send(
        operationOutcome([
          outcomeIssue(
            'not-supported',
            `No FHIR interaction at ${request.method} ${request.url.split('?')[0] ?? ''}`,
          ),
        ]),
      ),
  );
}
