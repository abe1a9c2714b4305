// The clinical figures' share of the figures benchmark's data: a 5-year history of 10,000 pumps
// with 200,000 refills (and their prescriptions, pauses, complications and emergency events),
// written in bulk with the same row builders as the figures' tests. bench/figures.bench.ts calls
// seedClinicalFigures once per database before timing every figure.
import { sql } from 'kysely';
import type { Trx } from '../src/storage/database.ts';
import { addDays, type PlainDate } from '../src/domain/calendar-date.ts';
import type {
  ComplicationsTable,
  Db,
  EmergencyEventsTable,
  PatientsTable,
  PrescriptionsTable,
  PumpPausesTable,
  PumpsTable,
  RefillsTable,
} from '../src/storage/database.ts';
import {
  complicationRow,
  emergencyRow,
  patientRow,
  pauseRow,
  prescriptionRow,
  pumpRow,
  refillRow,
} from '../test/support/clinical-figures-world.ts';
import { refreshAllFigureFacts } from '../src/storage/figures/figure-facts.repository.ts';
import { mulberry32 } from '../test/support/seeded-random.ts';

export const CLINICAL_BENCH_SIZE = { pumps: 10_000 } as const;

const BATCH = 400;
const REGISTER_KINDS = [
  'infection-wound',
  'catheter-kink',
  'csf-leak',
  'overdose',
  'withdrawal',
  'pocket-fill',
];
const EVENT_KINDS = ['overdose', 'withdrawal', 'critical-alarm'];

async function insertAll(db: Db | Trx, table: string, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    // The rows are built by the typed builders above; the table name is one of ours.
    await db
      .insertInto(table as 'refills')
      .values(rows.slice(i, i + BATCH) as never)
      .execute();
  }
}

/**
 * Pumps implanted over the five years before `today` (a tenth ended), each refilled every 40 to
 * 50 days until today or its end (about 200,000 refills in all), one refill in 40 voided, a fifth flagged; a dose change a pump; a pause
 * in one pump in ten; 3,000 complications and 2,000 emergency events. Analyses the tables after.
 */
export async function seedClinicalFigures(
  db: Db,
  userId: string,
  today: PlainDate,
): Promise<{ refills: number }> {
  const random = mulberry32(2026);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  let refillCount = 0;
  for (let start = 0; start < CLINICAL_BENCH_SIZE.pumps; start += 1000) {
    const patients: PatientsTable[] = [];
    const pumps: PumpsTable[] = [];
    const scripts: PrescriptionsTable[] = [];
    const refills: RefillsTable[] = [];
    const pauses: PumpPausesTable[] = [];
    const complications: ComplicationsTable[] = [];
    const emergencies: EmergencyEventsTable[] = [];
    for (let i = start; i < start + 1000; i += 1) {
      const patientId = `bp-${String(i)}`;
      const pumpId = `bpump-${String(i)}`;
      const implantedOn = addDays(today, -int(30, 1826));
      const endedOn = i % 10 === 0 ? addDays(implantedOn, int(10, 1000)) : null;
      const ended = endedOn !== null && endedOn < today ? endedOn : null;
      patients.push({ ...patientRow(patientId, 100_000 + i, userId), nhs_number: String(9_200_000_000 + i) });
      pumps.push(
        pumpRow(
          {
            id: pumpId,
            patient_id: patientId,
            implanted_on: implantedOn,
            origin: i % 3 === 0 ? 'cerebral' : 'spinal',
            state: ended === null ? 'implanted' : 'explanted',
            ended_on: ended,
            next_review_on: addDays(today, int(-30, 90)),
          },
          userId,
        ),
      );
      const at = `${implantedOn}T09:00:00.000Z`;
      scripts.push(
        prescriptionRow(`${pumpId}-rx0`, pumpId, patientId, userId, {
          dose: int(50, 800),
          state: 'superseded',
          programmedOn: implantedOn,
          decidedAt: at,
        }),
        prescriptionRow(`${pumpId}-rx1`, pumpId, patientId, userId, {
          dose: int(50, 900),
          state: 'active',
          programmedOn: addDays(implantedOn, int(20, 200)),
          decidedAt: at,
        }),
      );
      let on = addDays(implantedOn, 1);
      // Every 40 to 50 days from the day after the implant until today or the pump's end: about
      // 20 refills a pump on average (implants spread evenly over the five years).
      const stop = ended ?? today;
      for (let k = 0; on < stop; k += 1) {
        const recordedAt = `${on}T10:00:00.000Z`;
        const flags = random() < 0.2 ? ['RESIDUAL_DISCREPANCY'] : random() < 0.02 ? ['AFTER_ALARM'] : [];
        const dueBy = addDays(on, int(35, 55));
        refills.push(
          refillRow(`${pumpId}-r${String(k)}`, pumpId, patientId, `${pumpId}-rx0`, userId, {
            on,
            dueBy,
            alarmOn: addDays(dueBy, 7),
            state: k % 40 === 39 ? 'voided' : 'signed',
            flags,
            recordedAt,
            signedAt: new Date(Date.parse(recordedAt) + int(1, 40) * 3_600_000).toISOString(),
          }),
        );
        refillCount += 1;
        on = addDays(on, int(40, 50));
      }
      if (i % 10 === 5) {
        pauses.push(
          pauseRow(`${pumpId}-pause`, pumpId, patientId, userId, addDays(implantedOn, int(60, 400)), false),
        );
      }
      if (i % 10 < 3) {
        complications.push(
          complicationRow(
            `${pumpId}-cx`,
            patientId,
            userId,
            REGISTER_KINDS[i % REGISTER_KINDS.length] as string,
            addDays(implantedOn, int(1, 700)),
            null,
          ),
        );
      }
      if (i % 5 === 0) {
        emergencies.push(
          emergencyRow(
            `${pumpId}-em`,
            patientId,
            userId,
            EVENT_KINDS[i % EVENT_KINDS.length] as string,
            `${addDays(implantedOn, int(1, 700))}T12:00:00.000Z`,
            i % 50 === 0 ? 'open' : 'closed',
          ),
        );
      }
    }
    await db.transaction().execute(async (trx) => {
      await insertAll(trx, 'patients', patients);
      await insertAll(trx, 'pumps', pumps);
      await insertAll(trx, 'prescriptions', scripts);
      await insertAll(trx, 'refills', refills);
      await insertAll(trx, 'pump_pauses', pauses);
      await insertAll(trx, 'complications', complications);
      await insertAll(trx, 'emergency_events', emergencies);
    });
  }
  // Written past the repositories: the figures' derived facts worked out from the rows.
  await refreshAllFigureFacts(db);
  return { refills: refillCount };
}

/** A bulk load has no planner statistics until analysed (a live database keeps its own). */
export async function analyse(db: Db, postgres: boolean): Promise<void> {
  await (postgres ? sql`vacuum analyze` : sql`analyze`).execute(db);
}
