import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { NEXT_STEPS, nextStepLink } from '../../../domain/first-appointment-outcome.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';

const params = z.object({ id: z.string() });

export const nextStepBodySchema = z
  .object({
    nextStep: z.enum(NEXT_STEPS, {
      error: 'nextStep must be selection-assessment, discharge, rebook or refer-elsewhere',
    }),
    summary: z.string().meta({
      description:
        'What was found and agreed, to the patient in plain words; the clinic letter quotes it word for word (up to 5000 characters)',
    }),
    referTo: z
      .string()
      .nullish()
      .meta({ description: 'The service referred to; needed for refer-elsewhere' }),
    version: z.number().int().min(1).optional(),
  })
  .meta({
    description:
      'Consultants and nurse specialists only. A booked appointment on or after its day is marked attended. The clinic letter (to the patient, copied to the referrer) is made at once, so the patient needs a postal address and the service its contacts (409 LETTER_NEEDS_PATIENT_ADDRESS, LETTERS_NEED_SERVICE_CONTACTS). Once per appointment (409 FIRST_APPOINTMENT_NEXT_STEP_RECORDED). version, when given, must be the appointment version you read.',
  });

export const nextStepSchema = z.object({
  id: z.string(),
  appointmentId: z.string(),
  referralId: z.string(),
  nextStep: z.enum(NEXT_STEPS),
  summary: z.string(),
  referTo: z.string().nullable(),
  letterId: z.string().meta({ description: 'The clinic letter, at GET /documents/{letterId} in the pages' }),
  recordedBy: z.string(),
  recordedAt: z.string(),
  next: z
    .object({ text: z.string(), href: z.string() })
    .nullable()
    .meta({ description: 'The page that carries the pathway on (start the assessment, book), or null' }),
});

/** The next step after a first appointment, over the API: the same service as the page. */
export function nextStepApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/appointments/:id/next-step',
      {
        config: { access: { permission: 'appointment:outcome' } },
        schema: {
          tags: ['referrals'],
          summary:
            'Record the outcome of a first appointment as the next step (selection assessment, discharge, rebook, refer elsewhere); the clinic letter is made',
          params,
          body: nextStepBodySchema,
          response: {
            201: nextStepSchema,
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const actor = actorFor(requireAuth(request), request.id);
        const { version, ...input } = request.body;
        const outcome = await deps.services.firstAppointmentOutcomes.record(
          actor,
          request.params.id,
          version ?? null,
          input,
        );
        const { patientId, ...recorded } = outcome;
        const next = nextStepLink(outcome.nextStep, { patientId, referralId: outcome.referralId });
        return reply.status(201).send({ ...recorded, next });
      },
    );
  };
}
