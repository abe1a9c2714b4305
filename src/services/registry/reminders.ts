import { saveContactPreferences, viewContactPreferences } from '../contact-preferences-service.ts';
import { scheduleDueReminders, sendDueReminders } from '../reminder-service.ts';
import { reminderStatus } from '../reminder-status.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * Appointment reminders to patients: contact preferences and consent, the job that queues due
 * reminders, the outbox sender through GOV.UK Notify, and the status page.
 */
export function reminderServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    viewContact: viewContactPreferences,
    saveContact: saveContactPreferences,
    scheduleDue: scheduleDueReminders,
    sendDue: sendDueReminders,
    status: reminderStatus,
  });
}
