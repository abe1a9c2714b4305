import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeProgramme,
  doseProgrammeSchema,
  parseStep,
  programmeErrors,
  scheduleDoseMcg,
  stepMinutes,
  type DoseProgramme,
  type FlexStep,
} from './dose-programme.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';

/** 24:00 as the end of a flex step, as clinicians write a whole day (00:00-24:00=12.5). */

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const step = (start: string, end: string, rateMcgPerHour: number): FlexStep => ({
  start,
  end,
  rateMcgPerHour,
});
const flex = (...steps: FlexStep[]): DoseProgramme => ({
  mode: 'flex',
  doseMcgPerDay: null,
  schedules: [{ weekdays: ALL_DAYS, steps }],
  bolus: null,
});
const errors = (...steps: FlexStep[]) => programmeErrors(flex(...steps), DEFAULT_PUMP_RULES.hardLimits);

describe('24:00 ends a step at midnight', () => {
  it('00:00-24:00 at 12.5 mcg/h is a whole day: 24 × 12.5 = 300 mcg', () => {
    assert.equal(stepMinutes(step('00:00', '24:00', 12.5)), 1440);
    assert.equal(scheduleDoseMcg({ weekdays: ALL_DAYS, steps: [step('00:00', '24:00', 12.5)] }), 300);
    assert.deepEqual(errors(step('00:00', '24:00', 12.5)), []);
  });

  it('22:00-24:00 joins a step starting at 00:00: 2 × 20 + 22 × 10 = 260 mcg', () => {
    const steps = [step('22:00', '24:00', 20), step('00:00', '22:00', 10)];
    assert.deepEqual(errors(...steps), []);
    assert.equal(scheduleDoseMcg({ weekdays: ALL_DAYS, steps }), 260);
    // Listed the other way round, and with a middle step ending at 24:00.
    assert.deepEqual(errors(step('00:00', '06:00', 10), step('06:00', '24:00', 12)), []);
  });

  it('still refuses a gap or an overlap at midnight', () => {
    assert.match(
      errors(step('22:00', '24:00', 20), step('00:30', '22:00', 10))[0]?.message ?? '',
      /no gap or overlap/,
    );
    assert.match(
      errors(step('00:00', '24:00', 20), step('00:00', '24:00', 10))[0]?.message ?? '',
      /24 hours, once/,
    );
  });

  it('refuses 24:00 as a start, in the API schema and on the command line', () => {
    const base = {
      mode: 'flex',
      schedules: [{ weekdays: ALL_DAYS, steps: [step('24:00', '06:00', 20), step('06:00', '24:00', 10)] }],
    };
    const parsed = doseProgrammeSchema.safeParse(base);
    assert.equal(parsed.success, false);
    assert.match(JSON.stringify(parsed.error.issues), /Start must be a time from 00:00 to 23:59/);
    assert.equal(parseStep('24:00-06:00=20'), null);
    assert.deepEqual(parseStep('06:00-24:00=10'), step('06:00', '24:00', 10));
    // The end may be 24:00, never later.
    assert.equal(parseStep('06:00-24:01=10'), null);
    assert.equal(
      doseProgrammeSchema.safeParse({
        mode: 'flex',
        schedules: [{ weekdays: ALL_DAYS, steps: [step('00:00', '24:00', 12.5)] }],
      }).success,
      true,
    );
  });

  it('keeps 24:00 as typed when the programme is described', () => {
    const p = flex(step('22:00', '24:00', 20), step('00:00', '22:00', 10));
    assert.equal(p.schedules[0]?.steps[0]?.end, '24:00');
    assert.equal(describeProgramme(p), 'Flex, 2 steps, up to 260 mcg/day');
  });
});
