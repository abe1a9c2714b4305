import type { AppConfig } from '../config.ts';
import { addDays, type PlainDate } from '../domain/calendar-date.ts';
import { isRole, roleHasPermission, type Role } from '../domain/roles.ts';
import { missingServiceContacts, type MissingContactSetting } from '../domain/service-contacts.ts';
import {
  queuesFor,
  queueText,
  TASK_QUEUE_GROUP_LABELS,
  TASK_QUEUES,
  type TaskQueueGroup,
  type TaskQueueKey,
} from '../domain/task-queues.ts';
import { countPumpTasks, type PumpTaskCounts } from '../storage/dashboard.repository.ts';
import type { Db } from '../storage/database.ts';
import { countOpenEvents } from '../storage/emergency.repository.ts';
import { countIntakeItems } from '../storage/intake.repository.ts';
import type { JobRun } from '../storage/jobs.repository.ts';
import { countWorklist, type WorklistCounts } from '../storage/pump-worklist.repository.ts';
import type { Actor } from './audit-service.ts';
import { countRecentBreakGlass } from './break-glass-service.ts';
import { today as serviceToday, type Clock } from './clock.ts';
import { DAILY_CHECK_JOB } from './daily-check-service.ts';
import { lastJobRun } from './job-run-service.ts';
import { mriCheckCounts } from './mri-view-service.ts';
import { triageQueue } from './triage-queue-service.ts';
import { waitingList } from './waiting-list-service.ts';

interface DashboardDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: AppConfig;
}

/** One queue as the home page shows it: "2 refills overdue", linking to its list. */
export interface TaskQueueCount {
  readonly key: TaskQueueKey;
  readonly count: number;
  readonly text: string;
  readonly href: string;
  /** Late work waiting (an overdue queue with a count): tagged "Overdue". */
  readonly overdue: boolean;
}

export interface HomeDashboard {
  /** The role's queues in groups, in the order people work them; empty groups left out. */
  readonly groups: readonly {
    readonly group: TaskQueueGroup;
    readonly label: string;
    readonly queues: readonly TaskQueueCount[];
  }[];
  /** Overdue items across the role's queues. */
  readonly overdue: number;
  /** The daily referral check's last run, for those who see referral queues. */
  readonly lastDailyCheck: JobRun | null;
  /** Service contact settings that are empty: no letter can be made until they are set. */
  readonly lettersBlockedBy: readonly MissingContactSetting[];
}

const REFILL_STATUS_OF: Partial<Record<TaskQueueKey, keyof WorklistCounts['counts']>> = {
  'refills-resume-overdue': 'resume-overdue',
  'refills-overdue': 'overdue',
  'refills-no-plan': 'no-plan',
  'refills-booked-late': 'booked-late',
  'refills-not-booked': 'not-booked',
};

const PUMP_COUNT_OF: Partial<Record<TaskQueueKey, keyof PumpTaskCounts>> = {
  'prescriptions-to-check': 'prescriptionsToCheck',
  'refills-to-review': 'refillsToReview',
  'refills-to-sign': 'refillsToSign',
  'corrections-to-confirm': 'correctionsToConfirm',
  'reviews-overdue': 'reviewsOverdue',
  'reviews-due-soon': 'reviewsDueSoon',
  'refills-due-soon': 'refillsDueSoon',
  'pump-ends-to-confirm': 'pumpEndsToConfirm',
  'replacements-overdue': 'replacementsOverdue',
  'replacements-due-soon': 'replacementsDueSoon',
};

/** The post-scan MRI checks (mri-view-service.ts): overdue, and waiting but not yet due. */
const MRI_QUEUES: ReadonlySet<TaskQueueKey> = new Set(['mri-checks-overdue', 'mri-checks-waiting']);

const REFERRAL_QUEUES: ReadonlySet<TaskQueueKey> = new Set([
  'emails-to-confirm',
  'referrals-awaiting-triage',
  'triage-overdue',
  'referrals-awaiting-booking',
  'waits-breached',
  'outcomes-overdue',
]);

/** The referral queues' counts from the triage queue and the waiting list (assessWait). */
async function referralCounts(deps: DashboardDeps): Promise<Partial<Record<TaskQueueKey, number>>> {
  const [queue, waits, emails] = await Promise.all([
    triageQueue(deps),
    waitingList(deps),
    countIntakeItems(deps.db, 'new'),
  ]);
  return {
    'emails-to-confirm': emails,
    'referrals-awaiting-triage': queue.length,
    'triage-overdue': queue.filter((i) => i.overdue).length,
    'referrals-awaiting-booking': waits.filter((w) => w.assessment.bookedOn === null).length,
    'waits-breached': waits.filter(
      (w) => w.assessment.status === 'breached' || w.assessment.status === 'will-breach',
    ).length,
    'outcomes-overdue': waits.filter((w) => w.assessment.outcomeOverdue).length,
  };
}

/** Today and the end of "this week" (PumpRules.dueSoonDays), as the refill worklist counts them. */
export function dueWindow(deps: Pick<DashboardDeps, 'clock' | 'config'>): {
  readonly today: PlainDate;
  readonly soon: PlainDate;
} {
  const today = serviceToday(deps);
  return { today, soon: addDays(today, deps.config.pumpRules.dueSoonDays) };
}

/**
 * What waits for the actor's role, counted live in SQL (and for referrals from the same rules the
 * daily check uses), each queue linking to its list. Only the queues the role sees are counted.
 */
export async function homeDashboard(deps: DashboardDeps, actor: Actor): Promise<HomeDashboard> {
  const role: Role | null = isRole(actor.role) ? actor.role : null;
  const keys = role === null ? [] : queuesFor(role);
  const wants = (set: Partial<Record<TaskQueueKey, unknown>> | ReadonlySet<TaskQueueKey>) =>
    keys.some((k) => (set instanceof Set ? set.has(k) : k in set));
  const { today, soon } = dueWindow(deps);
  const [worklist, pumps, referrals, lastCheck, emergencies, mri, breakGlass] = await Promise.all([
    wants(REFILL_STATUS_OF) ? countWorklist(deps.db, today, soon) : null,
    wants(PUMP_COUNT_OF) ? countPumpTasks(deps.db, today, soon) : null,
    wants(REFERRAL_QUEUES) ? referralCounts(deps) : null,
    role !== null && roleHasPermission(role, 'referral:read') ? lastJobRun(deps, DAILY_CHECK_JOB) : null,
    keys.includes('emergencies-open') ? countOpenEvents(deps.db) : null,
    wants(MRI_QUEUES) ? mriCheckCounts(deps) : null,
    keys.includes('break-glass-recent') ? countRecentBreakGlass(deps) : 0,
  ]);
  const countOf = (key: TaskQueueKey): number => {
    const status = REFILL_STATUS_OF[key];
    const pump = PUMP_COUNT_OF[key];
    if (status !== undefined) {
      return worklist?.counts[status] ?? 0;
    }
    if (pump !== undefined) {
      return pumps?.[pump] ?? 0;
    }
    if (key === 'emergencies-open') {
      return emergencies ?? 0;
    }
    if (key === 'mri-checks-overdue') {
      return mri?.overdue ?? 0;
    }
    if (key === 'mri-checks-waiting') {
      return mri === null ? 0 : mri.pending - mri.overdue;
    }
    if (key === 'break-glass-recent') {
      return breakGlass;
    }
    return referrals?.[key] ?? 0;
  };
  const days = { days: String(deps.config.triageAlertWorkingDays) };
  const counted = keys.map((key): TaskQueueCount & { group: TaskQueueGroup } => {
    const count = countOf(key);
    const q = TASK_QUEUES[key];
    return {
      key,
      count,
      text: queueText(key, count, days),
      href: q.href,
      overdue: q.overdue && count > 0,
      group: q.group,
    };
  });
  const groups = (Object.keys(TASK_QUEUE_GROUP_LABELS) as TaskQueueGroup[])
    .map((group) => ({
      group,
      label: TASK_QUEUE_GROUP_LABELS[group],
      queues: counted
        .filter((c) => c.group === group)
        .map((c): TaskQueueCount => ({
          key: c.key,
          count: c.count,
          text: c.text,
          href: c.href,
          overdue: c.overdue,
        })),
    }))
    .filter((g) => g.queues.length > 0);
  return {
    groups,
    overdue: counted.filter((c) => c.overdue).reduce((sum, c) => sum + c.count, 0),
    lastDailyCheck: lastCheck,
    lettersBlockedBy: missingServiceContacts(deps.config.service),
  };
}
