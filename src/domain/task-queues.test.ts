import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLES, roleHasPermission, type Role } from './roles.ts';
import { queuesFor, queueText, TASK_QUEUE_KEYS, TASK_QUEUES, type TaskQueueKey } from './task-queues.ts';

describe('which task queues each role sees', () => {
  // Worked out from the permission table (roles.ts), one row per role.
  const EXPECTED: Readonly<Record<Role, readonly TaskQueueKey[]>> = {
    administrator: [],
    'service-manager': [],
    'emergency-clinician': [],
    physiotherapist: [
      'emergencies-open',
      'emails-to-confirm',
      'triage-overdue',
      'waits-breached',
      'break-glass-recent',
    ],
    'booking-coordinator': [
      'emergencies-open',
      'refills-resume-overdue',
      'refills-overdue',
      'refills-no-plan',
      'refills-booked-late',
      'refills-due-soon',
      'refills-not-booked',
      'mri-checks-overdue',
      'reviews-overdue',
      'reviews-due-soon',
      'replacements-overdue',
      'replacements-due-soon',
      'emails-to-confirm',
      'triage-overdue',
      'referrals-awaiting-booking',
      'waits-breached',
      'outcomes-overdue',
      'break-glass-recent',
    ],
    consultant: TASK_QUEUE_KEYS.filter((k) => k !== 'referrals-awaiting-booking' && k !== 'outcomes-overdue'),
    'nurse-specialist': TASK_QUEUE_KEYS.filter((k) => k !== 'referrals-awaiting-triage'),
  };
  for (const role of ROLES) {
    it(`${role}: ${EXPECTED[role].length} queues`, () => {
      assert.deepEqual(queuesFor(role), EXPECTED[role]);
    });
  }

  it('shows every queue to some role, and each only to roles holding its permission', () => {
    for (const key of TASK_QUEUE_KEYS) {
      const roles = ROLES.filter((r) => queuesFor(r).includes(key));
      assert.ok(roles.length > 0, key);
      for (const r of ROLES) {
        assert.equal(roles.includes(r), roleHasPermission(r, TASK_QUEUES[key].permission), `${key} for ${r}`);
      }
    }
  });

  it('links every queue with its own list to /tasks/<queue>, the others to an existing list', () => {
    for (const key of TASK_QUEUE_KEYS) {
      const href = TASK_QUEUES[key].href;
      assert.ok(
        href === `/tasks/${key}` ||
          [
            '/triage',
            '/waiting-list',
            '/intake',
            '/emergency-events',
            '/worklist#mri-checks',
            '/break-glass/accesses',
          ].includes(href),
        key,
      );
    }
  });
});

describe('queueText', () => {
  const examples: readonly [TaskQueueKey, number, string][] = [
    ['refills-overdue', 0, 'No refills overdue'],
    ['refills-overdue', 1, '1 refill overdue'],
    ['refills-overdue', 12, '12 refills overdue'],
    ['prescriptions-to-check', 1, '1 dose change to confirm or reject'],
    [
      'refills-resume-overdue',
      2,
      '2 paused pumps past the resume date: check the patient is not without drug',
    ],
    ['triage-overdue', 1, '1 referral waiting more than 5 working days for triage'],
    ['waits-breached', 3, '3 waits past the first-appointment target, or booked after it'],
    ['mri-checks-overdue', 1, '1 post-MRI pump check overdue: check the pump is running'],
  ];
  for (const [key, count, text] of examples) {
    it(`${key}, ${String(count)} → "${text}"`, () => {
      assert.equal(queueText(key, count, { days: '5' }), text);
    });
  }
});
