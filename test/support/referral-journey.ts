import assert from 'node:assert/strict';
import { TINY_PDF } from './referral-email.ts';
import { ERS_FORM, idFromLocation, upload, versionOf, type ReferralPages } from './referral-pages.ts';

/**
 * Steps of a referral's journey through the pages, so each test records the referral it needs
 * and takes it as far as it needs: attached letters, triage, and the first appointment booked,
 * rebooked, cancelled and attended. Each step asserts it was saved.
 */

let made = 0;

/** A UBRN no other test's referral has, so every test's referral is its own. */
export function freshUbrn(): string {
  made += 1;
  return `7000 0000 ${String(made).padStart(4, '0')}`;
}

/** Records an e-RS referral for Ann through the form, as the booking coordinator; its id. */
export async function recordReferral(
  p: ReferralPages,
  fields: Record<string, string | string[]> = {},
): Promise<string> {
  const res = await p.booking.post(
    '/referrals',
    { ...ERS_FORM, ubrn: freshUbrn(), ...fields },
    '/referrals/new',
  );
  return idFromLocation(res, '/referrals');
}

/** Attaches a PDF letter to the referral through its page. */
export async function attachPdf(
  p: ReferralPages,
  referralId: string,
  filename = 'gp-letter.pdf',
): Promise<void> {
  const res = await upload(
    p.booking,
    `/referrals/${referralId}/attachments`,
    { filename, contentType: 'application/pdf', content: TINY_PDF },
    `/referrals/${referralId}`,
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
}

/** The consultant's triage decision through the triage form, on the version the form shows. */
export async function decide(
  p: ReferralPages,
  referralId: string,
  fields: Record<string, string>,
): Promise<void> {
  const url = `/referrals/${referralId}/triage`;
  const form = await p.consultant.get(url);
  const res = await p.consultant.post(url, { ...fields, version: versionOf(form.body) }, url);
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
}

/**
 * Records and accepts a referral (routine unless said otherwise); its id. Received 16 November
 * 2026: the routine target is 28 December, the urgent one 30 November, so an urgent referral
 * booked after that needs the booking confirmed beyond the target.
 */
export async function acceptedReferral(p: ReferralPages, priority = 'routine'): Promise<string> {
  const id = await recordReferral(p);
  await decide(p, id, { outcome: 'accepted', priority });
  return id;
}

export const SLOT = { time: '09:30', clinic: 'Spasticity clinic', clinician: 'Dr Jones' };

/** The appointment form's date boxes. */
export const dateFields = (d: string, m: string, y = '2026') => ({
  'date-day': d,
  'date-month': m,
  'date-year': y,
});

/** The id of the booked appointment the referral page offers `action` (rebook, cancel, outcome) on. */
export async function bookedAppointmentId(
  p: ReferralPages,
  referralId: string,
  action: 'rebook' | 'cancel' | 'outcome' = 'rebook',
): Promise<string> {
  const page = await p.booking.get(`/referrals/${referralId}`);
  const id = new RegExp(`href="/appointments/([0-9a-f-]{36})/${action}"`).exec(page.body)?.[1] ?? '';
  assert.ok(id, `the referral page offers to ${action} a booked appointment`);
  return id;
}

/** Books the first appointment on the given day of 2026 at 09:30 (unless `time` says); its id. */
export async function book(
  p: ReferralPages,
  referralId: string,
  day: string,
  month: string,
  time = SLOT.time,
): Promise<string> {
  const res = await p.booking.post(
    `/referrals/${referralId}/appointments`,
    { ...SLOT, time, ...dateFields(day, month) },
    `/referrals/${referralId}/appointments/new`,
  );
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  return bookedAppointmentId(p, referralId);
}

/** Rebooks, cancels or records the outcome of a booked appointment through its form. */
export async function changeAppointment(
  p: ReferralPages,
  appointmentId: string,
  action: 'rebook' | 'cancel' | 'outcome',
  fields: Record<string, string>,
): Promise<void> {
  const url = `/appointments/${appointmentId}/${action}`;
  const form = await p.booking.get(url);
  const res = await p.booking.post(url, { ...fields, version: versionOf(form.body) }, url);
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
}

/**
 * The whole journey the referral's timeline tells, each step a little later than the one before,
 * as in real use: two letters attached, accepted as urgent then changed to routine with a reason,
 * booked, rebooked (the patient cancelled), cancelled (the hospital did), booked again for today
 * and attended. The referral's id.
 */
export async function wholeJourney(p: ReferralPages): Promise<string> {
  const later = () => {
    p.t.clock.advanceSeconds(5);
  };
  const id = await recordReferral(p);
  later();
  await attachPdf(p, id, 'gp-letter.pdf');
  later();
  await attachPdf(p, id, 'Referral – Ann Smith.pdf');
  later();
  await decide(p, id, { outcome: 'accepted', priority: 'urgent' });
  later();
  await decide(p, id, {
    outcome: 'accepted',
    priority: 'routine',
    reason: 'Discussed with the GP: not urgent',
  });
  later();
  const first = await book(p, id, '1', '12');
  later();
  await changeAppointment(p, first, 'rebook', {
    ...SLOT,
    time: '14:00',
    ...dateFields('8', '12'),
    cancelReason: 'patient-cancelled',
    cancelNote: 'On holiday',
  });
  later();
  await changeAppointment(p, await bookedAppointmentId(p, id, 'cancel'), 'cancel', {
    cancelReason: 'hospital-cancelled',
    cancelNote: 'Clinic closed',
  });
  later();
  const seen = await book(p, id, '24', '11');
  await changeAppointment(p, seen, 'outcome', { outcomeNote: 'Seen: proceed to ITB assessment' });
  return id;
}
