import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { NEXT_STEP_HINTS, NEXT_STEP_LABELS, NEXT_STEPS } from '../../../domain/first-appointment-outcome.ts';
import { AppError } from '../../../services/app-error.ts';
import type { Appointment } from '../../../storage/appointments.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, formVersion } from '../form.ts';

const ACCESS = { permission: 'appointment:outcome' } as const;

const STEP_ITEMS = NEXT_STEPS.map((v) => ({ value: v, text: NEXT_STEP_LABELS[v], hint: NEXT_STEP_HINTS[v] }));

async function render(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  appointment: Appointment,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
  status = 200,
) {
  const auth = requireAuth(request);
  const detail = await deps.services.referrals.view(actorFor(auth, request.id), appointment.referralId);
  return reply.status(status).page('pages/appointments/next-step.njk', {
    title: 'Record the outcome and next step',
    patient: detail.patient,
    referral: detail.referral,
    appointment,
    stepItems: STEP_ITEMS,
    // Said before anything is typed: the service refuses an outcome before the day.
    notYetDue: appointment.state === 'booked' && appointment.date > deps.services.referrals.today(),
    values,
    ...errorContext(errors, { nextStep: 'nextStep' }),
  });
}

/**
 * The outcome of a first appointment as a next step, by the consultant or nurse specialist who
 * saw the patient: a plain form (it works with JavaScript off) that makes the clinic letter.
 */
export function nextStepRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { id: string } }>(
      '/appointments/:id/next-step',
      { config: { access: ACCESS } },
      async (request, reply) => {
        const appointment = await deps.services.referrals.findAppointment(request.params.id);
        return render(deps, request, reply, appointment, { version: appointment.version });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/appointments/:id/next-step',
      { config: { access: ACCESS } },
      async (request, reply) => {
        const appointment = await deps.services.referrals.findAppointment(request.params.id);
        const f = formFields(request.body);
        const actor = actorFor(requireAuth(request), request.id);
        try {
          await deps.services.firstAppointmentOutcomes.record(actor, appointment.id, formVersion(f), {
            nextStep: f.nextStep,
            summary: f.summary,
            referTo: f.referTo,
          });
          return await reply.redirect(
            `/referrals/${appointment.referralId}?done=next-step-recorded#next-steps`,
            303,
          );
        } catch (err) {
          if (
            err instanceof AppError &&
            ['VALIDATION_FAILED', 'INVALID_STATE', 'STALE_EDIT'].includes(err.code)
          ) {
            const errors =
              err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'form', message: err.message }];
            const fresh =
              err.code === 'STALE_EDIT'
                ? await deps.services.referrals.findAppointment(appointment.id)
                : null;
            return render(
              deps,
              request,
              reply,
              appointment,
              { ...f, version: fresh ? fresh.version : f.version },
              errors,
              err.status,
            );
          }
          throw err;
        }
      },
    );
  };
}
