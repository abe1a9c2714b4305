import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../compose.ts';
import { formatPlainDate } from '../../domain/calendar-date.ts';
import type { FieldError } from '../../domain/field-error.ts';
import { findPumpModel } from '../../domain/pump-device.ts';
import { PUMP_EVENT_LABELS } from '../../domain/pump-inputs.ts';
import { REFILL_STATUS_LABELS } from '../../domain/refill-worklist.ts';
import { roleHasPermission, type Permission } from '../../domain/roles.ts';
import { AppError } from '../../services/app-error.ts';
import { loadPatient } from '../../services/patient-service.ts';
import { today as serviceToday } from '../../services/clock.ts';
import {
  confirmPrescription,
  proposePrescription,
  rejectPrescription,
} from '../../services/prescription-service.ts';
import {
  bookPumpAppointment,
  patientPumps,
  pumpOverview,
  recordPumpEvent,
  registerPump,
  updatePumpAppointment,
  type PumpOverview,
  type PumpServiceDeps,
} from '../../services/pump-service.ts';
import { findPrescriptionById, listPumpsForPatient } from '../../storage/pumps.repository.ts';
import { displayNames } from '../../storage/users.repository.ts';
import { actorFor, requireAuth, type RequestAuth } from '../access.ts';
import { errorContext } from '../plugins/views.ts';
import { dateFromParts, datePartsOf, formFields, isPageError } from './form.ts';
import {
  formValues,
  prescriptionFormErrors,
  prescriptionFromForm,
  programmeFormValues,
  PROGRAMME_HREFS,
  PUMP_HREFS,
  pumpChoices,
  pumpFromForm,
} from './pump-forms.ts';
import {
  comparisonRows,
  num,
  originLabel,
  prescriptionSummary,
  signedMl,
  signedPercent,
} from './pump-view.ts';

export function pumpServiceDeps(deps: AppDeps): PumpServiceDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config };
}

const NOTICES: Readonly<Record<string, string>> = {
  registered: 'Pump registered',
  proposed: 'Prescription change proposed: it counts once a second clinician confirms it',
  confirmed: 'Prescription change confirmed: it is now the active prescription',
  rejected: 'Prescription change rejected: the active prescription stays as it was',
  event: 'Event recorded',
  booked: 'Appointment booked',
  appointment: 'Appointment updated',
};

/** The pump page's smaller forms name their fields with a prefix, so each error lands on its own form. */
const PUMP_PAGE_HREFS: Record<string, string> = {
  'event-occurredOn': 'event-occurredOn-day',
  'appt-onDate': 'appt-onDate-day',
};

const prefixed = (errors: readonly FieldError[], prefix: string): FieldError[] =>
  errors.map((e) => ({ field: `${prefix}${e.field}`, message: e.message }));

interface PumpPageExtra {
  readonly status?: number;
  readonly errors?: readonly FieldError[];
  readonly values?: Record<string, string>;
  readonly conflict?: string | null;
}

type PumpParams = { Params: { pumpId: string } };
type PatientParams = { Params: { patientId: string } };

/** Pump pages: the patient's pumps, registration, the pump page and prescription changes (issue 5). */
export function pumpRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = pumpServiceDeps(deps);
  const db = deps.database.db;
  const read = { permission: 'patient:read' } as const;
  const manage = { permission: 'pump:manage' } as const;
  const prescribe = { permission: 'dose:prescribe' } as const;
  const check = { permission: 'dose:check' } as const;
  const book = { permission: 'refill:book' } as const;

  const pumpPageData = async (auth: RequestAuth, o: PumpOverview) => {
    const can = (p: Permission) => roleHasPermission(auth.user.role, p);
    const names = await displayNames(db, [
      ...o.prescriptions.flatMap((p) => [p.proposedBy, p.decidedBy ?? '']),
      ...o.refills.flatMap((r) => [r.performedBy, r.checkedBy ?? '']),
      ...o.events.map((e) => e.recordedBy),
    ]);
    const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'Unknown') : '');
    const pending = o.pending;
    const implanted = o.pump.state === 'implanted';
    return {
      patient: o.patient,
      pump: o.pump,
      model: o.model,
      life: o.life,
      origin: originLabel(o.pump.origin),
      standing: o.standing,
      statusLabel: REFILL_STATUS_LABELS[o.standing.status],
      bookedRefillOn: o.bookedRefillOn,
      nextReview: o.nextReview,
      active: o.active ? prescriptionSummary(o.active) : null,
      pending: pending
        ? {
            ...prescriptionSummary(pending),
            rows: comparisonRows(o.active, pending),
            change: signedPercent(pending.changePercent),
            limit: pending.limitPercent === null ? null : `${num(pending.limitPercent)}%`,
            withinLimit: pending.withinLimit,
            compared: pending.comparedDoseMcgPerDay === null ? null : num(pending.comparedDoseMcgPerDay),
            reason: pending.reason,
            proposedBy: nameOf(pending.proposedBy),
            proposedAt: pending.proposedAt,
            refillId: pending.refillId,
            mine: pending.proposedBy === auth.user.id,
          }
        : null,
      refills: o.refills.map((r) => ({
        id: r.id,
        performedOn: r.performedOn,
        expected: num(r.expectedResidualMl),
        withdrawn: num(r.withdrawnMl),
        discrepancy: signedMl(r.discrepancyMl),
        discrepancyPercent: signedPercent(r.discrepancyPercent),
        flagged: r.flagged,
        instilled: num(r.instilledMl),
        dueBy: r.dueBy,
        signed: r.state === 'signed',
      })),
      appointments: o.appointments.map((a) => ({
        ...a,
        kindLabel: pumpChoices.appointmentKinds.find((k) => k.value === a.kind)?.text ?? a.kind,
      })),
      events: o.events.map((e) => ({
        ...e,
        kindLabel: PUMP_EVENT_LABELS[e.kind],
        recordedByName: nameOf(e.recordedBy),
      })),
      implanted,
      canRecordRefill: implanted && can('refill:record'),
      canPrescribe: implanted && can('dose:prescribe'),
      canCheck: can('dose:check'),
      canBook: implanted && can('refill:book'),
      canManage: implanted && can('pump:manage'),
      choices: pumpChoices,
    };
  };

  const renderPump = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    extra: PumpPageExtra = {},
  ) => {
    const auth = requireAuth(request);
    const o = await pumpOverview(svc, actorFor(auth, request.id), pumpId);
    const q = request.query as Record<string, string | undefined>;
    const values = extra.values ?? {};
    return reply.status(extra.status ?? 200).page('pages/pumps/show.njk', {
      title: `Pump ${o.pump.serialNumber}`,
      ...(await pumpPageData(auth, o)),
      notice: NOTICES[q.done ?? ''] ?? null,
      conflict: extra.conflict ?? null,
      values,
      ...errorContext(extra.errors ?? [], PUMP_PAGE_HREFS),
      ...dateBoxes(values),
    });
  };

  const renderRegister = async (
    reply: FastifyReply,
    patientId: string,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) => {
    const patient = await loadPatient(db, patientId);
    // A pump still implanted can be the one this replaces; registering ends it (pump-service).
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

  const renderPrescriptionForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    status: number,
    values: Record<string, unknown> | null,
    errors: readonly FieldError[] = [],
    conflict: string | null = null,
  ) => {
    const o = await pumpOverview(svc, actorFor(requireAuth(request), request.id), pumpId);
    return reply.status(status).page('pages/pumps/prescription-form.njk', {
      title: 'Change the prescription',
      patient: o.patient,
      pump: o.pump,
      model: o.model,
      active: o.active ? prescriptionSummary(o.active) : null,
      pendingExists: o.pending !== null,
      values: values ?? {
        drug: o.active?.drug ?? 'baclofen',
        concentrationMcgPerMl: o.active ? String(o.active.concentrationMcgPerMl) : '',
        ...programmeFormValues(o.active?.programme ?? null, o.active?.phase ?? null, ''),
      },
      choices: pumpChoices,
      prefix: '',
      conflict,
      action: `/pumps/${o.pump.id}/prescriptions`,
      ...errorContext(errors, PROGRAMME_HREFS('')),
    });
  };

  /** Pump page forms: on a problem the page is shown again with the message and what was typed. */
  const onPumpPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    prefix: string,
    action: () => Promise<unknown>,
    done: string,
  ) => {
    try {
      await action();
      return await reply.redirect(`/pumps/${pumpId}?done=${done}`, 303);
    } catch (err) {
      if (!isPageError(err)) {
        throw err;
      }
      const pageValues = formFields(request.body);
      if (err.code === 'VALIDATION_FAILED' && err.fieldErrors.every((e) => e.field !== 'checkedBy')) {
        return renderPump(request, reply, pumpId, {
          status: 400,
          errors: prefixed(err.fieldErrors, prefix),
          values: pageValues,
        });
      }
      return renderPump(request, reply, pumpId, {
        status: err.status,
        conflict: err.fieldErrors[0]?.message ?? err.message,
        values: pageValues,
      });
    }
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
              p.state === 'implanted' ? 'Implanted' : p.state === 'replaced' ? 'Replaced' : 'Removed',
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
        if (!errors) {
          try {
            const pump = await registerPump(svc, actor, patientId, raw);
            return await reply.redirect(`/pumps/${pump.id}?done=registered`, 303);
          } catch (err) {
            if (!(err instanceof AppError && err.code === 'VALIDATION_FAILED')) {
              throw err;
            }
            errors = err.fieldErrors;
          }
        }
        // Shown again with what was entered; nothing was stored.
        return renderRegister(reply, patientId, 400, formValues(request.body, ['implantedOn']), errors);
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

    app.get<PumpParams>(
      '/pumps/:pumpId/prescriptions/new',
      { config: { access: prescribe } },
      async (request, reply) => renderPrescriptionForm(request, reply, request.params.pumpId, 200, null),
    );

    app.post<PumpParams>(
      '/pumps/:pumpId/prescriptions',
      { config: { access: prescribe } },
      async (request, reply) => {
        const { pumpId } = request.params;
        const { raw } = prescriptionFromForm(request.body);
        try {
          await proposePrescription(svc, actorFor(requireAuth(request), request.id), pumpId, raw);
          return await reply.redirect(`/pumps/${pumpId}?done=proposed`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          const values = formFields(request.body);
          return err.code === 'VALIDATION_FAILED'
            ? renderPrescriptionForm(
                request,
                reply,
                pumpId,
                400,
                values,
                prescriptionFormErrors(err.fieldErrors, request.body),
              )
            : renderPrescriptionForm(request, reply, pumpId, err.status, values, [], err.message);
        }
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
      return onPumpPage(
        request,
        reply,
        prescription.pumpId,
        kind === 'reject' ? 'reject-' : 'confirm-',
        () =>
          kind === 'confirm'
            ? confirmPrescription(svc, actor, id, { note: f['confirm-note'] })
            : rejectPrescription(svc, actor, id, { note: f['reject-note'] }),
        kind === 'confirm' ? 'confirmed' : 'rejected',
      );
    };
    app.post('/prescriptions/:id/confirm', { config: { access: check } }, decide('confirm'));
    app.post('/prescriptions/:id/reject', { config: { access: check } }, decide('reject'));
  };
}

/** The date boxes of the pump page's forms, filled again after a problem. */
function dateBoxes(values: Record<string, string>) {
  const parts = (name: string) => ({
    day: values[`${name}-day`] ?? '',
    month: values[`${name}-month`] ?? '',
    year: values[`${name}-year`] ?? '',
  });
  return { eventOn: parts('event-occurredOn'), apptOn: parts('appt-onDate') };
}
