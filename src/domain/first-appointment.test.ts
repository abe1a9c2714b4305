import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstAppointmentBar } from './first-appointment.ts';

describe('firstAppointmentBar', () => {
  it('lets an accepted referral with no appointment, or only cancelled ones, be booked', () => {
    assert.equal(firstAppointmentBar('accepted', []), null);
    assert.equal(firstAppointmentBar('accepted', [{ state: 'cancelled' }, { state: 'cancelled' }]), null);
  });

  it('bars a referral not accepted, one already attended, and one already booked', () => {
    assert.equal(firstAppointmentBar('awaiting-triage', []), 'REFERRAL_NOT_ACCEPTED');
    assert.equal(firstAppointmentBar('redirected', []), 'REFERRAL_NOT_ACCEPTED');
    assert.equal(
      firstAppointmentBar('accepted', [{ state: 'cancelled' }, { state: 'attended' }]),
      'FIRST_APPOINTMENT_ATTENDED',
    );
    assert.equal(firstAppointmentBar('accepted', [{ state: 'booked' }]), 'FIRST_APPOINTMENT_ALREADY_BOOKED');
  });

  it('lets the next one be booked after an attended appointment whose next step is rebook, and only then', () => {
    assert.equal(firstAppointmentBar('accepted', [{ state: 'attended', nextStep: 'rebook' }]), null);
    for (const nextStep of ['selection-assessment', 'discharge', 'refer-elsewhere', null]) {
      assert.equal(
        firstAppointmentBar('accepted', [{ state: 'attended', nextStep }]),
        'FIRST_APPOINTMENT_ATTENDED',
      );
    }
    assert.equal(
      firstAppointmentBar('accepted', [
        { state: 'attended', nextStep: 'rebook' },
        { state: 'booked', nextStep: null },
      ]),
      'FIRST_APPOINTMENT_ALREADY_BOOKED',
    );
  });
});
