import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { CANCEL_REASON_LABELS, CANCEL_REASONS } from '../../../domain/appointment.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import type { Actor } from '../../../services/audit-service.ts';
import { AppError } from '../../../services/app-error.ts';
import type { Appointment } from '../../../storage/appointments.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { datePartsOf, dateFromParts, formFields, formVersion } from '../form.ts';

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

const HREFS = { date: 'date-day', cancelReason: 'cancelReason', confirmBeyondTarget: 'confirmBeyondTarget' };

const ACCESS = { permission: 'appointment:manage' } as const;

const CANCEL_ITEMS = CANCEL_REASONS.map((v) => ({ value: v, text: CANCEL_REASON_LABELS[v] }));

/** The booking fields from the form; the date boxes become one date. */
function bookingFromForm(f: Record<string, string>): {
  raw: Record<string, unknown>;
  dateError: FieldError | null;
} {
  const { date, error } = dateFromParts(f, 'date', 'Appointment date');
  return {
    raw: {
      date: date ?? undefined,
      time: f.time,
      clinic: f.clinic,
      clinician: f.clinician,
      confirmBeyondTarget: f.confirmBeyondTarget === 'yes',
    },
    dateError: error,
  };
}

/** When the date boxes do not make a date, the rest is checked too, so every problem shows at once. */
function bookingProblems(kind: Kind, f: Record<string, string>, dateError: FieldError): FieldError[] {
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
  return rest;
}

interface Target {
  readonly kind: Kind;
  readonly referralId: string;
  /** The appointment acted on; null when booking a first one. */
  readonly appointment: Appointment | null;
}

async function render(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  { kind, referralId, appointment }: Target,
  values: Record<string, unknown>,
  errors: readonly FieldError[] = [],
  status = 200,
) {
  const detail = await deps.services.referrals.view(actorFor(requireAuth(request), request.id), referralId);
  const booking = kind === 'book' || kind === 'rebook';
  // The confirmation is asked for when a booking was refused for lacking it, was given, or is
  // bound to be needed (the target date has passed); not beside every booking, so it is not ticked
  // by habit.
  const askBeyondTarget =
    booking &&
    detail.wait !== null &&
    (errors.some((e) => e.field === 'confirmBeyondTarget') ||
      values.confirmBeyondTarget === 'yes' ||
      detail.wait.targetDate < deps.services.referrals.today());
  return reply.status(status).page('pages/appointments/form.njk', {
    askBeyondTarget,
    title: TITLES[kind],
    kind,
    patient: detail.patient,
    referral: detail.referral,
    wait: detail.wait,
    appointment,
    values,
    cancelItems: kind === 'rebook' ? CANCEL_ITEMS.filter((c) => c.value !== 'did-not-attend') : CANCEL_ITEMS,
    action: appointment ? `/appointments/${appointment.id}/${kind}` : `/referrals/${referralId}/appointments`,
    ...errorContext(errors, HREFS),
  });
}

/** Books, rebooks, cancels or records the outcome, as the form asks. */
async function save(
  deps: RouteDeps,
  actor: Actor,
  { kind, referralId, appointment }: Target,
  f: Record<string, string>,
  raw: Record<string, unknown>,
): Promise<void> {
  const referrals = deps.services.referrals;
  if (kind === 'book') {
    await referrals.book(actor, referralId, raw);
  } else if (!appointment) {
    return;
  } else if (kind === 'rebook') {
    await referrals.rebook(actor, appointment.id, formVersion(f), {
      ...raw,
      cancelReason: f.cancelReason,
      cancelNote: f.cancelNote,
    });
  } else if (kind === 'cancel') {
    await referrals.cancelAppointment(actor, appointment.id, formVersion(f), {
      cancelReason: f.cancelReason,
      cancelNote: f.cancelNote,
    });
  } else {
    await referrals.recordOutcome(actor, appointment.id, formVersion(f), { outcomeNote: f.outcomeNote });
  }
}

async function handle(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply, target: Target) {
  const f = formFields(request.body);
  const actor = actorFor(requireAuth(request), request.id);
  const values = { ...f, date: { day: f['date-day'], month: f['date-month'], year: f['date-year'] } };
  try {
    let raw: Record<string, unknown> = {};
    if (target.kind === 'book' || target.kind === 'rebook') {
      const booking = bookingFromForm(f);
      if (booking.dateError) {
        return await render(
          deps,
          request,
          reply,
          target,
          values,
          bookingProblems(target.kind, f, booking.dateError),
          400,
        );
      }
      raw = booking.raw;
    }
    await save(deps, actor, target, f, raw);
    return await reply.redirect(
      `/referrals/${target.referralId}?done=${DONE[target.kind]}#appointments`,
      303,
    );
  } catch (err) {
    if (err instanceof AppError && ['VALIDATION_FAILED', 'INVALID_STATE', 'STALE_EDIT'].includes(err.code)) {
      const errors = err.fieldErrors.length > 0 ? err.fieldErrors : [{ field: 'form', message: err.message }];
      return render(deps, request, reply, target, values, errors, err.status);
    }
    throw err;
  }
}

function appointmentFormRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { id: string } }>(
    '/referrals/:id/appointments/new',
    { config: { access: ACCESS } },
    async (request, reply) =>
      render(
        deps,
        request,
        reply,
        { kind: 'book', referralId: request.params.id, appointment: null },
        {
          date: datePartsOf(null),
        },
      ),
  );
  for (const kind of ['rebook', 'cancel', 'outcome'] as const) {
    app.get<{ Params: { id: string } }>(
      `/appointments/:id/${kind}`,
      { config: { access: ACCESS } },
      async (request, reply) => {
        const a = await deps.services.referrals.findAppointment(request.params.id);
        const values =
          kind === 'rebook'
            ? { clinic: a.clinic, clinician: a.clinician, time: a.time, date: datePartsOf(null) }
            : {};
        return render(
          deps,
          request,
          reply,
          { kind, referralId: a.referralId, appointment: a },
          {
            ...values,
            version: a.version,
          },
        );
      },
    );
  }
}

function appointmentSaveRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Params: { id: string } }>(
    '/referrals/:id/appointments',
    { config: { access: ACCESS } },
    async (request, reply) =>
      handle(deps, request, reply, { kind: 'book', referralId: request.params.id, appointment: null }),
  );
  for (const kind of ['rebook', 'cancel', 'outcome'] as const) {
    app.post<{ Params: { id: string } }>(
      `/appointments/:id/${kind}`,
      { config: { access: ACCESS } },
      async (request, reply) => {
        const a = await deps.services.referrals.findAppointment(request.params.id);
        return handle(deps, request, reply, { kind, referralId: a.referralId, appointment: a });
      },
    );
  }
}

/** The first appointment of an accepted referral: booked, rebooked, cancelled or attended. */
export function appointmentRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    appointmentFormRoutes(app, deps);
    appointmentSaveRoutes(app, deps);
  };
}
