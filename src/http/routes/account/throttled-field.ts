import type { FastifyReply } from 'fastify';
import type { FieldError } from '../../../domain/field-error.ts';
import type { AppError } from '../../../services/app-error.ts';

/** Wrong guesses here count like sign-in guesses: show the wait on the form, with Retry-After. */
export function throttledField(err: AppError, field: string, reply: FastifyReply): FieldError[] {
  reply.header('retry-after', String(err.details.retryAfterSeconds));
  return [{ field, message: err.message }];
}
