import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, daysBetween, type PlainDate } from './calendar-date.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { refillPlan, refillPlanErrors, type RefillPlan, type RefillPlanInput } from './refill-arithmetic.ts';
import {
  compareStandings,
  refillStanding,
  type RefillStanding,
  type RefillStatus,
} from './refill-worklist.ts';
import { isWorkingDay } from './working-days.ts';

/**
 * Issue 5's safety simulation: a synthetic caseload of 3,000 pumps over five years, with missed
 * appointments, late bookings and dose and concentration changes. Each day every pump's standing
 * is worked out with the worklist rules; a booking clerk works the escalated entries; appointments
 * are attended or missed. The invariant: no pump reaches its alarm date without either being
 * refilled that day or having been escalated on the worklist on every day since its due date.
 * Everything is deterministic (seeded), and uses only the domain functions. The checks run for
 * every pump on every day; to keep the run near 10 s a standing is reused between the days its
 * status can change (dailyStanding), with 5 % of the reused ones checked against a fresh one.
 * The last tests put deliberate faults into the worklist to show the checks can fail.
 */

const rules = DEFAULT_PUMP_RULES;
const d = (s: string) => s as PlainDate;

/** England bank holidays 2026–2031 (gov.uk), substitute days included. */
const BANK_HOLIDAYS: ReadonlySet<string> = new Set([
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
  '2028-01-03',
  '2028-04-14',
  '2028-04-17',
  '2028-05-01',
  '2028-05-29',
  '2028-08-28',
  '2028-12-25',
  '2028-12-26',
  '2029-01-01',
  '2029-03-30',
  '2029-04-02',
  '2029-05-07',
  '2029-05-28',
  '2029-08-27',
  '2029-12-25',
  '2029-12-26',
  '2030-01-01',
  '2030-04-19',
  '2030-04-22',
  '2030-05-06',
  '2030-05-27',
  '2030-08-26',
  '2030-12-25',
  '2030-12-26',
  '2031-01-01',
  '2031-04-11',
  '2031-04-14',
  '2031-05-05',
  '2031-05-26',
  '2031-08-25',
  '2031-12-25',
  '2031-12-26',
]);

/** mulberry32: a small seeded generator, so every run simulates the same caseload. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PUMPS = 3000;
const START = d('2026-01-01');
const END = d('2030-12-31'); // five years
const MISS_RATE = 0.1;
const LATE_BOOKING_RATE = 0.05;
const CONCENTRATIONS = [500, 1000, 2000] as const;

interface SimPump {
  readonly id: number;
  readonly reservoirMl: 20 | 40;
  readonly alarmMl: number;
  concentrationMcgPerMl: number;
  doseMcgPerDay: number;
  filledOn: PlainDate;
  fillMl: number;
  plan: RefillPlan;
  bookedOn: PlainDate | null;
  /** Every day from the working due date of this fill to today, the pump was escalated (or attended). */
  escalatedSinceDue: boolean;
  /** This fill has run to its alarm date without a refill (counted once per fill). */
  pastAlarm: boolean;
  /** The last standing worked out, reused until its inputs change or its next threshold day. */
  cached: CachedStanding | null;
}

interface CachedStanding {
  readonly standing: RefillStanding;
  readonly plan: RefillPlan;
  readonly bookedOn: PlainDate | null;
  /** The next day the status can change with the same inputs: due-soon starts, or overdue starts. */
  readonly recheckOn: PlainDate;
}

interface Stats {
  days: number;
  standings: number;
  statusCounts: Record<RefillStatus, number>;
  refills: number;
  missed: number;
  lateBookings: number;
  rebookings: number;
  doseChanges: number;
  concentrationChanges: number;
  stabilityLimitedPlans: number;
  plans: number;
  fillsPastAlarm: number;
  pumpDaysPastAlarm: number;
  worklistSorts: number;
  freshStandings: number;
  spotChecks: number;
}

type ViolationKind = 'calm-without-booking' | 'alarm-without-escalation' | 'stale-standing';

interface Violation {
  readonly kind: ViolationKind;
  readonly pump: number;
  readonly today: PlainDate;
  readonly reason: string;
}

/** A deliberate fault put between refillStanding and the simulation, to show the checks can fail. */
type Fault = (standing: RefillStanding) => RefillStanding;

function simulate(
  seed: number,
  pumps: number,
  start: PlainDate,
  end: PlainDate,
  fault?: Fault,
): { stats: Stats; violations: Violation[]; violationCounts: Record<ViolationKind, number> } {
  const random = mulberry32(seed);
  const chance = (p: number) => random() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const oneDecimal = (x: number) => Math.round(x * 10) / 10;

  const stats: Stats = {
    days: 0,
    standings: 0,
    statusCounts: {
      'resume-overdue': 0,
      overdue: 0,
      'no-plan': 0,
      'booked-late': 0,
      'not-booked': 0,
      paused: 0,
      'due-soon': 0,
      booked: 0,
    },
    refills: 0,
    missed: 0,
    lateBookings: 0,
    rebookings: 0,
    doseChanges: 0,
    concentrationChanges: 0,
    stabilityLimitedPlans: 0,
    plans: 0,
    fillsPastAlarm: 0,
    pumpDaysPastAlarm: 0,
    worklistSorts: 0,
    freshStandings: 0,
    spotChecks: 0,
  };
  const spotRandom = mulberry32(seed ^ 0x5eed);
  const violations: Violation[] = [];
  const violationCounts: Record<ViolationKind, number> = {
    'calm-without-booking': 0,
    'alarm-without-escalation': 0,
    'stale-standing': 0,
  };
  const violate = (kind: ViolationKind, pump: SimPump, today: PlainDate, reason: string) => {
    violationCounts[kind] += 1;
    if (violations.length < 20) {
      violations.push({ kind, pump: pump.id, today, reason });
    }
  };

  /** A strength that gives 0.05–1 mL/day when one does (the clinician's usual choice), else 2000. */
  const concentrationFor = (dose: number): number => {
    const fitting = CONCENTRATIONS.filter((c) => dose / c >= 0.05 && dose / c <= 1);
    return fitting.length > 0 ? fitting[Math.floor(random() * fitting.length)]! : 2000;
  };

  const planFor = (pump: SimPump): RefillPlan => {
    const input: RefillPlanInput = {
      reservoirMl: pump.reservoirMl,
      fillMl: pump.fillMl,
      concentrationMcgPerMl: pump.concentrationMcgPerMl,
      doseMcgPerDay: pump.doseMcgPerDay,
      alarmMl: pump.alarmMl,
      filledOn: pump.filledOn,
      bufferDays: rules.refillBufferDays,
      maxIntervalDays: rules.stabilityDays,
    };
    const errors = refillPlanErrors(input, rules.hardLimits);
    assert.deepEqual(errors, [], `pump ${pump.id}: the simulation made an implausible plan`);
    const plan = refillPlan(input);
    stats.plans += 1;
    if (plan.limitedBy === 'stability') {
      stats.stabilityLimitedPlans += 1;
    }
    return plan;
  };

  const standingOf = (pump: SimPump, today: PlainDate): RefillStanding => {
    const standing = refillStanding(
      { alarmDate: pump.plan.alarmDate, refillDueBy: pump.plan.refillDueBy, bookedOn: pump.bookedOn },
      today,
      BANK_HOLIDAYS,
      rules.dueSoonDays,
    );
    return fault ? fault(standing) : standing;
  };

  /**
   * Today's standing of a pump. refillStanding on 3,000 pumps × 1,826 days takes about a minute,
   * so a standing is reused while its inputs (plan, booking) are unchanged and before the next day
   * its status can change (due date − due-soon days, due date + 1); a fresh standing is worked out
   * on those days, and on a random 5 % of the other days as a check that reusing it is right.
   */
  const dailyStanding = (pump: SimPump, today: PlainDate): RefillStanding => {
    const c = pump.cached;
    if (c !== null && c.plan === pump.plan && c.bookedOn === pump.bookedOn && today < c.recheckOn) {
      if (spotRandom() < 0.05) {
        stats.spotChecks += 1;
        const fresh = standingOf(pump, today);
        if (
          fresh.status !== c.standing.status ||
          fresh.escalated !== c.standing.escalated ||
          fresh.dueOn !== c.standing.dueOn
        ) {
          violate(
            'stale-standing',
            pump,
            today,
            `standing changed between thresholds: ${c.standing.status} → ${fresh.status}`,
          );
        }
      }
      return c.standing;
    }
    stats.freshStandings += 1;
    const standing = standingOf(pump, today);
    const thresholds =
      standing.dueOn === null
        ? []
        : [addDays(standing.dueOn, -rules.dueSoonDays), addDays(standing.dueOn, 1)].filter((x) => x > today);
    pump.cached = {
      standing,
      plan: pump.plan,
      bookedOn: pump.bookedOn,
      recheckOn: thresholds.length > 0 ? thresholds.reduce((a, b) => (a < b ? a : b)) : d('9999-12-31'),
    };
    return standing;
  };

  /** Working days from `from` to `to` inclusive. */
  const workingDays = (from: PlainDate, to: PlainDate): PlainDate[] => {
    const days: PlainDate[] = [];
    for (let x = from; x <= to; x = addDays(x, 1)) {
      if (isWorkingDay(x, BANK_HOLIDAYS)) {
        days.push(x);
      }
    }
    return days;
  };
  const nextWorkingDayFrom = (from: PlainDate): PlainDate => {
    let x = from;
    while (!isWorkingDay(x, BANK_HOLIDAYS)) {
      x = addDays(x, 1);
    }
    return x;
  };

  // The caseload: each pump at a random point of its current fill, due on or after the first day.
  const caseload: SimPump[] = [];
  for (let id = 0; id < pumps; id += 1) {
    const dose = oneDecimal(50 * Math.pow(24, random())); // 50–1200 mcg/day, most of them low
    const reservoirMl = chance(0.5) ? 20 : 40;
    const pump: SimPump = {
      id,
      reservoirMl,
      alarmMl: between(10, 30) / 10,
      concentrationMcgPerMl: concentrationFor(dose),
      doseMcgPerDay: dose,
      filledOn: start,
      fillMl: reservoirMl,
      plan: undefined as unknown as RefillPlan,
      bookedOn: null,
      escalatedSinceDue: true,
      pastAlarm: false,
      cached: null,
    };
    pump.plan = planFor(pump);
    const cycle = daysBetween(pump.filledOn, pump.plan.refillDueBy);
    const into = cycle > 7 ? between(0, cycle - 7) : 0;
    pump.filledOn = addDays(start, -into);
    pump.plan = planFor(pump);
    caseload.push(pump);
  }

  const refill = (pump: SimPump, today: PlainDate) => {
    stats.refills += 1;
    if (chance(0.3)) {
      const changed = oneDecimal(pump.doseMcgPerDay * (1 + (random() * 0.4 - 0.2)));
      pump.doseMcgPerDay = Math.min(2000, Math.max(20, changed));
      stats.doseChanges += 1;
    }
    if (chance(0.1)) {
      const others = CONCENTRATIONS.filter((c) => c !== pump.concentrationMcgPerMl);
      pump.concentrationMcgPerMl = others[Math.floor(random() * others.length)]!;
      stats.concentrationChanges += 1;
    }
    pump.fillMl = chance(0.7) ? pump.reservoirMl : pump.reservoirMl - between(1, 20) / 10;
    pump.filledOn = today;
    pump.plan = planFor(pump);
    pump.bookedOn = null;
    pump.escalatedSinceDue = true;
    pump.pastAlarm = false;
  };

  /** The booking clerk: in worklist order, books every escalated pump with no booking. */
  const clerk = (today: PlainDate, candidates: readonly SimPump[]) => {
    const worklist: { pump: SimPump; standing: RefillStanding }[] = [];
    for (const pump of candidates) {
      const standing = standingOf(pump, today);
      if (standing.escalated) {
        worklist.push({ pump, standing });
      }
    }
    worklist.sort((a, b) => compareStandings(a.standing, b.standing));
    stats.worklistSorts += 1;
    const tomorrow = addDays(today, 1);
    for (const { pump, standing } of worklist) {
      const dueOn = standing.dueOn!;
      if (pump.bookedOn === null) {
        if (standing.status === 'not-booked' && standing.daysLeft! > 14 && chance(0.2)) {
          continue; // not reached today: still on the list tomorrow
        }
        if (chance(LATE_BOOKING_RATE)) {
          // Deliberately late: a working day up to two weeks after the due date.
          const late = addDays(dueOn, between(1, 14));
          pump.bookedOn = nextWorkingDayFrom(late > tomorrow ? late : tomorrow);
          stats.lateBookings += 1;
          continue;
        }
        // Near the due date when there is room (the last two weeks before it), else the first working day.
        const windowStart = addDays(dueOn, -14) > tomorrow ? addDays(dueOn, -14) : tomorrow;
        const options = workingDays(windowStart, dueOn);
        pump.bookedOn =
          options.length > 0 ? options[Math.floor(random() * options.length)]! : nextWorkingDayFrom(tomorrow);
      } else if (standing.status === 'booked-late' && chance(0.3)) {
        // The escalation prompts someone to move a late booking forward, when a day is free in time.
        const options = workingDays(tomorrow, dueOn);
        if (options.length > 0) {
          pump.bookedOn = options[0]!;
          stats.rebookings += 1;
        }
      }
    }
  };

  for (let today = start; today <= end; today = addDays(today, 1)) {
    stats.days += 1;
    // The clerk's worklist: pumps escalated this morning, and pumps seen today (refilled or missed).
    const candidates: SimPump[] = [];
    for (const pump of caseload) {
      const standing = dailyStanding(pump, today);
      stats.standings += 1;
      stats.statusCounts[standing.status] += 1;

      // Nothing falls off the list: a pump not escalated is booked on or before its due date.
      if (!standing.escalated) {
        if (pump.bookedOn === null || pump.bookedOn > standing.dueOn! || today > standing.dueOn!) {
          violate('calm-without-booking', pump, today, `calm (${standing.status}) without a booking in time`);
        }
      }
      // From the due date on, the pump is escalated every day unless it is being seen that day.
      if (
        standing.dueOn !== null &&
        today >= standing.dueOn &&
        !standing.escalated &&
        pump.bookedOn !== today
      ) {
        pump.escalatedSinceDue = false;
      }

      const seenToday = pump.bookedOn === today;
      if (standing.escalated || seenToday) {
        candidates.push(pump);
      }
      const attended = seenToday && !chance(MISS_RATE);
      if (today >= pump.plan.alarmDate) {
        if (!attended) {
          stats.pumpDaysPastAlarm += 1;
          if (!pump.pastAlarm) {
            pump.pastAlarm = true;
            stats.fillsPastAlarm += 1;
          }
        }
        // THE invariant: at the alarm date, refilled today or escalated every day since due.
        if (!attended && !pump.escalatedSinceDue) {
          violate(
            'alarm-without-escalation',
            pump,
            today,
            `reached its alarm date ${pump.plan.alarmDate} without a refill or escalation`,
          );
        }
      }
      if (attended) {
        refill(pump, today);
      } else if (seenToday) {
        stats.missed += 1;
        pump.bookedOn = null; // did not attend: the booking is gone and the pump goes back on the list
      }
    }
    clerk(today, candidates);
  }
  return { stats, violations, violationCounts };
}

describe('refill simulation: 3,000 pumps over five years', () => {
  it('no pump reaches its alarm date without a refill that day or an escalation every day since due', () => {
    const started = performance.now();
    const { stats, violations } = simulate(20260105, PUMPS, START, END);
    const seconds = (performance.now() - started) / 1000;

    assert.deepEqual(violations, []);

    // The run really happened, over five years and the whole caseload.
    assert.equal(stats.days, daysBetween(START, END) + 1);
    assert.equal(stats.standings, PUMPS * stats.days);
    // ... and it exercised the hard cases, so the invariant is not true for want of trying.
    assert.ok(stats.refills > PUMPS * 5, `${stats.refills} refills`);
    assert.ok(stats.missed > 0, 'no missed appointments');
    assert.ok(stats.lateBookings > 0, 'no late bookings');
    assert.ok(stats.rebookings > 0, 'no late booking was moved forward');
    assert.ok(stats.statusCounts.overdue > 0, 'no overdue standings');
    assert.ok(stats.statusCounts['booked-late'] > 0, 'no booked-late standings');
    assert.ok(stats.statusCounts['not-booked'] > 0, 'no not-booked standings');
    assert.ok(stats.statusCounts['due-soon'] > 0, 'no due-soon standings');
    assert.ok(stats.statusCounts.booked > 0, 'no booked standings');
    assert.ok(stats.stabilityLimitedPlans > 0, 'no stability-limited plans');
    assert.ok(stats.stabilityLimitedPlans < stats.plans, 'every plan stability-limited');
    assert.ok(stats.doseChanges > 0 && stats.concentrationChanges > 0, 'no dose or concentration changes');
    assert.ok(
      stats.fillsPastAlarm > 0,
      'no pump ran to its alarm date, so the escalation branch was never needed',
    );
    // Missed appointments are about 10 % of those due.
    const seen = stats.refills + stats.missed;
    assert.ok(Math.abs(stats.missed / seen - MISS_RATE) < 0.01, `${stats.missed} of ${seen} missed`);

    // For the record when run with --test-reporter=spec.
    console.log(
      `refill simulation: ${PUMPS} pumps, ${stats.days} days in ${seconds.toFixed(1)} s; ${stats.refills} refills, ` +
        `${stats.missed} missed, ${stats.lateBookings} late bookings (${stats.rebookings} moved forward), ` +
        `${stats.doseChanges} dose and ${stats.concentrationChanges} concentration changes, ` +
        `${stats.stabilityLimitedPlans} of ${stats.plans} plans stability-limited, ` +
        `${stats.fillsPastAlarm} fills past their alarm date (${stats.pumpDaysPastAlarm} pump-days), ` +
        `${stats.freshStandings} fresh standings and ${stats.spotChecks} spot checks, ` +
        `statuses ${JSON.stringify(stats.statusCounts)}`,
    );
  });

  it('the checks can fail: a worklist that shows overdue pumps as booked in time is caught', () => {
    const hideOverdue: Fault = (s) =>
      s.status === 'overdue' ? { ...s, status: 'booked', escalated: false } : s;
    const { violationCounts } = simulate(99, 300, START, d('2026-12-31'), hideOverdue);
    assert.ok(
      violationCounts['alarm-without-escalation'] > 0,
      'a pump reached its alarm unflagged, unnoticed',
    );
    assert.ok(violationCounts['calm-without-booking'] > 0);
  });

  it('the checks can fail: a standing that changes between threshold days is caught by the spot checks', () => {
    // A status that flickers with the days left is not what the reuse of standings assumes.
    const flicker: Fault = (s) =>
      s.status === 'booked' && s.daysLeft !== null && s.daysLeft % 10 === 3
        ? { ...s, status: 'due-soon' }
        : s;
    const { violationCounts } = simulate(99, 300, START, d('2026-12-31'), flicker);
    assert.ok(violationCounts['stale-standing'] > 0);
  });

  it('the checks can fail: a worklist that does not escalate late bookings is caught', () => {
    const calmLate: Fault = (s) => (s.status === 'booked-late' ? { ...s, escalated: false } : s);
    const { violationCounts } = simulate(99, 300, START, d('2026-12-31'), calmLate);
    assert.ok(violationCounts['calm-without-booking'] > 0);
  });
});
