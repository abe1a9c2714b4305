import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAKE_NOTIFY_KEY, FAKE_TEMPLATES } from '../test/support/fake-notify.ts';
import { ConfigError, loadConfig } from './config.ts';
import { NOTIFY_PRODUCTION_URL } from './reminders-config.ts';

describe('reminder settings', () => {
  it('are off without a key, with the documented defaults', () => {
    const r = loadConfig({ SERVICE_ADDRESS: 'Neuro Rehab Unit|Leeds' }).reminders;
    assert.equal(r.notify, null);
    assert.deepEqual(r.daysBefore, [7, 1]);
    assert.equal(r.sendTime, '09:00');
    assert.equal(r.place, 'Neuro Rehab Unit, Leeds');
  });

  it('take a key in Notify format with the four templates, defaulting to the live API', () => {
    const r = loadConfig({
      NOTIFY_API_KEY: FAKE_NOTIFY_KEY,
      ...FAKE_TEMPLATES,
      REMINDER_DAYS_BEFORE: '1, 3',
    }).reminders;
    assert.equal(r.notify?.baseUrl, NOTIFY_PRODUCTION_URL);
    assert.equal(r.notify.templates.reviewSms, FAKE_TEMPLATES.NOTIFY_TEMPLATE_REVIEW_SMS);
    assert.deepEqual(r.daysBefore, [3, 1]);
  });

  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      'a key cut short',
      { NOTIFY_API_KEY: FAKE_NOTIFY_KEY.slice(0, -4), ...FAKE_TEMPLATES },
      /NOTIFY_API_KEY is not/,
    ],
    [
      'a key without templates',
      { NOTIFY_API_KEY: FAKE_NOTIFY_KEY },
      /NOTIFY_TEMPLATE_REFILL_EMAIL, NOTIFY_TEMPLATE_REFILL_SMS/,
    ],
    ['a day of 0', { REMINDER_DAYS_BEFORE: '7,0' }, /REMINDER_DAYS_BEFORE/],
    ['a repeated day', { REMINDER_DAYS_BEFORE: '1,1' }, /REMINDER_DAYS_BEFORE/],
    ['a time that is not one', { REMINDER_SEND_TIME: '9am' }, /REMINDER_SEND_TIME/],
  ];
  for (const [why, env, message] of refusals) {
    it(`stop start-up on ${why}, naming the setting`, () => {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
      );
    });
  }

  it('never put the key in an error message', () => {
    const broken = `${FAKE_NOTIFY_KEY.slice(0, -1)}Z`;
    assert.throws(
      () => loadConfig({ NOTIFY_API_KEY: broken, ...FAKE_TEMPLATES }),
      (err: unknown) => err instanceof Error && !err.message.includes(broken.slice(-36, -1)),
    );
  });
});
