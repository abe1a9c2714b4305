import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import {
  activeChannels,
  formatUkMobile,
  normaliseUkMobile,
  reminderRoute,
  validateContactPreferences,
  type ContactPreferences,
} from './contact-preferences.ts';

const TODAY = '2026-12-08' as PlainDate;

describe('UK mobile numbers', () => {
  const table: [string, string | null, string][] = [
    ['07700 900123', '+447700900123', 'national form with a space'],
    ['07700900123', '+447700900123', 'national form'],
    ['+44 7700 900123', '+447700900123', 'international form'],
    ['0044 7700 900 123', '+447700900123', '00 prefix'],
    ['447700900123', '+447700900123', 'without the plus'],
    ['(07700) 900-123', '+447700900123', 'brackets and a hyphen'],
    ['07624 123456', '+447624123456', 'Isle of Man mobile'],
    ['0113 243 3144', null, 'a landline'],
    ['07000 123456', null, '070 personal number, not a mobile'],
    ['07600 123456', null, '076 pager, not a mobile'],
    ['0770090012', null, 'a digit short'],
    ['077009001234', null, 'a digit too many'],
    ['+33 6 12 34 56 78', null, 'a French mobile'],
    ['07700 9OO123', null, 'letter O for zero'],
  ];
  for (const [input, expected, why] of table) {
    it(`${input}: ${why}`, () => {
      assert.equal(normaliseUkMobile(input), expected);
    });
  }
  it('shows a stored number as people write it', () => {
    assert.equal(formatUkMobile('+447700900123'), '07700 900123');
  });
});

describe('contact preferences input', () => {
  const base = {
    email: 'ann@example.com',
    mobile: '07700 900123',
    channels: ['email', 'sms'],
    consentGiven: 'yes',
    consentDate: '2026-12-01',
  };
  it('accepts a consenting patient with both channels, normalising the number', () => {
    const r = validateContactPreferences(base, TODAY);
    assert.deepEqual(r, {
      ok: true,
      value: {
        email: 'ann@example.com',
        mobile: '+447700900123',
        channels: ['email', 'sms'],
        consentGiven: true,
        consentDate: '2026-12-01',
      },
    });
  });
  it('accepts a single channel sent as a form field (a string, not a list)', () => {
    const r = validateContactPreferences({ ...base, channels: 'sms' }, TODAY);
    assert.ok(r.ok);
    assert.deepEqual(r.value.channels, ['sms']);
  });
  const refusals: [string, Record<string, unknown>, string][] = [
    ['a chosen channel without its address', { email: '', channels: ['email'] }, 'email'],
    ['text messages without a mobile number', { mobile: '', channels: ['sms'] }, 'mobile'],
    ['a landline', { mobile: '0113 243 3144' }, 'mobile'],
    ['an email without a domain', { email: 'ann@' }, 'email'],
    ['no consent decision', { consentGiven: undefined }, 'consentGiven'],
    ['a consent date in the future', { consentDate: '2026-12-09' }, 'consentDate'],
    ['an unknown channel', { channels: ['post'] }, 'channels.0'],
  ];
  for (const [why, change, field] of refusals) {
    it(`refuses ${why}, naming ${field}`, () => {
      const r = validateContactPreferences({ ...base, ...change }, TODAY);
      assert.ok(!r.ok);
      assert.ok(
        r.errors.some((e) => e.field === field),
        JSON.stringify(r),
      );
    });
  }
});

describe('consent rules: where a reminder may go', () => {
  const prefs: ContactPreferences = {
    email: 'ann@example.com',
    mobile: '+447700900123',
    channels: ['sms'],
    consentGiven: true,
    consentDate: TODAY,
  };
  const table: [string, ContactPreferences | null, 'email' | 'sms', string][] = [
    ['consented, SMS chosen', prefs, 'sms', 'to +447700900123'],
    ['consented, email not chosen', prefs, 'email', 'channel-not-chosen'],
    ['consent withdrawn', { ...prefs, consentGiven: false }, 'sms', 'no-consent'],
    ['nothing recorded', null, 'sms', 'no-preferences'],
    ['chosen but no number kept', { ...prefs, mobile: null }, 'sms', 'no-address'],
  ];
  for (const [why, p, channel, expected] of table) {
    it(`${why}: ${expected}`, () => {
      const r = reminderRoute(p, channel);
      assert.equal(r.ok ? `to ${r.to}` : r.reason, expected);
    });
  }
  it('no channels are active without consent, whatever was chosen', () => {
    assert.deepEqual(activeChannels({ ...prefs, channels: ['email', 'sms'], consentGiven: false }), []);
    assert.deepEqual(activeChannels({ ...prefs, channels: ['email', 'sms'] }), ['email', 'sms']);
  });
});
