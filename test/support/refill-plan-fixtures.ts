import fc from 'fast-check';
import { addDays, type PlainDate } from '../../src/domain/calendar-date.ts';
import type { RefillPlanInput } from '../../src/domain/refill-arithmetic.ts';

/** Refill plans for the refill arithmetic's tests: a worked example and generated realistic plans. */

const d = (s: string) => s as PlainDate;

/** Worked example 4 (clinical-reference.md): the base of most of the refill arithmetic cases. */
export const example4: RefillPlanInput = {
  reservoirMl: 20,
  fillMl: 20,
  concentrationMcgPerMl: 500,
  doseMcgPerDay: 150,
  alarmMl: 2,
  filledOn: d('2025-01-06'),
  bufferDays: 7,
  maxIntervalDays: 180,
};

/** A realistic plan, with its numbers kept as integers (tenths of a mL, hundredths of a mcg) for exact checks. */
export interface GeneratedPlan {
  readonly input: RefillPlanInput;
  readonly fillTenths: number;
  readonly alarmTenths: number;
  readonly doseHundredths: number;
}

const concentrationArb = fc.oneof(fc.constantFrom(50, 500, 1000, 2000), fc.integer({ min: 10, max: 3000 }));
const filledOnArb = fc.integer({ min: 0, max: 365 * 15 }).map((n) => addDays(d('2020-01-01'), n));
export const planArb: fc.Arbitrary<GeneratedPlan> = fc
  .record({
    reservoirMl: fc.constantFrom(20, 40),
    fillFraction: fc.integer({ min: 1, max: 1000 }),
    alarmTenths: fc.integer({ min: 0, max: 30 }),
    concentrationMcgPerMl: concentrationArb,
    doseHundredths: fc.integer({ min: 100, max: 300_000 }),
    filledOn: filledOnArb,
    bufferDays: fc.integer({ min: 0, max: 60 }),
    maxIntervalDays: fc.integer({ min: 1, max: 366 }),
  })
  .map((r) => {
    const maxTenths = r.reservoirMl * 10;
    const fillTenths =
      r.alarmTenths + 1 + Math.floor(((maxTenths - r.alarmTenths - 1) * r.fillFraction) / 1000);
    return {
      fillTenths,
      alarmTenths: r.alarmTenths,
      doseHundredths: r.doseHundredths,
      input: {
        reservoirMl: r.reservoirMl,
        fillMl: fillTenths / 10,
        alarmMl: r.alarmTenths / 10,
        concentrationMcgPerMl: r.concentrationMcgPerMl,
        doseMcgPerDay: r.doseHundredths / 100,
        filledOn: r.filledOn,
        bufferDays: r.bufferDays,
        maxIntervalDays: r.maxIntervalDays,
      },
    };
  });
