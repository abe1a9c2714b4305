import type { RouteDeps } from '../compose.ts';
import { notifyTransport, type ReminderTransport } from '../integrations/notify/notify-sender.ts';
import type { ScheduleSummary } from '../services/reminder-service.ts';
import { runOnce, type JobResult } from './job-runner.ts';

export const REMINDER_SCHEDULE_JOB = 'reminder-schedule';
/** How often due reminders are looked for; each pass is claimed once across instances. */
export const REMINDER_SLOT_MS = 15 * 60_000;

/**
 * Queues the reminders whose window is open, once per 15-minute slot across all instances. Even
 * if two passes ran, the outbox's unique key would queue each reminder once.
 */
export async function scheduleRemindersJob(deps: RouteDeps): Promise<JobResult<ScheduleSummary>> {
  if (deps.config.reminders.notify === null) {
    return { ran: false };
  }
  const slot = new Date(Math.floor(deps.clock.now().getTime() / REMINDER_SLOT_MS) * REMINDER_SLOT_MS);
  return runOnce(deps, REMINDER_SCHEDULE_JOB, slot.toISOString(), () =>
    deps.services.reminders.scheduleDue(),
  );
}

/** The outbox sender for reminders: through Notify when its key is set, otherwise nothing leaves. */
export function reminderSender(deps: RouteDeps): (() => Promise<void>) | null {
  const notify = deps.config.reminders.notify;
  if (notify === null) {
    return null;
  }
  const transport: ReminderTransport = notifyTransport(notify);
  return async () => {
    await deps.services.reminders.sendDue(transport);
  };
}
