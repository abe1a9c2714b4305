import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import type { PumpOverview } from '../../../services/pump-overview.ts';
import { needsReview } from '../../../domain/refill-actions.ts';
import { addPrescriptionApiRoutes } from './prescriptions-api.ts';
import {
  apiActor,
  apiErrors,
  appointmentToApi,
  changeErrors,
  idParams,
  patientParams,
  prescriptionReadToApi,
  pumpParams,
  pumpToApi,
  readAccess,
  serviceChecksBody,
} from './pump-api-support.ts';
import {
  appointmentBodySchema,
  appointmentSchema,
  appointmentUpdateBodySchema,
  pumpBodySchema,
  pumpEventBodySchema,
  pumpEventSchema,
  pumpListSchema,
  pumpOverviewSchema,
  pumpSchema,
  reviewHeldBodySchema,
} from './pump-schemas.ts';
import { addPumpLifecycleApiRoutes } from './pump-lifecycle-api.ts';
import { addRefillApiRoutes } from '../refills/refills-api.ts';

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
    active: o.active ? prescriptionReadToApi(o.active, o.names) : null,
    pending: o.pending
      ? {
          ...prescriptionReadToApi(o.pending, o.names),
          previous: previous ? prescriptionReadToApi(previous, o.names) : null,
        }
      : null,
    refillStanding: {
      status: o.standing.status,
      escalated: o.standing.escalated,
      dueOn: o.standing.dueOn,
      daysLeft: o.standing.daysLeft,
      alarmOn: o.pump.alarmOn,
      daysToAlarm: o.standing.daysToAlarm,
      bookedRefillOn: o.bookedRefillOn,
      resumeBy: o.standing.resumeBy,
    },
    nextReview: {
      dueOn: o.nextReview.dueOn,
      label: o.nextReview.label,
      daysLeft: o.nextReview.daysLeft,
      daysOverdue: o.nextReview.daysOverdue,
      bookedOn: o.nextReview.bookedOn,
    },
    prescriptions: o.prescriptions.map((p) => prescriptionReadToApi(p, o.names)),
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
    endRequest: o.endRequest ? { ...o.endRequest } : null,
    endRequests: o.endRequests.map((r) => ({ ...r })),
    pause: o.pause ? { ...o.pause } : null,
    pauses: o.pauses.map((p) => ({ ...p })),
  };
}

/** Pumps, prescriptions, refills and pump appointments under /api/v1. */
export function pumpApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const pumps = deps.services.pumps;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    // ------------------------------------------------------------ pumps

    app.get(
      '/patients/:patientId/pumps',
      {
        config: { access: readAccess },
        schema: {
          tags: ['pumps'],
          summary: "A patient's pumps, newest first (audited)",
          params: patientParams,
          response: { 200: pumpListSchema, ...apiErrors },
        },
      },
      async (request) => {
        const listed = await pumps.listForPatient(apiActor(request), request.params.patientId);
        return { patientId: listed.patient.id, pumps: listed.pumps.map(pumpToApi) };
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
          response: { 201: pumpSchema, ...apiErrors },
        },
      },
      async (request, reply) => {
        const pump = await pumps.register(apiActor(request), request.params.patientId, request.body);
        return reply.status(201).send(pumpToApi(pump));
      },
    );

    app.get(
      '/pumps/:pumpId',
      {
        config: { access: readAccess },
        schema: {
          tags: ['pumps'],
          summary:
            'A pump with its model, life dates, prescriptions, refill plan and standing, next review, refills, appointments and events (audited)',
          params: pumpParams,
          response: { 200: pumpOverviewSchema, ...apiErrors },
        },
      },
      async (request) => overviewToApi(await pumps.overview(apiActor(request), request.params.pumpId)),
    );

    app.post(
      '/pumps/:pumpId/events',
      {
        config: { access: { permission: 'pump:manage' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['pumps'],
          summary:
            'Record a revision, catheter revision, ERI, MRI or other event (an explant, death or transfer is an end request; a replacement is a new pump)',
          params: pumpParams,
          body: pumpEventBodySchema,
          response: { 201: pumpEventSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const event = await pumps.recordEvent(apiActor(request), request.params.pumpId, request.body);
        return reply.status(201).send({ ...event });
      },
    );

    addPrescriptionApiRoutes(app, pumps);
    addRefillApiRoutes(app, deps);
    addPumpLifecycleApiRoutes(app, pumps);

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
        const a = await pumps.bookAppointment(apiActor(request), request.params.pumpId, request.body);
        return reply.status(201).send(appointmentToApi(a));
      },
    );

    app.post(
      '/pumps/:pumpId/reviews',
      {
        config: { access: { permission: 'refill:book' } },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['pump appointments'],
          summary:
            'Record a review as held on the day it happened (today or up to REVIEW_RECORD_DAYS_BACK days back, never in the future); the review schedule moves on by one',
          description:
            'A review booked for that day is marked attended and returned; otherwise an attended review appointment is made. A second review on the same day is refused (409 REVIEW_ALREADY_RECORDED).',
          params: pumpParams,
          body: reviewHeldBodySchema,
          response: { 201: appointmentSchema, ...changeErrors },
        },
      },
      async (request, reply) => {
        const a = await pumps.recordReviewHeld(apiActor(request), request.params.pumpId, request.body);
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
      async (request) =>
        appointmentToApi(await pumps.updateAppointment(apiActor(request), request.params.id, request.body)),
    );
  };
}
