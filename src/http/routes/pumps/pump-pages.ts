import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { formatPlainDate } from '../../../domain/calendar-date.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { findPumpModel } from '../../../domain/pump-device.ts';
import { PUMP_STATE_LABELS } from '../../../domain/pump-lifecycle.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import { today as serviceToday } from '../../../services/clock.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { pumpPage } from './pump-page-render.ts';
import { dateFromParts, datePartsOf, formFields } from '../form.ts';
import { formValues, PUMP_HREFS, pumpChoices, pumpFromForm } from './pump-forms.ts';

type PumpParams = { Params: { pumpId: string } };
type PatientParams = { Params: { patientId: string } };

/** Pump pages: the patient's pumps, registration, the pump page, events, appointments and prescription decisions. */
export function pumpRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { renderPump, onPumpPage, onDatedPumpForm } = pumpPage(deps);
  const pumps = deps.services.pumps;
  const read = { permission: 'patient:read' } as const;
  const manage = { permission: 'pump:manage' } as const;
  const check = { permission: 'dose:check' } as const;
  const book = { permission: 'refill:book' } as const;

  const renderRegister = async (
    reply: FastifyReply,
    patientId: string,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) => {
    // A pump still implanted can be the one this replaces; registering asks for its end, which
    // a different clinician confirms (pump-service, pump-end-decisions).
    const { patient, implanted } = await pumps.registrationChoices(patientId);
    return reply.status(status).page('pages/pumps/new.njk', {
      title: 'Register a pump',
      patient,
      replaceable: implanted.map((p) => ({
        value: p.id,
        text: `${findPumpModel(p.modelId)?.name ?? p.modelId}, serial ${p.serialNumber}, implanted ${formatPlainDate(p.implantedOn)}`,
      })),
      values,
      choices: pumpChoices,
      action: `/patients/${patient.id}/pumps`,
      ...errorContext(errors, PUMP_HREFS),
    });
  };

  return async (app) => {
    app.get<PatientParams>(
      '/patients/:patientId/pumps',
      { config: { access: read } },
      async (request, reply) => {
        const auth = requireAuth(request);
        const listed = await pumps.listForPatient(actorFor(auth, request.id), request.params.patientId);
        return reply.page('pages/pumps/list.njk', {
          title: 'Pumps and refills',
          patient: listed.patient,
          pumps: listed.pumps.map((p) => ({
            ...p,
            modelName: findPumpModel(p.modelId)?.name ?? p.modelId,
            stateLabel:
              PUMP_STATE_LABELS[p.state] + (p.state === 'implanted' && p.resumeBy ? ', paused' : ''),
          })),
          canRegister: roleHasPermission(auth.user.role, 'pump:manage'),
        });
      },
    );

    app.get<PatientParams>(
      '/patients/:patientId/pumps/new',
      { config: { access: manage } },
      async (request, reply) =>
        renderRegister(reply, request.params.patientId, 200, { implantedOn: datePartsOf(null) }),
    );

    app.post<PatientParams>(
      '/patients/:patientId/pumps',
      { config: { access: manage } },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const { patientId } = request.params;
        const { raw, formErrors } = pumpFromForm(request.body, serviceToday(deps));
        let errors: readonly FieldError[] | null = formErrors;
        let status = 400;
        if (!errors) {
          try {
            const pump = await pumps.register(actor, patientId, raw);
            const done = pump.replacesPumpId === null ? 'registered' : 'replacement-requested';
            return await reply.redirect(`/pumps/${pump.id}?done=${done}`, 303);
          } catch (err) {
            if (!(
              err instanceof AppError &&
              (err.code === 'VALIDATION_FAILED' || err.code === 'DUPLICATE_PUMP_SERIAL')
            )) {
              throw err;
            }
            errors = err.fieldErrors;
            status = err.status;
          }
        }
        // Shown again with what was entered; nothing was stored.
        return renderRegister(reply, patientId, status, formValues(request.body, ['implantedOn']), errors);
      },
    );

    app.get<PumpParams>('/pumps/:pumpId', { config: { access: read } }, async (request, reply) =>
      renderPump(request, reply, request.params.pumpId),
    );

    app.post<PumpParams>('/pumps/:pumpId/events', { config: { access: manage } }, async (request, reply) => {
      const { pumpId } = request.params;
      const form = { prefix: 'event-', done: 'event', dates: { 'event-occurredOn': 'Date' } };
      return onDatedPumpForm(request, reply, pumpId, form, (f, dates) =>
        pumps.recordEvent(actorFor(requireAuth(request), request.id), pumpId, {
          kind: f['event-kind'] || undefined,
          occurredOn: dates['event-occurredOn'],
          note: f['event-note'] ?? null,
        }),
      );
    });

    app.post<PumpParams>(
      '/pumps/:pumpId/appointments',
      { config: { access: book } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const form = { prefix: 'appt-', done: 'booked', dates: { 'appt-onDate': 'Appointment date' } };
        return onDatedPumpForm(request, reply, pumpId, form, (f, dates) =>
          pumps.bookAppointment(actorFor(requireAuth(request), request.id), pumpId, {
            kind: f['appt-kind'] || undefined,
            onDate: dates['appt-onDate'],
            note: f['appt-note'] ?? null,
          }),
        );
      },
    );

    // A review recorded as held on the day it happened (today, or a day in the past within the
    // service's limit); the boxes come filled with today.
    app.post<PumpParams>('/pumps/:pumpId/reviews', { config: { access: book } }, async (request, reply) => {
      const { pumpId } = request.params;
      const form = {
        prefix: 'review-',
        done: 'review-held',
        dates: { 'review-heldOn': 'Date of the review' },
      };
      return onDatedPumpForm(request, reply, pumpId, form, (f, dates) =>
        pumps.recordReviewHeld(actorFor(requireAuth(request), request.id), pumpId, {
          heldOn: dates['review-heldOn'],
          note: f['review-note'] ?? null,
        }),
      );
    });

    app.post<{ Params: { pumpId: string; appointmentId: string } }>(
      '/pumps/:pumpId/appointments/:appointmentId',
      { config: { access: book } },
      async (request, reply) => {
        const { pumpId, appointmentId } = request.params;
        const f = formFields(request.body);
        return onPumpPage(
          request,
          reply,
          pumpId,
          'appt-',
          async () => {
            // The appointment must belong to this pump; a mismatched address is refused.
            const o = await pumps.overview(actorFor(requireAuth(request), request.id), pumpId);
            if (!o.appointments.some((a) => a.id === appointmentId)) {
              throw new AppError('NOT_FOUND', 'Appointment not found');
            }
            return pumps.updateAppointment(actorFor(requireAuth(request), request.id), appointmentId, {
              state: f.state,
              note: null,
            });
          },
          'appointment',
        );
      },
    );

    const decide = (kind: 'confirm' | 'reject') => async (request: FastifyRequest, reply: FastifyReply) => {
      const { id } = request.params as { id: string };
      const prescription = await pumps.findPrescription(id);
      const f = formFields(request.body);
      const actor = actorFor(requireAuth(request), request.id);
      // The day the pump was reprogrammed: the plan counts the new programme from then. The
      // boxes come filled with today; emptied, the service takes today.
      const boxes = ['day', 'month', 'year'].some(
        (k) => (f[`confirm-programmedOn-${k}`] ?? '').trim() !== '',
      );
      const programmed = boxes
        ? dateFromParts(f, 'confirm-programmedOn', 'Date the pump was reprogrammed')
        : { date: null, error: null };
      if (kind === 'confirm' && programmed.error) {
        return renderPump(request, reply, prescription.pumpId, {
          status: 400,
          errors: [programmed.error],
          values: f,
        });
      }
      return onPumpPage(
        request,
        reply,
        prescription.pumpId,
        kind === 'reject' ? 'reject-' : 'confirm-',
        () =>
          kind === 'confirm'
            ? pumps.confirmPrescription(actor, id, { note: f['confirm-note'], programmedOn: programmed.date })
            : pumps.rejectPrescription(actor, id, { note: f['reject-note'] }),
        kind === 'confirm' ? 'confirmed' : 'rejected',
      );
    };
    app.post('/prescriptions/:id/confirm', { config: { access: check } }, decide('confirm'));
    app.post('/prescriptions/:id/reject', { config: { access: check } }, decide('reject'));
  };
}
