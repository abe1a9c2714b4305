import type { FieldError } from '../domain/field-error.ts';
import type { RefusalReason } from './refusals/refusal-reasons.ts';

/**
 * Expected failures carry a stable code from this closed set; one function maps a code to an
 * HTTP status. docs/ERRORS.md lists every code and a test keeps it complete.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  NOT_FOUND: 404,
  DUPLICATE_NHS_NUMBER: 409,
  DUPLICATE_USERNAME: 409,
  DUPLICATE_UBRN: 409,
  DUPLICATE_PUMP_SERIAL: 409,
  INVALID_STATE: 409,
  STALE_EDIT: 409,
  SIGN_IN_THROTTLED: 429,
  DATABASE_UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: readonly FieldError[];
  /** Safe, structured facts for the caller (for example the existing patient's id). */
  readonly details: Readonly<Record<string, unknown>>;
  /**
   * Which refusal this is (refusals/refusal-reasons.ts): every INVALID_STATE, and a
   * VALIDATION_FAILED for a two-person rule; null otherwise.
   */
  readonly reason: RefusalReason | null;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      fieldErrors?: readonly FieldError[];
      details?: Record<string, unknown>;
      cause?: unknown;
      reason?: RefusalReason;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = options.fieldErrors ?? [];
    this.details = options.details ?? {};
    this.reason = options.reason ?? null;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

/**
 * The record is not in a state that allows this: 409 `INVALID_STATE` with its own reason code,
 * so nothing downstream has to tell refusals apart by their message.
 */
export function refused(
  reason: RefusalReason,
  message: string,
  options: { fieldErrors?: readonly FieldError[]; details?: Record<string, unknown>; cause?: unknown } = {},
): AppError {
  return new AppError('INVALID_STATE', message, { ...options, reason });
}

/**
 * Fields that are wrong: 400 `VALIDATION_FAILED` naming each. A two-person rule broken (the
 * performer checking their own work) is also a field error, on who acts, with its reason.
 */
export function validationError(fieldErrors: readonly FieldError[], reason?: RefusalReason): AppError {
  return new AppError('VALIDATION_FAILED', 'There is a problem with the details entered', {
    fieldErrors,
    ...(reason ? { reason } : {}),
  });
}

/**
 * The one rule for an uploaded file: present, not empty, within UPLOAD_MAX_MB; the message
 * names the `file` field either way.
 */
export function requireUpload<T extends { readonly content: Buffer }>(
  file: T | null,
  maxBytes: number,
  missingMessage: string,
): T {
  if (!file || file.content.length === 0) {
    throw validationError([{ field: 'file', message: missingMessage }]);
  }
  if (file.content.length > maxBytes) {
    throw fileTooLarge('file', maxBytes);
  }
  return file;
}

export function fileTooLarge(field: string, maxBytes: number): AppError {
  return validationError([
    { field, message: `The file must be smaller than ${String(Math.round(maxBytes / 1024 / 1024))} MB` },
  ]);
}
