import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ImportIssue } from '../../../domain/fhir-import/patient-entry.ts';
import type { AppError, ErrorCode } from '../../../services/app-error.ts';

/**
 * FHIR's error body: an OperationOutcome whose issues say what went wrong and where
 * (https://hl7.org/fhir/R4/operationoutcome.html; issue codes from
 * https://hl7.org/fhir/R4/valueset-issue-type.html).
 */
export function operationOutcome(issues: readonly OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [...issues] };
}

export function outcomeIssue(
  code: OperationOutcomeIssue['code'],
  diagnostics: string,
  expression?: string,
  severity: OperationOutcomeIssue['severity'] = 'error',
): OperationOutcomeIssue {
  return { severity, code, diagnostics, ...(expression === undefined ? {} : { expression: [expression] }) };
}

const ISSUE_CODE_FOR: Record<ErrorCode, OperationOutcomeIssue['code']> = {
  VALIDATION_FAILED: 'invalid',
  UNAUTHENTICATED: 'login',
  INVALID_CREDENTIALS: 'login',
  FORBIDDEN: 'forbidden',
  CSRF_INVALID: 'forbidden',
  NOT_FOUND: 'not-found',
  DUPLICATE_NHS_NUMBER: 'duplicate',
  DUPLICATE_USERNAME: 'duplicate',
  DUPLICATE_UBRN: 'duplicate',
  DUPLICATE_PUMP_SERIAL: 'duplicate',
  INVALID_STATE: 'business-rule',
  STALE_EDIT: 'conflict',
  SIGN_IN_THROTTLED: 'throttled',
  DATABASE_UNAVAILABLE: 'transient',
};

/** An application error as an OperationOutcome: one issue, or one per field when fields are named. */
export function outcomeOfAppError(error: AppError): OperationOutcome {
  const code = ISSUE_CODE_FOR[error.code];
  if (error.fieldErrors.length === 0) {
    return operationOutcome([outcomeIssue(code, error.message)]);
  }
  return operationOutcome(error.fieldErrors.map((f) => outcomeIssue(code, f.message, f.field)));
}

/** An import problem as an OperationOutcome issue, its element path as the FHIRPath expression. */
export function importIssue(issue: ImportIssue): OperationOutcomeIssue {
  return outcomeIssue(issue.code, issue.message, issue.path, issue.severity);
}
