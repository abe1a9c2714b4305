import type { Selectable } from 'kysely';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { NotifyChannel } from '../domain/contact-preferences.ts';
import type { AppointmentKind } from '../domain/pump-appointment-input.ts';
import type { DbOrTrx, OutboundEmailsTable } from './database.ts';

/**
 * Patient reminders in the outbox: rows of `outbound_emails` whose channel is 'notify-email' or
 * 'notify-sms'. Claiming and recording attempts use the outbox's own functions
 * (outbox.repository.ts: claimEmail, updateEmail), so reminders retry and back off as email does.
 */
export { notifyChannel, reminderChannel, type NotifyChannel } from '../domain/contact-preferences.ts';
export const NOTIFY_CHANNELS: readonly NotifyChannel[] = ['notify-email', 'notify-sms'];

export type ReminderState = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface QueuedReminder {
  readonly id: string;
  readonly patientId: string;
  readonly appointmentId: string;
  readonly daysBefore: number;
  readonly appointmentOn: PlainDate;
  readonly channel: NotifyChannel;
  readonly toAddress: string;
  readonly templateId: string;
  readonly personalisation: Readonly<Record<string, string>>;
  readonly state: ReminderState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly nextAttemptAt: string;
  readonly sentAt: string | null;
  readonly cancelReason: string | null;
}

/** One reminder per appointment, reminder (days before) and channel, on every instance. */
export function reminderDedupeKey(appointmentId: string, daysBefore: number, channel: NotifyChannel): string {
  return `reminder:${appointmentId}:${String(daysBefore)}:${channel}`;
}

function fromRow(r: Selectable<OutboundEmailsTable>): QueuedReminder {
  return {
    id: r.id,
    patientId: r.patient_id ?? '',
    appointmentId: r.appointment_id ?? '',
    daysBefore: r.days_before ?? 0,
    appointmentOn: (r.appointment_on ?? '') as PlainDate,
    channel: r.channel as NotifyChannel,
    toAddress: r.to_address,
    templateId: r.template_id ?? '',
    personalisation: JSON.parse(r.personalisation ?? '{}') as Record<string, string>,
    state: r.state as ReminderState,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    cancelReason: r.cancel_reason,
  };
}

/**
 * Queues the reminder unless it is already queued (or was sent or cancelled): the unique
 * dedupe key decides, so reruns and parallel instances never queue it twice. True if queued.
 */
export async function insertReminderIfNew(
  db: DbOrTrx,
  r: Omit<QueuedReminder, 'state' | 'attempts' | 'lastError' | 'sentAt' | 'cancelReason'>,
  subject: string,
): Promise<boolean> {
  const result = await db
    .insertInto('outbound_emails')
    .values({
      id: r.id,
      referral_id: null,
      document_id: null,
      purpose: 'reminder',
      to_address: r.toAddress,
      subject,
      body_text: '',
      state: 'pending',
      attempts: 0,
      last_error: null,
      created_at: r.createdAt,
      next_attempt_at: r.nextAttemptAt,
      sent_at: null,
      channel: r.channel,
      patient_id: r.patientId,
      appointment_id: r.appointmentId,
      days_before: r.daysBefore,
      appointment_on: r.appointmentOn,
      template_id: r.templateId,
      personalisation: JSON.stringify(r.personalisation),
      dedupe_key: reminderDedupeKey(r.appointmentId, r.daysBefore, r.channel),
      cancel_reason: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findReminder(db: DbOrTrx, id: string): Promise<QueuedReminder | null> {
  const row = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('id', '=', id)
    .where('channel', 'in', NOTIFY_CHANNELS)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Reminders due for a (re)try, oldest first. */
export async function listDueReminders(db: DbOrTrx, now: string, limit: number): Promise<QueuedReminder[]> {
  const rows = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('channel', 'in', NOTIFY_CHANNELS)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('created_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export async function listRemindersForPatient(
  db: DbOrTrx,
  patientId: string,
  limit: number,
): Promise<QueuedReminder[]> {
  const rows = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('channel', 'in', NOTIFY_CHANNELS)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

/** Marks unsent reminders cancelled, with the reason; returns their ids. */
export async function cancelPendingReminders(
  db: DbOrTrx,
  where:
    | { readonly appointmentId: string }
    | { readonly patientId: string; readonly channels: readonly NotifyChannel[] },
  reason: string,
): Promise<string[]> {
  let q = db
    .updateTable('outbound_emails')
    .set({ state: 'cancelled', cancel_reason: reason })
    .where('state', '=', 'pending');
  if ('appointmentId' in where) {
    q = q.where('appointment_id', '=', where.appointmentId).where('channel', 'in', NOTIFY_CHANNELS);
  } else {
    if (where.channels.length === 0) {
      return [];
    }
    q = q.where('patient_id', '=', where.patientId).where('channel', 'in', where.channels);
  }
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}

/** Cancels one unsent reminder, with the reason. */
export async function cancelReminder(db: DbOrTrx, id: string, reason: string): Promise<void> {
  await db
    .updateTable('outbound_emails')
    .set({ state: 'cancelled', cancel_reason: reason })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .execute();
}

/** Cancels the unsent reminders of every appointment of a pump that is no longer booked. */
export async function cancelRemindersOfUnbookedAppointments(
  db: DbOrTrx,
  pumpId: string,
  reason: string,
): Promise<string[]> {
  const rows = await db
    .updateTable('outbound_emails')
    .set({ state: 'cancelled', cancel_reason: reason })
    .where('state', '=', 'pending')
    .where('channel', 'in', NOTIFY_CHANNELS)
    .where('appointment_id', 'in', (eb) =>
      eb
        .selectFrom('pump_appointments')
        .select('id')
        .where('pump_id', '=', pumpId)
        .where('state', '!=', 'booked'),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The address pending reminders by this channel go to, after the patient's number changed. */
export async function readdressPendingReminders(
  db: DbOrTrx,
  patientId: string,
  channel: NotifyChannel,
  to: string,
): Promise<void> {
  await db
    .updateTable('outbound_emails')
    .set({ to_address: to })
    .where('patient_id', '=', patientId)
    .where('channel', '=', channel)
    .where('state', '=', 'pending')
    .execute();
}

/** Booked refills and reviews of consenting patients between two days, for the reminder job. */
export interface ReminderCandidate {
  readonly appointmentId: string;
  readonly patientId: string;
  readonly kind: AppointmentKind;
  readonly onDate: PlainDate;
}

export async function listReminderCandidates(
  db: DbOrTrx,
  after: PlainDate,
  onOrBefore: PlainDate,
): Promise<ReminderCandidate[]> {
  const rows = await db
    .selectFrom('pump_appointments as a')
    .innerJoin('patient_contact_preferences as c', 'c.patient_id', 'a.patient_id')
    .select(['a.id', 'a.patient_id', 'a.kind', 'a.on_date'])
    .where('a.state', '=', 'booked')
    .where('a.kind', 'in', ['refill', 'review'])
    .where('a.on_date', '>', after)
    .where('a.on_date', '<=', onOrBefore)
    .where('c.consent_given', '=', 1)
    .where('c.channels', '!=', '')
    .orderBy('a.on_date')
    .execute();
  return rows.map((r) => ({
    appointmentId: r.id,
    patientId: r.patient_id,
    kind: r.kind as AppointmentKind,
    onDate: r.on_date as PlainDate,
  }));
}

/** How many reminders are in each state, for the status page (counts only, no patient). */
export async function reminderCounts(db: DbOrTrx): Promise<Record<ReminderState, number>> {
  const rows = await db
    .selectFrom('outbound_emails')
    .select(['state', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('channel', 'in', NOTIFY_CHANNELS)
    .groupBy('state')
    .execute();
  const counts: Record<ReminderState, number> = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const r of rows) {
    if (r.state in counts) {
      counts[r.state as ReminderState] = Number(r.n);
    }
  }
  return counts;
}
