import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUrgentCall, suggestedEvents, validateLogCall } from './advice-calls.ts';
import { signsFor, validateCloseEvent, validateRecordEvent, WITHDRAWAL_SIGNS } from './emergency-events.ts';

const NOW = '2026-11-20T10:00:00.000Z';
const EVENT = { kind: 'withdrawal', onsetAt: '2026-11-20T08:00:00Z', signs: ['itch'], actionsTaken: 'A&E' };

describe('recording an emergency event', () => {
  const cases: readonly [string, Record<string, unknown>, string | null][] = [
    ['a withdrawal with a sign', EVENT, null],
    ['a withdrawal described in words only', { ...EVENT, signs: [], signsNote: 'Clammy, agitated' }, null],
    ['a withdrawal with no sign at all', { ...EVENT, signs: [] }, 'signs'],
    ['an overdose with a withdrawal sign', { ...EVENT, kind: 'overdose' }, 'signs'],
    [
      'an overdose with its own sign',
      { ...EVENT, kind: 'overdose', signs: ['respiratory-depression'] },
      null,
    ],
    ['a critical alarm before any sign', { ...EVENT, kind: 'critical-alarm', signs: [] }, null],
    ['a pump stall with withdrawal signs', { ...EVENT, kind: 'pump-stall', signs: ['fever'] }, null],
    ['an unknown kind', { ...EVENT, kind: 'sepsis' }, 'kind'],
    ['onset in the future', { ...EVENT, onsetAt: '2026-11-20T10:01:00Z' }, 'onsetAt'],
    ['onset as a bare local time', { ...EVENT, onsetAt: '2026-11-20T08:00' }, 'onsetAt'],
    ['no actions', { ...EVENT, actionsTaken: '' }, 'actionsTaken'],
  ];
  for (const [name, raw, field] of cases) {
    it(`${name}: ${field === null ? 'accepted' : `refused on ${field}`}`, () => {
      const r = validateRecordEvent(raw, NOW);
      if (field === null) {
        assert.ok(r.ok, JSON.stringify(r));
      } else {
        assert.ok(!r.ok);
        assert.ok(
          r.errors.some((e) => e.field === field),
          JSON.stringify(r.errors),
        );
      }
    });
  }

  it('asks for withdrawal signs after a critical alarm or a stall (the drug has stopped)', () => {
    assert.equal(signsFor('critical-alarm'), WITHDRAWAL_SIGNS);
    assert.equal(signsFor('pump-stall'), WITHDRAWAL_SIGNS);
    assert.deepEqual(
      WITHDRAWAL_SIGNS.map((s) => s.value).filter((v) =>
        [
          'itch',
          'fever',
          'rebound-spasticity',
          'autonomic-instability',
          'altered-mental-state',
          'rhabdomyolysis',
        ].includes(v),
      ).length,
      6,
    );
  });

  it('closing needs an outcome and its details', () => {
    assert.ok(validateCloseEvent({ outcome: 'resolved', outcomeNote: 'Refilled' }).ok);
    assert.ok(!validateCloseEvent({ outcome: 'fine', outcomeNote: 'x' }).ok);
    assert.ok(!validateCloseEvent({ outcome: 'resolved' }).ok);
  });
});

describe('logging an advice-line call', () => {
  const CALL = {
    calledAt: '2026-11-20T09:00:00Z',
    patientId: 'p1',
    callerKind: 'patient',
    reason: 'other',
    adviceGiven: 'Advice',
    followUp: 'none',
    followUpNote: 'Question answered',
  };
  const cases: readonly [string, Record<string, unknown>, string | null][] = [
    ['a question answered, none needed with a reason', CALL, null],
    ['none needed without a reason', { ...CALL, followUpNote: '' }, 'followUpNote'],
    ['a two-tone alarm with none', { ...CALL, reason: 'alarm-critical' }, 'followUp'],
    [
      'a two-tone alarm sent to A&E',
      { ...CALL, reason: 'alarm-critical', followUp: 'emergency-department' },
      null,
    ],
    ['a low-reservoir alarm with none', { ...CALL, reason: 'alarm-low-reservoir' }, 'followUp'],
    ['withdrawal signs reported with none', { ...CALL, withdrawalSigns: ['itch'] }, 'followUp'],
    [
      'an overdose sign not on the list',
      { ...CALL, overdoseSigns: ['itch'], followUp: 'emergency-department' },
      'overdoseSigns',
    ],
    ['an appointment follow-up with no appointment', { ...CALL, followUp: 'appointment' }, 'appointmentId'],
    ['an unknown caller unnamed', { ...CALL, patientId: null }, 'callerIdentity'],
    [
      'an unknown caller with an appointment',
      { ...CALL, patientId: null, callerIdentity: 'A GP', followUp: 'appointment', appointmentId: 'a' },
      'followUp',
    ],
    ['no advice', { ...CALL, adviceGiven: '' }, 'adviceGiven'],
    ['a call in the future', { ...CALL, calledAt: '2026-11-21T09:00:00Z' }, 'calledAt'],
  ];
  for (const [name, raw, field] of cases) {
    it(`${name}: ${field === null ? 'accepted' : `refused on ${field}`}`, () => {
      const r = validateLogCall(raw, NOW);
      if (field === null) {
        assert.ok(r.ok, JSON.stringify(r));
      } else {
        assert.ok(!r.ok);
        assert.ok(
          r.errors.some((e) => e.field === field),
          JSON.stringify(r.errors),
        );
      }
    });
  }

  it('suggests the events the call reports, most serious first', () => {
    const none = { overdoseSigns: [], withdrawalSigns: [] };
    assert.deepEqual(suggestedEvents({ reason: 'alarm-critical', ...none }), ['critical-alarm']);
    assert.deepEqual(suggestedEvents({ reason: 'alarm-low-reservoir', ...none }), []);
    assert.deepEqual(
      suggestedEvents({ reason: 'alarm-critical', overdoseSigns: ['drowsiness'], withdrawalSigns: ['itch'] }),
      ['overdose', 'withdrawal', 'critical-alarm'],
    );
    assert.equal(isUrgentCall({ reason: 'medicines', ...none }), false);
    assert.equal(isUrgentCall({ reason: 'withdrawal-signs', ...none }), true);
  });
});
