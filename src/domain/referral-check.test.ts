import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { validateReferralInput, type ReferralSource, type ReferrerGrade } from './referral.ts';
import {
  checkReasonFor,
  checkReasonText,
  needsChecking,
  referralSourceLabel,
  validateClearNote,
  type CheckReason,
} from './referral-check.ts';

const today = '2026-11-25' as PlainDate;
const ERS = {
  source: 'e-rs',
  ubrn: '0000 1234 5678',
  receivedOn: '2026-11-20',
  referrerName: 'Dr A Patel',
  referrerRole: 'GP',
  referrerOrganisation: 'Chapeltown Surgery',
  referrerOdsCode: 'B86016',
  referrerEmail: 'a.patel@nhs.net',
  reason: 'Severe lower-limb spasticity despite oral baclofen 80 mg a day',
  conditions: ['spasticity'],
  origin: 'spinal',
  aetiology: 'multiple-sclerosis',
};
const EMAIL = { ...ERS, source: 'email', ubrn: '', referrerOdsCode: '' };

describe('which referrals need a consultant’s check', () => {
  const cases: [ReferralSource, ReferrerGrade | null, CheckReason | null][] = [
    ['email', 'consultant', null],
    ['email', 'registrar', 'referrer-not-consultant'],
    ['email', 'other-doctor', 'referrer-not-consultant'],
    ['email', 'gp', 'referrer-not-consultant'],
    ['email', 'nurse', 'referrer-not-consultant'],
    ['email', 'therapist', 'referrer-not-consultant'],
    ['email', 'other', 'referrer-not-consultant'],
    ['email', null, 'referrer-grade-not-recorded'],
    // GP practices refer through e-RS [LTH-SEED]: the channel itself is right.
    ['e-rs', 'gp', null],
    ['e-rs', null, null],
    ['e-rs', 'registrar', null],
  ];
  for (const [source, grade, reason] of cases) {
    it(`${source} from ${grade ?? 'an unrecorded grade'} → ${reason ?? 'no mark'}`, () => {
      assert.equal(checkReasonFor({ source, referrerGrade: grade }), reason);
    });
  }

  it('says why, naming the grade and the role in words', () => {
    assert.equal(
      checkReasonText('referrer-not-consultant', {
        source: 'email',
        referrerGrade: 'registrar',
        referrerRole: 'Neurology registrar (ST5)',
      }),
      'Email referral from a registrar or other doctor in training (role given: Neurology registrar (ST5)), not a consultant. Email referrals are taken from consultants; others refer through e-RS. A consultant must check it before it can be accepted.',
    );
    assert.match(
      checkReasonText('referrer-not-consultant', {
        source: 'email',
        referrerGrade: 'gp',
        referrerRole: 'GP',
      }),
      /^Email referral from a GP \(role given: GP\), not a consultant\./,
    );
    assert.match(
      checkReasonText('referrer-grade-not-recorded', {
        source: 'email',
        referrerGrade: null,
        referrerRole: 'Doctor',
      }),
      /grade was not recorded, so it is not known to come from a consultant/,
    );
  });

  it('only an email from a recorded consultant is shown as a consultant email', () => {
    assert.equal(referralSourceLabel({ source: 'email', referrerGrade: 'consultant' }), 'Consultant email');
    assert.equal(
      referralSourceLabel({ source: 'email', referrerGrade: 'registrar' }),
      'Email from a registrar or other doctor in training, not a consultant',
    );
    assert.equal(
      referralSourceLabel({ source: 'email', referrerGrade: null }),
      "Email (the referrer's grade was not recorded)",
    );
    assert.equal(
      referralSourceLabel({ source: 'e-rs', referrerGrade: 'gp' }),
      'e-RS (formerly Choose and Book)',
    );
  });

  it('the mark stands until it is cleared', () => {
    const mark = {
      reason: 'referrer-not-consultant',
      clearedAt: null,
      clearedBy: null,
      clearedNote: null,
    } as const;
    assert.equal(needsChecking(null), false);
    assert.equal(needsChecking(mark), true);
    assert.equal(
      needsChecking({ ...mark, clearedAt: '2026-11-25T10:00:00.000Z', clearedBy: 'u', clearedNote: 'ok' }),
      false,
    );
  });

  const notes: [unknown, string | null][] = [
    ['  Dr Hughes, consultant, supports it  ', 'Dr Hughes, consultant, supports it'],
    ['', null],
    ['   ', null],
    [undefined, null],
    [42, null],
    ['x'.repeat(1001), null],
    ['x'.repeat(1000), 'x'.repeat(1000)],
  ];
  for (const [raw, expected] of notes) {
    it(`a clearing note of ${raw === undefined ? 'nothing' : JSON.stringify(raw).slice(0, 20)} is ${expected === null ? 'refused, naming note' : 'kept'}`, () => {
      const v = validateClearNote(raw);
      if (expected === null) {
        assert.ok(!v.ok);
        assert.deepEqual(
          v.errors.map((e) => e.field),
          ['note'],
        );
      } else {
        assert.ok(v.ok);
        assert.equal(v.value, expected);
      }
    });
  }
});

describe('referral input: the referrer’s grade and the e-RS service name', () => {
  it('an e-RS referral without a service name gets the configured one; a corrected one is kept', () => {
    const byDefault = validateReferralInput(ERS, today);
    assert.ok(byDefault.ok);
    assert.equal(byDefault.value.ersServiceName, 'Complex Neuro Rehab');
    const setting = validateReferralInput(ERS, today, 'Neuro Rehab – Spasticity');
    assert.ok(setting.ok);
    assert.equal(setting.value.ersServiceName, 'Neuro Rehab – Spasticity');
    const corrected = validateReferralInput({ ...ERS, ersServiceName: '  Neurology – Leeds  ' }, today);
    assert.ok(corrected.ok);
    assert.equal(corrected.value.ersServiceName, 'Neurology – Leeds');
  });

  it('an email referral has no e-RS service name, even if one is sent', () => {
    const v = validateReferralInput(
      { ...EMAIL, referrerGrade: 'consultant', ersServiceName: 'Complex Neuro Rehab' },
      today,
    );
    assert.ok(v.ok);
    assert.equal(v.value.ersServiceName, null);
    assert.equal(v.value.referrerGrade, 'consultant');
  });

  it('refuses an unknown grade and a service name too long, naming each field', () => {
    const v = validateReferralInput(
      { ...ERS, referrerGrade: 'professor', ersServiceName: 'x'.repeat(121) },
      today,
    );
    assert.ok(!v.ok);
    assert.deepEqual(v.errors.map((e) => e.field).sort(), ['ersServiceName', 'referrerGrade']);
  });

  it('the grade is optional in the input (an e-RS referral need not give one)', () => {
    const v = validateReferralInput(ERS, today);
    assert.ok(v.ok);
    assert.equal(v.value.referrerGrade, null);
  });
});
