import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config.ts';
import { parsePlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import { targetDateFor, targetDaysFor } from '../domain/waiting-target.ts';
import { dailyReferralCheck } from '../jobs/daily-referral-check.ts';
import { smtpTransport } from '../services/mail-transport.ts';
import { CliError, withApp } from './commands.ts';

/**
 * `itb calc target`: the first-appointment target date, from the same pure function the
 * waiting list uses. Needs no database.
 */
export function calcTargetCommand(opts: {
  received: string;
  days?: string;
  urgent?: boolean;
  json?: boolean;
}): void {
  const received = parsePlainDate(opts.received);
  if (!received) {
    throw new CliError(`--received: must be a real date as YYYY-MM-DD, not "${opts.received}"`, 2);
  }
  const waiting = loadConfig(process.env).waiting;
  const fallback = targetDaysFor(opts.urgent ? 'urgent' : 'routine', waiting);
  const days = opts.days === undefined ? fallback : Number(opts.days);
  if (!/^\d+$/.test(opts.days ?? String(fallback)) || days < 1 || days > 365) {
    throw new CliError(`--days: must be a whole number from 1 to 365, not "${opts.days ?? ''}"`, 2);
  }
  const targetDate = targetDateFor(received, days);
  // `warnings` as in every `itb calc … --json`, so a caller reads one shape; a waiting-time
  // target has no usual range to leave, so it is always empty.
  const warnings: ClinicalWarning[] = [];
  process.stdout.write(
    opts.json
      ? `${JSON.stringify({ receivedOn: received, days, targetDate, warnings })}\n`
      : `Target date: ${targetDate} (${String(days)} days after ${received})\n`,
  );
}

/** `itb intake import FILE.eml`: the same path as a message read from the mailbox. */
export async function intakeImportCommand(file: string): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch {
    throw new CliError(`FILE: cannot read "${file}"`, 2);
  }
  await withApp(async (deps) => {
    const { item, duplicate } = await deps.services.referrals.ingestEmail(null, raw, 'upload');
    const what =
      item.parseState === 'unparseable'
        ? `kept, but it could not be read: ${item.parseProblem ?? ''}`
        : 'ready to confirm';
    process.stdout.write(
      duplicate
        ? `Already in the intake as ${item.id}: nothing added.\n`
        : `Imported as ${item.id}: ${what}.\n`,
    );
  });
}

/** `itb intake poll`: one pass of the service mailbox. */
export async function intakePollCommand(): Promise<void> {
  await withApp(async (deps) => {
    const imap = deps.config.imap;
    if (!imap) {
      throw new CliError(
        'The mailbox is not configured: set IMAP_HOST, IMAP_USER and IMAP_PASSWORD or IMAP_ACCESS_TOKEN_FILE',
        2,
      );
    }
    const s = await deps.services.referrals.pollMailbox(imap);
    process.stdout.write(
      `Read ${String(s.fetched)} new ${s.fetched === 1 ? 'message' : 'messages'}: ${String(s.stored)} added to the intake, ${String(s.duplicates)} already there, ${String(s.unparseable)} could not be read.\n`,
    );
  });
}

/** `itb jobs daily-check`: runs today's referral check now (once a day per database). */
export async function dailyCheckCommand(opts: { json?: boolean }): Promise<void> {
  await withApp(async (deps) => {
    const result = await dailyReferralCheck(deps, { force: true });
    if (deps.config.smtp) {
      await deps.services.referrals.sendDueEmails(smtpTransport(deps.config.smtp));
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else if (!result.ran) {
      process.stdout.write("Today's check has already run.\n");
    } else {
      const s = result.summary;
      process.stdout.write(
        `Overdue for triage: ${String(s.triageOverdue)}. Waits needing attention: ${String(s.nearingBreach)} (breached: ${String(s.breached)}). Digest ${s.digestQueued ? 'sent' : 'not sent (no SMTP or DIGEST_EMAIL_TO)'}.\n`,
      );
    }
  });
}
