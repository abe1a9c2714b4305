import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { breakGlassExpiry, grantIsLive, validateBreakGlassRequest } from './break-glass.ts';

describe('break-glass request', () => {
  const ok = { nhsNumber: '485 777 3457', dateOfBirth: '1961-03-14', reason: 'Patient in A&E, drowsy' };
  const cases: readonly [string, Record<string, unknown>, string | null][] = [
    ['a full request', ok, null],
    ['no reason', { ...ok, reason: undefined }, 'reason'],
    ['a blank reason', { ...ok, reason: '    ' }, 'reason'],
    ['a reason under 10 characters once trimmed', { ...ok, reason: '   testing  ' }, 'reason'],
    ['a reason over 500 characters', { ...ok, reason: 'x'.repeat(501) }, 'reason'],
    ['an NHS number failing its check digit', { ...ok, nhsNumber: '4857773458' }, 'nhsNumber'],
    ['no NHS number', { ...ok, nhsNumber: undefined }, 'nhsNumber'],
    ['a date that is not real', { ...ok, dateOfBirth: '1961-02-30' }, 'dateOfBirth'],
  ];
  for (const [label, raw, field] of cases) {
    it(`${label}: ${field === null ? 'accepted' : `refused on ${field}`}`, () => {
      const v = validateBreakGlassRequest(raw);
      if (field === null) {
        assert.ok(v.ok);
        assert.equal(v.value.nhsNumber, '4857773457');
        assert.equal(v.value.reason, 'Patient in A&E, drowsy');
      } else {
        assert.ok(!v.ok);
        assert.ok(
          v.errors.some((e) => e.field === field),
          JSON.stringify(v.errors),
        );
      }
    });
  }
});

describe('break-glass grant expiry', () => {
  it('ends BREAK_GLASS_HOURS after it starts, across a clock change', () => {
    assert.equal(breakGlassExpiry('2026-09-11T10:00:00.000Z', 12), '2026-09-11T22:00:00.000Z');
    // 25 October 2026: the UK goes back an hour; a grant is 12 real hours, not 12 clock hours.
    assert.equal(breakGlassExpiry('2026-10-24T20:00:00.000Z', 12), '2026-10-25T08:00:00.000Z');
  });
  const grant = { grantedAt: '2026-09-11T10:00:00.000Z', expiresAt: '2026-09-11T22:00:00.000Z' };
  const at: readonly [string, boolean][] = [
    ['2026-09-11T09:59:59.999Z', false],
    ['2026-09-11T10:00:00.000Z', true],
    ['2026-09-11T21:59:59.999Z', true],
    ['2026-09-11T22:00:00.000Z', false],
    ['2027-09-11T10:00:00.000Z', false],
  ];
  for (const [now, live] of at) {
    it(`at ${now} the grant is ${live ? 'live' : 'not live'}`, () => {
      assert.equal(grantIsLive(grant, now), live);
    });
  }
});
