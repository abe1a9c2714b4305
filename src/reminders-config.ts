import { ConfigError, type Env } from './config-env.ts';

/**
 * Appointment reminders to patients through GOV.UK Notify (README, "Reminders"). Without
 * NOTIFY_API_KEY nothing is queued or sent, and the pages say so. The key is a secret: it is
 * never logged, shown or put in an error message (hazard H-166).
 */
export const NOTIFY_PRODUCTION_URL = 'https://api.notifications.service.gov.uk';

export const NOTIFY_TEMPLATE_SETTINGS = {
  refillEmail: 'NOTIFY_TEMPLATE_REFILL_EMAIL',
  refillSms: 'NOTIFY_TEMPLATE_REFILL_SMS',
  reviewEmail: 'NOTIFY_TEMPLATE_REVIEW_EMAIL',
  reviewSms: 'NOTIFY_TEMPLATE_REVIEW_SMS',
} as const;
export type NotifyTemplateName = keyof typeof NOTIFY_TEMPLATE_SETTINGS;

export interface NotifyConfig {
  /** The API key, keyname-serviceid-secret (Notify's format). Secret. */
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly templates: Readonly<Record<NotifyTemplateName, string>>;
}

export interface RemindersConfig {
  /** Null: no key, so no reminder is queued or sent. */
  readonly notify: NotifyConfig | null;
  /** A local policy, no source: REMINDER_DAYS_BEFORE, default 7 and 1. */
  readonly daysBefore: readonly number[];
  /** Local time (HH:MM) from which a reminder may go on its day: no texts at night. */
  readonly sendTime: string;
  /** Where appointments are held, as reminders say; defaults to the service address. */
  readonly place: string;
  /** What reminders say about the time, since appointments are booked by day. */
  readonly timeText: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Notify's key is "{key name}-{service id}-{secret}", both ids UUIDs; the client takes the last
 * 73 characters apart, so a key cut short when pasted would sign with the wrong ids. Checked at
 * start-up; the message names the setting, never the value.
 */
function notifyKey(env: Env): string | null {
  const raw = env.NOTIFY_API_KEY?.trim() ?? '';
  if (raw === '') {
    return null;
  }
  const serviceId = raw.slice(-73, -37);
  const secret = raw.slice(-36);
  if (raw.length < 74 || raw.at(-37) !== '-' || !UUID.test(serviceId) || !UUID.test(secret)) {
    throw new ConfigError(
      'NOTIFY_API_KEY is not a GOV.UK Notify API key (key name, service id and secret joined by hyphens); copy it again from Notify',
    );
  }
  return raw;
}

function daysBefore(env: Env): readonly number[] {
  const raw = env.REMINDER_DAYS_BEFORE?.trim() ?? '';
  if (raw === '') {
    return [7, 1];
  }
  const days = raw.split(',').map((p) => Number(p.trim()));
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 60) || new Set(days).size !== days.length) {
    throw new ConfigError(
      `REMINDER_DAYS_BEFORE must be distinct whole numbers of days from 1 to 60 separated by commas, like 7,1, not "${raw}"`,
    );
  }
  return [...days].sort((a, b) => b - a);
}

export function remindersFromEnv(env: Env, serviceAddress: readonly string[]): RemindersConfig {
  const apiKey = notifyKey(env);
  const sendTime = env.REMINDER_SEND_TIME ?? '09:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(sendTime)) {
    throw new ConfigError(`REMINDER_SEND_TIME must be a 24-hour time like 09:00, not "${sendTime}"`);
  }
  let notify: NotifyConfig | null = null;
  if (apiKey !== null) {
    const missing = Object.values(NOTIFY_TEMPLATE_SETTINGS).filter(
      (name) => !UUID.test(env[name]?.trim() ?? ''),
    );
    if (missing.length > 0) {
      throw new ConfigError(
        `NOTIFY_API_KEY is set: set ${missing.join(', ')} to the Notify template ids (UUIDs) reminders use`,
      );
    }
    const baseUrl = (env.NOTIFY_BASE_URL?.trim() || NOTIFY_PRODUCTION_URL).replace(/\/$/, '');
    if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) {
      throw new ConfigError(`NOTIFY_BASE_URL must be an http(s) address, not "${baseUrl}"`);
    }
    const template = (name: NotifyTemplateName) => (env[NOTIFY_TEMPLATE_SETTINGS[name]] ?? '').trim();
    notify = {
      apiKey,
      baseUrl,
      templates: {
        refillEmail: template('refillEmail'),
        refillSms: template('refillSms'),
        reviewEmail: template('reviewEmail'),
        reviewSms: template('reviewSms'),
      },
    };
  }
  const place = env.REMINDER_PLACE?.trim() || serviceAddress.join(', ');
  return {
    notify,
    daysBefore: daysBefore(env),
    sendTime,
    place,
    timeText: env.REMINDER_TIME_TEXT?.trim() || 'at the time given in your appointment letter',
  };
}
