import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { CARD_FACT_CHANGES } from '../../../domain/emergency-card.ts';
import type { EmergencyCard } from '../../../storage/emergency-cards.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';

const contactsSchema = z.object({
  phone: z.string(),
  email: z.string(),
  adviceLine: z.object({ phone: z.string(), hours: z.string() }).nullable(),
  outOfHours: z
    .object({ label: z.string(), phone: z.string() })
    .nullable()
    .describe("The service's out-of-hours contact; null when it has none (the card then says A&E or 999)"),
});

const factsSchema = z
  .object({
    patientName: z.string(),
    nhsNumber: z.string(),
    dateOfBirth: z.string(),
    pumpModel: z.string(),
    pumpManufacturer: z.string(),
    pumpSerial: z.string(),
    implantedOn: z.string(),
    drug: z.string(),
    concentrationMcgPerMl: z.number(),
    doseMcgPerDay: z.number(),
    contacts: contactsSchema,
  })
  .describe('What the card printed, as it was on the day it was issued');

const cardSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  pumpId: z.string(),
  issuedAt: z.string().describe('ISO 8601 UTC'),
  issuedOn: z.string().describe('The day the card says its facts were correct (service time zone)'),
  issuedBy: z.string(),
  facts: factsSchema,
  pdf: z
    .string()
    .describe('The card as issued, as a PDF page (a path under the service, signed in with a session)'),
});

const listedCardSchema = cardSchema.extend({
  issuedByName: z.string(),
  outOfDate: z.boolean().describe('Something the card printed has changed since it was issued'),
  changes: z
    .array(z.enum(CARD_FACT_CHANGES))
    .describe('What changed: dose, concentration, drug, pump, contacts, patient'),
});

const listSchema = z.object({
  cards: z.array(listedCardSchema).describe('Newest first'),
  canIssue: z
    .boolean()
    .describe('Whether a card can be issued now (an implanted pump with a confirmed prescription)'),
  blockedReason: z
    .string()
    .nullable()
    .describe(
      'Why no card can be issued now (CARD_NEEDS_IMPLANTED_PUMP, CARD_NEEDS_PRESCRIPTION, LETTERS_NEED_SERVICE_CONTACTS)',
    ),
});

const params = z.object({ pumpId: z.string() });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

function cardToApi(c: EmergencyCard): z.infer<typeof cardSchema> {
  return {
    id: c.id,
    patientId: c.patientId,
    pumpId: c.pumpId,
    issuedAt: c.issuedAt,
    issuedOn: c.issuedOn,
    issuedBy: c.issuedBy,
    facts: { ...c.facts, contacts: { ...c.facts.contacts } },
    pdf: `/emergency-cards/${c.id}/pdf`,
  };
}

/** Emergency cards over the API: issue one for a pump, list a pump's cards with their standing. */
export function documentApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const documents = deps.services.documents;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/pumps/:pumpId/emergency-cards',
      {
        config: { access: { permission: 'pump:manage' } },
        schema: {
          tags: ['pumps'],
          summary:
            "Issue an emergency card for the pump: a snapshot of the pump, drug, concentration, dose and the service's contacts as they are now (409 when the pump has ended, has no confirmed prescription, or the text would not fit)",
          params,
          response: { 201: cardSchema, ...errors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const card = await documents.issueCard(
          actorFor(requireAuth(request), request.id),
          request.params.pumpId,
        );
        return reply.status(201).send(cardToApi(card));
      },
    );

    app.get(
      '/pumps/:pumpId/emergency-cards',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags: ['pumps'],
          summary: "The pump's emergency cards, newest first, each with what has changed since it was issued",
          params,
          response: { 200: listSchema, ...errors },
        },
      },
      async (request) => {
        const r = await documents.pumpCards(
          actorFor(requireAuth(request), request.id),
          request.params.pumpId,
        );
        return {
          cards: r.cards.map((c) => ({
            ...cardToApi(c),
            issuedByName: c.issuedByName,
            outOfDate: c.changes.length > 0,
            changes: [...c.changes],
          })),
          canIssue: r.current.facts !== null,
          blockedReason: r.current.blocked?.reason ?? null,
        };
      },
    );
  };
}
