import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { AppError } from '../../../services/app-error.ts';
import { BREAK_GLASS_RECENT_DAYS } from '../../../services/break-glass-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { dateFromParts, formFields } from '../form.ts';
import { emergencySummaryView } from './emergency-summary-view.ts';

const FORM_TITLE = 'Break-glass: open a patient’s emergency summary';

/**
 * The emergency summary page, the break-glass form and the ITB team's list of break-glass
 * accesses. The summary's route admits the ITB team (`patient:read`) and emergency clinicians
 * (`emergency:break-glass`); the service then lets an emergency clinician in only under a live
 * grant, and the page answers 403 with the break-glass form otherwise.
 */
export function emergencySummaryRoutes(deps: RouteDeps): FastifyPluginAsync {
  const emergencySummary = deps.services.emergencySummary;
  const hours = deps.config.breakGlassHours;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

  const form = (
    reply: FastifyReply,
    status: number,
    values: Record<string, string>,
    errors: readonly FieldError[] = [],
    expired = false,
  ) =>
    reply.status(status).page('pages/emergency-summary/break-glass.njk', {
      title: FORM_TITLE,
      hours,
      values,
      expired,
      ...errorContext(errors, { dateOfBirth: 'dateOfBirth-day' }),
    });

  return async (app) => {
    app.get(
      '/patients/:patientId/emergency-summary',
      { config: { access: { permission: ['patient:read', 'emergency:break-glass'] } } },
      async (request, reply) => {
        const { patientId } = request.params as { patientId: string };
        try {
          const summary = await emergencySummary.summary(actor(request), patientId);
          return await reply.page(
            'pages/emergency-summary/summary.njk',
            emergencySummaryView(summary, deps.config.timeZone),
          );
        } catch (e) {
          if (e instanceof AppError && e.code === 'FORBIDDEN' && e.details.breakGlassRequired === true) {
            return form(reply, 403, {}, [], typeof e.details.expiredAt === 'string');
          }
          throw e;
        }
      },
    );

    app.get(
      '/break-glass',
      { config: { access: { permission: 'emergency:break-glass' } } },
      async (_request, reply) => form(reply, 200, {}),
    );

    app.post(
      '/break-glass',
      { config: { access: { permission: 'emergency:break-glass' } } },
      async (request, reply) => {
        const f = formFields(request.body);
        const values = {
          nhsNumber: f.nhsNumber ?? '',
          'dateOfBirth-day': f['dateOfBirth-day'] ?? '',
          'dateOfBirth-month': f['dateOfBirth-month'] ?? '',
          'dateOfBirth-year': f['dateOfBirth-year'] ?? '',
          reason: f.reason ?? '',
        };
        const { date, error } = dateFromParts(f, 'dateOfBirth', 'Date of birth', '15 3 1984');
        try {
          const grant = await emergencySummary.breakGlass(actor(request), {
            nhsNumber: values.nhsNumber,
            // A date that is not real is reported below; the service still checks the other fields.
            dateOfBirth: date ?? '0000-00-00',
            reason: values.reason,
          });
          if (error) {
            return await form(reply, 400, values, [error]);
          }
          return await reply.redirect(`/patients/${grant.patientId}/emergency-summary`, 303);
        } catch (e) {
          if (e instanceof AppError && (e.code === 'VALIDATION_FAILED' || e.code === 'NOT_FOUND')) {
            const errors = e.fieldErrors.filter((x) => !(error && x.field === 'dateOfBirth'));
            return form(
              reply,
              e.code === 'NOT_FOUND' ? 404 : 400,
              values,
              error ? [...errors, error] : errors,
            );
          }
          throw e;
        }
      },
    );

    app.get(
      '/break-glass/accesses',
      { config: { access: { permission: 'patient:read' } } },
      async (request, reply) => {
        const rows = await emergencySummary.recentBreakGlass(actor(request));
        return reply.page('pages/emergency-summary/accesses.njk', {
          title: 'Break-glass accesses in the last 7 days',
          days: BREAK_GLASS_RECENT_DAYS,
          hours,
          rows,
        });
      },
    );
  };
}
