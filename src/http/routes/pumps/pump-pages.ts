import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../compose.ts';
import { formatPlainDate } from '../../../domain/calendar-date.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { findPumpModel } from '../../../domain/pump-device.ts';
import { PUMP_STATE_LABELS } from '../../../domain/pump-lifecycle.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import { loadPatient } from '../../../services/patient-service.ts';
import { today as serviceToday } from '../../../services/clock.ts';
import { confirmPrescription, rejectPrescription } from '../../../services/prescription-service.ts';
import {
  bookPumpAppointment,
  patientPumps,
  pumpOverview,
  recordPumpEvent,
  registerPump,
  updatePumpAppointment,
} from '../../../services/pump-service.ts';
import { findPrescriptionById, listPumpsForPatient } from '../../../storage/pumps.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { pumpPage } from './pump-page-render.ts';
import { dateFromParts, datePartsOf, formFields } from '../form.ts';
import { formValues, PUMP_HREFS, pumpChoices, pumpFromForm } from './pump-forms.ts';

type PumpParams = { Params: { pumpId: string } };
type PatientParams = { Params: { patientId: string } };

/** Pump pages: the patient's pumps, registration, the pump page, events, appointments and prescription decisions. */
export function pumpRoutes(deps: AppDeps): FastifyPluginAsync {
  const { svc, renderPump, onPumpPage } = pumpPage(deps);
  const db = deps.database.db;
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
    const patient = await loadPatient(db, patientId);
    // A pump still implanted can be the one this replaces; registering asks for its end, which
    // a different clinician confirms (pump-service, pump-lifecycle-service).
    const implanted = (await listPumpsForPatient(db, patientId)).filter((p) => p.state === 'implanted');
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
        const { patient, pumps } = await patientPumps(
          svc,
          actorFor(auth, request.id),
          request.params.patientId,
        );
        return reply.page('pages/pumps/list.njk', {
          title: 'Pumps and refills',
          patient,
          pumps: pumps.map((p) => ({
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
        const { raw, formErrors } = pumpFromForm(request.body, serviceToday(svc));
        let errors: readonly FieldError[] | null = formErrors;
        let status = 400;
        if (!errors) {
          try {
            const pump = await registerPump(svc, actor, patientId, raw);
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
      const f = formFields(request.body);
      const { date, error } = dateFromParts(f, 'event-occurredOn', 'Date');
      if (error) {
        return renderPump(request, reply, pumpId, { status: 400, errors: [error], values: f });
      }
      return onPumpPage(
        request,
        reply,
        pumpId,
        'event-',
        () =>
          recordPumpEvent(svc, actorFor(requireAuth(request), request.id), pumpId, {
            kind: f['event-kind'] || undefined,
            occurredOn: date,
            note: f['event-note'] ?? null,
          }),
        'event',
      );
    });

    app.post<PumpParams>(
      '/pumps/:pumpId/appointments',
      { config: { access: book } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const f = formFields(request.body);
        const { date, error } = dateFromParts(f, 'appt-onDate', 'Appointment date');
        if (error) {
          return renderPump(request, reply, pumpId, { status: 400, errors: [error], values: f });
        }
        return onPumpPage(
          request,
          reply,
          pumpId,
          'appt-',
          () =>
            bookPumpAppointment(svc, actorFor(requireAuth(request), request.id), pumpId, {
              kind: f['appt-kind'] || undefined,
              onDate: date,
              note: f['appt-note'] ?? null,
            }),
          'booked',
        );
      },
    );

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
            const o = await pumpOverview(svc, actorFor(requireAuth(request), request.id), pumpId);
            if (!o.appointments.some((a) => a.id === appointmentId)) {
              throw new AppError('NOT_FOUND', 'Appointment not found');
            }
            return updatePumpAppointment(svc, actorFor(requireAuth(request), request.id), appointmentId, {
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
      const prescription = await findPrescriptionById(db, id);
      if (!prescription) {
        throw new AppError('NOT_FOUND', 'Prescription not found');
      }
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
            ? confirmPrescription(svc, actor, id, { note: f['confirm-note'], programmedOn: programmed.date })
            : rejectPrescription(svc, actor, id, { note: f['reject-note'] }),
        kind === 'confirm' ? 'confirmed' : 'rejected',
      );
    };
    app.post('/prescriptions/:id/confirm', { config: { access: check } }, decide('confirm'));
    app.post('/prescriptions/:id/reject', { config: { access: check } }, decide('reject'));
  };
}
