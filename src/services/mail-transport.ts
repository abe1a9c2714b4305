import { readFile } from 'node:fs/promises';
import type { SmtpConfig } from '../config.ts';
import { createSmtpSender } from '../integrations/mail/smtp-sender.ts';
import type { EmailTransport } from './outbox-service.ts';

/**
 * The outbox's transport from configuration. An OAuth2 token is read from its file for each
 * batch, because a separate process keeps it fresh (NHSmail tokens last about an hour).
 */
export function smtpTransport(config: SmtpConfig): EmailTransport {
  return {
    async send(email) {
      const accessToken =
        config.auth?.kind === 'oauth2' ? (await readFile(config.auth.accessTokenFile, 'utf8')).trim() : null;
      const sender = createSmtpSender({
        host: config.host,
        port: config.port,
        secure: config.secure,
        requireTls: config.requireTls,
        user: config.user,
        password: config.auth?.kind === 'password' ? config.auth.password : null,
        accessToken,
        from: config.from,
        rejectUnauthorized: config.rejectUnauthorized,
      });
      try {
        return await sender.send(email);
      } finally {
        sender.close();
      }
    },
  };
}
