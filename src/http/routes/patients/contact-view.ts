import { formatPlainDate } from '../../../domain/calendar-date.ts';
import {
  formatUkMobile,
  REMINDER_CHANNEL_LABELS,
  reminderChannel,
} from '../../../domain/contact-preferences.ts';
import type { ContactPreferencesView } from '../../../services/contact-preferences-service.ts';
import type { QueuedReminder } from '../../../storage/reminder-outbox.repository.ts';

/** The contact preferences page's view of the service's answer, in words. */

const STATE_WORDS: Readonly<Record<QueuedReminder['state'], string>> = {
  pending: 'Waiting to be sent',
  sent: 'Sent',
  failed: 'Not sent: Notify refused it or it failed too many times',
  cancelled: 'Cancelled, not sent',
};

export function reminderRows(reminders: readonly QueuedReminder[]) {
  return reminders.map((r) => ({
    channel: REMINDER_CHANNEL_LABELS[reminderChannel(r.channel)],
    reminder: `${String(r.daysBefore)} ${r.daysBefore === 1 ? 'day' : 'days'} before`,
    appointmentOn: formatPlainDate(r.appointmentOn),
    state: STATE_WORDS[r.state],
    detail: r.cancelReason ?? r.lastError ?? '',
    sentAt: r.sentAt,
  }));
}

export function contactView(v: ContactPreferencesView) {
  const p = v.preferences;
  return {
    patientId: v.patientId,
    patientName: v.patientName,
    serviceOff: v.serviceOff,
    recorded: p !== null,
    email: p?.email ?? null,
    mobile: p?.mobile ? formatUkMobile(p.mobile) : null,
    channels: p ? p.channels.map((c) => REMINDER_CHANNEL_LABELS[c]).join(' and ') || 'None' : null,
    consent: p ? (p.consentGiven ? 'Yes' : 'No') : null,
    consentDate: p ? formatPlainDate(p.consentDate) : null,
    recordedBy: p?.recordedByName ?? null,
    recordedAt: p?.recordedAt ?? null,
    activeChannels: v.activeChannels.map((c) => REMINDER_CHANNEL_LABELS[c]).join(' and '),
    reminders: reminderRows(v.reminders),
  };
}

/** The form's values from the stored preferences (the mobile as people write it). */
export function contactFormValues(v: ContactPreferencesView) {
  const p = v.preferences;
  return {
    email: p?.email ?? '',
    mobile: p?.mobile ? formatUkMobile(p.mobile) : '',
    channels: p?.channels ?? [],
    consentGiven: p ? (p.consentGiven ? 'yes' : 'no') : '',
    consentDate: p?.consentDate ?? null,
  };
}
