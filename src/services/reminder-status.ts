import type { AppConfig } from '../config.ts';
import { reminderCounts, type ReminderState } from '../storage/reminder-outbox.repository.ts';
import type { Db } from '../storage/database.ts';
import { NOTIFY_PRODUCTION_URL } from '../reminders-config.ts';
import type { Actor } from './audit-service.ts';
import { requirePermission } from './permission-check.ts';

type ReminderSettings = Pick<AppConfig, 'reminders' | 'service'>;

/**
 * Why no reminder leaves the service, in words for the pages, or null when reminders go. Said
 * plainly on the patient's contact page and the status page, so nobody believes reminders are
 * going when they are not (hazard H-162).
 */
export function remindersOff(config: ReminderSettings): string | null {
  if (config.reminders.notify === null) {
    return 'Reminders are off: GOV.UK Notify is not set up (NOTIFY_API_KEY is not set). No reminders are queued or sent to any patient.';
  }
  if (config.service.phone.trim() === '') {
    return "Reminders are off: the service's phone number (SERVICE_PHONE) is not set, and every reminder gives it. No reminders are queued.";
  }
  if (config.reminders.place.trim() === '') {
    return 'Reminders are off: where appointments are held is not set (REMINDER_PLACE or SERVICE_ADDRESS). No reminders are queued.';
  }
  return null;
}

export interface ReminderServiceStatus {
  readonly off: string | null;
  /** Whether Notify's live API is used (false: a test or local address). Never the key. */
  readonly liveNotify: boolean;
  readonly daysBefore: readonly number[];
  readonly sendTime: string;
  readonly place: string;
  readonly timeText: string;
  readonly counts: Readonly<Record<ReminderState, number>>;
}

/** The reminders' settings and counts for the status page: no patient, no key. */
export async function reminderStatus(
  deps: { readonly db: Db; readonly config: ReminderSettings },
  actor: Actor,
): Promise<ReminderServiceStatus> {
  requirePermission(
    actor,
    'figures:read',
    "Only staff who see the service's figures can see the reminder status",
  );
  const r = deps.config.reminders;
  return {
    off: remindersOff(deps.config),
    liveNotify: r.notify?.baseUrl === NOTIFY_PRODUCTION_URL,
    daysBefore: r.daysBefore,
    sendTime: r.sendTime,
    place: r.place,
    timeText: r.timeText,
    counts: await reminderCounts(deps.db),
  };
}
