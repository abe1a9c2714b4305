import { addDays, type PlainDate } from '../../src/domain/calendar-date.ts';
import { DEFAULT_PUMP_RULES } from '../../src/domain/pump-rules.ts';
import {
  refillPlanErrors,
  refillPlanWithChanges,
  type DeliverySegment,
  type RefillPlan,
} from '../../src/domain/refill-arithmetic.ts';
import {
  REFILL_STATUSES,
  refillStanding,
  type RefillStanding,
  type RefillStatus,
} from '../../src/domain/refill-worklist.ts';
import { ENGLAND_BANK_HOLIDAYS_2026_2031 } from './bank-holidays.ts';
import {
  nightDayProgramme,
  PhysicalPump,
  simpleProgramme,
  type PhysicalProgramme,
} from './reservoir-model.ts';

/**
 * The service side of the caseload simulation (refill-caseload-simulation.ts), built from the
 * domain's own functions only: a pump's plan from its signed fill through every change confirmed
 * since (from the day the pump was programmed), a pending change counted from the day it was
 * proposed and an unsigned refill until it is signed or rejected, whichever runs out sooner; and
 * the worklist standing (refillStanding), reused between the days it can change.
 */

export const rules = DEFAULT_PUMP_RULES;
export const HOLIDAYS = ENGLAND_BANK_HOLIDAYS_2026_2031;

export type ViolationKind =
  | 'calm-without-booking'
  | 'alarm-without-escalation'
  | 'pump-alarm-before-service-alarm'
  | 'pump-alarm-unflagged'
  | 'pause-forgotten'
  | 'stale-standing';

export const VIOLATION_KINDS: readonly ViolationKind[] = [
  'calm-without-booking',
  'alarm-without-escalation',
  'pump-alarm-before-service-alarm',
  'pump-alarm-unflagged',
  'pause-forgotten',
  'stale-standing',
];

/** Deliberate faults, each showing one of the checks can fail. */
export interface Faults {
  /** Put between refillStanding and the simulation: a worklist that shows pumps otherwise. */
  readonly standing?: (s: RefillStanding) => RefillStanding;
  /** Plan with the continuous dose only, as if no patient bolus were ever taken. */
  readonly planWithoutBoluses?: boolean;
  /** Plan from the fill's own programme only, ignoring changes between refills. */
  readonly planWithoutChanges?: boolean;
  /** Take a pump off the list as soon as anyone asks to end it, with no second clinician. */
  readonly endOnRequest?: boolean;
}

export interface Programme {
  readonly doseMcgPerDay: number;
  readonly concentrationMcgPerMl: number;
  /** Flex: twice the rate from 22:00 to 06:00 as from 06:00 to 22:00; false for simple continuous. */
  readonly flex: boolean;
  readonly bolus: { readonly doseMcg: number; readonly maxPerDay: number } | null;
}

/** The most the pump can give in a day, every bolus taken, in mL: what the service plans with. */
export function planningMlPerDay(p: Programme, faults: Faults): number {
  const bolus = p.bolus && !faults.planWithoutBoluses ? p.bolus.doseMcg * p.bolus.maxPerDay : 0;
  return (p.doseMcgPerDay + bolus) / p.concentrationMcgPerMl;
}

/** The programme as the pump runs it. Flex: 8 night hours at 2r and 16 day hours at r give 32r a day. */
export function physicalProgramme(p: Programme): PhysicalProgramme {
  return p.flex
    ? nightDayProgramme((2 * p.doseMcgPerDay) / 32, p.doseMcgPerDay / 32, p.concentrationMcgPerMl)
    : simpleProgramme(p.doseMcgPerDay, p.concentrationMcgPerMl);
}

export interface Fill {
  readonly filledOn: PlainDate;
  readonly fillMl: number;
  readonly alarmMl: number;
  /** The fill's own programme, then each confirmed change from the day it was programmed. */
  readonly segments: readonly DeliverySegment[];
}

export interface PendingChange {
  readonly programme: Programme;
  readonly proposedOn: PlainDate;
  /** The day it goes into the pump; null when the checker will reject it (never programmed). */
  readonly programmedOn: PlainDate | null;
  readonly decideOn: PlainDate;
}

export interface SimPump {
  readonly id: number;
  readonly reservoirMl: 20 | 40;
  readonly alarmMl: number;
  readonly physical: PhysicalPump;
  /** The programme in the pump. */
  programme: Programme;
  /** The last signed fill and the changes confirmed since; null while paused and after, until refilled. */
  signed: Fill | null;
  /** A refill recorded, awaiting its check: signed or rejected on `decideOn`. */
  unsigned: { readonly fill: Fill; readonly decideOn: PlainDate; readonly reject: boolean } | null;
  /** A rejected refill is recorded again, correctly, on this day. */
  rerecord: { readonly fill: Fill; readonly on: PlainDate } | null;
  pendingChange: PendingChange | null;
  /** Paused: the resume date the service knows; `resumeOn` the day it really resumes. */
  pausedUntil: PlainDate | null;
  resumeOn: PlainDate | null;
  /** An end request waiting for the second clinician; `real` when the pump really came out. */
  endRequest: { readonly decideOn: PlainDate; readonly real: boolean } | null;
  /** No longer on the service's list. */
  ended: boolean;
  bookedOn: PlainDate | null;
  /** The day the current booking was made: it counts only when made before the pump's alarm. */
  bookedAt: PlainDate | null;
  /** The last day the service's worklist showed the pump escalated. */
  lastEscalatedOn: PlainDate | null;
  /** A change due to go into the pump on a day (programmed before or when it is confirmed). */
  reprogramOn: { readonly on: PlainDate; readonly programme: Programme } | null;
  /** Every day from the service's due date on, escalated or seen (checked at its alarm date). */
  escalatedSinceDue: boolean;
  planCache: RefillPlan | null | undefined;
  cached: {
    readonly standing: RefillStanding;
    readonly plan: RefillPlan | null;
    readonly bookedOn: PlainDate | null;
    readonly pausedUntil: PlainDate | null;
    readonly recheckOn: PlainDate;
  } | null;
}

export interface Stats {
  days: number;
  standings: number;
  statusCounts: Record<RefillStatus, number>;
  refills: number;
  missed: number;
  lateBookings: number;
  rebookings: number;
  doseChangesAtRefill: number;
  concentrationChanges: number;
  changesBetweenRefills: number;
  changesProgrammedBeforeConfirmed: number;
  changesRejected: number;
  unsignedDays: number;
  refillsRejected: number;
  pauses: number;
  resumesLate: number;
  endRequests: number;
  endRequestsRejected: number;
  explanted: number;
  bolusesTaken: number;
  flexPumps: number;
  plans: number;
  stabilityLimitedPlans: number;
  pumpAlarms: number;
  spotChecks: number;
}

export function emptyStats(): Stats {
  return {
    days: 0,
    standings: 0,
    statusCounts: Object.fromEntries(REFILL_STATUSES.map((s) => [s, 0])) as Record<RefillStatus, number>,
    refills: 0,
    missed: 0,
    lateBookings: 0,
    rebookings: 0,
    doseChangesAtRefill: 0,
    concentrationChanges: 0,
    changesBetweenRefills: 0,
    changesProgrammedBeforeConfirmed: 0,
    changesRejected: 0,
    unsignedDays: 0,
    refillsRejected: 0,
    pauses: 0,
    resumesLate: 0,
    endRequests: 0,
    endRequestsRejected: 0,
    explanted: 0,
    bolusesTaken: 0,
    flexPumps: 0,
    plans: 0,
    stabilityLimitedPlans: 0,
    pumpAlarms: 0,
    spotChecks: 0,
  };
}

const earlier = (a: PlainDate, b: PlainDate): PlainDate => (a < b ? a : b);

/** The service's decisions for one pump, from the domain's functions. */
export class ServiceModel {
  readonly stats: Stats;
  readonly faults: Faults;
  private readonly spotRandom: () => number;
  private readonly onStale: (p: SimPump, today: PlainDate, reason: string) => void;

  constructor(
    stats: Stats,
    faults: Faults,
    spotRandom: () => number,
    onStale: (p: SimPump, today: PlainDate, reason: string) => void,
  ) {
    this.stats = stats;
    this.faults = faults;
    this.spotRandom = spotRandom;
    this.onStale = onStale;
  }

  /** A fill as the service records it; every plan it makes passes its own input checks. */
  fill(p: SimPump, filledOn: PlainDate, fillMl: number): Fill {
    const errors = refillPlanErrors(
      {
        reservoirMl: p.reservoirMl,
        fillMl,
        concentrationMcgPerMl: p.programme.concentrationMcgPerMl,
        doseMcgPerDay: p.programme.doseMcgPerDay,
        alarmMl: p.alarmMl,
        filledOn,
        bufferDays: rules.refillBufferDays,
        maxIntervalDays: rules.stabilityDays,
      },
      rules.hardLimits,
    );
    if (errors.length > 0) {
      throw new Error(`pump ${String(p.id)}: an implausible plan: ${JSON.stringify(errors)}`);
    }
    return {
      filledOn,
      fillMl,
      alarmMl: p.alarmMl,
      segments: [{ from: filledOn, dailyVolumeMl: planningMlPerDay(p.programme, this.faults) }],
    };
  }

  plan(fill: Fill, extra: readonly DeliverySegment[] = []): RefillPlan {
    const segments = this.faults.planWithoutChanges
      ? fill.segments.slice(0, 1)
      : [...fill.segments, ...extra];
    const plan = refillPlanWithChanges({
      fillMl: fill.fillMl,
      filledOn: fill.filledOn,
      alarmMl: fill.alarmMl,
      segments,
      bufferDays: rules.refillBufferDays,
      maxIntervalDays: rules.stabilityDays,
    });
    this.stats.plans += 1;
    if (plan.limitedBy === 'stability') {
      this.stats.stabilityLimitedPlans += 1;
    }
    return plan;
  }

  /**
   * The plan the worklist ranks the pump on today: none while paused (and after a pause until a
   * refill is signed); else the signed fill's, brought forward by a pending change counted from
   * the day it was proposed and by an unsigned refill's plan, when either runs out sooner.
   */
  planOf(p: SimPump): RefillPlan | null {
    if (p.planCache !== undefined) {
      return p.planCache;
    }
    let result: RefillPlan | null = null;
    if (p.pausedUntil === null) {
      if (p.signed) {
        result = this.plan(p.signed);
        const c = p.pendingChange;
        if (c) {
          const rate = planningMlPerDay(c.programme, this.faults);
          result = soonest(result, this.plan(p.signed, [{ from: c.proposedOn, dailyVolumeMl: rate }]));
        }
      }
      if (p.unsigned) {
        const u = this.plan(p.unsigned.fill);
        result = result ? soonest(result, u) : u;
      }
    }
    p.planCache = result;
    return result;
  }

  standingOf(p: SimPump, today: PlainDate): RefillStanding {
    const plan = this.planOf(p);
    const s = refillStanding(
      {
        alarmDate: plan?.alarmDate ?? null,
        refillDueBy: plan?.refillDueBy ?? null,
        bookedOn: p.bookedOn,
        resumeBy: p.pausedUntil,
      },
      today,
      HOLIDAYS,
      rules.dueSoonDays,
    );
    return this.faults.standing ? this.faults.standing(s) : s;
  }

  /**
   * Today's standing, reused while its inputs are unchanged and before the next day its status
   * can change; 5 % of reuses are checked against a fresh standing.
   */
  dailyStanding(p: SimPump, today: PlainDate): RefillStanding {
    const c = p.cached;
    const plan = this.planOf(p);
    if (
      c !== null &&
      c.plan === plan &&
      c.bookedOn === p.bookedOn &&
      c.pausedUntil === p.pausedUntil &&
      today < c.recheckOn
    ) {
      if (this.spotRandom() < 0.05) {
        this.stats.spotChecks += 1;
        const fresh = this.standingOf(p, today);
        if (fresh.status !== c.standing.status || fresh.escalated !== c.standing.escalated) {
          this.onStale(p, today, `${c.standing.status} → ${fresh.status} between thresholds`);
        }
      }
      return c.standing;
    }
    const standing = this.standingOf(p, today);
    const thresholds: PlainDate[] = [];
    if (standing.dueOn !== null) {
      thresholds.push(addDays(standing.dueOn, -rules.dueSoonDays), addDays(standing.dueOn, 1));
    }
    if (p.pausedUntil !== null) {
      thresholds.push(p.pausedUntil);
    }
    const next = thresholds.filter((x) => x > today).sort()[0] ?? ('9999-12-31' as PlainDate);
    p.cached = { standing, plan, bookedOn: p.bookedOn, pausedUntil: p.pausedUntil, recheckOn: next };
    return standing;
  }
}

function soonest(a: RefillPlan, b: RefillPlan): RefillPlan {
  return {
    ...a,
    alarmDate: earlier(a.alarmDate, b.alarmDate),
    refillDueBy: earlier(a.refillDueBy, b.refillDueBy),
  };
}

/** A new pump's record for the simulation, its reservoir full of `programme`. */
export function newSimPump(id: number, reservoirMl: 20 | 40, alarmMl: number, programme: Programme): SimPump {
  return {
    id,
    reservoirMl,
    alarmMl,
    physical: new PhysicalPump(reservoirMl, alarmMl, physicalProgramme(programme)),
    programme,
    signed: null,
    unsigned: null,
    rerecord: null,
    pendingChange: null,
    pausedUntil: null,
    resumeOn: null,
    endRequest: null,
    ended: false,
    bookedOn: null,
    bookedAt: null,
    lastEscalatedOn: null,
    reprogramOn: null,
    escalatedSinceDue: true,
    planCache: undefined,
    cached: null,
  };
}
