/**
 * Sends email (referral letters as PDF attachments) over SMTP with nodemailer. NHSmail takes
 * OAuth2 (XOAUTH2) with an access token; other relays take a user name and password, or no
 * login at all. Errors never carry the password or token: the server's reply is kept, with any
 * copy of a secret (plain, base64 or inside a SASL login string) replaced.
 */
import nodemailer from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise plain, upgraded with STARTTLS when offered. */
  readonly secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  readonly requireTls: boolean;
  readonly user: string | null;
  readonly password: string | null;
  /** OAuth2 (XOAUTH2) bearer token, used in preference to the password (NHSmail). */
  readonly accessToken: string | null;
  /** The From header and envelope sender, e.g. "Leeds ITB Service <leedsth.itb@nhs.net>". */
  readonly from: string;
  readonly rejectUnauthorized: boolean;
}

export interface OutgoingAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly OutgoingAttachment[];
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ readonly messageId: string }>;
  close(): void;
}

/** A failed send, with nodemailer's error code and the server's reply code, secrets removed. */
export class SmtpSendError extends Error {
  /** nodemailer's code: 'EAUTH', 'EENVELOPE', 'ECONNECTION', 'ETIMEDOUT', 'ETLS', … */
  readonly code: string | null;
  /** The SMTP reply code, e.g. 535 or 550, when the server gave one. */
  readonly responseCode: number | null;
  /** The SMTP command that failed, e.g. 'AUTH PLAIN' or 'RCPT TO'. */
  readonly command: string | null;
  /** Recipients the server refused. */
  readonly rejected: readonly string[];

  constructor(
    message: string,
    details: { code: string | null; responseCode: number | null; command: string | null; rejected: string[] },
  ) {
    super(message);
    this.name = 'SmtpSendError';
    this.code = details.code;
    this.responseCode = details.responseCode;
    this.command = details.command;
    this.rejected = details.rejected;
  }
}

/** The bare address from "Name <address>" or "address". */
function addressOf(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m?.[1] ?? from).trim();
}

/** The account to log in as: the configured user, else (for OAuth2) the From address. */
function loginUser(settings: SmtpSettings): string {
  return settings.user !== null && settings.user !== '' ? settings.user : addressOf(settings.from);
}

function authOptions(settings: SmtpSettings): SMTPTransportOptions['auth'] {
  if (settings.accessToken !== null && settings.accessToken !== '') {
    return { type: 'OAuth2', user: loginUser(settings), accessToken: settings.accessToken };
  }
  if (settings.user !== null && settings.user !== '' && settings.password !== null) {
    return { type: 'login', user: settings.user, pass: settings.password };
  }
  return undefined;
}

/** Every form in which a secret could appear in an SMTP exchange or an error about it. */
function secretForms(settings: SmtpSettings): string[] {
  const user = loginUser(settings);
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const forms: string[] = [];
  for (const secret of [settings.password, settings.accessToken]) {
    if (secret === null || secret === '') {
      continue;
    }
    forms.push(
      `\u0000${user}\u0000${secret}`,
      `user=${user}\u0001auth=Bearer ${secret}\u0001\u0001`,
      b64(`\u0000${user}\u0000${secret}`),
      b64(`user=${user}\u0001auth=Bearer ${secret}\u0001\u0001`),
      b64(secret),
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      secret,
    );
  }
  // Longest first, so a form that contains another is removed whole.
  return [...new Set(forms)].filter((f) => f !== '').sort((a, b) => b.length - a.length);
}

function redact(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) {
    out = out.split(form).join('[redacted]');
  }
  return out;
}

function field(error: unknown, key: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[key] : undefined;
}

function toSendError(error: unknown, settings: SmtpSettings, forms: readonly string[]): SmtpSendError {
  const message = error instanceof Error ? error.message : String(error);
  const code = field(error, 'code');
  const responseCode = field(error, 'responseCode');
  const command = field(error, 'command');
  const rejected = field(error, 'rejected');
  return new SmtpSendError(redact(`Email via ${settings.host}:${settings.port} failed: ${message}`, forms), {
    code: typeof code === 'string' ? code : null,
    responseCode: typeof responseCode === 'number' ? responseCode : null,
    command: typeof command === 'string' ? redact(command, forms) : null,
    rejected: Array.isArray(rejected) ? rejected.filter((r): r is string => typeof r === 'string') : [],
  });
}

export function createSmtpSender(settings: SmtpSettings): EmailSender {
  const forms = secretForms(settings);
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    auth: authOptions(settings),
    tls: { rejectUnauthorized: settings.rejectUnauthorized },
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    // Attachments are always in-memory buffers: never let content name a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });

  return {
    async send(email) {
      let info;
      try {
        info = await transport.sendMail({
          from: settings.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          attachments: email.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
          })),
        });
      } catch (error) {
        throw toSendError(error, settings, forms);
      }
      const rejected = info.rejected.map(String);
      if (rejected.length > 0) {
        throw new SmtpSendError(
          redact(
            `Email via ${settings.host}:${settings.port}: the server refused ${rejected.join(', ')}`,
            forms,
          ),
          { code: 'EENVELOPE', responseCode: null, command: 'RCPT TO', rejected },
        );
      }
      return { messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}
