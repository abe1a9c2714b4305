import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { DATE_FIELD, LIFE_EVENT_KIND_LABELS, type LifeEventKind } from '../../../domain/life-events.ts';
import type { Permission } from '../../../domain/roles.ts';
import { isPageError } from '../form.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { dateFromParts, formFields, noticeFrom } from '../form.ts';
import { formValues } from '../pumps/pump-forms.ts';
import { attachmentDisposition } from '../referrals/referral-document-pages.ts';
import { eventPageView } from './life-event-view.ts';

type PatientParams = { Params: { patientId: string } };
type EventParams = { Params: { id: string } };

const FORMS: readonly { kind: LifeEventKind; path: string; access: Permission; dateLabel: string }[] = [
  { kind: 'pregnancy', path: 'pregnancy', access: 'patient:write', dateLabel: 'Expected date of delivery' },
  {
    kind: 'surgery-elsewhere',
    path: 'surgery-elsewhere',
    access: 'patient:write',
    dateLabel: 'Date of surgery',
  },
  { kind: 'death', path: 'death', access: 'pump:manage', dateLabel: 'Date of death' },
  { kind: 'transfer', path: 'transfer', access: 'pump:manage', dateLabel: 'Date of transfer' },
];

const TEXT_FIELDS: Readonly<Record<LifeEventKind, readonly string[]>> = {
  pregnancy: ['obstetricTeam', 'notes'],
  'surgery-elsewhere': ['hospital', 'procedure', 'teamContact', 'expectedStayDays', 'notes'],
  death: ['source', 'notes'],
  transfer: ['receivingService', 'contact', 'notes'],
};

const NOTICES = {
  recorded: 'Recorded. The checklist is below.',
  'recorded-ends':
    'Recorded. The end of each pump has been asked for: a different clinician must confirm it on the pump page before the pump leaves the refill worklist.',
  'action-done': 'Action marked done',
  ended: 'Checklist ended',
} as const;

/** Form fields for the date boxes: the date's id is the kind's date field (DATE_FIELD). */
function eventInput(kind: LifeEventKind, body: unknown, dateLabel: string) {
  const f = formFields(body);
  const dateField = DATE_FIELD[kind];
  const date = dateFromParts(f, dateField, dateLabel);
  const raw: Record<string, unknown> = { [dateField]: date.date ?? undefined };
  for (const name of TEXT_FIELDS[kind]) {
    raw[name] = f[name] ?? '';
  }
  return { raw, dateError: date.error };
}

/**
 * The pages of life events: a form for each kind, the event's page with its checklist, marking
 * an action done, ending a checklist, and the letter. The overview shows open events
 * (patient-pages.ts); everything is decided by the service (life-event-service.ts).
 */
export function lifeEventRoutes(deps: RouteDeps): FastifyPluginAsync {
  const lifeEvents = deps.services.lifeEvents;
  const patients = deps.services.patients;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

  const renderForm = async (
    reply: FastifyReply,
    request: FastifyRequest,
    form: (typeof FORMS)[number],
    patientId: string,
    status: number,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
  ) => {
    const patient = await patients.view(actor(request), patientId);
    return reply.status(status).page('pages/life-events/form.njk', {
      title: `Record ${LIFE_EVENT_KIND_LABELS[form.kind].toLowerCase()}`,
      kind: form.kind,
      patient,
      dateField: DATE_FIELD[form.kind],
      dateLabel: form.dateLabel,
      action: `/patients/${patientId}/life-events/${form.path}`,
      values,
      ...errorContext(errors, { [DATE_FIELD[form.kind]]: `${DATE_FIELD[form.kind]}-day` }),
    });
  };

  const renderEvent = async (
    reply: FastifyReply,
    request: FastifyRequest,
    id: string,
    status = 200,
    errors: readonly FieldError[] = [],
    values: Record<string, unknown> = {},
  ) => {
    const page = await lifeEvents.page(actor(request), id);
    const done = formFields(request.query).done;
    return reply.status(status).page('pages/life-events/show.njk', {
      ...eventPageView(page, requireAuth(request).user.role),
      event: page.event,
      patient: page.patient,
      notice: status === 200 ? noticeFrom(NOTICES, done) : null,
      values,
      ...errorContext(errors),
    });
  };

  return async (app) => {
    for (const form of FORMS) {
      const access = { permission: form.access };
      app.get<PatientParams>(
        `/patients/:patientId/life-events/${form.path}/new`,
        { config: { access } },
        async (request, reply) =>
          renderForm(
            reply,
            request,
            form,
            request.params.patientId,
            200,
            formValues({}, [DATE_FIELD[form.kind]]),
          ),
      );
      app.post<PatientParams>(
        `/patients/:patientId/life-events/${form.path}`,
        { config: { access } },
        async (request, reply) => {
          const { patientId } = request.params;
          const { raw, dateError } = eventInput(form.kind, request.body, form.dateLabel);
          let errors: readonly FieldError[] = dateError ? [dateError] : [];
          let status = 400;
          try {
            // The date boxes' own problem is shown with the service's on the other fields.
            const recorded = await lifeEvents.record(actor(request), patientId, form.kind, raw);
            if (errors.length === 0) {
              const done = recorded.endRequestIds.length > 0 ? 'recorded-ends' : 'recorded';
              return await reply.redirect(`/life-events/${recorded.event.id}?done=${done}`, 303);
            }
          } catch (err) {
            if (!isPageError(err)) {
              throw err;
            }
            const fieldErrors: readonly FieldError[] =
              err.fieldErrors.length > 0
                ? err.fieldErrors
                : [{ field: DATE_FIELD[form.kind], message: err.message }];
            errors = [...errors, ...fieldErrors.filter((e) => !errors.some((d) => d.field === e.field))];
            status = err.status;
          }
          return renderForm(
            reply,
            request,
            form,
            patientId,
            status,
            formValues(request.body, [DATE_FIELD[form.kind]]),
            errors,
          );
        },
      );
    }

    app.get<EventParams>(
      '/life-events/:id',
      { config: { access: { permission: 'patient:read' } } },
      async (request, reply) => renderEvent(reply, request, request.params.id),
    );

    app.post<{ Params: { id: string; code: string } }>(
      '/life-events/:id/actions/:code/done',
      { config: { access: { permission: 'pump:manage' } } },
      async (request, reply) => {
        const { id, code } = request.params;
        const f = formFields(request.body);
        try {
          await lifeEvents.completeAction(actor(request), id, code, { note: f.note ?? null });
          return await reply.redirect(`/life-events/${id}?done=action-done`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          const errors =
            err.fieldErrors.length > 0
              ? err.fieldErrors
              : [{ field: `action-${code}`, message: err.message }];
          return renderEvent(reply, request, id, err.status, errors);
        }
      },
    );

    app.post<EventParams>(
      '/life-events/:id/end',
      { config: { access: { permission: 'pump:manage' } } },
      async (request, reply) => {
        const { id } = request.params;
        const f = formFields(request.body);
        try {
          await lifeEvents.end(actor(request), id, { reason: f.reason ?? '' });
          return await reply.redirect(`/life-events/${id}?done=ended`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          const errors =
            err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'reason', message: err.message }];
          return renderEvent(reply, request, id, err.status, errors, { reason: f.reason ?? '' });
        }
      },
    );

    app.get<EventParams>(
      '/life-events/:id/letter',
      { config: { access: { permission: 'patient:read' } } },
      async (request, reply) => {
        const letter = await lifeEvents.letter(actor(request), request.params.id);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', attachmentDisposition(letter.filename))
          .send(letter.pdf);
      },
    );
  };
}
