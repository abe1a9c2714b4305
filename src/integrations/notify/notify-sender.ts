import notifications from 'notifications-node-client';
import type { NotifyConfig } from '../../reminders-config.ts';

/**
 * Sending a reminder through GOV.UK Notify with its official client (notifications-node-client,
 * which signs each request with a JWT made from the API key and posts it with axios). Every
 * failure comes back as a value with a short, safe message: the client's errors carry the request
 * configuration, Authorization header included, so they are never thrown on, logged or stored
 * (hazard H-166).
 */
export interface ReminderMessage {
  readonly channel: 'email' | 'sms';
  readonly templateId: string;
  readonly to: string;
  readonly personalisation: Readonly<Record<string, string>>;
  /** Our outbox id, so a message in Notify can be traced to its row without patient details. */
  readonly reference: string;
}

export type SendOutcome =
  | { readonly ok: true; readonly notificationId: string }
  | {
      readonly ok: false;
      /** True when trying again cannot help (Notify refused the request itself: HTTP 400). */
      readonly permanent: boolean;
      readonly status: number | null;
      readonly message: string;
    };

export interface ReminderTransport {
  send(message: ReminderMessage): Promise<SendOutcome>;
}

/** How long one request to Notify may take before it counts as failed and is retried later. */
const REQUEST_TIMEOUT_MS = 15_000;

interface NotifyErrorShape {
  response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } };
  code?: string;
}

/** A failure as a safe outcome: HTTP status, Notify's error name and message, never the request. */
export function outcomeOfError(err: unknown): SendOutcome {
  const e = (typeof err === 'object' && err !== null ? err : {}) as NotifyErrorShape;
  const status = typeof e.response?.status === 'number' ? e.response.status : null;
  if (status === null) {
    return {
      ok: false,
      permanent: false,
      status: null,
      message: `No answer from Notify (${e.code ?? 'network error'})`,
    };
  }
  const first = e.response?.data?.errors?.[0];
  const detail = first ? `${first.error ?? 'Error'}: ${first.message ?? ''}` : 'no error body';
  // 400: Notify refused the message itself (bad number, missing personalisation, unknown
  // template, team key): the same request fails every time. 403 (token refused, often a clock
  // out of step), 429 (rate or daily limit) and 5xx are retried with back-off.
  return {
    ok: false,
    permanent: status === 400,
    status,
    message: `HTTP ${String(status)} ${detail}`.slice(0, 300),
  };
}

type RestClient = (options: Record<string, unknown>) => Promise<unknown>;

export function notifyTransport(config: NotifyConfig): ReminderTransport {
  const client = new notifications.NotifyClient(config.baseUrl, config.apiKey);
  // The client's axios has no time-out by default; a hung connection would hold the lease.
  const inner = (client as unknown as { apiClient: { restClient: RestClient } }).apiClient.restClient;
  const timed: RestClient = (options) => inner({ ...options, timeout: REQUEST_TIMEOUT_MS });
  client.setClient(timed as unknown as Parameters<typeof client.setClient>[0]);
  return {
    async send(m: ReminderMessage): Promise<SendOutcome> {
      try {
        const options = { personalisation: { ...m.personalisation }, reference: m.reference };
        const response =
          m.channel === 'email'
            ? await client.sendEmail(m.templateId, m.to, options)
            : await client.sendSms(m.templateId, m.to, options);
        return { ok: true, notificationId: response.data.id };
      } catch (err) {
        return outcomeOfError(err);
      }
    },
  };
}
