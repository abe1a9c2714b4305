import type { Bundle, BundleEntry, OperationOutcome } from '@medplum/fhirtypes';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../../../compose.ts';
import type { ImportEntryReport, ImportReport } from '../../../services/fhir-import/import-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { FHIR_IMPORT_BODY_LIMIT } from './fhir-context.ts';
import { bundleSchema, fhirErrors, importBodySchema, operationOutcomeSchema } from './fhir-schemas.ts';
import { importIssue, operationOutcome } from './operation-outcome.ts';

const STATUS_TEXT: Record<number, string> = {
  200: '200 OK',
  201: '201 Created',
  400: '400 Bad Request',
  409: '409 Conflict',
};

/** 409 when every problem is a conflict with the register, 400 when the content itself is wrong. */
function statusOf(issues: ImportReport['issues']): 400 | 409 {
  const errors = issues.filter((i) => i.severity === 'error');
  return errors.length > 0 && errors.every((i) => i.code === 'conflict') ? 409 : 400;
}

function responseEntry(base: string, e: ImportEntryReport): BundleEntry {
  const outcome: OperationOutcome | undefined =
    e.issues.length > 0 ? operationOutcome(e.issues.map(importIssue)) : undefined;
  const status = e.outcome === 'created' ? 201 : e.outcome === 'matched' ? 200 : statusOf(e.issues);
  return {
    ...(e.fullUrl === null ? {} : { fullUrl: e.fullUrl }),
    response: {
      status: STATUS_TEXT[status] ?? String(status),
      ...(e.patientId === null ? {} : { location: `${base}/Patient/${e.patientId}` }),
      ...(outcome ? { outcome } : {}),
    },
  };
}

/**
 * A Bundle's answer (https://hl7.org/fhir/R4/http.html#transaction-response): a refused
 * transaction is one OperationOutcome listing every problem, with nothing saved; otherwise a
 * transaction-response or batch-response Bundle whose entries, in the order sent, say
 * 201 Created (registered) or 200 OK (matched), with the Patient's location, or, in a batch,
 * the entry's own 400 or 409 and its OperationOutcome.
 */
export function importAnswer(
  base: string,
  report: ImportReport,
): { status: number; body: Bundle | OperationOutcome } {
  const refused = report.bundleType === null || (report.bundleType === 'transaction' && !report.saved);
  if (refused) {
    return { status: statusOf(report.issues), body: operationOutcome(report.issues.map(importIssue)) };
  }
  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      type: report.bundleType === 'batch' ? 'batch-response' : 'transaction-response',
      entry: report.entries.map((e) => responseEntry(base, e)),
    },
  };
}

/** POST /fhir/R4: a transaction or batch Bundle of Patients, registered or matched by NHS number. */
export function fhirImportRoutes(deps: RouteDeps): FastifyPluginAsync {
  const base = `${deps.config.publicUrl}/fhir/R4`;
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.post(
      '',
      {
        config: { access: { permission: 'patient:write' } },
        bodyLimit: FHIR_IMPORT_BODY_LIMIT,
        schema: {
          tags: ['fhir'],
          consumes: ['application/fhir+json', 'application/json'],
          produces: ['application/fhir+json'],
          summary: 'Import patients: a transaction or batch Bundle of Patient resources',
          description:
            'Each Patient is matched by NHS number (same date of birth and name: 200, nothing changed) or registered (201), under the register’s rules including the likely-duplicate check. A transaction is all or nothing: any problem saves nothing and the answer is one OperationOutcome listing every problem (400, or 409 when all are conflicts with the register). A batch saves its clean entries and answers each problem on its entry. Send application/fhir+json or application/json, at most 16 MiB and 10,000 entries.',
          body: importBodySchema,
          response: { 200: bundleSchema, ...fhirErrors, 409: operationOutcomeSchema },
        },
      },
      async (request, reply) => {
        const report = await deps.services.fhirImport.importBundle(
          actorFor(requireAuth(request), request.id),
          request.body,
        );
        const answer = importAnswer(base, report);
        return reply.status(answer.status).send(answer.body);
      },
    );
  };
}
