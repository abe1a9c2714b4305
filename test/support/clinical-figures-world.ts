import { addDays, type PlainDate } from '../../src/domain/calendar-date.ts';
import type {
  ComplicationsTable,
  Db,
  EmergencyEventsTable,
  PatientsTable,
  PrescriptionsTable,
  PumpPausesTable,
  PumpsTable,
  RefillsTable,
} from '../../src/storage/database.ts';
import { refreshAllFigureFacts } from '../../src/storage/figures/figure-facts.repository.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * A deterministic caseload for the clinical figures, written straight into the tables (the
 * figures only read them): pumps implanted over two and a half years, some ended (one explanted
 * in the middle of the figures' period and replaced), refills with and without flags, some
 * voided, some unsigned, signed anywhere from an hour to two days after recording (one exactly
 * 24 hours), pauses, prescriptions in every state, complications and emergency events of every
 * kind, some before a pump was implanted (not counted), and one emergency at 23:30 UTC on
 * 30 June 2026, which is 1 July in London. The same facts are returned so the tests can work
 * every figure out again in plain TypeScript.
 */

export interface ClinicalWorld {
  readonly pumps: readonly PumpsTable[];
  readonly refills: readonly RefillsTable[];
  readonly prescriptions: readonly PrescriptionsTable[];
  readonly pauses: readonly PumpPausesTable[];
  readonly complications: readonly ComplicationsTable[];
  readonly emergencies: readonly EmergencyEventsTable[];
}

const AT = '2026-01-01T00:00:00.000Z';
const REGISTER_KINDS = [
  'infection-wound',
  'infection-pocket',
  'meningitis',
  'csf-leak',
  'catheter-kink',
  'catheter-occlusion',
  'pocket-fill',
  'overdose',
  'withdrawal',
];
const EVENT_KINDS = ['overdose', 'withdrawal', 'critical-alarm', 'pump-stall'];

export function patientRow(id: string, i: number, userId: string): PatientsTable {
  return {
    id,
    nhs_number: String(9_100_000_000 + i),
    hospital_number: null,
    given_name: `Given${String(i)}`,
    family_name: `Family${String(i)}`,
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
    created_at: AT,
    created_by: userId,
    updated_at: AT,
    updated_by: userId,
    version: 1,
  };
}

export function pumpRow(
  p: Pick<
    PumpsTable,
    'id' | 'patient_id' | 'implanted_on' | 'origin' | 'state' | 'ended_on' | 'next_review_on'
  >,
  userId: string,
): PumpsTable {
  return {
    ...p,
    model_id: 'synchromed-ii',
    reservoir_ml: 20,
    serial_number: `FIG-${p.id}`,
    surgeon: 'Ms Surgeon',
    alarm_ml: 2,
    catheter_model: null,
    catheter_tip_level: null,
    eri_on: null,
    replaces_pump_id: null,
    last_refill_id: null,
    alarm_on: null,
    refill_due_by: null,
    reviews_held: 3,
    refill_due_on: null,
    replace_by: '2032-01-01',
    refill_booked_on: null,
    created_at: AT,
    created_by: userId,
    updated_at: AT,
    updated_by: userId,
    version: 1,
  };
}

const iso = (day: string, hourMs: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + hourMs).toISOString();
const HOUR = 3_600_000;

/** Builds the facts from a seed; `today` is the day the "today" figures are counted on. */
export function clinicalWorldFacts(
  userId: string,
  seed = 17,
): ClinicalWorld & { readonly patients: PatientsTable[] } {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const patients: PatientsTable[] = [];
  const pumps: PumpsTable[] = [];
  const refills: RefillsTable[] = [];
  const prescriptions: PrescriptionsTable[] = [];
  const pauses: PumpPausesTable[] = [];
  const complications: ComplicationsTable[] = [];
  const emergencies: EmergencyEventsTable[] = [];
  for (let i = 0; i < 14; i += 1) {
    const patientId = `pat-${String(i)}`;
    patients.push(patientRow(patientId, i, userId));
    const implantedOn = addDays('2024-06-01' as PlainDate, int(0, 640));
    // Patient 0's pump is explanted mid-period and replaced; patient 1's ended before it.
    const ended: { state: string; on: PlainDate | null } =
      i === 0
        ? { state: 'replaced', on: '2026-03-10' as PlainDate }
        : i === 1
          ? { state: 'explanted', on: '2025-11-20' as PlainDate }
          : i === 2
            ? { state: 'deceased', on: '2026-05-31' as PlainDate }
            : { state: 'implanted', on: null };
    const starts = [
      { id: `pump-${String(i)}`, on: i === 0 ? ('2024-09-15' as PlainDate) : implantedOn, ended },
    ];
    if (i === 0) {
      starts.push({ id: 'pump-0b', on: '2026-03-10' as PlainDate, ended: { state: 'implanted', on: null } });
    }
    for (const s of starts) {
      pumps.push(
        pumpRow(
          {
            id: s.id,
            patient_id: patientId,
            implanted_on: s.on,
            origin: i % 3 === 0 ? 'cerebral' : 'spinal',
            state: s.ended.state,
            ended_on: s.ended.on,
            next_review_on: addDays('2026-07-15' as PlainDate, int(-20, 20)),
          },
          userId,
        ),
      );
      // Prescriptions: one to three confirmed, and a pending and a rejected one that never count.
      const confirmed = int(1, 3);
      const scripts: PrescriptionsTable[] = [];
      for (let k = 0; k < confirmed + 2; k += 1) {
        const programmedOn = addDays(s.on, k * int(60, 200));
        const state =
          k < confirmed - 1
            ? 'superseded'
            : k === confirmed - 1
              ? 'active'
              : k === confirmed
                ? 'pending'
                : 'rejected';
        scripts.push(
          prescriptionRow(`${s.id}-rx${String(k)}`, s.id, patientId, userId, {
            dose: int(40, 900) + (k === 1 ? 0.5 : 0),
            state,
            programmedOn: state === 'pending' || state === 'rejected' ? null : programmedOn,
            decidedAt: iso(programmedOn, 9 * HOUR),
          }),
        );
      }
      prescriptions.push(...scripts);
      // Refills every 20 to 60 days from a week after the implant to the end of the pump or today.
      let on = addDays(s.on, 7);
      let k = 0;
      const last = s.ended.on ?? ('2026-07-15' as PlainDate);
      while (on < last) {
        const recordedAt = iso(on, int(8, 16) * HOUR);
        const delayHours = k % 11 === 3 ? 24 : int(1, 48);
        const state = k % 13 === 5 ? 'voided' : 'signed';
        const flags: string[] = [];
        if (random() < 0.15) {
          flags.push('AFTER_ALARM');
        }
        if (random() < 0.2) {
          flags.push('RESIDUAL_DISCREPANCY');
        }
        if (random() < 0.1) {
          flags.push('EXPECTED_RESIDUAL_MISMATCH');
        }
        const dueBy = addDays(on, int(20, 55));
        refills.push(
          refillRow(`${s.id}-r${String(k)}`, s.id, patientId, `${s.id}-rx0`, userId, {
            on,
            dueBy,
            alarmOn: addDays(dueBy, 7),
            state,
            flags,
            recordedAt,
            signedAt:
              state === 'signed' ? new Date(Date.parse(recordedAt) + delayHours * HOUR).toISOString() : null,
          }),
        );
        on = addDays(on, int(20, 60));
        k += 1;
      }
      // A running pump's latest refill may still wait for its check (one unsigned refill a pump).
      const latest = refills.at(-1);
      if (s.ended.on === null && latest?.pump_id === s.id && latest.state === 'signed' && random() < 0.6) {
        refills[refills.length - 1] = { ...latest, state: 'recorded', signed_at: null, checked_by: null };
      }
    }
    if (i % 4 === 1) {
      const pumpId = `pump-${String(i)}`;
      const pausedOn = addDays('2026-01-05' as PlainDate, int(0, 120));
      pauses.push(pauseRow(`pause-${String(i)}`, pumpId, patientId, userId, pausedOn, i % 8 === 1));
    }
    // Complications and emergencies: a few each, from before the pump to the end of the period.
    for (let k = 0; k < 5; k += 1) {
      const onset = addDays('2024-05-01' as PlainDate, int(0, 800));
      const kind = REGISTER_KINDS[int(0, REGISTER_KINDS.length - 1)] as string;
      complications.push(
        complicationRow(
          `cx-${String(i)}-${String(k)}`,
          patientId,
          userId,
          kind,
          onset,
          k === 2 ? `em-${String(i)}-0` : null,
        ),
      );
    }
    for (let k = 0; k < 3; k += 1) {
      const onsetAt = iso(addDays('2025-10-01' as PlainDate, int(0, 300)), int(0, 23) * HOUR + 30 * 60_000);
      const kind = EVENT_KINDS[int(0, EVENT_KINDS.length - 1)] as string;
      emergencies.push(
        emergencyRow(
          `em-${String(i)}-${String(k)}`,
          patientId,
          userId,
          kind,
          onsetAt,
          k === 0 && i % 2 === 0 ? 'open' : 'closed',
        ),
      );
    }
  }
  // Edge of the day: 23:30 UTC on 30 June is 00:30 on 1 July in London (BST), and the reverse.
  emergencies.push(
    emergencyRow('em-late', 'pat-3', userId, 'withdrawal', '2026-06-30T23:30:00.000Z', 'closed'),
  );
  emergencies.push(
    emergencyRow('em-early', 'pat-3', userId, 'overdose', '2025-12-31T23:30:00.000Z', 'closed'),
  );
  return { patients, pumps, refills, prescriptions, pauses, complications, emergencies };
}

export function prescriptionRow(
  id: string,
  pumpId: string,
  patientId: string,
  userId: string,
  x: { dose: number; state: string; programmedOn: string | null; decidedAt: string },
): PrescriptionsTable {
  return {
    id,
    pump_id: pumpId,
    patient_id: patientId,
    previous_id: null,
    drug: 'baclofen',
    concentration_mcg_per_ml: 500,
    programme: JSON.stringify({ mode: 'simple', doseMcgPerDay: x.dose }),
    dose_mcg_per_day: x.dose,
    planning_dose_mcg_per_day: x.dose,
    phase: 'maintenance',
    compared_dose_mcg_per_day: null,
    change_percent: null,
    limit_percent: null,
    within_limit: null,
    reason: null,
    state: x.state,
    refill_id: null,
    proposed_at: x.decidedAt,
    proposed_by: userId,
    decided_at: x.state === 'pending' ? null : x.decidedAt,
    decided_by: x.state === 'pending' ? null : userId,
    decision_note: null,
    version: 1,
    programmed_on: x.programmedOn,
    warnings: '[]',
    limit_phase: null,
  };
}

export function refillRow(
  id: string,
  pumpId: string,
  patientId: string,
  prescriptionId: string,
  userId: string,
  x: {
    on: string;
    dueBy: string;
    alarmOn: string;
    state: string;
    flags: readonly string[];
    recordedAt: string;
    signedAt: string | null;
  },
): RefillsTable {
  return {
    id,
    pump_id: pumpId,
    patient_id: patientId,
    performed_on: x.on,
    expected_residual_ml: 5,
    withdrawn_ml: 5,
    discrepancy_ml: 0,
    discrepancy_percent: 0,
    threshold_ml: 2,
    flagged: x.flags.length > 0 ? 1 : 0,
    review_note: null,
    reviewed_at: null,
    reviewed_by: null,
    drug: 'baclofen',
    concentration_mcg_per_ml: 500,
    batch: 'B1',
    expires_on: '2030-01-01',
    instilled_ml: 20,
    prescription_id: prescriptionId,
    alarm_ml: 2,
    daily_volume_ml: 0.4,
    alarm_on: x.alarmOn,
    due_by: x.dueBy,
    limited_by: 'alarm',
    complications: '[]',
    complication_note: null,
    patient_note: null,
    patient_summary: null,
    state: x.state,
    recorded_at: x.recordedAt,
    performed_by: userId,
    signed_at: x.signedAt,
    checked_by: x.signedAt === null ? null : userId,
    version: 1,
    flags: JSON.stringify(x.flags.map((code) => ({ code, message: `Flag ${code}` }))),
    ran_dry_on: null,
    software_expected_ml: null,
    software_expected_with_boluses_ml: null,
    withdrawal_signs_checked: null,
    withdrawal_signs_found: null,
    voided_at: x.state === 'voided' ? x.recordedAt : null,
    voided_by: x.state === 'voided' ? userId : null,
    void_reason: x.state === 'voided' ? 'Wrong pump' : null,
  };
}

export function pauseRow(
  id: string,
  pumpId: string,
  patientId: string,
  userId: string,
  on: PlainDate,
  emptied: boolean,
): PumpPausesTable {
  return {
    id,
    pump_id: pumpId,
    patient_id: patientId,
    reason: 'mri',
    note: null,
    emptied: emptied ? 1 : 0,
    paused_on: on,
    resume_by: addDays(on, 2),
    recorded_at: AT,
    recorded_by: userId,
    resumed_on: addDays(on, 1),
    resume_note: null,
    resumed_at: AT,
    resumed_by: userId,
  };
}

export function complicationRow(
  id: string,
  patientId: string,
  userId: string,
  kind: string,
  onset: string,
  eventId: string | null,
): ComplicationsTable {
  return {
    id,
    patient_id: patientId,
    kind,
    onset_on: onset,
    resolved_on: null,
    pump_id: null,
    device: null,
    catheter_model: kind.startsWith('catheter') ? 'Ascenda' : null,
    catheter_tip_level: null,
    organism: null,
    details: null,
    actions: null,
    outcome: 'ongoing',
    emergency_event_id: eventId,
    recorded_at: AT,
    recorded_by: userId,
    updated_at: AT,
    updated_by: userId,
    version: 1,
  };
}

export function emergencyRow(
  id: string,
  patientId: string,
  userId: string,
  kind: string,
  onsetAt: string,
  state: string,
): EmergencyEventsTable {
  return {
    id,
    patient_id: patientId,
    pump_id: null,
    kind,
    onset_at: onsetAt,
    signs: '[]',
    signs_note: null,
    actions_taken: 'Advice given',
    advice_call_id: null,
    state,
    recorded_at: onsetAt,
    recorded_by: userId,
    closed_at: state === 'closed' ? onsetAt : null,
    closed_by: state === 'closed' ? userId : null,
    outcome: null,
    outcome_note: null,
  };
}

/** Writes the facts (in an order the foreign keys accept). */
export async function writeClinicalWorld(
  db: Db,
  world: ReturnType<typeof clinicalWorldFacts>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('patients').values(world.patients).execute();
    await trx
      .insertInto('pumps')
      .values([...world.pumps])
      .execute();
    await trx
      .insertInto('prescriptions')
      .values([...world.prescriptions])
      .execute();
    await trx
      .insertInto('refills')
      .values([...world.refills])
      .execute();
    await trx
      .insertInto('pump_pauses')
      .values([...world.pauses])
      .execute();
    await trx
      .insertInto('emergency_events')
      .values([...world.emergencies])
      .execute();
    await trx
      .insertInto('complications')
      .values([...world.complications])
      .execute();
    // Written past the repositories: the figures' derived facts worked out from the rows.
    await refreshAllFigureFacts(trx);
  });
}
