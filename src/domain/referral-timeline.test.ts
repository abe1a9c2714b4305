import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { referralTimeline } from './referral-timeline.ts';

describe('referral timeline', () => {
  it('puts every event in time order, with who did it', () => {
    const events = referralTimeline({
      receivedOn: '2026-11-16' as PlainDate,
      sourceLabel: 'e-RS',
      createdAt: '2026-11-17T09:00:00Z',
      createdBy: 'Bea',
      emailReadAt: null,
      decisions: [
        {
          outcome: 'accepted',
          priority: 'urgent',
          advice: null,
          redirectTo: null,
          changeReason: null,
          decidedAt: '2026-11-18T10:00:00Z',
          decidedBy: 'Dr Cas',
        },
        {
          outcome: 'accepted',
          priority: 'routine',
          advice: null,
          redirectTo: null,
          changeReason: 'Not urgent',
          decidedAt: '2026-11-19T10:00:00Z',
          decidedBy: 'Dr Cas',
        },
      ],
      documents: [
        {
          kind: 'letter-acknowledgement',
          filename: 'a.pdf',
          createdAt: '2026-11-18T10:00:00Z',
          createdBy: 'Dr Cas',
        },
      ],
      emails: [
        {
          to: 'gp@nhs.net',
          purpose: 'x',
          state: 'sent',
          sentAt: '2026-11-18T10:01:00Z',
          createdAt: '2026-11-18T10:00:00Z',
          lastError: null,
        },
      ],
      appointments: [
        {
          date: '2026-12-01' as PlainDate,
          time: '09:30',
          clinic: 'Clinic',
          clinician: 'Dr J',
          createdAt: '2026-11-20T10:00:00Z',
          createdBy: 'Bea',
          rebooked: false,
          cancelReason: 'hospital-cancelled',
          cancelNote: 'Clinic closed',
          cancelledAt: '2026-11-21T10:00:00Z',
          cancelledBy: 'Bea',
          outcomeNote: null,
          outcomeAt: null,
          outcomeBy: null,
        },
      ],
    });
    assert.deepEqual(
      events.map((e) => e.title),
      [
        'Referral received (e-RS)',
        'Referral recorded',
        'Triaged: Accepted (urgent)',
        'Acknowledgement letter made',
        'Letter emailed to gp@nhs.net',
        'Decision changed: Accepted (routine)',
        'Appointment booked',
        'Appointment cancelled: hospital cancelled',
      ],
    );
    assert.equal(events[5]?.detail, 'Reason for change: Not urgent');
    assert.equal(events[7]?.detail, '1 December 2026, 09:30, Clinic, with Dr J\nClinic closed');
  });
});
