import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calcJson as json, itbCalc, withOption } from '../../test/support/itb-calc.ts';
import { example4, refused } from '../../test/support/pump-calc-cli-fixtures.ts';

/** `itb calc refill` through the real command line: worked example 4 and its options. */

describe('itb calc refill', () => {
  it('worked example 4: 0.3 mL/day, 60 days, alarm 2025-03-07, due 2025-02-28 (alarm)', async () => {
    assert.deepEqual(await json(example4), {
      dailyVolumeMl: 0.3,
      daysToAlarm: 60,
      alarmDate: '2025-03-07',
      refillDueBy: '2025-02-28',
      // A Friday and no bank holiday: it stays.
      refillDueByWorkingDay: '2025-02-28',
      limitedBy: 'alarm',
      bufferDays: 7,
      maxIntervalDays: 180,
      warnings: [],
    });
  });

  it('worked example 5: limited by stability, due 180 days after the fill, moved off a Saturday', async () => {
    const r = await json([
      'refill',
      '--reservoir-ml',
      '40',
      '--fill-ml',
      '40',
      '--concentration',
      '2000',
      '--dose',
      '300',
      '--alarm-ml',
      '2',
      '--filled-on',
      '2025-01-06',
    ]);
    assert.deepEqual(r, {
      dailyVolumeMl: 0.15,
      daysToAlarm: 253.33,
      alarmDate: '2025-09-16',
      refillDueBy: '2025-07-05',
      refillDueByWorkingDay: '2025-07-04',
      limitedBy: 'stability',
      bufferDays: 7,
      maxIntervalDays: 180,
      warnings: [],
    });
  });

  it('moves a due date on a bank holiday to the working day before (Easter Monday 2025)', async () => {
    // 60 days to alarm from 2025-02-25 is 2025-04-26; 5 days' buffer gives Monday 21 April.
    const r = await json([...withOption(example4, '--filled-on', '2025-02-25'), '--buffer-days', '5']);
    assert.equal(r.refillDueBy, '2025-04-21');
    // Good Friday 18 April and the weekend are closed too: Thursday 17 April.
    assert.equal(r.refillDueByWorkingDay, '2025-04-17');
  });

  it('takes --buffer-days and --max-interval-days over the defaults', async () => {
    const r = await json([...example4, '--buffer-days', '14', '--max-interval-days', '30']);
    assert.equal(r.refillDueBy, '2025-02-05');
    assert.equal(r.limitedBy, 'stability');
    const b = await json([...example4, '--buffer-days', '14']);
    assert.equal(b.refillDueBy, '2025-02-21');
  });

  it('rounds the daily volume to 4 decimals and days to alarm to 2', async () => {
    // 123.45 mcg/day at 2000 mcg/mL is 0.061725 mL/day; 18 mL ÷ 0.061725 = 291.6160… days.
    const long = await json(withOption(withOption(example4, '--dose', '123.45'), '--concentration', '2000'));
    assert.equal(long.dailyVolumeMl, 0.0617);
    assert.equal(long.daysToAlarm, 291.62);
  });

  it('prints readable text without --json', async () => {
    const r = await itbCalc(example4);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Daily volume: 0\.3 mL\/day\n/);
    assert.match(r.stdout, /Refill due by: 2025-02-28, 7 days before the alarm\n$/);
  });

  it('says when the refill is due on the fill day itself, the alarm inside the buffer', async () => {
    // 2,500 mcg/day at 500 mcg/mL: 5 mL/day; (20 − 2) ÷ 5 = 3.6 days → alarm 9 January, less than
    // the 7-day buffer after the fill: due the fill day, 6 January, not "7 days before the alarm".
    const r = await itbCalc(withOption(withOption(example4, '--dose', '2500'), '--concentration', '500'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Refill due by: 2025-01-06, the fill day: the alarm falls within the 7-day buffer\n/,
    );
  });

  it('refuses a volume above the reservoir, naming --fill-ml', async () => {
    await refused(
      withOption(example4, '--fill-ml', '25'),
      /--fill-ml: .*must not be more than the reservoir/,
    );
  });

  it('refuses a zero concentration, naming --concentration', async () => {
    await refused(withOption(example4, '--concentration', '0'), /--concentration: Concentration must be/);
  });

  it('refuses mg typed for mcg (concentration 2, dose 0.4), naming both options', async () => {
    await refused(
      withOption(withOption(example4, '--concentration', '2'), '--dose', '0.4'),
      /--concentration: Concentration must be in micrograms per mL \(mcg\/mL\), at least 10: 2 looks like milligrams per mL/,
      /--dose: Daily dose must be in micrograms \(mcg\), at least 1: 0\.4 looks like milligrams/,
    );
  });

  it('refuses an alarm volume at or above the fill, naming --alarm-ml', async () => {
    await refused(withOption(example4, '--alarm-ml', '20'), '--alarm-ml: ');
  });

  it('refuses a malformed or impossible date, naming --filled-on', async () => {
    await refused(withOption(example4, '--filled-on', '06/01/2025'), '--filled-on: must be a real date');
    await refused(withOption(example4, '--filled-on', '2025-02-29'), '--filled-on: must be a real date');
  });

  for (const bad of ['2mg', '', 'abc', '1e3', '-5', '0x10', '.5']) {
    it(`refuses the number "${bad}", naming the option`, async () => {
      await refused(withOption(example4, '--reservoir-ml', bad), `--reservoir-ml: give the reservoir size`);
    });
  }

  it('reports every badly typed option at once', async () => {
    const stderr = await refused(
      withOption(withOption(example4, '--dose', 'abc'), '--alarm-ml', '2 mL'),
      '--dose: ',
      '--alarm-ml: ',
    );
    assert.equal(stderr.trim().split('\n').length, 2);
  });

  it('refuses a fractional or out-of-range buffer, naming --buffer-days and --max-interval-days', async () => {
    await refused([...example4, '--buffer-days', '1.5'], '--buffer-days: Buffer must be a whole number');
    await refused([...example4, '--max-interval-days', '400'], '--max-interval-days: Longest interval');
  });

  it('refuses a missing required option, naming it', async () => {
    await refused(withOption(example4, '--fill-ml', null), '--fill-ml');
  });
});
