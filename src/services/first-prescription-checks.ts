import type { FieldError } from '../domain/field-error.ts';
import { startingDose } from '../domain/dose-change.ts';
import { planningDoseMcgPerDay } from '../domain/dose-programme.ts';
import type { PrescriptionInput } from '../domain/prescription-input.ts';
import { round2 } from '../domain/refill-arithmetic.ts';
import type { Trx } from '../storage/database.ts';
import { listPrescriptions, type Prescription } from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import { latestPositiveTestDose } from '../storage/test-doses.repository.ts';
import { mostField, type DoseComparison } from './prescription-checks.ts';
import type { PumpServiceDeps } from './pump-store.ts';

/**
 * A pump's first prescription: compared with the dose on the pump it replaces, or else with the
 * starting dose from the patient's positive test dose, and started in titration.
 */

/**
 * F5 for the first prescription after implant: the starting dose is twice the effective test
 * dose, or equal to it after a long effect [LABEL-SKY], [CHEO]. More than that, or no positive
 * test dose on record, needs a written reason. No tenfold refusal here: the patient is not yet on
 * the starting dose (a patient implanted elsewhere may be on far more), so the reason and the
 * second clinician judge it.
 */
export async function compareWithTestDose(
  trx: Trx,
  deps: PumpServiceDeps,
  pump: Pump,
  input: PrescriptionInput,
): Promise<DoseComparison> {
  const test = await latestPositiveTestDose(trx, pump.patientId);
  const most = planningDoseMcgPerDay(input.programme);
  if (!test) {
    return {
      comparedDoseMcgPerDay: null,
      changePercent: null,
      limitPercent: null,
      withinLimit: false,
      limitPhase: null,
      warnings: [
        {
          code: 'NO_POSITIVE_TEST_DOSE',
          message:
            'No positive test dose is recorded for this patient: the starting dose cannot be checked against one',
        },
      ],
      refusals: [],
    };
  }
  const start = startingDose(
    { testDoseMcg: test.doseMcg, effectHours: test.effectHours, adverseReactions: test.adverseReactions },
    deps.config.pumpRules,
  ).dailyDoseMcg;
  const within = most <= start;
  return {
    comparedDoseMcgPerDay: start,
    changePercent: round2(((most - start) / start) * 100),
    limitPercent: 0,
    withinLimit: within,
    limitPhase: null,
    warnings: within
      ? []
      : [
          {
            code: 'START_DOSE_ABOVE_TEST_DOSE',
            field: mostField(input.programme),
            message: `The starting dose from the test dose (${test.doseMcg} mcg) is ${start} mcg/day; this programme can give ${round2(most)} mcg a day`,
          },
        ],
    refusals: [],
  };
}

/**
 * The prescription a replacement pump's first one is compared with: the replaced pump's active
 * prescription (the dose the patient is on), else its last one confirmed.
 */
export async function replacedPumpPrescription(trx: Trx, pump: Pump): Promise<Prescription | null> {
  if (pump.replacesPumpId === null) {
    return null;
  }
  const list = await listPrescriptions(trx, pump.replacesPumpId);
  const active = list.find((p) => p.state === 'active');
  if (active) {
    return active;
  }
  const confirmed = list
    .filter((p) => p.state === 'superseded' && p.decidedAt !== null)
    .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
  return confirmed[0] ?? null;
}

/**
 * A pump's first prescription with no history to carry over starts titration: declaring it
 * maintenance would hold every later change to the wider maintenance limits (a cerebral +20 %
 * the next day with no warning) before titration has found the dose [CMSC], [LABEL-SKY]. A
 * replacement pump carries on the replaced pump's history and is compared with its dose instead.
 */
export function firstPhaseRefusals(input: PrescriptionInput): FieldError[] {
  return input.phase === 'maintenance'
    ? [
        {
          field: 'phase',
          message:
            'A new pump starts in titration: choose titration for its first prescription. A maintenance dose is confirmed once titration has found it',
        },
      ]
    : [];
}
