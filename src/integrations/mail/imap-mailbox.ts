import { ImapFlow, type ImapFlowError, type MailboxObject } from 'imapflow';

export type ImapAuth =
  | { readonly kind: 'password'; readonly password: string }
  | { readonly kind: 'oauth2'; readonly accessToken: string };

export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (port 993). When false, imapflow upgrades with STARTTLS if the server offers it. */
  readonly secure: boolean;
  readonly user: string;
  readonly auth: ImapAuth;
  readonly mailbox: string;
  readonly rejectUnauthorized: boolean;
}

/** Where the last pass stopped: the highest UID stored, valid only while the mailbox keeps its UIDVALIDITY. */
export interface MailboxCursor {
  readonly uidValidity: string;
  readonly lastUid: number;
}

export interface FetchedMessage {
  readonly uid: number;
  readonly uidValidity: string;
  /** The whole message source (RFC 5322), as the server stores it. */
  readonly raw: Buffer;
}

export interface PollResult {
  /** How many messages `accept` took in this pass. */
  readonly fetched: number;
  /**
   * The cursor for the next pass: the last message accepted; else the cursor passed in, when the
   * mailbox still has its UIDVALIDITY; else null (nothing read yet under the current UIDVALIDITY).
   */
  readonly cursor: MailboxCursor | null;
}

export type MailboxErrorKind = 'connection' | 'authentication' | 'mailbox' | 'protocol';

/**
 * A failure talking to the IMAP server. The message names the server (host:port) and never holds
 * the password or access token; the underlying imapflow error is deliberately not kept as `cause`
 * because its fields can carry the command that was sent.
 */
export class MailboxError extends Error {
  readonly kind: MailboxErrorKind;
  /** imapflow's or Node's error code (e.g. ECONNREFUSED, CONNECT_TIMEOUT), when there is one. */
  readonly code: string | undefined;
  constructor(kind: MailboxErrorKind, message: string, code?: string) {
    super(message);
    this.name = 'MailboxError';
    this.kind = kind;
    this.code = code;
  }
}

const CONNECTION_TIMEOUT_MS = 30_000;
const GREETING_TIMEOUT_MS = 16_000;
const SOCKET_TIMEOUT_MS = 120_000;

function secretOf(settings: ImapSettings): string {
  return settings.auth.kind === 'password' ? settings.auth.password : settings.auth.accessToken;
}

/** What went wrong, from the error's own fields, with the secret blanked out in case it was echoed back. */
function explain(err: unknown, secret: string): { text: string; code: string | undefined } {
  const e: Partial<ImapFlowError> = err instanceof Error ? err : {};
  const message = e.message ?? String(err);
  const response = e.responseText ?? '';
  let text = message;
  if (response !== '') {
    text = message === '' || message === 'Command failed' ? response : `${message}: ${response}`;
  }
  if (secret !== '') {
    text = text.split(secret).join('***');
  }
  return { text, code: typeof e.code === 'string' ? e.code : undefined };
}

function mailboxErrorFrom(
  err: unknown,
  settings: ImapSettings,
  stage: 'connect' | 'open' | 'fetch',
): MailboxError {
  const server = `${settings.host}:${settings.port}`;
  const { text, code } = explain(err, secretOf(settings));
  const e: Partial<ImapFlowError> = err instanceof Error ? err : {};
  if (stage === 'connect') {
    if (e.authenticationFailed === true) {
      const how = settings.auth.kind === 'password' ? 'password' : 'OAuth2 access token';
      return new MailboxError(
        'authentication',
        `IMAP server ${server} refused the sign-in as ${settings.user} with a ${how}: ${text}`,
        code,
      );
    }
    return new MailboxError('connection', `Could not connect to the IMAP server ${server}: ${text}`, code);
  }
  if (stage === 'open') {
    return new MailboxError(
      'mailbox',
      `Could not open mailbox "${settings.mailbox}" on the IMAP server ${server}: ${text}`,
      code,
    );
  }
  return new MailboxError(
    'protocol',
    `Reading mailbox "${settings.mailbox}" on the IMAP server ${server} failed: ${text}`,
    code,
  );
}

/**
 * One pass over the mailbox. Messages with UID > cursor.lastUid (all messages when the cursor is null or its
 * uidValidity differs from the mailbox's) are fetched in UID order and handed one at a time to `accept`, which must
 * durably store the message (and the new cursor) before resolving. If accept throws, the pass stops there and rethrows,
 * so the message is read again next time. Never deletes, moves or flags messages (staff may read the same mailbox in
 * Outlook; read/unread state must not decide what we import): the mailbox is opened read-only (EXAMINE).
 *
 * Failures talking to the server reject with a {@link MailboxError}; an error thrown by `accept` is rethrown as it is.
 */
export async function pollMailboxOnce(
  settings: ImapSettings,
  cursor: MailboxCursor | null,
  accept: (m: FetchedMessage) => Promise<void>,
): Promise<PollResult> {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth:
      settings.auth.kind === 'password'
        ? { user: settings.user, pass: settings.auth.password }
        : { user: settings.user, accessToken: settings.auth.accessToken },
    tls: { rejectUnauthorized: settings.rejectUnauthorized },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  // imapflow also reports socket failures as 'error' events; without a listener they would crash
  // the process. The failure reaches us through the rejected command anyway.
  client.on('error', () => undefined);

  let clean = false;
  try {
    try {
      await client.connect();
    } catch (err) {
      throw mailboxErrorFrom(err, settings, 'connect');
    }

    let mailbox: MailboxObject;
    let lock: { release: () => void };
    try {
      lock = await client.getMailboxLock(settings.mailbox, { readOnly: true });
      if (client.mailbox === false) {
        throw new Error('the mailbox was not selected');
      }
      mailbox = client.mailbox;
    } catch (err) {
      throw mailboxErrorFrom(err, settings, 'open');
    }

    try {
      const uidValidity = String(mailbox.uidValidity);
      const valid = cursor !== null && cursor.uidValidity === uidValidity ? cursor : null;
      const after = valid?.lastUid ?? 0;
      let last: MailboxCursor | null = valid;
      let fetched = 0;
      if (mailbox.exists > 0) {
        // `N:*` always includes the highest message, even when its UID is below N: skip those.
        const messages = client.fetch(`${after + 1}:*`, { uid: true, source: true }, { uid: true });
        for (;;) {
          let next: Awaited<ReturnType<typeof messages.next>>;
          try {
            next = await messages.next();
          } catch (err) {
            throw mailboxErrorFrom(err, settings, 'fetch');
          }
          if (next.done === true) {
            break;
          }
          const { uid, source } = next.value;
          if (uid <= after) {
            continue;
          }
          if (last !== null && uid <= last.lastUid) {
            await messages.return(undefined);
            throw mailboxErrorFrom(
              new Error(`the server sent UID ${uid} after UID ${last.lastUid}`),
              settings,
              'fetch',
            );
          }
          if (source === undefined) {
            await messages.return(undefined);
            throw mailboxErrorFrom(new Error(`the server sent no content for UID ${uid}`), settings, 'fetch');
          }
          try {
            await accept({ uid, uidValidity, raw: source });
          } catch (err) {
            await messages.return(undefined);
            throw err;
          }
          last = { uidValidity, lastUid: uid };
          fetched++;
        }
      }
      clean = true;
      return { fetched, cursor: last };
    } finally {
      lock.release();
    }
  } finally {
    if (clean) {
      // LOGOUT politely after a full pass.
      await client.logout().catch(() => undefined);
    } else {
      // After a failure, drop the connection at once: a FETCH may still be streaming messages we
      // no longer want, and LOGOUT would wait for all of them.
      client.close();
    }
  }
}
