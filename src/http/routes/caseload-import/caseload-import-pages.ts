import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { CASELOAD_COLUMNS } from '../../../domain/caseload-import/columns.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { AppError } from '../../../services/app-error.ts';
import type { CaseloadReport } from '../../../services/caseload-import/caseload-import-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';
import { uploadedFile } from '../referrals/referral-uploads.ts';

const access = { permission: 'caseload:import' } as const;

/** Problems shown on the page at most; the CLI prints them all, and the summary counts them all. */
export const PROBLEMS_SHOWN = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function renderUpload(reply: FastifyReply, errors: readonly FieldError[] = [], status = 200) {
  return reply.status(status).page('pages/caseload-import/upload.njk', {
    title: 'Import a caseload',
    columns: CASELOAD_COLUMNS,
    ...errorContext(errors),
  });
}

function renderReport(
  reply: FastifyReply,
  report: CaseloadReport,
  errors: readonly FieldError[] = [],
  status = 200,
) {
  return reply.status(status).page('pages/caseload-import/report.njk', {
    title: report.status === 'committed' ? 'Caseload imported' : `Check ${report.fileName}`,
    report,
    shown: report.problems.slice(0, PROBLEMS_SHOWN),
    more: Math.max(0, report.problems.length - PROBLEMS_SHOWN),
    ...errorContext(errors),
  });
}

/**
 * The caseload import pages: upload a spreadsheet, see the column mapping and the dry run's
 * problems by row and column, confirm (the service checks every row again and commits all or
 * none), then the result with links to the worklist. The rows stay on the server between the
 * steps: the confirmation names the import, never re-posts rows.
 */
export function caseloadImportRoutes(deps: RouteDeps): FastifyPluginAsync {
  const svc = deps.services.caseloadImport;
  return async (app) => {
    app.get('/import/caseload', { config: { access } }, async (_request, reply) => renderUpload(reply));

    app.post('/import/caseload', { config: { access } }, async (request, reply) => {
      try {
        const file = uploadedFile(request.body, 'file', deps.config.uploadMaxBytes);
        if (!file || file.content.length === 0) {
          return await renderUpload(
            reply,
            [{ field: 'file', message: 'Select a spreadsheet (.xlsx or .csv) to upload' }],
            400,
          );
        }
        const report = await svc.stage(actorFor(requireAuth(request), request.id), {
          fileName: file.filename,
          content: file.content,
        });
        return await reply.redirect(`/import/caseload/${report.importId}`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          return renderUpload(reply, err.fieldErrors, 400);
        }
        throw err;
      }
    });

    app.get<{ Params: { id: string } }>(
      '/import/caseload/:id',
      { config: { access } },
      async (request, reply) => {
        if (!UUID.test(request.params.id)) {
          throw new AppError('NOT_FOUND', 'No caseload import with this id');
        }
        const report = await svc.report(actorFor(requireAuth(request), request.id), request.params.id);
        return renderReport(reply, report);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/import/caseload/:id/confirm',
      { config: { access } },
      async (request, reply) => {
        if (!UUID.test(request.params.id)) {
          throw new AppError('NOT_FOUND', 'No caseload import with this id');
        }
        const actor = actorFor(requireAuth(request), request.id);
        const form = formFields(request.body);
        try {
          await svc.commit(actor, request.params.id, { acceptWarnings: form.acceptWarnings === 'yes' });
        } catch (err) {
          if (err instanceof AppError && err.reason === 'IMPORT_WARNINGS_NOT_ACCEPTED') {
            const report = await svc.report(actor, request.params.id);
            return renderReport(
              reply,
              report,
              [{ field: 'acceptWarnings', message: 'Confirm that each warning has been checked' }],
              400,
            );
          }
          throw err;
        }
        return reply.redirect(`/import/caseload/${request.params.id}`, 303);
      },
    );
  };
}
