import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config.ts';
import { addDays } from '../domain/calendar-date.ts';
import { activeChannels, reminderRoute, type ReminderChannel } from '../domain/contact-preferences.ts';
import {
  dueSlot,
  reminderPersonalisation,
  stillTimely,
  type ReminderPolicy,
} from '../domain/reminder-schedule.ts';
import type { AppointmentKind } from '../domain/pump-appointment-input.ts';
import type { NotifyTemplateName } from '../reminders-config.ts';
import type { ReminderTransport } from '../integrations/notify/notify-sender.ts';
import { findContactPreferences } from '../storage/contact-preferences.repository.ts';
import type { Db } from '../storage/database.ts';
import { claimEmail, updateEmail } from '../storage/outbox.repository.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import { findPumpAppointment } from '../storage/pump-appointments.repository.ts';
import {
  cancelReminder,
  findReminder,
  insertReminderIfNew,
  listDueReminders,
  listReminderCandidates,
  notifyChannel,
  reminderChannel,
  type QueuedReminder,
} from '../storage/reminder-outbox.repository.ts';
import { actorEvent, appendAudit, recordAudit } from './audit-service.ts';
import { todayIn, type Clock } from './clock.ts';
import { MAX_EMAIL_ATTEMPTS, retryDelayMs } from './outbox-service.ts';
import { remindersOff } from './reminder-status.ts';

/**
 * Appointment reminders to patients. The job queues each due reminder into the outbox once
 * (scheduleDueReminders); the outbox sender sends them through GOV.UK Notify after that
 * transaction has committed, with the outbox's retries and back-off (sendDueReminders). Nothing
 * is sent inside a request's transaction, and nothing is queued or sent without a Notify key.
 */
export interface ReminderDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<AppConfig, 'reminders' | 'service' | 'timeZone'>;
}

export interface ScheduleSummary {
  readonly queued: number;
  /** Why nothing was queued, when reminders are off. */
  readonly off: string | null;
}

function policyOf(config: ReminderDeps['config']): ReminderPolicy {
  return {
    daysBefore: config.reminders.daysBefore,
    sendTime: config.reminders.sendTime,
    timeZone: config.timeZone,
  };
}

function templateName(kind: AppointmentKind, channel: ReminderChannel): NotifyTemplateName | null {
  if (kind === 'refill') {
    return channel === 'email' ? 'refillEmail' : 'refillSms';
  }
  if (kind === 'review') {
    return channel === 'email' ? 'reviewEmail' : 'reviewSms';
  }
  return null;
}

/**
 * Queues the reminders whose window is open now: booked refills and reviews of patients who
 * consented, by each channel they chose. The outbox's unique key makes this idempotent: reruns
 * and parallel instances never queue a reminder twice (hazard H-165).
 */
export async function scheduleDueReminders(deps: ReminderDeps): Promise<ScheduleSummary> {
  const off = remindersOff(deps.config);
  const notify = deps.config.reminders.notify;
  if (off !== null || notify === null) {
    return { queued: 0, off };
  }
  const policy = policyOf(deps.config);
  const now = deps.clock.now().toISOString();
  const today = todayIn(deps.clock, deps.config.timeZone);
  const furthest = Math.max(...policy.daysBefore);
  let queued = 0;
  for (const c of await listReminderCandidates(deps.db, today, addDays(today, furthest))) {
    const slot = dueSlot(c.onDate, policy, now);
    if (slot === null) {
      continue;
    }
    queued += await deps.db.transaction().execute(async (trx) => {
      const prefs = await findContactPreferences(trx, c.patientId);
      const patient = await findPatientById(trx, c.patientId);
      if (!patient) {
        return 0;
      }
      const personalisation = reminderPersonalisation({
        givenName: patient.givenName,
        onDate: c.onDate,
        timeText: deps.config.reminders.timeText,
        place: deps.config.reminders.place,
        servicePhone: deps.config.service.phone,
      });
      let n = 0;
      for (const channel of activeChannels(prefs)) {
        const route = reminderRoute(prefs, channel);
        const template = templateName(c.kind, channel);
        if (!route.ok || template === null) {
          continue;
        }
        const id = randomUUID();
        const inserted = await insertReminderIfNew(
          trx,
          {
            id,
            patientId: c.patientId,
            appointmentId: c.appointmentId,
            daysBefore: slot.daysBefore,
            appointmentOn: c.onDate,
            channel: notifyChannel(channel),
            toAddress: route.to,
            templateId: notify.templates[template],
            personalisation: { ...personalisation },
            createdAt: now,
            nextAttemptAt: now,
          },
          `${c.kind} reminder, ${String(slot.daysBefore)} days before`,
        );
        if (inserted) {
          n += 1;
          await appendAudit(
            trx,
            deps.clock,
            actorEvent(null, {
              action: 'reminder.queue',
              outcome: 'success',
              entityType: 'outbound-email',
              entityId: id,
              patientId: c.patientId,
              details: { appointmentId: c.appointmentId, kind: c.kind, daysBefore: slot.daysBefore, channel },
            }),
          );
        }
      }
      return n;
    });
  }
  return { queued, off: null };
}

export interface ReminderSendSummary {
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
  readonly cancelled: number;
}

/**
 * Why a queued reminder must not go now, or null when it may: checked again just before
 * sending, against the appointment, the patient's current consent and address and the clock, so
 * a change the cancellation hooks missed still stops it (hazards H-160, H-161, H-163).
 */
async function reasonNotToSend(deps: ReminderDeps, r: QueuedReminder): Promise<string | null> {
  const appt = await findPumpAppointment(deps.db, r.appointmentId);
  if (!appt || appt.state !== 'booked') {
    return `appointment ${appt?.state ?? 'not found'}`;
  }
  if (appt.onDate !== r.appointmentOn) {
    return 'appointment moved';
  }
  if (!stillTimely(appt.onDate, policyOf(deps.config), deps.clock.now().toISOString())) {
    return 'too late: the appointment day has started';
  }
  const route = reminderRoute(await findContactPreferences(deps.db, r.patientId), reminderChannel(r.channel));
  if (!route.ok) {
    return route.reason === 'no-consent' ? 'consent withdrawn' : `no longer wanted (${route.reason})`;
  }
  if (route.to !== r.toAddress) {
    return 'contact details changed';
  }
  return null;
}

async function audit(
  deps: ReminderDeps,
  r: QueuedReminder,
  action: 'reminder.send' | 'reminder.cancel',
  outcome: 'success' | 'failure',
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(null, {
      action,
      outcome,
      entityType: 'outbound-email',
      entityId: r.id,
      patientId: r.patientId,
      details: {
        appointmentId: r.appointmentId,
        daysBefore: r.daysBefore,
        channel: reminderChannel(r.channel),
        ...details,
      },
    }),
  );
}

/**
 * Sends the reminders that are due, each claimed first (so two instances never both send it).
 * A refusal by Notify (HTTP 400) fails the reminder at once; other failures are retried with the
 * outbox's back-off until MAX_EMAIL_ATTEMPTS, then marked failed. Every outcome is audited.
 */
export async function sendDueReminders(
  deps: ReminderDeps,
  transport: ReminderTransport,
  limit = 20,
): Promise<ReminderSendSummary> {
  const summary = { sent: 0, retrying: 0, failed: 0, cancelled: 0 };
  const now = deps.clock.now();
  for (const listed of await listDueReminders(deps.db, now.toISOString(), limit)) {
    const lease = new Date(now.getTime() + 10 * 60_000).toISOString();
    if (!(await claimEmail(deps.db, listed.id, listed.nextAttemptAt, lease))) {
      continue;
    }
    const r = await findReminder(deps.db, listed.id);
    if (r?.state !== 'pending') {
      continue;
    }
    const reason = await reasonNotToSend(deps, r);
    if (reason !== null) {
      await cancelReminder(deps.db, r.id, reason);
      summary.cancelled += 1;
      await audit(deps, r, 'reminder.cancel', 'success', { reason });
      continue;
    }
    const attempts = r.attempts + 1;
    const outcome = await transport.send({
      channel: reminderChannel(r.channel),
      templateId: r.templateId,
      to: r.toAddress,
      personalisation: r.personalisation,
      reference: r.id,
    });
    const at = deps.clock.now();
    if (outcome.ok) {
      await updateEmail(deps.db, r.id, {
        state: 'sent',
        attempts,
        sentAt: at.toISOString(),
        lastError: null,
      });
      summary.sent += 1;
      await audit(deps, r, 'reminder.send', 'success', { attempts, notificationId: outcome.notificationId });
      continue;
    }
    const gaveUp = outcome.permanent || attempts >= MAX_EMAIL_ATTEMPTS;
    await updateEmail(deps.db, r.id, {
      state: gaveUp ? 'failed' : 'pending',
      attempts,
      lastError: outcome.message,
      nextAttemptAt: new Date(at.getTime() + retryDelayMs(attempts)).toISOString(),
    });
    if (gaveUp) {
      summary.failed += 1;
    } else {
      summary.retrying += 1;
    }
    await audit(deps, r, 'reminder.send', 'failure', {
      attempts,
      gaveUp,
      status: outcome.status,
      error: outcome.message,
    });
  }
  return summary;
}
