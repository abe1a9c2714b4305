import {
  activeChannels,
  REMINDER_CHANNELS,
  validateContactPreferences,
  type ReminderChannel,
} from '../domain/contact-preferences.ts';
import {
  findContactPreferences,
  insertContactPreferences,
  updateContactPreferencesIfVersion,
  type StoredContactPreferences,
} from '../storage/contact-preferences.repository.ts';
import type { Db } from '../storage/database.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import {
  cancelPendingReminders,
  listRemindersForPatient,
  notifyChannel,
  readdressPendingReminders,
  type QueuedReminder,
} from '../storage/reminder-outbox.repository.ts';
import type { AppConfig } from '../config.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today as serviceToday, type Clock } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { remindersOff } from './reminder-status.ts';

/** A patient's reminder contact preferences and consent: viewing and recording them. */
export interface ContactPreferencesDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<AppConfig, 'reminders' | 'service' | 'timeZone'>;
}

export interface ContactPreferencesView {
  readonly patientId: string;
  readonly patientName: string;
  readonly preferences: StoredContactPreferences | null;
  /** Channels a reminder would go by now (consent, choice and address). */
  readonly activeChannels: readonly ReminderChannel[];
  /** Why no reminder leaves the service at all (no Notify key …), or null when they can. */
  readonly serviceOff: string | null;
  readonly reminders: readonly QueuedReminder[];
}

export async function viewContactPreferences(
  deps: ContactPreferencesDeps,
  actor: Actor,
  patientId: string,
): Promise<ContactPreferencesView> {
  requirePermission(actor, 'patient:read', 'Only staff who view patient records can see contact preferences');
  return deps.db.transaction().execute(async (trx) => {
    const patient = await findPatientById(trx, patientId);
    if (!patient) {
      throw new AppError('NOT_FOUND', 'Patient not found');
    }
    const preferences = await findContactPreferences(trx, patientId);
    const reminders = await listRemindersForPatient(trx, patientId, 20);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'patient-contact.view',
        outcome: 'success',
        entityType: 'patient',
        entityId: patientId,
        patientId,
      }),
    );
    return {
      patientId,
      patientName: `${patient.givenName} ${patient.familyName}`,
      preferences,
      activeChannels: activeChannels(preferences),
      serviceOff: remindersOff(deps.config),
      reminders,
    };
  });
}

/**
 * Records the patient's preferences and consent decision, by whom and when. In the same
 * transaction, reminders not yet sent by a channel that is no longer active (consent withdrawn,
 * channel no longer chosen, address removed) are cancelled, and those still going are readdressed
 * to the new email or number, so nothing queued earlier goes against the patient's wishes or to
 * an old number (hazards H-161, H-163). `expectedVersion` guards against overwriting a change
 * made by someone else since the form was opened.
 */
export async function saveContactPreferences(
  deps: ContactPreferencesDeps,
  actor: Actor,
  patientId: string,
  raw: unknown,
  expectedVersion: number | null,
): Promise<StoredContactPreferences> {
  requirePermission(
    actor,
    'patient:write',
    'Only staff who edit patient details can record contact preferences',
  );
  const result = validateContactPreferences(raw, serviceToday(deps));
  if (!result.ok) {
    throw validationError(result.errors);
  }
  const prefs = result.value;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await findPatientById(trx, patientId))) {
      throw new AppError('NOT_FOUND', 'Patient not found');
    }
    const before = await findContactPreferences(trx, patientId);
    const at = deps.clock.now().toISOString();
    const stale = () =>
      new AppError(
        'STALE_EDIT',
        "The patient's contact preferences were changed by someone else. Reload and try again.",
      );
    if (before === null) {
      if (expectedVersion !== null && expectedVersion !== 0) {
        throw stale();
      }
      await insertContactPreferences(trx, patientId, prefs, actor.userId, at);
    } else {
      if (expectedVersion !== null && expectedVersion !== before.version) {
        throw stale();
      }
      if (
        !(await updateContactPreferencesIfVersion(trx, patientId, before.version, prefs, actor.userId, at))
      ) {
        throw stale();
      }
    }
    const active = activeChannels(prefs);
    const inactive = REMINDER_CHANNELS.filter((c) => !active.includes(c)).map(notifyChannel);
    const reason = prefs.consentGiven ? 'channel no longer chosen' : 'consent withdrawn';
    const cancelled = await cancelPendingReminders(trx, { patientId, channels: inactive }, reason);
    for (const c of active) {
      const to = c === 'email' ? prefs.email : prefs.mobile;
      if (to !== null) {
        await readdressPendingReminders(trx, patientId, notifyChannel(c), to);
      }
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'patient-contact.update',
        outcome: 'success',
        entityType: 'patient',
        entityId: patientId,
        patientId,
        // Metadata only: whether the addresses changed, never the addresses themselves.
        details: {
          consentGiven: prefs.consentGiven,
          consentDate: prefs.consentDate,
          consentChanged: before === null || before.consentGiven !== prefs.consentGiven,
          channels: prefs.channels,
          emailChanged: before?.email !== prefs.email,
          mobileChanged: before?.mobile !== prefs.mobile,
          remindersCancelled: cancelled.length,
        },
      }),
    );
    for (const id of cancelled) {
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'reminder.cancel',
          outcome: 'success',
          entityType: 'outbound-email',
          entityId: id,
          patientId,
          details: { reason },
        }),
      );
    }
    const saved = await findContactPreferences(trx, patientId);
    if (!saved) {
      throw new Error('contact preferences vanished inside their own transaction');
    }
    return saved;
  });
}
