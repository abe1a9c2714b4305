import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import {
  patientAlerts,
  patientNextAction,
  type NextActionFacts,
  type PumpFacts,
} from './patient-next-action.ts';

const d = (s: string) => s as PlainDate;
const pump: PumpFacts = {
  id: 'u1',
  implanted: true,
  paused: false,
  pendingPrescription: false,
  unsignedRefillId: null,
  refillDueBy: d('2026-12-30'),
  refillBookedOn: null,
  nextReviewOn: d('2027-03-01'),
};
const base: NextActionFacts = {
  patientId: 'p1',
  today: d('2026-12-07'),
  dueSoonDays: 7,
  pumps: [],
  openTestDoseId: null,
  referrals: [],
  assessmentInProgressId: null,
};

describe("the patient's next action", () => {
  // [what is on the record, the next action, its link]
  const cases: [string, Partial<NextActionFacts>, string | null, string | null][] = [
    ['nothing at all', {}, null, null],
    [
      'a dose change waiting, and an overdue refill',
      { pumps: [{ ...pump, pendingPrescription: true, refillDueBy: d('2026-12-01') }] },
      'Check the proposed dose change',
      '/pumps/u1',
    ],
    [
      'an unsigned refill',
      { pumps: [{ ...pump, unsignedRefillId: 'f1' }] },
      'Check and sign the last refill',
      '/refills/f1',
    ],
    [
      'a refill 6 days overdue, even with a referral to triage',
      {
        pumps: [{ ...pump, refillDueBy: d('2026-12-01') }],
        referrals: [{ id: 'r1', state: 'awaiting-triage', hasAppointment: false }],
      },
      'Refill 6 days overdue: refill the pump today',
      '/pumps/u1',
    ],
    [
      'a refill due within a week, not booked',
      { pumps: [{ ...pump, refillDueBy: d('2026-12-10') }] },
      'Book a refill: due by 10 December 2026',
      '/pumps/u1/appointments',
    ],
    [
      'a refill due within a week, booked',
      { pumps: [{ ...pump, refillDueBy: d('2026-12-10'), refillBookedOn: d('2026-12-09') }] },
      'Refill booked for 9 December 2026',
      '/pumps/u1',
    ],
    [
      'a paused pump past its refill date (no fill running out)',
      { pumps: [{ ...pump, paused: true, refillDueBy: d('2026-12-01') }] },
      'Next review due 1 March 2027',
      '/pumps/u1',
    ],
    [
      'an ended pump only',
      { pumps: [{ ...pump, implanted: false, refillDueBy: d('2026-12-01') }] },
      null,
      null,
    ],
    ['an open test dose', { openTestDoseId: 't1' }, 'Continue the test dose', '/test-doses/t1'],
    [
      'a referral waiting for triage',
      { referrals: [{ id: 'r1', state: 'awaiting-triage', hasAppointment: false }] },
      'Triage the referral',
      '/referrals/r1',
    ],
    [
      'an accepted referral with no appointment',
      { referrals: [{ id: 'r1', state: 'accepted', hasAppointment: false }] },
      'Book the first appointment',
      '/referrals/r1/appointments/new',
    ],
    [
      'an accepted referral already booked, an assessment under way',
      {
        referrals: [{ id: 'r1', state: 'accepted', hasAppointment: true }],
        assessmentInProgressId: 's1',
      },
      'Continue the selection assessment',
      '/assessments/s1',
    ],
    [
      'seen, and the next step is to see the patient again',
      { referrals: [{ id: 'r1', state: 'accepted', hasAppointment: false, nextStep: 'rebook' }] },
      'Book the next appointment',
      '/referrals/r1/appointments/new',
    ],
    [
      'seen, and the next step is a selection assessment not yet started',
      {
        referrals: [{ id: 'r1', state: 'accepted', hasAppointment: true, nextStep: 'selection-assessment' }],
      },
      'Start the selection assessment',
      '/patients/p1/assessments/new?referralId=r1',
    ],
    [
      'seen, the selection assessment started for that referral',
      {
        referrals: [
          {
            id: 'r1',
            state: 'accepted',
            hasAppointment: true,
            nextStep: 'selection-assessment',
            assessmentStarted: true,
          },
        ],
        assessmentInProgressId: 's1',
      },
      'Continue the selection assessment',
      '/assessments/s1',
    ],
    [
      'seen and discharged: nothing more for the referral',
      { referrals: [{ id: 'r1', state: 'accepted', hasAppointment: true, nextStep: 'discharge' }] },
      null,
      null,
    ],
    [
      'a review 3 days overdue',
      { pumps: [{ ...pump, nextReviewOn: d('2026-12-04') }] },
      'Review 3 days overdue: book it',
      '/pumps/u1/appointments',
    ],
  ];
  for (const [what, facts, text, href] of cases) {
    it(`${what}: ${text ?? 'nothing'}`, () => {
      const next = patientNextAction({ ...base, ...facts });
      assert.deepEqual(next, text === null ? null : { text, href });
    });
  }

  it('alerts on what staff recorded, a paused pump, an overdue refill and a dose change waiting', () => {
    assert.deepEqual(
      patientAlerts('Lives alone', {
        ...base,
        pumps: [
          { ...pump, refillDueBy: d('2026-12-06'), pendingPrescription: true },
          { ...pump, id: 'u2', paused: true },
          { ...pump, id: 'u3', implanted: false, paused: true },
        ],
      }),
      [
        'Lives alone',
        'Refill 1 day overdue: risk of baclofen withdrawal',
        'A dose change is waiting for a second check',
        'Pump paused',
      ],
    );
    assert.deepEqual(patientAlerts(null, base), []);
  });
});
