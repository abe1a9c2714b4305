import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import { today } from '../../../services/clock.ts';
import type { NewMeasureSetContext } from '../../../services/measures-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import {
  MEASURE_HREFS,
  measureChoices,
  measureFormErrors,
  measureFormPrefill,
  measureFormValues,
  measureSetFromForm,
} from './measure-form.ts';
import { measurePageData } from './measure-view.ts';
import { formFields } from '../form.ts';

type Params = { Params: { patientId: string } };

/** Outcome measure pages: the patient's measures as charts and tables, and the form for a new set. */
export function measureRoutes(deps: RouteDeps): FastifyPluginAsync {
  const measures = deps.services.measures;
  const read = { permission: 'patient:read' } as const;
  const write = { permission: 'measures:write' } as const;

  const renderForm = (
    reply: FastifyReply,
    status: number,
    ctx: NewMeasureSetContext,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) =>
    reply.status(status).page('pages/measures/form.njk', {
      title: 'Record outcome measures',
      patient: ctx.patient,
      assessments: ctx.assessments,
      carriedForward: ctx.latestGoals.length > 0,
      // GAS goals are set once and scored again at each review [GAS]: carried-forward goals
      // are shown fixed, with only the achieved score to give, unless new goals are set.
      rescoring: values.goalsFixed === '1',
      values,
      choices: measureChoices,
      action: `/patients/${ctx.patient.id}/measures`,
      ...errorContext(errors, MEASURE_HREFS),
    });

  return async (app) => {
    app.get<Params>('/patients/:patientId/measures', { config: { access: read } }, async (request, reply) => {
      const auth = requireAuth(request);
      const { patient, sets } = await measures.forPatient(
        actorFor(auth, request.id),
        request.params.patientId,
      );
      const q = formFields(request.query);
      return reply.page('pages/measures/show.njk', {
        title: 'Outcome measures',
        patient,
        recorded: q.recorded === '1',
        canRecord: roleHasPermission(auth.user.role, 'measures:write'),
        ...measurePageData(sets),
      });
    });

    app.get<Params>(
      '/patients/:patientId/measures/new',
      { config: { access: write } },
      async (request, reply) => {
        const ctx = await measures.newSetContext(
          actorFor(requireAuth(request), request.id),
          request.params.patientId,
        );
        const newGoals = formFields(request.query).goals === 'new';
        const goals = newGoals ? [] : ctx.latestGoals;
        const values = measureFormPrefill(today(deps), goals);
        return renderForm(reply, 200, ctx, goals.length > 0 ? { ...values, goalsFixed: '1' } : values);
      },
    );

    app.post<Params>(
      '/patients/:patientId/measures',
      { config: { access: write } },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const { patientId } = request.params;
        const { raw, formErrors } = measureSetFromForm(request.body, today(deps));
        let errors: readonly FieldError[] | null = formErrors;
        if (!errors) {
          try {
            await measures.record(actor, patientId, raw);
            return await reply.redirect(`/patients/${patientId}/measures?recorded=1`, 303);
          } catch (err) {
            if (!(err instanceof AppError && err.code === 'VALIDATION_FAILED')) {
              throw err;
            }
            errors = measureFormErrors(err.fieldErrors, request.body);
          }
        }
        // Shown again with what was entered; nothing was stored.
        const ctx = await measures.newSetContext(actor, patientId);
        return renderForm(reply, 400, ctx, measureFormValues(request.body), errors);
      },
    );
  };
}
