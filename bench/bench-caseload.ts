import { randomUUID } from 'node:crypto';
import { addDays, type PlainDate } from '../src/domain/calendar-date.ts';
import { findPumpModel } from '../src/domain/pump-device.ts';
import { DEFAULT_PUMP_RULES } from '../src/domain/pump-rules.ts';
import { pumpSchedule } from '../src/domain/refill-worklist.ts';
import { closedDaysBetween } from '../src/services/closed-days.ts';
import type { Db, PatientsTable, PumpAppointmentsTable, PumpsTable } from '../src/storage/database.ts';

/**
 * A caseload of patients with implanted pumps written in bulk for the benchmarks (the worklist and
 * the FHIR export): fills spread over 80 days so every worklist status appears, one pump in 500
 * with no fill yet, one in five with a refill booked, and the worklist columns the services keep
 * on each pump worked out by the same domain function.
 */

const BATCH = 1_000;
export async function seedBenchCaseload(
  db: Db,
  userId: string,
  today: PlainDate,
  pumpCount: number,
): Promise<void> {
  const at = new Date().toISOString();
  for (let start = 0; start < pumpCount; start += BATCH) {
    const patients: PatientsTable[] = [];
    const pumps: PumpsTable[] = [];
    const appointments: PumpAppointmentsTable[] = [];
    for (let i = start; i < Math.min(start + BATCH, pumpCount); i += 1) {
      const patientId = randomUUID();
      const pumpId = randomUUID();
      // Spread the fills over 80 days so every status appears; one pump in 500 has no fill yet.
      const filledDaysAgo = i % 80;
      const noPlan = i % 500 === 0;
      patients.push({
        id: patientId,
        nhs_number: String(9_000_000_000 + i),
        hospital_number: null,
        given_name: `Given${i}`,
        family_name: `Family${i}`,
        date_of_birth: '1970-01-01',
        sex: 'female',
        address_line1: null,
        address_line2: null,
        town: null,
        postcode: null,
        phone: null,
        gp_practice_name: null,
        gp_practice_ods: null,
        next_of_kin_name: null,
        next_of_kin_relationship: null,
        next_of_kin_phone: null,
        communication_needs: null,
        hospital_number_key: null,
        allergies: null,
        alerts: null,
        relevant_conditions: null,
        created_at: at,
        created_by: userId,
        updated_at: at,
        updated_by: userId,
        version: 1,
      });
      pumps.push({
        id: pumpId,
        patient_id: patientId,
        model_id: 'synchromed-ii',
        reservoir_ml: 20,
        serial_number: `BENCH${i}`,
        implanted_on: addDays(today, -400 - (i % 2000)),
        surgeon: 'Bench',
        alarm_ml: 2,
        catheter_model: null,
        catheter_tip_level: null,
        origin: i % 2 === 0 ? 'spinal' : 'cerebral',
        state: 'implanted',
        eri_on: null,
        ended_on: null,
        replaces_pump_id: null,
        last_refill_id: null,
        alarm_on: noPlan ? null : addDays(today, 60 - filledDaysAgo),
        refill_due_by: noPlan ? null : addDays(today, 53 - filledDaysAgo),
        reviews_held: 5,
        refill_booked_on: i % 5 === 0 ? addDays(today, 1 + (i % 60)) : null,
        ...derived(noPlan ? null : addDays(today, 53 - filledDaysAgo), addDays(today, -400 - (i % 2000))),
        created_at: at,
        created_by: userId,
        updated_at: at,
        updated_by: userId,
        version: 1,
      });
      if (i % 5 === 0) {
        appointments.push({
          id: randomUUID(),
          pump_id: pumpId,
          patient_id: patientId,
          kind: 'refill',
          on_date: addDays(today, 1 + (i % 60)),
          state: 'booked',
          note: null,
          created_at: at,
          created_by: userId,
          updated_at: at,
          updated_by: userId,
          version: 1,
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('patients').values(patients).execute();
      await trx.insertInto('pumps').values(pumps).execute();
      if (appointments.length > 0) {
        await trx.insertInto('pump_appointments').values(appointments).execute();
      }
    });
  }
}

const CLOSED = closedDaysBetween(2020, 2040, []);

/** The worklist columns the services keep on each pump (pumpSchedule), for rows written in bulk. */
function derived(refillDueBy: PlainDate | null, implantedOn: PlainDate) {
  const s = pumpSchedule(
    { refillDueBy, implantedOn, reviewsHeld: 5, eriOn: null },
    findPumpModel('synchromed-ii'),
    DEFAULT_PUMP_RULES.reviewSchedule,
    CLOSED,
    DEFAULT_PUMP_RULES.replacementMarginDays,
  );
  return { refill_due_on: s.refillDueOn, next_review_on: s.nextReviewOn, replace_by: s.replaceBy };
}
