import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { dateFromParts, datePartsOf, formFields, formList, noticeFrom } from '../form.ts';
import { contactFormValues, contactView } from './contact-view.ts';

type Params = { Params: { patientId: string } };

const DONE: Readonly<Record<string, string>> = {
  saved: 'Contact preferences saved',
};

/** Form fields to the page's anchors for the error summary. */
const HREF_FOR: Readonly<Record<string, string>> = {
  consentGiven: 'consentGiven',
  consentDate: 'consentDate-day',
  channels: 'channels',
  'channels.0': 'channels',
};

/**
 * A patient's reminder contact preferences and consent: the page that shows them, what has been
 * sent, and whether reminders go at all; and the form that records them.
 */
export function contactRoutes(deps: RouteDeps): FastifyPluginAsync {
  const reminders = deps.services.reminders;
  const read = { permission: 'patient:read' } as const;
  const write = { permission: 'patient:write' } as const;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

  return async (app) => {
    app.get<Params>('/patients/:patientId/contact', { config: { access: read } }, async (request, reply) => {
      const view = await reminders.viewContact(actor(request), request.params.patientId);
      const q = formFields(request.query);
      return reply.page('pages/patients/contact.njk', {
        title: `Reminders and contact preferences: ${view.patientName}`,
        ...contactView(view),
        notice: noticeFrom(DONE, q.done),
        canEdit: roleHasPermission(requireAuth(request).user.role, 'patient:write'),
      });
    });

    app.get<Params>(
      '/patients/:patientId/contact/edit',
      { config: { access: write } },
      async (request, reply) => {
        const view = await reminders.viewContact(actor(request), request.params.patientId);
        const values = contactFormValues(view);
        return reply.page('pages/patients/contact-form.njk', {
          title: `Change contact preferences: ${view.patientName}`,
          patientId: view.patientId,
          serviceOff: view.serviceOff,
          values: { ...values, consentDateParts: datePartsOf(values.consentDate) },
          version: view.preferences?.version ?? 0,
        });
      },
    );

    app.post<Params>(
      '/patients/:patientId/contact',
      { config: { access: write } },
      async (request, reply) => {
        const { patientId } = request.params;
        const f = formFields(request.body);
        const channels = formList(request.body, 'channels');
        const version = /^\d+$/.test(f.version ?? '') ? Number(f.version) : null;
        const date = dateFromParts(f, 'consentDate', 'Date of the consent decision');
        const render = async (errors: readonly FieldError[], status: number, conflict?: string) => {
          const view = await reminders.viewContact(actor(request), patientId);
          return reply.status(status).page('pages/patients/contact-form.njk', {
            title: `Change contact preferences: ${view.patientName}`,
            patientId,
            serviceOff: view.serviceOff,
            values: {
              email: f.email ?? '',
              mobile: f.mobile ?? '',
              channels,
              consentGiven: f.consentGiven ?? '',
              consentDateParts: {
                day: f['consentDate-day'] ?? '',
                month: f['consentDate-month'] ?? '',
                year: f['consentDate-year'] ?? '',
              },
            },
            version: f.version ?? '0',
            conflict,
            ...errorContext(errors, HREF_FOR),
          });
        };
        if (version === null) {
          return render(
            [
              {
                field: 'version',
                message: 'The form is missing its version: open the page and change the preferences again',
              },
            ],
            400,
          );
        }
        try {
          await reminders.saveContact(
            actor(request),
            patientId,
            {
              email: f.email ?? null,
              mobile: f.mobile ?? null,
              channels,
              consentGiven: f.consentGiven ?? undefined,
              // An empty or impossible date is reported with the other fields, not alone.
              consentDate: date.date ?? '',
            },
            version,
          );
        } catch (err) {
          if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
            const errors = err.fieldErrors.filter((e) => !(date.error && e.field === 'consentDate'));
            return render(date.error ? [...errors, date.error] : errors, 400);
          }
          if (err instanceof AppError && err.code === 'STALE_EDIT') {
            return render([], 409, err.message);
          }
          throw err;
        }
        return reply.redirect(`/patients/${patientId}/contact?done=saved`, 303);
      },
    );
  };
}
