import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { REMINDER_CHANNELS, reminderChannel } from '../../../domain/contact-preferences.ts';
import type { ContactPreferencesView } from '../../../services/contact-preferences-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';

const channel = z.enum(REMINDER_CHANNELS);

/**
 * The body is documented here and checked again by the service with the domain's schema
 * (contact-preferences.ts), which normalises the mobile number and names any field it refuses
 * with the same message the page shows.
 */
export const contactBodySchema = z.object({
  email: z.string().nullable().optional().describe('Email address for reminders, or null'),
  mobile: z.string().nullable().optional().describe('UK mobile number (07…, +44 7…), or null'),
  channels: z.array(z.string()).describe("Channels the patient chose: 'email', 'sms', both, or none ([])"),
  consentGiven: z.boolean().describe('Whether the patient consents to reminders'),
  consentDate: z.string().describe('YYYY-MM-DD: the day the patient gave or withdrew consent'),
  version: z
    .number()
    .int()
    .min(0)
    .describe('The version read (0 when none was recorded); 409 STALE_EDIT if someone changed it since'),
});

const reminderSchema = z.object({
  id: z.string(),
  channel,
  daysBefore: z.number().int(),
  appointmentId: z.string(),
  appointmentOn: z.string(),
  state: z.enum(['pending', 'sent', 'failed', 'cancelled']),
  attempts: z.number().int(),
  sentAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  lastError: z.string().nullable(),
});

export const contactSchema = z.object({
  patientId: z.string(),
  preferences: z
    .object({
      email: z.string().nullable(),
      mobile: z.string().nullable().describe('+447…'),
      channels: z.array(channel),
      consentGiven: z.boolean(),
      consentDate: z.string(),
      recordedBy: z.string(),
      recordedAt: z.string(),
      version: z.number().int(),
    })
    .nullable(),
  activeChannels: z.array(channel).describe('Channels reminders go by now: consent, choice and address'),
  remindersOff: z
    .string()
    .nullable()
    .describe('Why no reminder leaves the service (no Notify key …), or null'),
  reminders: z.array(reminderSchema),
});

function toApi(v: ContactPreferencesView): z.infer<typeof contactSchema> {
  const p = v.preferences;
  return {
    patientId: v.patientId,
    preferences: p
      ? {
          email: p.email,
          mobile: p.mobile,
          channels: [...p.channels],
          consentGiven: p.consentGiven,
          consentDate: p.consentDate,
          recordedBy: p.recordedBy,
          recordedAt: p.recordedAt,
          version: p.version,
        }
      : null,
    activeChannels: [...v.activeChannels],
    remindersOff: v.serviceOff,
    reminders: v.reminders.map((r) => ({
      id: r.id,
      channel: reminderChannel(r.channel),
      daysBefore: r.daysBefore,
      appointmentId: r.appointmentId,
      appointmentOn: r.appointmentOn,
      state: r.state,
      attempts: r.attempts,
      sentAt: r.sentAt,
      cancelReason: r.cancelReason,
      lastError: r.lastError,
    })),
  };
}

export function contactApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const reminders = deps.services.reminders;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
    const params = z.object({ patientId: z.string() });

    app.get(
      '/patients/:patientId/contact-preferences',
      {
        config: { access: { permission: 'patient:read' } },
        schema: {
          tags: ['reminders'],
          summary: "A patient's reminder contact preferences, consent and recent reminders (audited)",
          params,
          response: { 200: contactSchema, ...errors },
        },
      },
      async (request) =>
        toApi(
          await reminders.viewContact(actorFor(requireAuth(request), request.id), request.params.patientId),
        ),
    );

    app.put(
      '/patients/:patientId/contact-preferences',
      {
        config: { access: { permission: 'patient:write' } },
        schema: {
          tags: ['reminders'],
          summary:
            "Record a patient's reminder contact preferences and consent; withdrawing consent or a channel cancels reminders not yet sent",
          params,
          body: contactBodySchema,
          response: { 200: contactSchema, ...errors, 409: errorSchema },
        },
      },
      async (request) => {
        const a = actorFor(requireAuth(request), request.id);
        const { version, ...fields } = request.body;
        await reminders.saveContact(a, request.params.patientId, fields, version);
        return toApi(await reminders.viewContact(a, request.params.patientId));
      },
    );
  };
}
