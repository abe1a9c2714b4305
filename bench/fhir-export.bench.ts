// npm run bench (fourth part): the FHIR bulk export's speed target, on SQLite and then PostgreSQL.
//
//   "Speed (bench): bulk export >= 10,000 resources/s on each database."
//
// For each database: 100,000 patients, each with an implanted pump and a fifth with a booked
// refill appointment, are written in bulk (at least 100,000 resources whatever types the export
// maps from them); then the whole export is read through services.fhir.exportAll, the same
// stream `itb fhir export` writes, and each resource is serialised as its NDJSON line (into a
// counter, not a disk, so the figure is the export's, not the disk's). Prints resources/s per
// database against the target; exits 0 whatever the figures (it is a report), 1 only if a
// database could not be benchmarked.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { addDays, type PlainDate } from '../src/domain/calendar-date.ts';
import { findPumpModel } from '../src/domain/pump-device.ts';
import { DEFAULT_PUMP_RULES } from '../src/domain/pump-rules.ts';
import { pumpSchedule } from '../src/domain/refill-worklist.ts';
import { actorOf } from '../src/services/audit-service.ts';
import { todayIn } from '../src/services/clock.ts';
import { closedDaysBetween } from '../src/services/closed-days.ts';
import { addUser } from '../src/services/user-service.ts';
import type { Db, PatientsTable, PumpAppointmentsTable, PumpsTable } from '../src/storage/database.ts';
import type { DialectName } from '../test/support/databases.ts';
import { startTestApp } from '../test/support/test-app.ts';

const PUMPS = 100_000;
const BATCH = 1_000;
const MIN_RESOURCES = 100_000;
const TARGET_PER_SECOND = 10_000;

async function seedCaseload(db: Db, userId: string, today: PlainDate): Promise<void> {
  const at = new Date().toISOString();
  for (let start = 0; start < PUMPS; start += BATCH) {
    const patients: PatientsTable[] = [];
    const pumps: PumpsTable[] = [];
    const appointments: PumpAppointmentsTable[] = [];
    for (let i = start; i < start + BATCH; i += 1) {
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

async function benchDialect(dialect: DialectName): Promise<void> {
  const t = await startTestApp(dialect);
  try {
    const { db } = t.deps.database;
    const today = todayIn(t.clock, t.deps.config.timeZone);
    const user = await addUser({ db, clock: t.clock }, null, {
      username: 'benchnurse',
      displayName: 'Bench Nurse',
      role: 'nurse-specialist',
      password: 'a-long-bench-password-1',
    });
    const seedStart = performance.now();
    await seedCaseload(db, user.id, today);
    await (dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db);
    console.log(
      `${dialect}: ${PUMPS} patients and pumps written in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const fhir = t.deps.services.fhir;
    const expected = await fhir.countForExport();
    const byType = new Map<string, number>();
    let bytes = 0;
    const start = performance.now();
    for await (const resource of fhir.exportAll(actorOf(user, 'bench'))) {
      bytes += JSON.stringify(resource).length + 1;
      byType.set(resource.resourceType, (byType.get(resource.resourceType) ?? 0) + 1);
    }
    const seconds = (performance.now() - start) / 1000;
    const total = [...byType.values()].reduce((a, b) => a + b, 0);
    const perSecond = total / seconds;
    console.log(
      `${dialect}: ${total} resources (${[...byType].map(([k, v]) => `${k} ${v}`).join(', ')}), ${(bytes / 1e6).toFixed(0)} MB of NDJSON, in ${seconds.toFixed(2)} s`,
    );
    if (total !== expected) {
      console.log(`${dialect}: countForExport said ${expected}, the export gave ${total}`);
    }
    if (total < MIN_RESOURCES) {
      console.log(`${dialect}: fewer than ${MIN_RESOURCES} resources: the figure below is not the target's`);
    }
    console.log(
      `${dialect}: bulk export ${perSecond.toFixed(0)} resources/s (target >= ${TARGET_PER_SECOND}): ${perSecond >= TARGET_PER_SECOND && total >= MIN_RESOURCES ? 'OK' : 'MISSED'}`,
    );
  } finally {
    await t.close();
  }
}

let failed = false;
for (const dialect of ['sqlite', 'postgres'] as const) {
  try {
    await benchDialect(dialect);
  } catch (err) {
    failed = true;
    console.error(
      `${dialect}: could not be benchmarked: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
process.exit(failed ? 1 : 0);
