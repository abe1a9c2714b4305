import type { FastifyPluginAsync, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../compose.ts';
import { describeProgramme } from '../../../domain/dose-programme.ts';
import { validationError } from '../../../services/app-error.ts';
import {
  confirmPrescription,
  proposePrescription,
  rejectPrescription,
} from '../../../services/prescription-service.ts';
import {
  bookPumpAppointment,
  patientPumps,
  pumpOverview,
  recordPumpEvent,
  registerPump,
  updatePumpAppointment,
  type PumpOverview,
} from '../../../services/pump-service.ts';
import {
  amendRefill,
  needsReview,
  recordRefill,
  refillView,
  reviewRefill,
  signRefill,
  type RefillServiceDeps,
  type RefillView,
} from '../../../services/refill-service.ts';
import {
  findPrescriptionById,
  findPumpAppointment,
  type Prescription,
  type Pump,
  type PumpAppointment,
} from '../../../storage/pumps.repository.ts';
import type { Refill } from '../../../storage/refills.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from './patient-schemas.ts';
import {
  amendBodySchema,
  amendmentSchema,
  appointmentBodySchema,
  appointmentSchema,
  appointmentUpdateBodySchema,
  decisionBodySchema,
  prescriptionBodySchema,
  prescriptionSchema,
  pumpBodySchema,
  pumpEventBodySchema,
  pumpEventSchema,
  pumpListSchema,
  pumpOverviewSchema,
  pumpSchema,
  refillBodySchema,
  refillSchema,
  refillViewSchema,
  reviewBodySchema,
  signBodySchema,
} from './pump-schemas.ts';

/**
 * The body schemas document the API (pump-schemas.ts); the services check the bodies with the
 * domain's rules, so every 400 names the service's fields (`programme.doseMcgPerDay`,
 * `newPrescription.programme.schedules.0.steps`) with the same messages as the pages, including
 * the "looks like milligrams" ones a bare type check would pre-empt. The route only insists on a
 * JSON object; params still go through zod.
 */
type RouteSchemaDef<S> = Parameters<FastifySchemaCompiler<S>>[0];
function serviceChecksBody<S>(route: RouteSchemaDef<S>): ReturnType<FastifySchemaCompiler<S>> {
  if (route.httpPart !== 'body') {
    // Every part but the body is a zod schema (see the routes below), checked as everywhere else.
    return validatorCompiler(route as unknown as RouteSchemaDef<z.ZodType>);
  }
  return (data: unknown) =>
    data === undefined || data === null
      ? { value: {} }
      : typeof data === 'object' && !Array.isArray(data)
        ? { value: data }
        : { error: validationError([{ field: 'body', message: 'The body must be a JSON object' }]) };
}

function pumpServiceDeps(deps: AppDeps): RefillServiceDeps {
  return { db: deps.database.db, clock: deps.clock, config: deps.config };
}

function pumpToApi(p: Pump): z.infer<typeof pumpSchema> {
  return { ...p };
}

function prescriptionToApi(p: Prescription): z.infer<typeof prescriptionSchema> {
  return {
    ...p,
    programme: {
      mode: p.programme.mode,
      doseMcgPerDay: p.programme.doseMcgPerDay,
      schedules: p.programme.schedules.map((s) => ({
        weekdays: [...s.weekdays],
        steps: s.steps.map((x) => ({ ...x })),
      })),
      bolus: p.programme.bolus ? { ...p.programme.bolus } : null,
    },
    description: describeProgramme(p.programme),
  };
}

function refillToApi(r: Refill): z.infer<typeof refillSchema> {
  return { ...r, complications: [...r.complications] };
}

function appointmentToApi(a: PumpAppointment): z.infer<typeof appointmentSchema> {
  return {
    id: a.id,
    pumpId: a.pumpId,
    patientId: a.patientId,
    kind: a.kind,
    onDate: a.onDate,
    state: a.state,
    note: a.note,
    createdBy: a.createdBy,
    version: a.version,
  };
}

function overviewToApi(o: PumpOverview): z.infer<typeof pumpOverviewSchema> {
  const previous = o.pending?.previousId
    ? (o.prescriptions.find((p) => p.id === o.pending?.previousId) ?? null)
    : null;
  return {
    today: o.today,
    pump: pumpToApi(o.pump),
    model: {
      id: o.model.id,
      name: o.model.name,
      manufacturer: o.model.manufacturer,
      mriRule: o.model.mriRule,
      mriAdvice: o.model.mriAdvice,
    },
    life: { ...o.life },
    active: o.active ? prescriptionToApi(o.active) : null,
    pending: o.pending
      ? { ...prescriptionToApi(o.pending), previous: previous ? prescriptionToApi(previous) : null }
      : null,
    refillStanding: {
      status: o.standing.status,
      escalated: o.standing.escalated,
      dueOn: o.standing.dueOn,
      daysLeft: o.standing.daysLeft,
      alarmOn: o.pump.alarmOn,
      daysToAlarm: o.standing.daysToAlarm,
      bookedRefillOn: o.bookedRefillOn,
    },
    nextReview: { ...o.nextReview },
    prescriptions: o.prescriptions.map(prescriptionToApi),
    refills: o.refills.map((r) => ({
      id: r.id,
      performedOn: r.performedOn,
      state: r.state,
      concentrationMcgPerMl: r.concentrationMcgPerMl,
      instilledMl: r.instilledMl,
      discrepancyMl: r.discrepancyMl,
      flagged: r.flagged,
      needsReview: needsReview(r),
      reviewed: r.reviewNote !== null,
      alarmOn: r.alarmOn,
      dueBy: r.dueBy,
      performedBy: r.performedBy,
      checkedBy: r.checkedBy,
    })),
    appointments: o.appointments.map(appointmentToApi),
    events: o.events.map((e) => ({ ...e })),
  };
}

function refillViewToApi(v: RefillView): z.infer<typeof refillViewSchema> {
  const name = (id: string | null) => (id === null ? null : (v.names.get(id) ?? null));
  return {
    refill: refillToApi(v.refill),
    prescription: v.prescription ? prescriptionToApi(v.prescription) : null,
    previousPrescription: v.previousPrescription ? prescriptionToApi(v.previousPrescription) : null,
    amendments: v.amendments.map((a) => ({
      ...a,
      changes: a.changes.map((c) => ({ ...c })),
      amendedByName: name(a.amendedBy),
    })),
    effective: { ...v.effective },
    performedByName: name(v.refill.performedBy),
    reviewedByName: name(v.refill.reviewedBy),
    checkedByName: name(v.refill.checkedBy),
    needsReview: v.needsReview,
    dueOn: v.dueOn,
  };
}

/** Pumps, prescriptions, refills and pump appointments under /api/v1 (issue 5). */
export function pumpApiRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = pumpServiceDeps(deps);
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
    const changeErrors = { ...errors, 409: errorSchema };
    const patientParams = z.object({ patientId: z.string() });
    const pumpParams = z.object({ pumpId: z.string() });
    const idParams = z.object({ id: z.string() });
    const read = { permission: 'patient:read' } as const;
    const actor = (request: Parameters<typeof requireAuth>[0] & { id: string }) =>
      actorFor(requireAuth(request), request.id);

    // ------------------------------------------------------------ pumps

    app.get(
      '/patients/:patientId/pumps',
      {
        config: { access: read },
        schema: {
          tags: ['pumps'],
          summary: "A patient's pumps, newest first (audited)",
          params: patientParams,
          response: { 200: pumpListSchema, ...errors },
        },
      },
      async (request) => {
        const { patient, pumps } = await patientPumps(svc, actor(request), request.params.patientId);
        return { patientId: patient.id, pumps: pumps.map(pumpToApi) };
      },
    );

    app.post(
      '/patients/:patientId/pumps',
      {
        config: { access: { permission: 'pump:manage' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['pumps'],
          summary: 'Register an implanted pump and its catheter',
          params: patientParams,
          body: pumpBodySchema,
          response: { 201: pumpSchema, ...errors },
        },
      },
      async (request, reply) => {
        const pump = await registerPump(svc, actor(request), request.params.patientId, request.body);
        return reply.status(201).send(pumpToApi(pump));
      },
    );

    app.get(
      '/pumps/:pumpId',
      {
        config: { access: read },
        schema: {
          tags: ['pumps'],
          summary:
            'A pump with its model, life dates, prescriptions, refill plan and standing, next review, refills, appointments and events (audited)',
          params: pumpParams,
          response: { 200: pumpOverviewSchema, ...errors },
        },
      },
      async (request) => overviewToApi(await pumpOverview(svc, actor(request), request.params.pumpId)),
    );

    app.post(
      '/pumps/:pumpId/events',
      {
        config: { access: { permission: 'pump:manage' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['pumps'],
          summary: 'Record a revision, ERI, MRI, replacement, explant or other event',
          params: pumpParams,
          body: pumpEventBodySchema,
          response: { 201: pumpEventSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const event = await recordPumpEvent(svc, actor(request), request.params.pumpId, request.body);
        return reply.status(201).send({ ...event });
      },
    );

    // ------------------------------------------------------------ prescriptions

    app.post(
      '/pumps/:pumpId/prescriptions',
      {
        config: { access: { permission: 'dose:prescribe' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['prescriptions'],
          summary:
            'Propose a prescription or a change; it counts once a second clinician confirms it (409 while another is pending)',
          params: pumpParams,
          body: prescriptionBodySchema,
          response: { 201: prescriptionSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const p = await proposePrescription(svc, actor(request), request.params.pumpId, request.body);
        return reply.status(201).send(prescriptionToApi(p));
      },
    );

    const decision = (path: string, summary: string, decide: typeof confirmPrescription) =>
      app.post(
        path,
        {
          config: { access: { permission: 'dose:check' } },
          validatorCompiler: serviceChecksBody,
          schema: {
            tags: ['prescriptions'],
            summary,
            params: idParams,
            body: decisionBodySchema,
            response: { 200: prescriptionSchema, ...changeErrors },
          },
        },
        async (request) => {
          const decided = await decide(svc, actor(request), request.params.id, request.body);
          // Read back: rejectPrescription returns its input with the state changed but not decidedAt.
          return prescriptionToApi((await findPrescriptionById(svc.db, decided.id)) ?? decided);
        },
      );
    decision(
      '/prescriptions/:id/confirm',
      'Confirm a pending change as the second clinician (never the proposer: 400 naming checkedBy)',
      confirmPrescription,
    );
    decision(
      '/prescriptions/:id/reject',
      'Reject (or withdraw) a pending change, with a note; the active prescription stays',
      rejectPrescription,
    );

    // ------------------------------------------------------------ refills

    app.post(
      '/pumps/:pumpId/refills',
      {
        config: { access: { permission: 'refill:record' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['refills'],
          summary:
            'Record a refill: residual check, new alarm and due dates, any programme change. It counts once signed.',
          params: pumpParams,
          body: refillBodySchema,
          response: { 201: refillSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const refill = await recordRefill(svc, actor(request), request.params.pumpId, request.body);
        return reply.status(201).send(refillToApi(refill));
      },
    );

    app.get(
      '/refills/:id',
      {
        config: { access: read },
        schema: {
          tags: ['refills'],
          summary:
            'A refill with its prescription, amendments and who did, reviewed and checked it (audited)',
          params: idParams,
          response: { 200: refillViewSchema, ...errors },
        },
      },
      async (request) => refillViewToApi(await refillView(svc, actor(request), request.params.id)),
    );

    app.post(
      '/refills/:id/review',
      {
        config: { access: { permission: 'refill:record' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['refills'],
          summary: 'Record the review a flagged discrepancy or a suspected pocket fill needs before signing',
          params: idParams,
          body: reviewBodySchema,
          response: { 200: refillSchema, ...changeErrors },
        },
      },
      async (request) =>
        refillToApi(await reviewRefill(svc, actor(request), request.params.id, request.body)),
    );

    app.post(
      '/refills/:id/sign',
      {
        config: { access: { permission: 'dose:check' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['refills'],
          summary:
            'Check and sign a refill as a second clinician (never the one who did it); the pump plan moves to it',
          params: idParams,
          body: signBodySchema,
          response: { 200: refillSchema, ...changeErrors },
        },
      },
      async (request) => refillToApi(await signRefill(svc, actor(request), request.params.id, request.body)),
    );

    app.post(
      '/refills/:id/amend',
      {
        config: { access: { permission: 'refill:record' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['refills'],
          summary: 'Correct a signed refill (batch, expiry, notes) with a reason; the record itself is kept',
          params: idParams,
          body: amendBodySchema,
          response: { 201: amendmentSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const a = await amendRefill(svc, actor(request), request.params.id, request.body);
        return reply.status(201).send({ ...a, changes: a.changes.map((c) => ({ ...c })) });
      },
    );

    // ------------------------------------------------------------ appointments

    app.post(
      '/pumps/:pumpId/appointments',
      {
        config: { access: { permission: 'refill:book' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['pump appointments'],
          summary: 'Book a refill, review or replacement appointment',
          params: pumpParams,
          body: appointmentBodySchema,
          response: { 201: appointmentSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const a = await bookPumpAppointment(svc, actor(request), request.params.pumpId, request.body);
        return reply.status(201).send(appointmentToApi(a));
      },
    );

    app.post(
      '/pump-appointments/:id',
      {
        config: { access: { permission: 'refill:book' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['pump appointments'],
          summary: 'Mark a booked appointment attended, missed or cancelled',
          params: idParams,
          body: appointmentUpdateBodySchema,
          response: { 200: appointmentSchema, ...changeErrors },
        },
      },
      async (request) => {
        const updated = await updatePumpAppointment(svc, actor(request), request.params.id, request.body);
        // Read back: the service returns the appointment's earlier note, not the one just saved.
        return appointmentToApi((await findPumpAppointment(svc.db, updated.id)) ?? updated);
      },
    );
  };
}
