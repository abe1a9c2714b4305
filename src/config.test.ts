import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('referral and mail configuration', () => {
  it('defaults to the 42-day target from the date received, due soon at 7 days, and no mail', () => {
    const c = loadConfig({});
    assert.deepEqual(c.waiting, {
      targetDays: 42,
      urgentTargetDays: 14,
      dueSoonDays: 7,
      clockStart: 'received',
    });
    assert.equal(loadConfig({ WAIT_URGENT_TARGET_DAYS: '10' }).waiting.urgentTargetDays, 10);
    assert.equal(c.triageAlertWorkingDays, 5);
    assert.equal(c.imap, null);
    assert.equal(c.smtp, null);
  });

  it('reads the mailbox with a password or an OAuth2 token file, never both', () => {
    const base = { IMAP_HOST: 'outlook.office365.com', IMAP_USER: 'itb@nhs.net' };
    assert.deepEqual(loadConfig({ ...base, IMAP_ACCESS_TOKEN_FILE: '/run/token' }).imap?.auth, {
      kind: 'oauth2',
      accessTokenFile: '/run/token',
    });
    assert.equal(loadConfig({ ...base, IMAP_PASSWORD: 'x' }).imap?.port, 993);
    assert.throws(
      () => loadConfig({ ...base, IMAP_PASSWORD: 'x', IMAP_ACCESS_TOKEN_FILE: '/t' }),
      ConfigError,
    );
    assert.throws(() => loadConfig(base), /IMAP_USER and IMAP_PASSWORD or IMAP_ACCESS_TOKEN_FILE/);
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ WAIT_CLOCK_START: 'triaged' }, /WAIT_CLOCK_START must be received or accepted/],
    [{ WAIT_TARGET_DAYS: '0' }, /WAIT_TARGET_DAYS must be a whole number/],
    [{ WAIT_URGENT_TARGET_DAYS: '0' }, /WAIT_URGENT_TARGET_DAYS must be a whole number/],
    [
      { WAIT_URGENT_TARGET_DAYS: '50' },
      /WAIT_URGENT_TARGET_DAYS \(50\) must not be more than WAIT_TARGET_DAYS \(42\)/,
    ],
    [{ WAIT_DUE_SOON_DAYS: '42' }, /WAIT_DUE_SOON_DAYS \(42\) must be less than WAIT_TARGET_DAYS \(42\)/],
    [{ SERVICE_CLOSED_DAYS: '2026-12-24,24/12/2026' }, /SERVICE_CLOSED_DAYS must list dates/],
    [{ DAILY_CHECK_TIME: '7am' }, /DAILY_CHECK_TIME must be a 24-hour time/],
    [{ SMTP_HOST: 'smtp.office365.com' }, /set SMTP_FROM/],
    [{ SMTP_HOST: 'h', SMTP_FROM: 'a@b.nhs.net', SMTP_PASSWORD: 'x' }, /set SMTP_USER too/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}, naming the setting`, () => {
      assert.throws(() => loadConfig(env), message);
    });
  }
});

describe('pump therapy settings', () => {
  it('defaults to the sourced values in pump-rules.ts', () => {
    const r = loadConfig({}).pumpRules;
    assert.equal(r.stabilityDays, 180);
    assert.deepEqual(r.hardLimits, {
      minDoseMcgPerDay: 1,
      maxDoseMcgPerDay: 3000,
      minConcentrationMcgPerMl: 10,
      maxConcentrationMcgPerMl: 3000,
    });
    assert.deepEqual(r.usualRange, { minDoseMcgPerDay: 12, maxDoseMcgPerDay: 2000 });
    assert.deepEqual(r.concentrations.stockedMcgPerMl, [500, 1000, 2000]);
    assert.deepEqual(r.programme, {
      bolusMaxSharePercent: 10,
      maxBolusesPerDay: 6,
      minLockoutMinutes: 60,
      flexStepMaxSharePercent: 25,
    });
    assert.equal(r.discrepancy.percentThreshold, 20);
    assert.equal(r.titration.childRisePercent, 15);
    assert.equal(r.titration.highDoseFromMcgPerDay, 500);
    assert.equal(r.titration.highDoseRisePercent, 20);
    assert.equal(r.titration.maxChangeFactor, 10);
    assert.equal(r.childUnderYears, 18);
    assert.equal(r.replacementMarginDays, 30);
    assert.equal(r.maxPauseDays, 90);
    assert.equal(r.deliveryRefillWindowDays, 14);
    assert.deepEqual(r.testDose.ladderMcg, [50, 75, 100]);
    assert.deepEqual(r.testDose.observationHours, [0, 2, 4, 6, 8]);
    assert.equal(r.testDose.observationToleranceMinutes, 30);
  });

  it('reads overrides inside their bounds', () => {
    const r = loadConfig({
      REFILL_MAX_INTERVAL_DAYS: '120',
      DOSE_USUAL_MIN_MCG_PER_DAY: '20',
      DOSE_MAX_MCG_PER_DAY: '2500',
      CONCENTRATIONS_STOCKED_MCG_PER_ML: '250,500,2000',
      TEST_DOSE_LADDER_MCG: '25,50,75,100',
      TEST_DOSE_OBSERVATION_HOURS: '0,1,2,3,4,6,8,12',
      TEST_DOSE_POSITIVE_AT_HOUR: '3',
      DISCREPANCY_SMALL_RESERVOIR_MAX_ML: '40',
      REPLACEMENT_MARGIN_DAYS: '45',
    }).pumpRules;
    assert.equal(r.stabilityDays, 120);
    assert.equal(r.usualRange.minDoseMcgPerDay, 20);
    assert.equal(r.hardLimits.maxDoseMcgPerDay, 2500);
    assert.deepEqual(r.concentrations.stockedMcgPerMl, [250, 500, 2000]);
    assert.deepEqual(r.testDose.ladderMcg, [25, 50, 75, 100]);
    assert.equal(r.testDose.positiveAtHour, 3);
    // Hours 1 apart: the default 30 minutes would let one clock time match two hours.
    assert.equal(r.testDose.observationToleranceMinutes, 29);
    assert.equal(
      loadConfig({ TEST_DOSE_OBSERVATION_TOLERANCE_MINUTES: '45' }).pumpRules.testDose
        .observationToleranceMinutes,
      45,
    );
    assert.equal(r.discrepancy.smallReservoirMaxMl, 40);
    assert.equal(r.replacementMarginDays, 45);
  });

  // Each refused at start-up, naming the setting: a clinical number beyond what the sources or
  // the pump models allow must never reach the arithmetic.
  const bad: [Record<string, string>, RegExp][] = [
    [{ REFILL_MAX_INTERVAL_DAYS: '181' }, /REFILL_MAX_INTERVAL_DAYS must be a whole number from 1 to 180/],
    [{ REFILL_MAX_INTERVAL_DAYS: '366' }, /REFILL_MAX_INTERVAL_DAYS/],
    [{ DISCREPANCY_SMALL_RESERVOIR_MAX_ML: '25' }, /reservoir size a pump model has \(20 or 40 mL\)/],
    [
      { DISCREPANCY_SMALL_RESERVOIR_MAX_ML: '100' },
      /DISCREPANCY_SMALL_RESERVOIR_MAX_ML must be a number from 1 to 40/,
    ],
    [{ DOSE_MAX_MCG_PER_DAY: '5000' }, /DOSE_MAX_MCG_PER_DAY must be a number from 1 to 3000/],
    [{ DOSE_USUAL_MAX_MCG_PER_DAY: '2500', DOSE_MAX_MCG_PER_DAY: '2000' }, /must be in order/],
    [{ DOSE_USUAL_MIN_MCG_PER_DAY: '0.5' }, /DOSE_USUAL_MIN_MCG_PER_DAY must be a number from 1/],
    [{ CONCENTRATIONS_STOCKED_MCG_PER_ML: '50,500' }, /must not list the 50 mcg\/mL screening strength/],
    [
      { CONCENTRATIONS_STOCKED_MCG_PER_ML: '2,500' },
      /CONCENTRATIONS_STOCKED_MCG_PER_ML must list numbers from 10 to 3000/,
    ],
    [{ CONCENTRATIONS_STOCKED_MCG_PER_ML: '2000,500' }, /in increasing order/],
    [{ TEST_DOSE_LADDER_MCG: '50,75,150' }, /TEST_DOSE_LADDER_MCG must list numbers from 1 to 100/],
    [
      { TEST_DOSE_OBSERVATION_HOURS: '0,2,4,100' },
      /TEST_DOSE_OBSERVATION_HOURS must list whole numbers from 0 to 48/,
    ],
    [{ TEST_DOSE_OBSERVATION_HOURS: '2,4,8' }, /must start with 0/],
    [
      { TEST_DOSE_POSITIVE_AT_HOUR: '5' },
      /TEST_DOSE_POSITIVE_AT_HOUR \(5\) must be one of the observation hours/,
    ],
    [
      { TEST_DOSE_OBSERVATION_TOLERANCE_MINUTES: '60' },
      /TEST_DOSE_OBSERVATION_TOLERANCE_MINUTES must be a whole number from 5 to 59/,
    ],
    [{ TEST_DOSE_OBSERVATION_TOLERANCE_MINUTES: '4' }, /TEST_DOSE_OBSERVATION_TOLERANCE_MINUTES/],
    [{ START_DOSE_LONG_EFFECT_HOURS: '72' }, /START_DOSE_LONG_EFFECT_HOURS must be a number from 1 to 48/],
    [{ REPLACEMENT_MARGIN_DAYS: '90' }, /REPLACEMENT_MARGIN_DAYS must be a whole number from 0 to 89/],
    [{ PAUSE_MAX_DAYS: '0' }, /PAUSE_MAX_DAYS must be a whole number from 1 to 180/],
    [
      { PREGNANCY_REFILL_WINDOW_DAYS: '61' },
      /PREGNANCY_REFILL_WINDOW_DAYS must be a whole number from 0 to 60/,
    ],
    [{ BOLUS_MAX_PER_DAY: '0' }, /BOLUS_MAX_PER_DAY/],
    [{ DOSE_CHANGE_MAX_FACTOR: '1' }, /DOSE_CHANGE_MAX_FACTOR must be a whole number from 2 to 100/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}, naming the setting`, () => {
      assert.throws(() => loadConfig(env), message);
    });
  }
});
