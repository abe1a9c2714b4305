import type { RouteDeps } from '../compose.ts';
import { smtpTransport } from '../services/mail-transport.ts';
import { dailyReferralCheck } from './daily-referral-check.ts';
import { runOnce } from './job-runner.ts';
import { reminderSender, scheduleRemindersJob } from './reminder-jobs.ts';

export const MAILBOX_POLL_JOB = 'mailbox-poll';

interface Logger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** One pass of the mailbox per poll interval across all instances (the slot is the run key). */
export async function pollMailboxJob(deps: RouteDeps): Promise<void> {
  const imap = deps.config.imap;
  if (!imap) {
    return;
  }
  const slotMs = deps.config.mailboxPollSeconds * 1000;
  const slot = new Date(Math.floor(deps.clock.now().getTime() / slotMs) * slotMs).toISOString();
  await runOnce(deps, MAILBOX_POLL_JOB, slot, () => deps.services.referrals.pollMailbox(imap));
}

/**
 * The service's background work, started by `itb serve`: the daily referral check, the mailbox
 * poll, sending queued email and pruning sign-in state, and queueing and sending patient reminders. Every job claims its run in the
 * database, so several instances can run this side by side and each run happens once.
 */
export function startScheduler(deps: RouteDeps, log: Logger): () => void {
  const every = (ms: number, name: string, task: () => Promise<unknown>) => {
    let running = false;
    const tick = () => {
      if (running) {
        return;
      }
      running = true;
      task()
        .catch((err: unknown) => {
          log.error({ err }, `${name} failed`);
        })
        .finally(() => {
          running = false;
        });
    };
    const timer = setInterval(tick, ms);
    timer.unref();
    setTimeout(tick, 1000).unref();
    return timer;
  };
  const timers = [
    every(60_000, 'daily referral check', () => dailyReferralCheck(deps)),
    every(Math.min(60_000, deps.config.mailboxPollSeconds * 1000), 'mailbox poll', () =>
      pollMailboxJob(deps),
    ),
    every(60_000, 'sending email', async () => {
      if (deps.config.smtp) {
        await deps.services.referrals.sendDueEmails(smtpTransport(deps.config.smtp));
      }
    }),
    every(10 * 60_000, 'pruning expired sessions', () => deps.services.accounts.pruneSignInState()),
  ];
  // Patient reminders: queued by the job, sent by the outbox through GOV.UK Notify. Without a
  // Notify key neither runs, so nothing is queued and nothing leaves the service.
  const sendReminders = reminderSender(deps);
  if (sendReminders) {
    timers.push(every(5 * 60_000, 'queueing reminders', () => scheduleRemindersJob(deps)));
    timers.push(every(60_000, 'sending reminders', sendReminders));
  }
  return () => {
    for (const t of timers) {
      clearInterval(t);
    }
  };
}
