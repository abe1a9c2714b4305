/**
 * A loopback SMTP server for tests: accepts mail on 127.0.0.1 on a free port, keeps every
 * message (envelope, raw bytes and mailparser's parse), and can refuse chosen recipients or
 * demand a login. Plain text only (no STARTTLS), so logins are allowed without TLS.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface SinkMessage {
  /** Envelope sender (MAIL FROM). */
  readonly from: string;
  /** Envelope recipients (RCPT TO). */
  readonly to: string[];
  readonly parsed: ParsedMail;
  readonly raw: Buffer;
}

export interface SmtpSinkOptions {
  /** Recipients refused at RCPT TO with 550. */
  readonly rejectRecipients?: readonly string[];
  /**
   * Demand a login (PLAIN or LOGIN with this user and password; XOAUTH2 with this user and
   * accessToken when one is given) before any mail is taken.
   */
  readonly requireAuth?: { readonly user: string; readonly password: string; readonly accessToken?: string };
}

export interface SmtpSink {
  readonly port: number;
  readonly messages: SinkMessage[];
  /** Resolves when at least n messages have arrived; rejects after timeoutMs (default 5000). */
  waitForMessages(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters = new Set<() => void>();
  const reject = new Set((options.rejectRecipients ?? []).map((a) => a.toLowerCase()));
  const auth = options.requireAuth;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onAuth(credentials, _session, callback) {
      if (!auth) {
        callback(smtpError('Authentication not enabled', 503));
        return;
      }
      const ok =
        credentials.method === 'XOAUTH2'
          ? auth.accessToken !== undefined &&
            credentials.username === auth.user &&
            credentials.accessToken === auth.accessToken
          : credentials.username === auth.user && credentials.password === auth.password;
      if (ok) {
        callback(null, { user: auth.user });
      } else if (credentials.method === 'XOAUTH2') {
        callback(null, { data: { status: '401', schemes: 'bearer', scope: 'mail' } });
      } else {
        callback(smtpError('Authentication credentials invalid', 535));
      }
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (reject.has(address.address.toLowerCase())) {
        callback(smtpError(`Recipient address rejected: ${address.address}`, 550));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const { mailFrom, rcptTo } = session.envelope;
            messages.push({
              from: mailFrom === false ? '' : mailFrom.address,
              to: rcptTo.map((r) => r.address),
              parsed,
              raw,
            });
            for (const wake of waiters) {
              wake();
            }
            callback();
          })
          .catch((error: unknown) => {
            callback(error instanceof Error ? error : new Error(String(error)));
          });
      });
    },
  });
  server.on('error', () => {
    // A client that drops its connection is not a test failure; the test's own asserts decide.
  });

  await new Promise<void>((resolve, fail) => {
    server.server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', fail);
      resolve();
    });
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('SMTP sink did not get a TCP port');
  }

  return {
    port: address.port,
    messages,
    waitForMessages(n, timeoutMs = 5000) {
      if (messages.length >= n) {
        return Promise.resolve();
      }
      return new Promise<void>((resolve, fail) => {
        const check = (): void => {
          if (messages.length >= n) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`SMTP sink: ${messages.length} of ${n} messages after ${timeoutMs}ms`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(resolve);
      });
    },
  };
}
