import type { RouteDeps } from '../compose.ts';
import { addDays } from '../domain/calendar-date.ts';
import type { MasGrade } from '../domain/outcome-measures.ts';
import { type SideEffect } from '../domain/test-dose-observation.ts';
import { instantFromLocal } from '../domain/test-dose-time.ts';
import type { Actor } from '../services/audit-service.ts';
import { todayIn } from '../services/clock.ts';
import type { Services } from '../services/registry/registry.ts';

/**
 * Demo test-dose episodes, one in each state, all through the services so every rule
 * holds: a positive response at 75 mcg after a negative 50 mcg (the page shows the starting
 * dose), one in progress (50 mcg given a few hours ago, negative, 75 mcg due tomorrow), one not
 * for implant (no response at 50, 75 or 100 mcg) and one abandoned for an infection. Bolus times
 * count back from now, at least 24 hours apart and never in the future; who recorded and
 * confirmed what, and when, is written by the services at seeding time (the audit trail is
 * never back-dated).
 *
 * Every episode passes the bedside gate as a real one must. These patients have no selection
 * assessment in the demo (the demo's assessments belong to other patients, in other states), so
 * each starts on an override the consultant records first, giving the reason, and the nurse
 * specialist, a second person, starts the episode with it.
 */

const PRE_CHECKS = {
  noInfection: true,
  infectionNote: null,
  anticoagulantsReviewed: true,
  anticoagulantNote: 'None taken',
  recentBotulinumToxin: false,
  botulinumToxinOn: null,
  botulinumToxinNote: null,
  oralAntispasmodicPlan: 'Continue oral baclofen at the usual dose during the screening',
  goals: 'Easier hygiene and dressing; sitting in the wheelchair for longer',
};

const OVERRIDE_REASON =
  'Selected for a test dose at the referring centre before transfer to this service (selection letter in the notes); reviewed and agreed in clinic';

/**
 * Starts an episode as the nurse on an override the consultant records for it: the gate's
 * second-consultant rule (the override's author never starts the episode it allows).
 */
async function startEpisode(
  svc: Services,
  people: { readonly nurse: Actor; readonly consultant: Actor },
  patientId: string,
  preChecks: Record<string, unknown>,
  firstGivenAt: string | null = null,
) {
  const override = await svc.testDoses.recordOverride(people.consultant, patientId, {
    reason: OVERRIDE_REASON,
  });
  // Recorded afterwards: the screening started an hour before the first bolus.
  const startedAt =
    firstGivenAt === null ? null : new Date(Date.parse(firstGivenAt) - 3_600_000).toISOString();
  return svc.testDoses.start(people.nurse, patientId, { ...preChecks, overrideId: override.id, startedAt });
}

/** Grades of hip adductors and knee extensors, left then right: the groups scored at every observation. */
type Grades = readonly [MasGrade, MasGrade, MasGrade, MasGrade];

interface DemoObservation {
  readonly hour: number;
  readonly grades: Grades;
  readonly sideEffects?: readonly SideEffect[];
  readonly note?: string;
}

/** The baseline a quarter of an hour before the bolus, each later observation on its hour. */
function observationInput(o: DemoObservation, givenAt: string) {
  const [hipLeft, hipRight, kneeLeft, kneeRight] = o.grades;
  const offsetMs = o.hour === 0 ? -15 * 60_000 : o.hour * 3_600_000;
  return {
    hour: o.hour,
    observedAt: new Date(Date.parse(givenAt) + offsetMs).toISOString(),
    mas: [
      { muscleGroup: 'hip-adductors', side: 'left', grade: hipLeft },
      { muscleGroup: 'hip-adductors', side: 'right', grade: hipRight },
      { muscleGroup: 'knee-extensors', side: 'left', grade: kneeLeft },
      { muscleGroup: 'knee-extensors', side: 'right', grade: kneeRight },
    ],
    pennFrequency: o.hour === 0 ? 3 : null,
    heartRateBpm: 72 + o.hour,
    systolicMmHg: 128 - o.hour * 2,
    diastolicMmHg: 80 - o.hour,
    respiratoryRatePerMin: 14,
    spo2Percent: 97,
    sideEffects: o.sideEffects ?? [],
    sideEffectNote: null,
    note: o.note ?? null,
  };
}

const BASELINE: DemoObservation = { hour: 0, grades: ['3', '3', '3', '3'] };

/** A drop well short of the 2 points a positive response needs (pump-rules testDose, [STROKE]). */
const NO_RESPONSE: readonly DemoObservation[] = [
  BASELINE,
  { hour: 2, grades: ['3', '2', '3', '3'] },
  { hour: 4, grades: ['2', '2', '3', '2'] },
];

/**
 * A 2-point fall in the mean at 4 hours that has gone by 6 hours, with no side effect: effect 4
 * hours and no adverse reaction, so twice the dose [LABEL-SKY].
 */
const RESPONSE: readonly DemoObservation[] = [
  BASELINE,
  { hour: 2, grades: ['2', '1+', '2', '2'], note: 'Legs looser on transfer' },
  {
    hour: 4,
    grades: ['1', '1', '1', '1'],
    note: 'Hoisted and sat out easily; hygiene care much easier',
  },
  { hour: 6, grades: ['1+', '1+', '1', '1+'] },
  { hour: 8, grades: ['2', '2', '2', '3'] },
];

interface DemoBolus {
  readonly doseMcg: number;
  readonly givenAt: string;
  readonly observations: readonly DemoObservation[];
  readonly result: 'positive' | 'negative';
}

/** The UTC instant of a local wall time `daysAgo` days before today in the service's time zone. */
function localInstant(deps: RouteDeps, daysAgo: number, time: string): string {
  const today = todayIn(deps.clock, deps.config.timeZone);
  const r = instantFromLocal('givenAt', 'Time given', addDays(today, -daysAgo), time, deps.config.timeZone);
  if ('error' in r) {
    throw new Error(`demo test dose: ${r.error.message}`);
  }
  return r.instant;
}

/**
 * Gives the boluses in order, each with its observations and result. Boluses on consecutive
 * days are an hour later each day, so the 24 hours hold even across a clock change.
 */
async function runBoluses(
  svc: Services,
  people: { readonly giver: Actor; readonly physio: Actor; readonly consultant: Actor },
  episodeId: string,
  boluses: readonly DemoBolus[],
): Promise<void> {
  const seen = new Set<SideEffect>();
  for (const b of boluses) {
    const detail = await svc.testDoses.recordBolus(people.giver, episodeId, {
      doseMcg: b.doseMcg,
      concentrationMcgPerMl: null,
      concentrationReason: null,
      route: 'lumbar-puncture',
      givenAt: b.givenAt,
      checkedBy: 'Second checker on the ward (demo)',
      offLadderReason: null,
      note: null,
    });
    const bolus = detail.boluses.at(-1);
    if (!bolus) {
      throw new Error('demo test dose: the bolus was not recorded');
    }
    for (const o of b.observations) {
      await svc.testDoses.recordObservation(
        people.physio,
        episodeId,
        bolus.id,
        observationInput(o, b.givenAt),
      );
    }
    // "No adverse reactions" cannot be recorded over a side effect observed in the episode.
    for (const o of b.observations) {
      o.sideEffects?.forEach((e) => seen.add(e));
    }
    await svc.testDoses.confirmResult(people.consultant, episodeId, bolus.id, {
      result: b.result,
      reason: null,
      effectHours: null,
      adverseReactions: seen.size > 0,
      adverseNote: seen.size > 0 ? 'Side effects as observed; settled without treatment' : null,
      note:
        b.result === 'positive'
          ? 'Clear benefit for care and sitting; patient and family keen to proceed to implant'
          : null,
    });
  }
}

/**
 * Seeds the test doses on the first four of `patientIds`, in this order: positive, in progress,
 * not for implant, abandoned. Fewer ids seed fewer episodes.
 */
export async function seedDemoTestDoses(
  deps: RouteDeps,
  people: { readonly nurse: Actor; readonly consultant: Actor; readonly physio: Actor },
  patientIds: readonly string[],
): Promise<void> {
  const svc = deps.services;
  const { nurse, consultant, physio } = people;
  const [positiveId, openId, notForImplantId, abandonedId] = patientIds;

  if (positiveId !== undefined) {
    const e = await startEpisode(svc, people, positiveId, PRE_CHECKS, localInstant(deps, 9, '09:30'));
    await runBoluses(svc, { giver: consultant, physio, consultant }, e.episode.id, [
      {
        doseMcg: 50,
        givenAt: localInstant(deps, 9, '09:30'),
        observations: NO_RESPONSE,
        result: 'negative',
      },
      { doseMcg: 75, givenAt: localInstant(deps, 8, '10:30'), observations: RESPONSE, result: 'positive' },
    ]);
  }

  if (openId !== undefined) {
    // Five hours ago, to the five minutes, so the 4-hour observation is already due; the
    // 75 mcg bolus may follow 24 hours after it, tomorrow.
    const fiveMinutes = 5 * 60_000;
    const givenAt = new Date(
      Math.floor((deps.clock.now().getTime() - 5 * 3_600_000) / fiveMinutes) * fiveMinutes,
    ).toISOString();
    const e = await startEpisode(
      svc,
      people,
      openId,
      {
        ...PRE_CHECKS,
        recentBotulinumToxin: true,
        botulinumToxinOn: addDays(todayIn(deps.clock, deps.config.timeZone), -70),
        botulinumToxinNote: 'Botulinum toxin to both gastrocnemius muscles; its effect has worn off',
      },
      givenAt,
    );
    await runBoluses(svc, { giver: nurse, physio, consultant }, e.episode.id, [
      { doseMcg: 50, givenAt, observations: NO_RESPONSE, result: 'negative' },
    ]);
  }

  if (notForImplantId !== undefined) {
    const e = await startEpisode(
      svc,
      people,
      notForImplantId,
      {
        ...PRE_CHECKS,
        anticoagulantNote: 'Apixaban held for 48 hours before each lumbar puncture (haematology advice)',
      },
      localInstant(deps, 20, '09:00'),
    );
    await runBoluses(svc, { giver: consultant, physio, consultant }, e.episode.id, [
      {
        doseMcg: 50,
        givenAt: localInstant(deps, 20, '09:00'),
        observations: NO_RESPONSE,
        result: 'negative',
      },
      {
        doseMcg: 75,
        givenAt: localInstant(deps, 19, '10:00'),
        observations: NO_RESPONSE,
        result: 'negative',
      },
      {
        doseMcg: 100,
        givenAt: localInstant(deps, 18, '11:00'),
        observations: NO_RESPONSE,
        result: 'negative',
      },
    ]);
  }

  if (abandonedId !== undefined) {
    const e = await startEpisode(svc, people, abandonedId, {
      ...PRE_CHECKS,
      noInfection: false,
      infectionNote: 'Urinary tract infection, on antibiotics from the GP',
    });
    await svc.testDoses.abandon(nurse, e.episode.id, {
      reason: 'Admitted with urosepsis; to be rebooked once recovered and the infection has cleared',
    });
  }
}
