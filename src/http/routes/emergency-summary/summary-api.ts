import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import type { EmergencySummary } from '../../../services/emergency-summary-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import { breakGlassBodySchema, breakGlassGrantSchema, emergencySummarySchema } from './summary-schemas.ts';

function toApi(s: EmergencySummary): z.infer<typeof emergencySummarySchema> {
  const p = s.patient;
  const pump = s.pump;
  const r = pump?.reservoir;
  return {
    patient: {
      id: p.id,
      nhsNumber: p.nhsNumber,
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      allergies: p.allergies,
      relevantConditions: p.relevantConditions,
      communicationNeeds: p.communicationNeeds,
      alerts: p.alerts,
    },
    today: s.today,
    generatedAt: s.generatedAt,
    pump:
      pump && r
        ? {
            model: pump.model,
            serialNumber: pump.serialNumber,
            implantedOn: pump.implantedOn,
            reservoirMl: pump.reservoirMl,
            alarmMl: pump.alarmMl,
            catheterModel: pump.catheterModel,
            catheterTipLevel: pump.catheterTipLevel,
            drug: pump.drug,
            concentrationMcgPerMl: pump.concentrationMcgPerMl,
            doseMcgPerDay: pump.doseMcgPerDay,
            programme: pump.programme,
            programmedOn: pump.programmedOn,
            pendingDoseMcgPerDay: pump.pendingDoseMcgPerDay,
            lastRefill: pump.lastRefill,
            unsignedRefillOn: pump.unsignedRefillOn,
            reservoirToday: {
              kind: r.kind,
              continuousMl: r.kind === 'estimated' ? r.continuousMl : null,
              withBolusesMl: r.kind === 'estimated' ? r.withBolusesMl : null,
              ranDryOn: r.kind === 'estimated' ? r.ranDryOn : null,
              emptiedOn: r.kind === 'emptied' ? r.emptiedOn : null,
            },
            alarmOn: pump.alarmOn,
            refillDueBy: pump.refillDueBy,
            paused: pump.paused,
          }
        : null,
    lastPumpEndedOn: s.lastPumpEndedOn,
    latestTestDose: s.latestTestDose,
    contacts: {
      service: s.contacts.service,
      inHours: [...s.contacts.inHours],
      outOfHours: [...s.contacts.outOfHours],
      outOfHoursNotSet: s.contacts.outOfHoursNotSet,
    },
    guidance: {
      overdose: s.guidance.overdose.map((x) => ({
        heading: x.heading,
        items: x.items.map((i) => ({ text: i.text, sources: [...i.sources] })),
      })),
      withdrawal: s.guidance.withdrawal.map((x) => ({
        heading: x.heading,
        items: x.items.map((i) => ({ text: i.text, sources: [...i.sources] })),
      })),
    },
    access: { kind: s.access.kind, expiresAt: s.access.kind === 'break-glass' ? s.access.expiresAt : null },
    openAlerts: [...s.openAlerts],
  };
}

/**
 * The emergency summary by API, for the ITB team's systems and for emergency clinicians' tokens:
 * break-glass works the same as on the pages (POST the NHS number, date of birth and reason, then
 * GET the summary while the grant lasts); without a live grant the summary answers 403 with
 * `details.breakGlassRequired`.
 */
export function emergencySummaryApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const emergencySummary = deps.services.emergencySummary;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };

    app.get(
      '/patients/:id/emergency-summary',
      {
        config: { access: { permission: ['patient:read', 'emergency:break-glass'] } },
        schema: {
          tags: ['emergency'],
          summary: "A patient's emergency summary (audited; break-glass for emergency clinicians)",
          description:
            'The ITB team (patient:read) reads it directly. An emergency clinician (emergency:break-glass) reads it only while a grant made by POST /break-glass lasts (BREAK_GLASS_HOURS); otherwise 403 FORBIDDEN with details.breakGlassRequired (and details.expiredAt when the last grant has ended).',
          params: z.object({ id: z.string() }),
          response: { 200: emergencySummarySchema, ...errors, 404: errorSchema },
        },
      },
      async (request) =>
        toApi(await emergencySummary.summary(actorFor(requireAuth(request), request.id), request.params.id)),
    );

    app.post(
      '/break-glass',
      {
        config: { access: { permission: 'emergency:break-glass' } },
        schema: {
          tags: ['emergency'],
          summary: "Break the glass: state a reason to open one patient's emergency summary",
          description:
            'Both the NHS number and the date of birth must match a registered patient, or 404 NOT_FOUND (which of the two did not match is not said). The grant is stored and audited (patient.break-glass) and reported to the ITB team.',
          body: breakGlassBodySchema,
          response: { 201: breakGlassGrantSchema, ...errors, 404: errorSchema },
        },
      },
      async (request, reply) => {
        const g = await emergencySummary.breakGlass(actorFor(requireAuth(request), request.id), request.body);
        return reply
          .status(201)
          .send({ id: g.id, patientId: g.patientId, grantedAt: g.grantedAt, expiresAt: g.expiresAt });
      },
    );
  };
}
