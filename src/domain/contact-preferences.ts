import { z } from 'zod';
import type { PlainDate } from './calendar-date.ts';
import type { Validated } from './field-error.ts';
import { EMAIL, optionalText, parseInput, plainDateField } from './schema-fields.ts';

/**
 * A patient's contact preferences for appointment reminders and their consent to them. Reminders
 * go only to a patient who has consented, by a channel they chose, to an address they gave; a
 * reminder sent to the wrong number or without consent discloses that the person is a patient of
 * the service (hazards H-161, H-163).
 */
export const REMINDER_CHANNELS = ['email', 'sms'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];
export const REMINDER_CHANNEL_LABELS: Readonly<Record<ReminderChannel, string>> = {
  email: 'Email',
  sms: 'Text message (SMS)',
};

/** The outbox's channel for a reminder by this channel (both go through GOV.UK Notify). */
export type NotifyChannel = 'notify-email' | 'notify-sms';
export const notifyChannel = (c: ReminderChannel): NotifyChannel =>
  c === 'email' ? 'notify-email' : 'notify-sms';
export const reminderChannel = (c: NotifyChannel): ReminderChannel =>
  c === 'notify-email' ? 'email' : 'sms';

export interface ContactPreferences {
  readonly email: string | null;
  /** A UK mobile number in international form, +447… (see normaliseUkMobile). */
  readonly mobile: string | null;
  readonly channels: readonly ReminderChannel[];
  readonly consentGiven: boolean;
  /** The day the patient gave or withdrew consent. */
  readonly consentDate: PlainDate;
}

/**
 * A UK mobile number as +447 and nine digits, or null when it is not one. Accepts the forms
 * people write: 07700 900123, +44 7700 900123, 0044 7700 900123, (07700) 900-123. UK mobile
 * numbers are 07 followed by nine digits (Ofcom's National Telephone Numbering Plan, the 07
 * range); 070 (personal numbers) and 076 (pagers, except 07624 on the Isle of Man) are not
 * mobiles and are refused, since a text sent to them never reaches the patient.
 */
export function normaliseUkMobile(input: string): string | null {
  const compact = input.replace(/[\s().-]/g, '');
  const m = /^(?:\+44|0044|44|0)(7\d{9})$/.exec(compact);
  if (!m?.[1]) {
    return null;
  }
  const national = m[1];
  if (national.startsWith('70') || (national.startsWith('76') && !national.startsWith('7624'))) {
    return null;
  }
  return `+44${national}`;
}

/** +447700900123 as people read it: 07700 900123. */
export function formatUkMobile(mobile: string): string {
  const national = `0${mobile.slice(3)}`;
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}

const channelList = z.preprocess(
  (v): unknown[] =>
    v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? (v as unknown[]) : [v],
  z.array(z.enum(REMINDER_CHANNELS, { error: 'Choose email, text message or neither' })),
);

export const contactPreferencesSchema = z.object({
  email: optionalText('Email address', 254).refine((v) => v === null || EMAIL.test(v), {
    error: 'Enter the email address in the correct format, like name@example.com',
  }),
  mobile: optionalText('Mobile number', 30).transform((v, ctx) => {
    if (v === null) {
      return null;
    }
    const normal = normaliseUkMobile(v);
    if (normal === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'Enter a UK mobile number, like 07700 900123 or +44 7700 900123',
      });
      return z.NEVER;
    }
    return normal;
  }),
  channels: channelList,
  consentGiven: z.preprocess(
    (v) => (v === 'yes' ? true : v === 'no' ? false : v),
    z.boolean({ error: 'Select whether the patient consents to reminders' }),
  ),
  consentDate: plainDateField('Date of the consent decision'),
});
export type ContactPreferencesInput = z.infer<typeof contactPreferencesSchema>;

/**
 * Checks the preferences: the chosen channels need their address, and the consent decision
 * cannot be dated in the future.
 */
export function validateContactPreferences(raw: unknown, today: PlainDate): Validated<ContactPreferences> {
  const result = parseInput(contactPreferencesSchema, raw);
  if (!result.ok) {
    return result;
  }
  const v = result.value;
  const channels = REMINDER_CHANNELS.filter((c) => v.channels.includes(c));
  const errors = [];
  if (channels.includes('email') && v.email === null) {
    errors.push({ field: 'email', message: 'Enter an email address to send reminders by email' });
  }
  if (channels.includes('sms') && v.mobile === null) {
    errors.push({ field: 'mobile', message: 'Enter a UK mobile number to send reminders by text' });
  }
  if (v.consentDate > today) {
    errors.push({
      field: 'consentDate',
      message: 'Date of the consent decision must be today or in the past',
    });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, value: { ...v, channels } };
}

/** Where a reminder by this channel goes, or why none goes (for the page and the sender). */
export type ReminderRoute =
  | { readonly ok: true; readonly to: string }
  | {
      readonly ok: false;
      readonly reason: 'no-preferences' | 'no-consent' | 'channel-not-chosen' | 'no-address';
    };

export function reminderRoute(prefs: ContactPreferences | null, channel: ReminderChannel): ReminderRoute {
  if (prefs === null) {
    return { ok: false, reason: 'no-preferences' };
  }
  if (!prefs.consentGiven) {
    return { ok: false, reason: 'no-consent' };
  }
  if (!prefs.channels.includes(channel)) {
    return { ok: false, reason: 'channel-not-chosen' };
  }
  const to = channel === 'email' ? prefs.email : prefs.mobile;
  return to === null ? { ok: false, reason: 'no-address' } : { ok: true, to };
}

/** The channels reminders go by now: consent given, channel chosen, address present. */
export function activeChannels(prefs: ContactPreferences | null): readonly ReminderChannel[] {
  return REMINDER_CHANNELS.filter((c) => reminderRoute(prefs, c).ok);
}
