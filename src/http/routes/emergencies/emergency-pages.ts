import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import {
  EMERGENCY_KINDS,
  validateRecordEvent,
  type EmergencyKind,
} from '../../../domain/emergency-events.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { roleHasPermission, isRole, type Permission } from '../../../domain/roles.ts';
import { localDateAndTime } from '../../../domain/test-dose-time.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { datePartsOf, formFields, formList, isPageError, noticeFrom } from '../form.ts';
import { instantBoxes, instantFromForm } from '../test-doses/test-dose-bedside-form.ts';
import { callView, eventView, kindChoices, outcomeChoices, signChoices } from './emergency-view.ts';

type PatientParams = { Params: { patientId: string } };
type EventParams = { Params: { eventId: string } };

const read = { permission: 'patient:read' } as const;
const recordAccess = { permission: 'emergency:record' } as const;
const closeAccess = { permission: 'emergency:close' } as const;

const NOTICES = {
  recorded:
    'Emergency event recorded: it is shown on every page of this patient’s record until a consultant closes it',
  closed: 'Emergency event closed',
};

const HREFS: Record<string, string> = { onsetAt: 'onsetAt-day', signs: 'signs', kind: 'kind' };

function can(request: FastifyRequest, permission: Permission): boolean {
  const role = requireAuth(request).user.role;
  return isRole(role) && roleHasPermission(role, permission);
}

function isKind(v: string | undefined): v is EmergencyKind {
  return (EMERGENCY_KINDS as readonly string[]).includes(v ?? '');
}

/**
 * Emergency events as pages: a patient's events and advice-line calls, recording an event (the
 * kind first, then its own checklist of signs, so the form works without JavaScript), one
 * event with the consultant's close, and every open event in the service.
 */
export function emergencyEventRoutes(deps: RouteDeps): FastifyPluginAsync {
  const emergencies = deps.services.emergencies;
  const tz = deps.config.timeZone;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    patientId: string,
    kind: EmergencyKind | null,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
    status = 200,
  ) => {
    const patient = await deps.services.patients.view(actor(request), patientId);
    return reply.status(status).page('pages/emergencies/event-form.njk', {
      title: kind === null ? 'Record an emergency event' : 'Record an emergency event: details',
      patient,
      kind,
      kindChoices: kindChoices(kind),
      signChoices: kind === null ? [] : signChoices(kind, (values.signs as string[] | undefined) ?? []),
      values,
      ...errorContext(errors, HREFS),
    });
  };

  return async (app) => {
    app.get<PatientParams>(
      '/patients/:patientId/emergencies',
      { config: { access: read } },
      async (request, reply) => {
        const { patientId } = request.params;
        const patient = await deps.services.patients.view(actor(request), patientId);
        const events = await emergencies.forPatient(actor(request), patientId);
        const calls = await emergencies.callsForPatient(actor(request), patientId);
        return reply.page('pages/emergencies/patient.njk', {
          title: 'Emergencies and advice-line calls',
          patient,
          events: events.map((e) => eventView(e)),
          calls: calls.map((c) => callView(c)),
          canRecord: can(request, 'emergency:record'),
          canLog: can(request, 'advice:log'),
        });
      },
    );

    app.get<PatientParams>(
      '/patients/:patientId/emergency-events/new',
      { config: { access: recordAccess } },
      async (request, reply) => {
        const q = formFields(request.query);
        const kind = isKind(q.kind) ? q.kind : null;
        const local = localDateAndTime(deps.clock.now().toISOString(), tz);
        return renderForm(request, reply, request.params.patientId, kind, {
          onsetAt: { ...datePartsOf(local.date), time: local.time },
          adviceCallId: q.call ?? '',
          signs: [],
        });
      },
    );

    app.post<PatientParams>(
      '/patients/:patientId/emergency-events',
      { config: { access: recordAccess } },
      async (request, reply) => {
        const { patientId } = request.params;
        const f = formFields(request.body);
        const kind = isKind(f.kind) ? f.kind : null;
        const raw: Record<string, unknown> = {
          kind: f.kind,
          signs: formList(request.body, 'signs'),
          signsNote: f.signsNote,
          actionsTaken: f.actionsTaken,
          adviceCallId: f.adviceCallId,
        };
        const values = { ...f, signs: raw.signs, onsetAt: instantBoxes(f, 'onsetAt') };
        const onset = instantFromForm(f, 'onsetAt', 'of onset', tz);
        if ('error' in onset) {
          // The other fields are still checked, so every problem shows at once; nothing is stored.
          const others = validateRecordEvent(
            { ...raw, onsetAt: deps.clock.now().toISOString() },
            deps.clock.now().toISOString(),
          );
          const rest = others.ok ? [] : others.errors.filter((e) => e.field !== 'onsetAt');
          return renderForm(request, reply, patientId, kind, values, [onset.error, ...rest], 400);
        }
        try {
          const event = await emergencies.record(actor(request), patientId, {
            ...raw,
            onsetAt: onset.instant,
          });
          return await reply.redirect(`/emergency-events/${event.id}?done=recorded`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          return renderForm(request, reply, patientId, kind, values, err.fieldErrors, err.status);
        }
      },
    );

    app.get('/emergency-events', { config: { access: read } }, async (request, reply) => {
      const events = await emergencies.openInService(actor(request));
      return reply.page('pages/emergencies/open-list.njk', {
        title: 'Open emergency events',
        events: events.map((e) => ({
          ...eventView(e),
          patientName: `${e.familyName.toUpperCase()}, ${e.givenName}`,
          nhsNumber: e.nhsNumber,
        })),
      });
    });

    const renderEvent = async (
      request: FastifyRequest,
      reply: FastifyReply,
      eventId: string,
      extra: {
        values?: Record<string, string>;
        errors?: readonly FieldError[];
        status?: number;
        conflict?: string;
      } = {},
    ) => {
      const event = await emergencies.view(actor(request), eventId);
      const patient = await deps.services.patients.view(actor(request), event.patientId);
      const q = formFields(request.query);
      const values = extra.values ?? {};
      return reply.status(extra.status ?? 200).page('pages/emergencies/event.njk', {
        title: eventView(event).headline,
        patient,
        event: eventView(event),
        notice: noticeFrom(NOTICES, q.done),
        canClose: can(request, 'emergency:close'),
        outcomeChoices: outcomeChoices(values.outcome),
        values,
        conflict: extra.conflict ?? null,
        ...errorContext(extra.errors ?? [], { outcome: 'outcome' }),
      });
    };

    app.get<EventParams>('/emergency-events/:eventId', { config: { access: read } }, async (request, reply) =>
      renderEvent(request, reply, request.params.eventId),
    );

    app.post<EventParams>(
      '/emergency-events/:eventId/close',
      { config: { access: closeAccess } },
      async (request, reply) => {
        const { eventId } = request.params;
        const f = formFields(request.body);
        const raw = { outcome: f.outcome, outcomeNote: f.outcomeNote };
        try {
          await emergencies.close(actor(request), eventId, raw);
          return await reply.redirect(`/emergency-events/${eventId}?done=closed`, 303);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          return renderEvent(request, reply, eventId, {
            values: f,
            errors: err.fieldErrors,
            status: err.status,
            ...(err.code === 'INVALID_STATE' ? { conflict: err.message } : {}),
          });
        }
      },
    );
  };
}
