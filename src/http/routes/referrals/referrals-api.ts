import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../compose.ts';
import { checkReasonText, needsChecking, referralSourceLabel } from '../../../domain/referral-check.ts';
import { waitStatusText, type TargetDayNote, type WaitAssessment } from '../../../domain/waiting-target.ts';
import { AppError } from '../../../services/app-error.ts';
import { bookAppointment } from '../../../services/appointment-service.ts';
import { auditListView } from '../../../services/audit-service.ts';
import { clearReferralCheck } from '../../../services/referral-check-service.ts';
import {
  createReferral,
  triageReferral,
  viewReferral,
  type PatientRef,
  type ReferralDetail,
} from '../../../services/referral-service.ts';
import { waitingList } from '../../../services/waiting-list-service.ts';
import type { Appointment } from '../../../storage/appointments.repository.ts';
import type { Referral } from '../../../storage/referrals.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { referralServiceDeps } from './referral-pages.ts';
import { errorSchema } from '../api/patient-schemas.ts';
import {
  appointmentBodySchema,
  appointmentSchema,
  clearCheckBodySchema,
  referralBodySchema,
  referralDetailSchema,
  referralSchema,
  refusalSchema,
  triageBodySchema,
  waitingListSchema,
} from './referral-schemas.ts';

function referralToApi(r: Referral): z.infer<typeof referralSchema> {
  return {
    id: r.id,
    patientId: r.patientId,
    source: r.source,
    ubrn: r.ubrn,
    receivedOn: r.receivedOn,
    referrerName: r.referrerName,
    referrerRole: r.referrerRole,
    referrerOrganisation: r.referrerOrganisation,
    referrerOdsCode: r.referrerOdsCode,
    referrerEmail: r.referrerEmail,
    referrerPhone: r.referrerPhone,
    reason: r.reason,
    conditions: r.conditions,
    origin: r.origin,
    aetiology: r.aetiology,
    aetiologyOther: r.aetiologyOther,
    treatmentsTried: r.treatmentsTried,
    treatmentsNote: r.treatmentsNote,
    referrerGrade: r.referrerGrade,
    ersServiceName: r.ersServiceName,
    sourceLabel: referralSourceLabel(r),
    check: r.check
      ? {
          needed: needsChecking(r.check),
          reason: r.check.reason,
          reasonText: checkReasonText(r.check.reason, r),
          clearedAt: r.check.clearedAt,
          clearedBy: r.check.clearedBy,
          clearedNote: r.check.clearedNote,
        }
      : null,
    state: r.state,
    priority: r.priority,
    acceptedOn: r.acceptedOn,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

function appointmentToApi(a: Appointment): z.infer<typeof appointmentSchema> {
  return {
    id: a.id,
    referralId: a.referralId,
    date: a.date,
    time: a.time,
    clinic: a.clinic,
    clinician: a.clinician,
    state: a.state,
    rebookedFrom: a.rebookedFrom,
    cancelReason: a.cancelReason,
    cancelNote: a.cancelNote,
    outcomeNote: a.outcomeNote,
    createdAt: a.createdAt,
    version: a.version,
  };
}

function waitToApi(w: WaitAssessment | null, note: TargetDayNote | null) {
  return w ? { ...w, statusText: waitStatusText(w), targetDateNote: note?.text ?? null } : null;
}

function detailToApi(d: ReferralDetail): z.infer<typeof referralDetailSchema> {
  return {
    ...referralToApi(d.referral),
    decisions: d.decisions.map((x) => ({
      id: x.id,
      outcome: x.outcome,
      priority: x.priority,
      advice: x.advice,
      redirectTo: x.redirectTo,
      changeReason: x.changeReason,
      decidedBy: x.decidedBy,
      decidedByName: x.decidedByName,
      decidedAt: x.decidedAt,
    })),
    appointments: d.appointments.map(appointmentToApi),
    documents: d.documents.map((x) => ({
      id: x.id,
      kind: x.kind,
      filename: x.filename,
      contentType: x.contentType,
      createdAt: x.createdAt,
    })),
    wait: waitToApi(d.wait, d.targetNote),
  };
}

export function referralApiRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = referralServiceDeps(deps);
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
    const params = z.object({ id: z.string() });

    app.post(
      '/referrals',
      {
        config: { access: { permission: 'referral:write' } },
        schema: {
          tags: ['referrals'],
          summary: 'Record a referral (e-RS or consultant email) for a registered patient',
          body: referralBodySchema,
          response: { 201: referralSchema, ...errors, 409: refusalSchema },
        },
      },
      async (request, reply) => {
        const { patientId, nhsNumber, ...fields } = request.body;
        let patient: PatientRef;
        if (patientId !== undefined) {
          patient = { patientId };
        } else if (nhsNumber !== undefined) {
          patient = { nhsNumber };
        } else {
          throw new AppError('VALIDATION_FAILED', 'Name the patient', {
            fieldErrors: [{ field: 'nhsNumber', message: 'Give the patient by patientId or nhsNumber' }],
          });
        }
        // The shape was checked by the route schema; the service checks the meaning again
        // (the rules between fields and today's date), as it does for the pages.
        const referral = await createReferral(
          svc,
          actorFor(requireAuth(request), request.id),
          patient,
          fields,
        );
        return reply.status(201).send(referralToApi(referral));
      },
    );

    app.get(
      '/referrals/:id',
      {
        config: { access: { permission: 'referral:read' } },
        schema: {
          tags: ['referrals'],
          summary: 'A referral with its decisions, appointments, documents and wait (audited)',
          params,
          response: { 200: referralDetailSchema, ...errors, 404: errorSchema },
        },
      },
      async (request) =>
        detailToApi(await viewReferral(svc, actorFor(requireAuth(request), request.id), request.params.id)),
    );

    app.post(
      '/referrals/:id/triage',
      {
        config: { access: { permission: 'referral:triage' } },
        schema: {
          tags: ['referrals'],
          summary: 'Record a triage decision (consultants only); the letter it calls for is made',
          params,
          body: triageBodySchema,
          response: { 201: referralDetailSchema, ...errors, 404: errorSchema, 409: refusalSchema },
        },
      },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const { version, ...decision } = request.body;
        await triageReferral(svc, actor, request.params.id, version ?? null, decision);
        return reply.status(201).send(detailToApi(await viewReferral(svc, actor, request.params.id)));
      },
    );

    app.post(
      '/referrals/:id/check/clear',
      {
        config: { access: { permission: 'referral:triage' } },
        schema: {
          tags: ['referrals'],
          summary:
            'Clear the "needs checking" mark on a referral not from a consultant (consultants only), saying why it can stand (audited)',
          params,
          body: clearCheckBodySchema,
          response: { 200: referralDetailSchema, ...errors, 404: errorSchema, 409: refusalSchema },
        },
      },
      async (request) => {
        const actor = actorFor(requireAuth(request), request.id);
        await clearReferralCheck(
          svc,
          actor,
          request.params.id,
          request.body.version ?? null,
          request.body.note,
        );
        return detailToApi(await viewReferral(svc, actor, request.params.id));
      },
    );

    app.post(
      '/referrals/:id/appointments',
      {
        config: { access: { permission: 'appointment:manage' } },
        schema: {
          tags: ['referrals'],
          summary: 'Book the first appointment of an accepted referral; the appointment letter is made',
          params,
          body: appointmentBodySchema,
          response: { 201: appointmentSchema, ...errors, 404: errorSchema, 409: refusalSchema },
        },
      },
      async (request, reply) => {
        const a = await bookAppointment(
          svc,
          actorFor(requireAuth(request), request.id),
          request.params.id,
          request.body,
        );
        return reply.status(201).send(appointmentToApi(a));
      },
    );

    app.get(
      '/waiting-list',
      {
        config: { access: { permission: 'referral:read' } },
        schema: {
          tags: ['referrals'],
          summary: 'Accepted referrals waiting for their first appointment, most at risk first (audited)',
          response: { 200: waitingListSchema, ...errors },
        },
      },
      async (request) => {
        const items = await waitingList(svc);
        await auditListView(svc.db, deps.clock, actorFor(requireAuth(request), request.id), {
          list: 'waiting-list',
          shown: items.length,
          api: true,
        });
        return {
          items: items.map((i) => ({
            referralId: i.referral.id,
            patientId: i.patient.id,
            nhsNumber: i.patient.nhsNumber,
            patientName: `${i.patient.givenName} ${i.patient.familyName}`,
            priority: i.referral.priority ?? 'routine',
            receivedOn: i.referral.receivedOn,
            targetDate: i.assessment.targetDate,
            status: i.assessment.status,
            statusText: waitStatusText(i.assessment),
            daysWaited: i.assessment.daysWaited,
            daysLeft: i.assessment.daysLeft,
            bookedDate: i.assessment.bookedOn,
            outcomeOverdue: i.assessment.outcomeOverdue,
            targetDateNote: i.targetNote?.text ?? null,
          })),
        };
      },
    );
  };
}
