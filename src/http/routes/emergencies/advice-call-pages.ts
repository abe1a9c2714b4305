import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { OVERDOSE_SIGNS, WITHDRAWAL_SIGNS, EMERGENCY_KIND_LABELS } from '../../../domain/emergency-events.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { isRole, roleHasPermission, type Permission } from '../../../domain/roles.ts';
import { localDateAndTime } from '../../../domain/test-dose-time.ts';
import { validateLogCall } from '../../../domain/advice-calls.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { datePartsOf, formFields, formList, isPageError, noticeFrom } from '../form.ts';
import { instantBoxes, instantFromForm } from '../test-doses/test-dose-bedside-form.ts';
import {
  callerChoices,
  callSignChoices,
  callView,
  followUpChoices,
  reasonChoices,
} from './emergency-view.ts';

type CallParams = { Params: { callId: string } };

const read = { permission: 'patient:read' } as const;
const logAccess = { permission: 'advice:log' } as const;
export const CALL_LOG_PAGE_SIZE = 50;

const NOTICES = { logged: 'Call logged' };
const HREFS: Record<string, string> = {
  calledAt: 'calledAt-day',
  callerKind: 'callerKind',
  reason: 'reason',
  followUp: 'followUp',
  overdoseSigns: 'overdoseSigns',
  withdrawalSigns: 'withdrawalSigns',
};

function can(request: FastifyRequest, permission: Permission): boolean {
  const role = requireAuth(request).user.role;
  return isRole(role) && roleHasPermission(role, permission);
}

/**
 * The advice line as pages: the service-wide call log, logging a call (about a registered
 * patient, started from their record, or an unknown caller named in words), and one call with
 * the advice the reference gives beside the advice given, offering to open the emergency event
 * the call suggests.
 */
export function adviceCallRoutes(deps: RouteDeps): FastifyPluginAsync {
  const emergencies = deps.services.emergencies;
  const tz = deps.config.timeZone;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    patientId: string | null,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
    status = 200,
  ) => {
    const context = await emergencies.callFormContext(patientId);
    if (context.patient !== null) {
      // Opening the form names the patient: audited as a view of the record.
      await deps.services.patients.view(actor(request), context.patient.id);
    }
    const list = (name: string) => (values[name] as string[] | undefined) ?? [];
    return reply.status(status).page('pages/emergencies/call-form.njk', {
      title: 'Log an advice-line call',
      patient: context.patient,
      appointments: context.appointments,
      values,
      callerChoices: callerChoices(values.callerKind as string | undefined),
      reasonChoices: reasonChoices(values.reason as string | undefined),
      followUpChoices: followUpChoices(values.followUp as string | undefined),
      overdoseChoices: callSignChoices(OVERDOSE_SIGNS, list('overdoseSigns')),
      withdrawalChoices: callSignChoices(WITHDRAWAL_SIGNS, list('withdrawalSigns')),
      ...errorContext(errors, HREFS),
    });
  };

  return async (app) => {
    app.get('/advice-calls', { config: { access: read } }, async (request, reply) => {
      const q = formFields(request.query);
      const requested = Number(q.page ?? '1');
      const log = await emergencies.callLog(actor(request), {
        page: Number.isInteger(requested) && requested >= 1 ? requested : 1,
        pageSize: CALL_LOG_PAGE_SIZE,
      });
      return reply.page('pages/emergencies/call-log.njk', {
        title: 'Advice-line calls',
        rows: log.rows.map((r) => ({ ...callView(r), patient: r.patient })),
        total: log.total,
        page: log.page,
        pages: log.pages,
        previousPage: log.page > 1 ? log.page - 1 : null,
        nextPage: log.page < log.pages ? log.page + 1 : null,
        canLog: can(request, 'advice:log'),
      });
    });

    app.get('/advice-calls/new', { config: { access: logAccess } }, async (request, reply) => {
      const q = formFields(request.query);
      const local = localDateAndTime(deps.clock.now().toISOString(), tz);
      return renderForm(request, reply, q.patientId ?? null, {
        patientId: q.patientId ?? '',
        calledAt: { ...datePartsOf(local.date), time: local.time },
      });
    });

    app.post('/advice-calls', { config: { access: logAccess } }, async (request, reply) => {
      const f = formFields(request.body);
      const raw: Record<string, unknown> = {
        patientId: f.patientId,
        callerIdentity: f.callerIdentity,
        callerKind: f.callerKind,
        callerName: f.callerName,
        reason: f.reason,
        details: f.details,
        overdoseSigns: formList(request.body, 'overdoseSigns'),
        withdrawalSigns: formList(request.body, 'withdrawalSigns'),
        adviceGiven: f.adviceGiven,
        followUp: f.followUp,
        appointmentId: f.followUp === 'appointment' ? f.appointmentId : null,
        followUpNote: f.followUpNote,
      };
      const values = {
        ...f,
        overdoseSigns: raw.overdoseSigns,
        withdrawalSigns: raw.withdrawalSigns,
        calledAt: instantBoxes(f, 'calledAt'),
      };
      const patientId = f.patientId !== undefined && f.patientId !== '' ? f.patientId : null;
      const at = instantFromForm(f, 'calledAt', 'of the call', tz);
      if ('error' in at) {
        const now = deps.clock.now().toISOString();
        const others = validateLogCall({ ...raw, calledAt: now }, now);
        const rest = others.ok ? [] : others.errors.filter((e) => e.field !== 'calledAt');
        return renderForm(request, reply, patientId, values, [at.error, ...rest], 400);
      }
      try {
        const logged = await emergencies.logCall(actor(request), { ...raw, calledAt: at.instant });
        return await reply.redirect(`/advice-calls/${logged.call.id}?done=logged`, 303);
      } catch (err) {
        if (!isPageError(err)) {
          throw err;
        }
        return renderForm(request, reply, patientId, values, err.fieldErrors, err.status);
      }
    });

    app.get<CallParams>('/advice-calls/:callId', { config: { access: read } }, async (request, reply) => {
      const { call, suggestedEvents } = await emergencies.viewCall(actor(request), request.params.callId);
      const patient =
        call.patientId === null ? null : await deps.services.patients.view(actor(request), call.patientId);
      const q = formFields(request.query);
      return reply.page('pages/emergencies/call.njk', {
        title: 'Advice-line call',
        call: callView(call),
        patient,
        notice: noticeFrom(NOTICES, q.done),
        suggestions: suggestedEvents.map((k) => ({
          kind: k,
          label: EMERGENCY_KIND_LABELS[k],
          href: `/patients/${call.patientId ?? ''}/emergency-events/new?kind=${k}&call=${call.id}`,
        })),
        canRecord: can(request, 'emergency:record'),
      });
    });
  };
}
