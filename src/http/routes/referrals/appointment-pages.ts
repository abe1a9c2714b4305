import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppDeps } from '../../../compose.ts';
import { CANCEL_REASON_LABELS, CANCEL_REASONS } from '../../../domain/appointment.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { AppError } from '../../../services/app-error.ts';
import {
  bookAppointment,
  cancelAppointment,
  rebookAppointment,
  recordOutcome,
} from '../../../services/appointment-service.ts';
import { viewReferral } from '../../../services/referral-service.ts';
import { findAppointmentById, type Appointment } from '../../../storage/appointments.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { datePartsOf, dateFromParts, formFields, formVersion } from '../form.ts';
import { referralServiceDeps } from './referral-pages.ts';

type Kind = 'book' | 'rebook' | 'cancel' | 'outcome';

const TITLES: Record<Kind, string> = {
  book: 'Book the first appointment',
  rebook: 'Rebook the appointment',
  cancel: 'Cancel the appointment',
  outcome: 'Record the appointment outcome',
};

/** The referral page's banner code for each action (referral-notices.ts holds the texts). */
const DONE: Record<Kind, string> = {
  book: 'booked',
  rebook: 'rebooked',
  cancel: 'cancelled',
  outcome: 'outcome-recorded',
};

const HREFS = { date: 'date-day', cancelReason: 'cancelReason' };

/** The booking fields from the form; the date boxes become one date. */
function bookingFromForm(f: Record<string, string>): {
  raw: Record<string, unknown>;
  dateError: FieldError | null;
} {
  const { date, error } = dateFromParts(f, 'date', 'Appointment date');
  return {
    raw: { date: date ?? undefined, time: f.time, clinic: f.clinic, clinician: f.clinician },
    dateError: error,
  };
}

export function appointmentRoutes(deps: AppDeps): FastifyPluginAsync {
  const svc = referralServiceDeps(deps);
  const access = { permission: 'appointment:manage' } as const;
  const cancelItems = CANCEL_REASONS.map((v) => ({ value: v, text: CANCEL_REASON_LABELS[v] }));

  async function render(
    request: Parameters<typeof requireAuth>[0] & { id: string },
    reply: FastifyReply,
    kind: Kind,
    referralId: string,
    appointment: Appointment | null,
    values: Record<string, unknown>,
    errors: readonly FieldError[] = [],
    status = 200,
  ) {
    const detail = await viewReferral(svc, actorFor(requireAuth(request), request.id), referralId);
    return reply.status(status).page('pages/appointments/form.njk', {
      title: TITLES[kind],
      kind,
      patient: detail.patient,
      referral: detail.referral,
      wait: detail.wait,
      appointment,
      values,
      cancelItems: kind === 'rebook' ? cancelItems.filter((c) => c.value !== 'did-not-attend') : cancelItems,
      action: appointment
        ? `/appointments/${appointment.id}/${kind}`
        : `/referrals/${referralId}/appointments`,
      ...errorContext(errors, HREFS),
    });
  }

  async function loadAppointment(id: string): Promise<Appointment> {
    const a = await findAppointmentById(svc.db, id);
    if (!a) {
      throw new AppError('NOT_FOUND', 'Appointment not found');
    }
    return a;
  }

  return async (app) => {
    app.get<{ Params: { id: string } }>(
      '/referrals/:id/appointments/new',
      { config: { access } },
      async (request, reply) =>
        render(request, reply, 'book', request.params.id, null, { date: datePartsOf(null) }),
    );

    for (const kind of ['rebook', 'cancel', 'outcome'] as const) {
      app.get<{ Params: { id: string } }>(
        `/appointments/:id/${kind}`,
        { config: { access } },
        async (request, reply) => {
          const a = await loadAppointment(request.params.id);
          const values =
            kind === 'rebook'
              ? { clinic: a.clinic, clinician: a.clinician, time: a.time, date: datePartsOf(null) }
              : {};
          return render(request, reply, kind, a.referralId, a, { ...values, version: a.version });
        },
      );
    }

    const handle = async (
      request: Parameters<typeof requireAuth>[0] & { id: string; body: unknown },
      reply: FastifyReply,
      kind: Kind,
      referralId: string,
      appointment: Appointment | null,
    ) => {
      const f = formFields(request.body);
      const actor = actorFor(requireAuth(request), request.id);
      const values = { ...f, date: { day: f['date-day'], month: f['date-month'], year: f['date-year'] } };
      try {
        if (kind === 'book' || kind === 'rebook') {
          const { raw, dateError } = bookingFromForm(f);
          if (dateError) {
            // Check the rest too, so every problem shows at once.
            const rest = [dateError];
            if (!f.time) {
              rest.push({ field: 'time', message: 'Enter the appointment time' });
            }
            if (!f.clinic?.trim()) {
              rest.push({ field: 'clinic', message: 'Enter the clinic' });
            }
            if (!f.clinician?.trim()) {
              rest.push({ field: 'clinician', message: 'Enter the clinician' });
            }
            if (kind === 'rebook' && !f.cancelReason) {
              rest.push({ field: 'cancelReason', message: 'Select why the appointment is being moved' });
            }
            return await render(request, reply, kind, referralId, appointment, values, rest, 400);
          }
          if (kind === 'book') {
            await bookAppointment(svc, actor, referralId, raw);
          } else if (appointment) {
            await rebookAppointment(svc, actor, appointment.id, formVersion(f), {
              ...raw,
              cancelReason: f.cancelReason,
              cancelNote: f.cancelNote,
            });
          }
        } else if (kind === 'cancel' && appointment) {
          await cancelAppointment(svc, actor, appointment.id, formVersion(f), {
            cancelReason: f.cancelReason,
            cancelNote: f.cancelNote,
          });
        } else if (appointment) {
          await recordOutcome(svc, actor, appointment.id, formVersion(f), { outcomeNote: f.outcomeNote });
        }
        return await reply.redirect(`/referrals/${referralId}?done=${DONE[kind]}#appointments`, 303);
      } catch (err) {
        if (
          err instanceof AppError &&
          ['VALIDATION_FAILED', 'INVALID_STATE', 'STALE_EDIT'].includes(err.code)
        ) {
          const errors =
            err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'form', message: err.message }];
          return render(request, reply, kind, referralId, appointment, values, errors, err.status);
        }
        throw err;
      }
    };

    app.post<{ Params: { id: string } }>(
      '/referrals/:id/appointments',
      { config: { access } },
      async (request, reply) => handle(request, reply, 'book', request.params.id, null),
    );
    for (const kind of ['rebook', 'cancel', 'outcome'] as const) {
      app.post<{ Params: { id: string } }>(
        `/appointments/:id/${kind}`,
        { config: { access } },
        async (request, reply) => {
          const a = await loadAppointment(request.params.id);
          return handle(request, reply, kind, a.referralId, a);
        },
      );
    }
  };
}
