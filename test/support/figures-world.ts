import { randomUUID } from 'node:crypto';
import { addDays, type PlainDate } from '../../src/domain/calendar-date.ts';
import type { Insertable, InsertObject } from 'kysely';
import type { Database, Db } from '../../src/storage/database.ts';
import { refreshAllFigureFacts } from '../../src/storage/figures/figure-facts.repository.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * A seeded history of the service written straight into the tables (no services, so a big one
 * is quick): referrals with their triage decisions and first appointments, selection and MDT
 * decisions, test-dose episodes and boluses, pumps with their revisions, replacements and
 * explants. The same seed gives the same facts. The facts are returned as plain objects too, so
 * a test can work out every figure again in plain TypeScript and compare.
 */

export interface WorldSize {
  readonly referrals: number;
  readonly pumps: number;
  /** Selection assessments, each with a clinician decision and sometimes an MDT one. */
  readonly assessments: number;
  readonly episodes: number;
  /** The first and last days any fact may fall on. */
  readonly from: PlainDate;
  readonly to: PlainDate;
  readonly seed: number;
}

export interface ReferralFact {
  readonly id: string;
  readonly patientId: string;
  readonly source: 'e-rs' | 'email';
  readonly receivedOn: PlainDate;
  readonly state: 'awaiting-triage' | 'accepted' | 'not-accepted' | 'redirected';
  readonly priority: 'routine' | 'urgent' | null;
  readonly acceptedOn: PlainDate | null;
  /** Decision dates, oldest first (a changed decision has two). */
  readonly decisions: readonly { readonly outcome: string; readonly decidedOn: PlainDate }[];
  readonly appointments: readonly {
    readonly date: PlainDate;
    readonly state: 'booked' | 'attended' | 'cancelled';
  }[];
}

export interface DecisionFact {
  readonly kind: 'clinician' | 'mdt';
  readonly decision: string;
  /** ISO instant. */
  readonly decidedAt: string;
  readonly meetingOn: PlainDate | null;
}

export interface EpisodeFact {
  readonly state: 'open' | 'positive' | 'not-for-implant' | 'abandoned';
  readonly closedOn: PlainDate | null;
  readonly boluses: readonly { readonly givenAt: string; readonly result: 'positive' | 'negative' | null }[];
}

export interface PumpFact {
  readonly id: string;
  readonly patientId: string;
  readonly implantedOn: PlainDate;
  readonly replacesPumpId: string | null;
  readonly state: 'implanted' | 'explanted' | 'replaced';
  readonly endedOn: PlainDate | null;
  readonly events: readonly {
    readonly kind: 'revision' | 'catheter-revision' | 'eri';
    readonly occurredOn: PlainDate;
  }[];
}

export interface FiguresWorld {
  readonly userId: string;
  readonly referrals: readonly ReferralFact[];
  readonly decisions: readonly DecisionFact[];
  readonly episodes: readonly EpisodeFact[];
  readonly pumps: readonly PumpFact[];
}

/** Rows inserted per statement: well under both databases' limits on bound parameters. */
const BATCH = 200;

export async function insertBatched<T extends keyof Database>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH) as InsertObject<Database, T>[];
    if (batch.length > 0) {
      await db.insertInto(table).values(batch).execute();
    }
  }
}

const NOW = '2026-01-01T00:00:00.000Z';

export function buildFiguresFacts(size: WorldSize): FiguresWorld {
  const random = mulberry32(size.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const span = Math.round((Date.parse(size.to) - Date.parse(size.from)) / 86_400_000);
  const day = () => addDays(size.from, int(0, span));
  const clip = (d: PlainDate): PlainDate | null => (d > size.to ? null : d);
  const instant = (d: PlainDate) =>
    `${d}T${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:00.000Z`;
  const userId = randomUUID();

  const referrals: ReferralFact[] = [];
  for (let i = 0; i < size.referrals; i += 1) {
    const receivedOn = day();
    const firstOn = clip(addDays(receivedOn, int(0, 40)));
    const state =
      firstOn === null
        ? 'awaiting-triage'
        : pick(['accepted', 'accepted', 'accepted', 'not-accepted', 'redirected'] as const);
    const decisions: { outcome: string; decidedOn: PlainDate }[] = [];
    if (firstOn !== null) {
      // One in six decisions was changed: first another outcome, then the one that stands.
      const changedOn = random() < 1 / 6 ? clip(addDays(firstOn, int(1, 20))) : null;
      if (changedOn !== null) {
        decisions.push({ outcome: state === 'accepted' ? 'not-accepted' : 'accepted', decidedOn: firstOn });
        decisions.push({ outcome: state, decidedOn: changedOn });
      } else {
        decisions.push({ outcome: state, decidedOn: firstOn });
      }
    }
    const acceptedOn = state === 'accepted' ? (decisions.at(-1)?.decidedOn ?? null) : null;
    const appointments: { date: PlainDate; state: 'booked' | 'attended' | 'cancelled' }[] = [];
    if (acceptedOn !== null) {
      for (let a = int(0, 2); a > 0; a -= 1) {
        const date = addDays(acceptedOn, int(1, 70));
        appointments.push({
          date,
          state: date > size.to ? 'booked' : pick(['attended', 'attended', 'cancelled', 'booked'] as const),
        });
      }
    }
    referrals.push({
      id: randomUUID(),
      patientId: randomUUID(),
      source: pick(['e-rs', 'email'] as const),
      receivedOn,
      state,
      priority: state === 'accepted' ? pick(['routine', 'routine', 'urgent'] as const) : null,
      acceptedOn,
      decisions,
      appointments,
    });
  }

  const decisions: DecisionFact[] = [];
  for (let i = 0; i < size.assessments; i += 1) {
    const on = day();
    decisions.push({
      kind: 'clinician',
      decision: pick(['proceed-to-test-dose', 'not-suitable', 'defer', 'discuss-at-mdt']),
      decidedAt: instant(on),
      meetingOn: null,
    });
    if (random() < 0.4) {
      const meeting = clip(addDays(on, int(1, 30)));
      if (meeting !== null) {
        decisions.push({
          kind: 'mdt',
          decision: pick(['proceed-to-test-dose', 'not-suitable', 'defer']),
          decidedAt: instant(meeting),
          meetingOn: random() < 0.8 ? meeting : null,
        });
      }
    }
  }

  const episodes: EpisodeFact[] = [];
  for (let i = 0; i < size.episodes; i += 1) {
    const start = day();
    const boluses = Array.from({ length: int(1, 3) }, (_, b) => {
      const on = clip(addDays(start, b * 2)) ?? start;
      return {
        givenAt: instant(on),
        result: random() < 0.15 ? null : pick(['positive', 'negative'] as const),
      };
    });
    const closedOn = random() < 0.2 ? null : clip(addDays(start, int(1, 10)));
    episodes.push({
      state: closedOn === null ? 'open' : pick(['positive', 'not-for-implant', 'abandoned'] as const),
      closedOn,
      boluses,
    });
  }

  const pumps: PumpFact[] = [];
  for (let i = 0; i < size.pumps; i += 1) {
    const implantedOn = day();
    const events = Array.from({ length: int(0, 2) }, () => ({
      kind: pick(['revision', 'catheter-revision', 'eri'] as const),
      occurredOn: clip(addDays(implantedOn, int(1, 400))) ?? implantedOn,
    }));
    const endedOn = random() < 0.25 ? clip(addDays(implantedOn, int(30, 700))) : null;
    const ending = endedOn === null ? 'implanted' : pick(['explanted', 'replaced'] as const);
    const pump: PumpFact = {
      id: randomUUID(),
      patientId: randomUUID(),
      implantedOn,
      replacesPumpId: null,
      state: ending,
      endedOn,
      events,
    };
    pumps.push(pump);
    if (ending === 'replaced' && endedOn !== null) {
      pumps.push({
        id: randomUUID(),
        patientId: pump.patientId,
        implantedOn: endedOn,
        replacesPumpId: pump.id,
        state: 'implanted',
        endedOn: null,
        events: [],
      });
    }
  }
  return { userId, referrals, decisions, episodes, pumps };
}

const patientRow = (id: string, userId: string, n: number) => ({
  id,
  nhs_number: `9${String(n).padStart(9, '0')}`,
  given_name: 'Test',
  family_name: `Patient${n}`,
  date_of_birth: '1970-01-01',
  sex: 'unknown',
  created_at: NOW,
  created_by: userId,
  updated_at: NOW,
  updated_by: userId,
  version: 1,
});

/** Writes the facts into the tables, in batches. */
export async function insertFiguresWorld(db: Db, w: FiguresWorld): Promise<void> {
  const u = w.userId;
  await insertBatched(db, 'users', [
    {
      id: u,
      username: `figures-${u.slice(0, 8)}`,
      display_name: 'Figures',
      role: 'consultant',
      password_hash: 'x',
      must_change_password: 0,
      created_at: NOW,
      updated_at: NOW,
      version: 1,
    },
  ]);
  const patientIds = [
    ...new Set([...w.referrals.map((r) => r.patientId), ...w.pumps.map((p) => p.patientId)]),
  ];
  const base = Math.floor(Math.random() * 4e8);
  await insertBatched(
    db,
    'patients',
    patientIds.map((id, n) => patientRow(id, u, base + n)),
  );
  await insertBatched(
    db,
    'referrals',
    w.referrals.map((r) => ({
      id: r.id,
      patient_id: r.patientId,
      source: r.source,
      received_on: r.receivedOn,
      referrer_name: 'Dr Referrer',
      referrer_role: 'Consultant',
      referrer_organisation: 'Somewhere NHS Trust',
      reason: 'Spasticity',
      conditions: '[]',
      origin: 'spinal',
      aetiology: 'other',
      treatments_tried: '[]',
      state: r.state,
      priority: r.priority,
      accepted_on: r.acceptedOn,
      created_at: NOW,
      created_by: u,
      updated_at: NOW,
      updated_by: u,
      version: 1,
    })),
  );
  await insertBatched(
    db,
    'triage_decisions',
    w.referrals.flatMap((r) =>
      r.decisions.map((d) => ({
        id: randomUUID(),
        referral_id: r.id,
        outcome: d.outcome,
        decided_by: u,
        decided_at: `${d.decidedOn}T10:00:00.000Z`,
        decided_on: d.decidedOn,
      })),
    ),
  );
  await insertBatched(
    db,
    'appointments',
    w.referrals.flatMap((r) =>
      r.appointments.map((a) => ({
        id: randomUUID(),
        referral_id: r.id,
        appointment_date: a.date,
        appointment_time: '10:00',
        clinic: 'ITB clinic',
        clinician: 'Dr Clinician',
        state: a.state,
        created_at: NOW,
        created_by: u,
        version: 1,
      })),
    ),
  );
  await insertSelection(db, w);
  await insertPumps(db, w);
}

async function insertSelection(db: Db, w: FiguresWorld): Promise<void> {
  const u = w.userId;
  const protocolId = randomUUID();
  await insertBatched(db, 'selection_protocols', [
    {
      id: protocolId,
      code: `figures-${protocolId.slice(0, 8)}`,
      version: 1,
      title: 'Test',
      population: 'adult',
      definition: '{}',
      definition_hash: protocolId,
      created_at: NOW,
    },
  ]);
  const patientId = w.referrals[0]?.patientId ?? w.pumps[0]?.patientId ?? '';
  const assessmentId = randomUUID();
  await insertBatched(db, 'selection_assessments', [
    {
      id: assessmentId,
      patient_id: patientId,
      protocol_id: protocolId,
      answers: '{}',
      state: 'decided',
      created_at: NOW,
      created_by: u,
      updated_at: NOW,
      updated_by: u,
      version: 1,
    },
  ]);
  await insertBatched(
    db,
    'selection_decisions',
    w.decisions.map((d) => ({
      id: randomUUID(),
      assessment_id: assessmentId,
      kind: d.kind,
      decision: d.decision,
      suggestion: '{}',
      agrees: 1,
      meeting_on: d.meetingOn,
      decided_at: d.decidedAt,
      decided_by: u,
    })),
  );
  // One open episode per patient (a unique index): each episode has a patient of its own.
  const episodes = w.episodes.map((e) => ({ ...e, id: randomUUID(), patientId: randomUUID() }));
  const base = 500_000_000 + Math.floor(Math.random() * 1e8);
  await insertBatched(
    db,
    'patients',
    episodes.map((e, n) => patientRow(e.patientId, u, base + n)),
  );
  await insertBatched(
    db,
    'test_dose_episodes',
    episodes.map((e) => ({
      id: e.id,
      patient_id: e.patientId,
      state: e.state,
      goals: '[]',
      closed_on: e.closedOn,
      closed_at: e.closedOn === null ? null : `${e.closedOn}T12:00:00.000Z`,
      closed_by: e.closedOn === null ? null : u,
      created_at: NOW,
      created_by: u,
      updated_at: NOW,
      updated_by: u,
      version: 1,
    })),
  );
  await insertBatched(
    db,
    'test_dose_boluses',
    episodes.flatMap((e) =>
      e.boluses.map((b, i) => ({
        id: randomUUID(),
        episode_id: e.id,
        patient_id: e.patientId,
        sequence: i + 1,
        dose_mcg: 50,
        concentration_mcg_per_ml: 50,
        volume_ml: 1,
        route: 'lumbar-puncture',
        given_at: b.givenAt,
        given_by: u,
        recorded_at: b.givenAt,
        result: b.result,
      })),
    ),
  );
}

async function insertPumps(db: Db, w: FiguresWorld): Promise<void> {
  const u = w.userId;
  await insertBatched(
    db,
    'pumps',
    w.pumps.map((p, n) => ({
      id: p.id,
      patient_id: p.patientId,
      model_id: 'synchromed-ii',
      reservoir_ml: 20,
      serial_number: `FIG-${p.id}`,
      implanted_on: p.implantedOn,
      surgeon: 'Mr Surgeon',
      alarm_ml: 2,
      origin: n % 5 === 0 ? 'cerebral' : 'spinal',
      state: p.state,
      ended_on: p.endedOn,
      replaces_pump_id: p.replacesPumpId,
      reviews_held: 0,
      next_review_on: addDays(p.implantedOn, 14),
      replace_by: addDays(p.implantedOn, 2555),
      created_at: NOW,
      created_by: u,
      updated_at: NOW,
      updated_by: u,
      version: 1,
    })),
  );
  await insertBatched(
    db,
    'pump_events',
    w.pumps.flatMap((p) =>
      p.events.map((e) => ({
        id: randomUUID(),
        pump_id: p.id,
        kind: e.kind,
        occurred_on: e.occurredOn,
        recorded_at: NOW,
        recorded_by: u,
      })),
    ),
  );
  // Written past the repositories: the figures' derived facts worked out from the rows.
  await refreshAllFigureFacts(db);
}
