import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { patientTimeline, type TimelineRecords } from './patient-timeline.ts';

const none: TimelineRecords = {
  referrals: [],
  appointments: [],
  assessments: [],
  testDoses: [],
  measures: [],
  pumps: [],
  prescriptions: [],
  refills: [],
  pumpEvents: [],
  pumpAppointments: [],
};
// The service passes the day in its own time zone; here UTC is enough.
const dayOf = (iso: string) => iso.slice(0, 10) as PlainDate;

describe('the patient timeline', () => {
  it('puts every kind of record in one list, newest first, each linking to its page', () => {
    const timeline = patientTimeline(
      'p1',
      {
        referrals: [
          {
            id: 'r1',
            receivedOn: '2026-01-05',
            referrerName: 'Dr Hughes',
            referrerOrganisation: 'Leeds General Infirmary',
            state: 'accepted',
            priority: 'urgent',
            createdAt: '2026-01-05T09:00:00Z',
          },
        ],
        appointments: [
          {
            id: 'a1',
            referralId: 'r1',
            date: '2026-02-02',
            time: '10:30',
            clinic: 'Spasticity clinic',
            clinician: 'Dr Cas',
            state: 'attended',
          },
        ],
        assessments: [{ id: 's1', state: 'decided', createdAt: '2026-02-02T11:00:00Z' }],
        testDoses: [
          {
            id: 't1',
            state: 'positive',
            createdAt: '2026-03-01T08:00:00Z',
            closedOn: '2026-03-02',
            closedAt: '2026-03-02T16:00:00Z',
          },
        ],
        measures: [
          { id: 'm1', recordedOn: '2026-02-02', occasion: 'assessment', createdAt: '2026-02-02T12:00:00Z' },
        ],
        pumps: [{ id: 'u1', serialNumber: 'NGV123', implantedOn: '2026-04-10', reservoirMl: 20 }],
        prescriptions: [
          {
            id: 'x1',
            pumpId: 'u1',
            state: 'active',
            doseMcgPerDay: 100,
            concentrationMcgPerMl: 500,
            proposedAt: '2026-04-10T09:00:00Z',
            decidedAt: '2026-04-10T10:00:00Z',
          },
        ],
        refills: [
          {
            id: 'f1',
            performedOn: '2026-05-20',
            instilledMl: 20,
            concentrationMcgPerMl: 500,
            state: 'recorded',
            recordedAt: '2026-05-20T14:00:00Z',
          },
        ],
        pumpEvents: [
          {
            id: 'e1',
            pumpId: 'u1',
            kind: 'mri',
            occurredOn: '2026-05-01',
            note: 'Pump checked after the scan',
            recordedAt: '2026-05-01T15:00:00Z',
          },
        ],
        pumpAppointments: [{ id: 'b1', pumpId: 'u1', kind: 'refill', onDate: '2026-06-15', state: 'booked' }],
      },
      dayOf,
    );
    assert.deepEqual(
      timeline.map((e) => [e.on, e.kind, e.title, e.href]),
      [
        ['2026-06-15', 'pump-appointment', 'Refill appointment booked', '/pumps/u1'],
        ['2026-05-20', 'refill', 'Refill: 20 ml at 500 micrograms/ml', '/refills/f1'],
        ['2026-05-01', 'pump-event', 'MRI scan', '/pumps/u1'],
        ['2026-04-10', 'prescription', 'Dose confirmed', '/pumps/u1'],
        ['2026-04-10', 'pump', 'Pump implanted', '/pumps/u1'],
        ['2026-03-02', 'test-dose', 'Test dose result: Positive: suitable for a pump', '/test-doses/t1'],
        ['2026-03-01', 'test-dose', 'Test dose started', '/test-doses/t1'],
        ['2026-02-02', 'measures', 'Outcome measures recorded', '/patients/p1/measures'],
        ['2026-02-02', 'assessment', 'Selection assessment started', '/assessments/s1'],
        ['2026-02-02', 'appointment', 'First appointment attended', '/referrals/r1'],
        ['2026-01-05', 'referral', 'Referral received from Dr Hughes', '/referrals/r1'],
      ],
    );
    assert.equal(timeline.at(-1)?.detail, 'Leeds General Infirmary; Accepted; Urgent');
    assert.equal(timeline[1]?.detail, 'Waiting for a second check');
    assert.equal(timeline[3]?.detail, '100 micrograms a day at 500 micrograms/ml');
  });

  it('is empty for a patient with nothing recorded', () => {
    assert.deepEqual(patientTimeline('p1', none, dayOf), []);
  });

  it("says a first appointment's next step, and the service for a referral elsewhere", () => {
    const appointment = {
      id: 'a1',
      referralId: 'r1',
      date: '2026-02-02',
      time: '10:30',
      clinic: 'Spasticity clinic',
      clinician: 'Dr Cas',
      state: 'attended',
    };
    const [assess] = patientTimeline(
      'p1',
      { ...none, appointments: [{ ...appointment, nextStep: 'selection-assessment' }] },
      dayOf,
    );
    assert.equal(assess?.detail, '10:30; Spasticity clinic; Dr Cas; Next step: Start a selection assessment');
    const [elsewhere] = patientTimeline(
      'p1',
      { ...none, appointments: [{ ...appointment, nextStep: 'refer-elsewhere', referTo: 'Pain clinic' }] },
      dayOf,
    );
    assert.equal(
      elsewhere?.detail,
      '10:30; Spasticity clinic; Dr Cas; Next step: Refer elsewhere to Pain clinic',
    );
  });
});
