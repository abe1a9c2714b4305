import { roleHasPermission, type Permission, type Role } from './roles.ts';

/**
 * The home page's task queues: what is waiting for someone to act, each a count that links to
 * the list of what it counts. A role sees the queues whose work its permissions allow (a
 * checker the second checks, a booker the bookings); queues that say something is overdue are
 * shown to every role that may read their list, as a missed refill or a breached wait is
 * everyone's business (hazard H-080: an overdue item missing from the home page).
 */
export const TASK_QUEUE_KEYS = [
  // Open emergency events (a suspected overdose or withdrawal, a critical alarm, a pump stall),
  // first of all: everyone on the team sees them until a consultant closes them (H-112).
  'emergencies-open',
  // Second checks (clinical-reference.md 6: a second experienced provider confirms).
  'prescriptions-to-check',
  'refills-to-review',
  'refills-to-sign',
  'corrections-to-confirm',
  'pump-ends-to-confirm',
  // Refills, most at risk first, as the refill worklist ranks them.
  'refills-resume-overdue',
  'refills-overdue',
  'refills-no-plan',
  'refills-booked-late',
  'refills-due-soon',
  'refills-not-booked',
  // Post-scan checks after MRI (mri-plan.ts): late ones escalated, the rest waiting.
  'mri-checks-overdue',
  'mri-checks-waiting',
  // Post-implant and yearly reviews.
  'reviews-overdue',
  'reviews-due-soon',
  // Pump replacement: the elective replacement indicator, or the pump's replace-by date.
  'replacements-overdue',
  'replacements-due-soon',
  // Referrals: intake, triage and booking the first appointment.
  'emails-to-confirm',
  'referrals-awaiting-triage',
  'triage-overdue',
  'referrals-awaiting-booking',
  'waits-breached',
  'outcomes-overdue',
  // Emergency access from outside the ITB team, so the team knows who opened what and why.
  'break-glass-recent',
] as const;
export type TaskQueueKey = (typeof TASK_QUEUE_KEYS)[number];

export type TaskQueueGroup = 'emergencies' | 'checks' | 'refills' | 'reviews' | 'referrals' | 'emergency';

export const TASK_QUEUE_GROUP_LABELS: Readonly<Record<TaskQueueGroup, string>> = {
  emergencies: 'Emergencies',
  checks: 'Waiting for a second check',
  refills: 'Refills',
  reviews: 'Pump reviews and replacements',
  referrals: 'Referrals and first appointments',
  emergency: 'Emergency access to records',
};

export interface TaskQueueDefinition {
  readonly group: TaskQueueGroup;
  /** The permission that lets a role see the queue and open its list. */
  readonly permission: Permission;
  /** Something is late: shown with an "Overdue" tag whenever its count is not zero. */
  readonly overdue: boolean;
  /** The thing counted, singular and plural ("refill", "refills"). */
  readonly noun: readonly [string, string];
  /** What follows the count and the noun: "2 refills" + " overdue". */
  readonly phrase: string;
  /** Where its list is: an existing list page, or the queue's own list under /tasks/. */
  readonly href: string;
}

/** Those who book refills and reviews: consultants, nurse specialists, booking coordinators. */
const BOOKS: Permission = 'refill:book';

export const TASK_QUEUES: Readonly<Record<TaskQueueKey, TaskQueueDefinition>> = {
  'emergencies-open': {
    group: 'emergencies',
    permission: 'patient:read',
    overdue: true,
    noun: ['emergency event', 'emergency events'],
    phrase:
      'open (suspected overdose or withdrawal, critical alarm, pump stall) until a consultant closes it',
    href: '/emergency-events',
  },
  'prescriptions-to-check': {
    group: 'checks',
    permission: 'dose:check',
    overdue: false,
    noun: ['dose change', 'dose changes'],
    phrase: 'to confirm or reject',
    href: '/tasks/prescriptions-to-check',
  },
  'refills-to-review': {
    group: 'checks',
    permission: 'refill:record',
    overdue: false,
    noun: ['flagged refill', 'flagged refills'],
    phrase: '(a discrepancy, ran dry or after the alarm) to review',
    href: '/tasks/refills-to-review',
  },
  'refills-to-sign': {
    group: 'checks',
    permission: 'dose:check',
    overdue: false,
    noun: ['refill', 'refills'],
    phrase: 'to check and sign',
    href: '/tasks/refills-to-sign',
  },
  'corrections-to-confirm': {
    group: 'checks',
    permission: 'dose:check',
    overdue: false,
    noun: ['refill volume correction', 'refill volume corrections'],
    phrase: 'to confirm or reject',
    href: '/tasks/corrections-to-confirm',
  },
  'pump-ends-to-confirm': {
    group: 'checks',
    permission: 'pump:manage',
    overdue: false,
    noun: ['request', 'requests'],
    phrase: 'to end a pump (explant, death, transfer) or correct its end, to confirm or reject',
    href: '/tasks/pump-ends-to-confirm',
  },
  'refills-resume-overdue': {
    group: 'refills',
    permission: BOOKS,
    overdue: true,
    noun: ['paused pump', 'paused pumps'],
    phrase: 'past the resume date: check the patient is not without drug',
    href: '/tasks/refills-resume-overdue',
  },
  'refills-overdue': {
    group: 'refills',
    permission: BOOKS,
    overdue: true,
    noun: ['refill', 'refills'],
    phrase: 'overdue',
    href: '/tasks/refills-overdue',
  },
  'refills-no-plan': {
    group: 'refills',
    permission: BOOKS,
    overdue: true,
    noun: ['pump', 'pumps'],
    phrase: 'with no fill recorded, so no refill date',
    href: '/tasks/refills-no-plan',
  },
  'refills-booked-late': {
    group: 'refills',
    permission: BOOKS,
    overdue: true,
    noun: ['refill', 'refills'],
    phrase: 'booked after the due date',
    href: '/tasks/refills-booked-late',
  },
  'refills-due-soon': {
    group: 'refills',
    permission: BOOKS,
    overdue: false,
    noun: ['refill', 'refills'],
    phrase: 'due this week',
    href: '/tasks/refills-due-soon',
  },
  'refills-not-booked': {
    group: 'refills',
    permission: BOOKS,
    overdue: false,
    noun: ['refill', 'refills'],
    phrase: 'not yet booked',
    href: '/tasks/refills-not-booked',
  },
  // A pump not checked after MRI may have stayed stopped (SynchroMed [TGA-MRI]) or have been
  // refilled late (Prometra): overdue shown to every role that books refills, as the others are
  // (hazard H-137); both lists are the worklist's MRI section.
  'mri-checks-overdue': {
    group: 'refills',
    permission: BOOKS,
    overdue: true,
    noun: ['post-MRI pump check', 'post-MRI pump checks'],
    phrase: 'overdue: check the pump is running',
    href: '/worklist#mri-checks',
  },
  'mri-checks-waiting': {
    group: 'refills',
    permission: 'pump:manage',
    overdue: false,
    noun: ['post-MRI pump check', 'post-MRI pump checks'],
    phrase: 'waiting after a scan, not yet late',
    href: '/worklist#mri-checks',
  },
  'reviews-overdue': {
    group: 'reviews',
    permission: BOOKS,
    overdue: true,
    noun: ['review', 'reviews'],
    phrase: 'overdue',
    href: '/tasks/reviews-overdue',
  },
  'reviews-due-soon': {
    group: 'reviews',
    permission: BOOKS,
    overdue: false,
    noun: ['review', 'reviews'],
    phrase: 'due this week',
    href: '/tasks/reviews-due-soon',
  },
  'replacements-overdue': {
    group: 'reviews',
    permission: BOOKS,
    overdue: true,
    noun: ['pump', 'pumps'],
    phrase: 'past the replacement date or showing the replacement indicator',
    href: '/tasks/replacements-overdue',
  },
  'replacements-due-soon': {
    group: 'reviews',
    permission: BOOKS,
    overdue: false,
    noun: ['pump replacement', 'pump replacements'],
    phrase: 'due this week',
    href: '/tasks/replacements-due-soon',
  },
  'emails-to-confirm': {
    group: 'referrals',
    permission: 'referral:write',
    overdue: false,
    noun: ['email referral', 'email referrals'],
    phrase: 'to confirm',
    href: '/intake',
  },
  'referrals-awaiting-triage': {
    group: 'referrals',
    permission: 'referral:triage',
    overdue: false,
    noun: ['referral', 'referrals'],
    phrase: 'waiting for triage',
    href: '/triage',
  },
  'triage-overdue': {
    group: 'referrals',
    permission: 'referral:read',
    overdue: true,
    noun: ['referral', 'referrals'],
    // The working days are the TRIAGE_ALERT_WORKING_DAYS setting; the page fills them in.
    phrase: 'waiting more than {days} working days for triage',
    href: '/triage',
  },
  'referrals-awaiting-booking': {
    group: 'referrals',
    permission: 'appointment:manage',
    overdue: false,
    noun: ['accepted referral', 'accepted referrals'],
    phrase: 'waiting for a first appointment to be booked',
    href: '/waiting-list',
  },
  'waits-breached': {
    group: 'referrals',
    permission: 'referral:read',
    overdue: true,
    noun: ['wait', 'waits'],
    phrase: 'past the first-appointment target, or booked after it',
    href: '/waiting-list',
  },
  'outcomes-overdue': {
    group: 'referrals',
    permission: 'appointment:manage',
    overdue: true,
    noun: ['first appointment', 'first appointments'],
    phrase: 'held but with no outcome recorded',
    href: '/waiting-list',
  },
  'break-glass-recent': {
    group: 'emergency',
    permission: 'patient:read',
    overdue: false,
    noun: ['break-glass access', 'break-glass accesses'],
    phrase: 'to emergency summaries in the last 7 days',
    href: '/break-glass/accesses',
  },
};

/** The queues a role sees, in the order the home page lists them. */
export function queuesFor(role: Role): readonly TaskQueueKey[] {
  return TASK_QUEUE_KEYS.filter((k) => roleHasPermission(role, TASK_QUEUES[k].permission));
}

/** "1 refill overdue", "No refills overdue": a count as the home page words it. */
export function queueText(
  key: TaskQueueKey,
  count: number,
  values: Readonly<Record<string, string>> = {},
): string {
  const q = TASK_QUEUES[key];
  const phrase = q.phrase.replace(/\{(\w+)\}/g, (m, name: string) => values[name] ?? m);
  const noun = count === 1 ? q.noun[0] : q.noun[1];
  return `${count === 0 ? 'No' : String(count)} ${noun} ${phrase}`;
}
