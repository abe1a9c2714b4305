import { addDays, daysBetween, type PlainDate } from '../../src/domain/calendar-date.ts';
import { compareStandings, type RefillStanding } from '../../src/domain/refill-worklist.ts';
import { isWorkingDay } from '../../src/domain/working-days.ts';
import {
  emptyStats,
  HOLIDAYS,
  newSimPump,
  physicalProgramme,
  planningMlPerDay,
  ServiceModel,
  VIOLATION_KINDS,
  type Faults,
  type Programme,
  type SimPump,
  type Stats,
  type ViolationKind,
} from './refill-caseload-model.ts';
import { mulberry32 } from './seeded-random.ts';
import type { PumpEvent } from './reservoir-model.ts';

/**
 * A caseload over years, day by day: the service (refill-caseload-model.ts) and the pumps as they
 * really are (reservoir-model.ts) side by side. Each morning every pump's standing is worked out
 * and the checks run; during the day patients are refilled or miss their appointment, doses are
 * changed at refills and between them (sometimes programmed a day before the second clinician
 * confirms, sometimes rejected), refills wait for their check or are rejected and recorded again,
 * pumps are paused (emptied) and resumed (sometimes late), explants are asked for (sometimes by
 * mistake) and confirmed or rejected, and patients take their boluses; each evening a booking
 * clerk works the escalated pumps in worklist order. Every figure is seeded.
 *
 * The checks, each a way a patient comes to harm:
 * - pump-alarm-before-service-alarm: the reservoir reached its alarm volume before the service's
 *   alarm date (the arithmetic ran later than the pump);
 * - pump-alarm-unflagged: the reservoir reached its alarm volume with no refill booked for that
 *   day or earlier (booked beforehand), and the pump not escalated on the worklist that morning
 *   or the day before;
 * - alarm-without-escalation: the service's own alarm date came with the pump not escalated every
 *   day since its due date, and it was not refilled that day;
 * - calm-without-booking: a running pump not escalated without a booking by its due date;
 * - pause-forgotten: a pump still paused on or after its resume date, not escalated;
 * - stale-standing: a reused standing differing from a fresh one (the simulation's own shortcut).
 */

export interface SimulationResult {
  readonly stats: Stats;
  readonly violations: readonly { kind: ViolationKind; pump: number; today: PlainDate; reason: string }[];
  readonly violationCounts: Record<ViolationKind, number>;
}

const CONCENTRATIONS = [500, 1000, 2000] as const;
export const MISS_RATE = 0.1;
const LATE_BOOKING_RATE = 0.05;
/** Chances a day, per pump: a change between refills, a pause, an end request. */
const CHANGE_RATE = 1 / 200;
const PAUSE_RATE = 1 / 2500;
const END_RATE = 1 / 20000;

export function simulateCaseload(
  seed: number,
  pumps: number,
  start: PlainDate,
  end: PlainDate,
  faults: Faults = {},
): SimulationResult {
  const random = mulberry32(seed);
  const chance = (p: number) => random() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const oneDecimal = (x: number) => Math.round(x * 10) / 10;

  const stats = emptyStats();
  const violations: SimulationResult['violations'][number][] = [];
  const violationCounts = Object.fromEntries(VIOLATION_KINDS.map((k) => [k, 0])) as Record<
    ViolationKind,
    number
  >;
  const violate = (kind: ViolationKind, p: SimPump, today: PlainDate, reason: string) => {
    violationCounts[kind] += 1;
    if (violations.length < 20) {
      violations.push({ kind, pump: p.id, today, reason });
    }
  };
  const service = new ServiceModel(stats, faults, mulberry32(seed ^ 0x5eed), (p, today, reason) => {
    violate('stale-standing', p, today, reason);
  });
  const changed = (p: SimPump) => {
    p.planCache = undefined;
  };

  /** A strength giving 0.05–1 mL/day when one does (the clinician's usual choice), else 2000. */
  const concentrationFor = (dose: number): number => {
    const fitting = CONCENTRATIONS.filter((c) => dose / c >= 0.05 && dose / c <= 1);
    return fitting.length > 0 ? pick(fitting) : 2000;
  };
  /** The same kind of programme at another dose; a bolus allowance stays 5 % of the day. */
  const withDose = (p: Programme, dose: number, concentration = p.concentrationMcgPerMl): Programme => ({
    ...p,
    doseMcgPerDay: dose,
    concentrationMcgPerMl: concentration,
    bolus: p.bolus ? { doseMcg: oneDecimal(dose * 0.05), maxPerDay: p.bolus.maxPerDay } : null,
  });
  /** Titration: ±20 %, kept within 20–1500 mcg/day. */
  const titrate = (dose: number) => Math.min(1500, Math.max(20, oneDecimal(dose * (0.8 + random() * 0.4))));

  const nextWorkingDayFrom = (from: PlainDate): PlainDate => {
    let x = from;
    while (!isWorkingDay(x, HOLIDAYS)) {
      x = addDays(x, 1);
    }
    return x;
  };
  const workingDays = (from: PlainDate, to: PlainDate): PlainDate[] => {
    const out: PlainDate[] = [];
    for (let x = from; x <= to; x = addDays(x, 1)) {
      if (isWorkingDay(x, HOLIDAYS)) {
        out.push(x);
      }
    }
    return out;
  };

  // The caseload: each pump part-way through a fill, due on or after the first day.
  const caseload: SimPump[] = [];
  for (let id = 0; id < pumps; id += 1) {
    const dose = oneDecimal(50 * Math.pow(24, random())); // 50–1200 mcg/day, most of them low
    const reservoirMl = chance(0.5) ? 20 : 40;
    const programme: Programme = {
      doseMcgPerDay: dose,
      concentrationMcgPerMl: concentrationFor(dose),
      flex: chance(0.2),
      bolus: chance(0.3) ? { doseMcg: oneDecimal(dose * 0.05), maxPerDay: between(1, 4) } : null,
    };
    const p = newSimPump(id, reservoirMl, between(10, 30) / 10, programme);
    stats.flexPumps += programme.flex ? 1 : 0;
    const cycle = daysBetween(start, service.plan(service.fill(p, start, reservoirMl)).refillDueBy);
    const filledOn = addDays(start, -(cycle > 7 ? between(0, cycle - 7) : 0));
    p.signed = service.fill(p, filledOn, reservoirMl);
    for (let d = filledOn; d < start; d = addDays(d, 1)) {
      p.physical.day(d, d === filledOn ? [{ kind: 'refill', hour: 11, instilledMl: reservoirMl }] : []);
    }
    caseload.push(p);
  }

  /** A refill at `hour`, with a dose change at 30 % of them; the service records it unsigned. */
  const refillToday = (
    p: SimPump,
    today: PlainDate,
    hour: number,
    events: PumpEvent[],
    fromPause: boolean,
  ) => {
    stats.refills += 1;
    const fillMl = chance(0.7) ? p.reservoirMl : p.reservoirMl - between(1, 20) / 10;
    events.push({ kind: 'refill', hour, instilledMl: fillMl });
    // A change waiting for its check is settled at the visit: programmed now, or dropped; and a
    // reprogramming planned for later is done now, with the refill's own programme.
    if (p.pendingChange) {
      if (p.pendingChange.programmedOn !== null) {
        p.programme = p.pendingChange.programme;
      }
      p.pendingChange = null;
    }
    if (p.reprogramOn) {
      p.programme = p.reprogramOn.programme;
      p.reprogramOn = null;
    }
    if (chance(0.3)) {
      const concentration = chance(0.1)
        ? concentrationFor(p.programme.doseMcgPerDay)
        : p.programme.concentrationMcgPerMl;
      stats.concentrationChanges += concentration === p.programme.concentrationMcgPerMl ? 0 : 1;
      p.programme = withDose(p.programme, titrate(p.programme.doseMcgPerDay), concentration);
      stats.doseChangesAtRefill += 1;
    }
    events.push({ kind: 'reprogram', hour, programme: physicalProgramme(p.programme) });
    const fill = service.fill(p, today, fillMl);
    p.bookedOn = null;
    p.bookedAt = null;
    p.escalatedSinceDue = true;
    if (fromPause) {
      // The resume is recorded with its refill, and both are checked and signed at once.
      p.pausedUntil = null;
      p.resumeOn = null;
      p.signed = fill;
    } else {
      const wait = chance(0.7) ? 0 : chance(0.66) ? 1 : between(2, 3);
      p.unsigned = { fill, decideOn: addDays(today, wait), reject: chance(0.03) };
      if (wait === 0 && !p.unsigned.reject) {
        p.signed = fill;
        p.unsigned = null;
      }
    }
    changed(p);
  };

  /** Decisions recorded this morning: checks of refills and changes, end requests. */
  const morning = (p: SimPump, today: PlainDate) => {
    if (p.unsigned && p.unsigned.decideOn <= today) {
      if (p.unsigned.reject) {
        // The checker rejects the record (a volume mistyped): the pump's dates go back to the
        // signed fill until the refill is recorded again, correctly, the next working day.
        stats.refillsRejected += 1;
        p.rerecord = { fill: p.unsigned.fill, on: nextWorkingDayFrom(addDays(today, 1)) };
      } else {
        p.signed = p.unsigned.fill;
      }
      p.unsigned = null;
      changed(p);
    } else if (p.unsigned) {
      stats.unsignedDays += 1;
    }
    if (p.rerecord && p.rerecord.on <= today) {
      p.signed = p.rerecord.fill;
      p.rerecord = null;
      changed(p);
    }
    const c = p.pendingChange;
    if (c && c.decideOn <= today) {
      if (c.programmedOn === null) {
        stats.changesRejected += 1;
      } else if (p.signed) {
        // Confirmed with the day the pump was programmed: the plan counts it from then.
        const segment = { from: c.programmedOn, dailyVolumeMl: planningMlPerDay(c.programme, faults) };
        p.signed = { ...p.signed, segments: [...p.signed.segments, segment] };
      }
      p.pendingChange = null;
      changed(p);
    }
    if (p.endRequest && p.endRequest.decideOn <= today) {
      if (p.endRequest.real) {
        p.ended = true;
        stats.explanted += 1;
      } else if (!p.ended) {
        stats.endRequestsRejected += 1;
      }
      p.endRequest = null;
    }
  };

  /** The booking clerk: in worklist order, books every escalated running pump with no booking. */
  const clerk = (today: PlainDate, worklist: { p: SimPump; s: RefillStanding }[]) => {
    worklist.sort((a, b) => compareStandings(a.s, b.s));
    const tomorrow = addDays(today, 1);
    for (const { p, s } of worklist) {
      // Paused pumps are resumed, not booked; a refill awaiting its check is not booked again.
      if (s.dueOn === null || p.pausedUntil !== null || p.unsigned || p.rerecord) {
        continue;
      }
      const dueOn = s.dueOn;
      if (p.bookedOn === null) {
        if (s.status === 'not-booked' && (s.daysLeft ?? 0) > 14 && chance(0.2)) {
          continue; // not reached today: still on the list tomorrow
        }
        if (chance(LATE_BOOKING_RATE)) {
          const late = addDays(dueOn, between(1, 14));
          p.bookedOn = nextWorkingDayFrom(late > tomorrow ? late : tomorrow);
          p.bookedAt = today;
          stats.lateBookings += 1;
          continue;
        }
        const windowStart = addDays(dueOn, -14) > tomorrow ? addDays(dueOn, -14) : tomorrow;
        const options = workingDays(windowStart, dueOn);
        p.bookedOn = options.length > 0 ? pick(options) : nextWorkingDayFrom(tomorrow);
        p.bookedAt = today;
      } else if (s.status === 'booked-late' && chance(0.3)) {
        const options = workingDays(tomorrow, dueOn);
        if (options.length > 0) {
          p.bookedOn = options[0]!;
          p.bookedAt = today;
          stats.rebookings += 1;
        }
      }
    }
  };

  for (let today = start; today <= end; today = addDays(today, 1)) {
    stats.days += 1;
    const escalated: { p: SimPump; s: RefillStanding }[] = [];
    for (const p of caseload) {
      if (p.ended && p.physical.removed) {
        continue;
      }
      const listed = !p.ended;
      let s: RefillStanding | null = null;
      let planThisMorning = null;
      if (listed) {
        morning(p, today);
        if (p.ended) {
          continue;
        }
        s = service.dailyStanding(p, today);
        planThisMorning = service.planOf(p);
        stats.standings += 1;
        stats.statusCounts[s.status] += 1;
        if (s.escalated) {
          p.lastEscalatedOn = today;
          escalated.push({ p, s });
        }
        const paused = p.pausedUntil !== null;
        if (!paused && !s.escalated && (p.bookedOn === null || s.dueOn === null || p.bookedOn > s.dueOn)) {
          violate('calm-without-booking', p, today, `calm (${s.status}) without a booking in time`);
        }
        if (paused && today >= p.pausedUntil! && !s.escalated) {
          violate('pause-forgotten', p, today, `paused to ${p.pausedUntil!}, not escalated`);
        }
        if (s.dueOn !== null && today >= s.dueOn && !s.escalated && p.bookedOn !== today) {
          p.escalatedSinceDue = false;
        }
      }

      // The day as it happens to the pump.
      const events: PumpEvent[] = [];
      let attended = false;
      if (listed && p.resumeOn === today) {
        stats.resumesLate += today > p.pausedUntil! ? 1 : 0;
        refillToday(p, today, 11, events, true);
        attended = true;
      } else if (listed && p.bookedOn === today && p.pausedUntil === null) {
        if (chance(MISS_RATE)) {
          stats.missed += 1;
          p.bookedOn = null; // did not attend: the booking is gone and the pump goes back on the list
          p.bookedAt = null;
          changed(p);
        } else {
          refillToday(p, today, 9.5 + random() * 6.5, events, false);
          attended = true;
        }
      }
      if (p.reprogramOn && p.reprogramOn.on === today) {
        events.push({
          kind: 'reprogram',
          hour: between(10, 16),
          programme: physicalProgramme(p.reprogramOn.programme),
        });
        p.programme = p.reprogramOn.programme;
        p.reprogramOn = null;
      }
      if (
        listed &&
        !attended &&
        p.pausedUntil === null &&
        !p.unsigned &&
        !p.rerecord &&
        !p.pendingChange &&
        !p.endRequest
      ) {
        if (chance(CHANGE_RATE) && p.signed) {
          // Proposed today; programmed today or the next day; confirmed then or a day or two
          // later with the programmed date; one in ten rejected and never programmed.
          stats.changesBetweenRefills += 1;
          const programmedOn = addDays(today, chance(0.7) ? 0 : 1);
          const decideOn = addDays(programmedOn, chance(0.6) ? 0 : between(1, 2));
          stats.changesProgrammedBeforeConfirmed += decideOn > programmedOn ? 1 : 0;
          p.pendingChange = {
            programme: withDose(p.programme, titrate(p.programme.doseMcgPerDay)),
            proposedOn: today,
            programmedOn: chance(0.1) ? null : programmedOn,
            decideOn,
          };
          if (p.pendingChange.programmedOn === today) {
            events.push({
              kind: 'reprogram',
              hour: between(12, 16),
              programme: physicalProgramme(p.pendingChange.programme),
            });
            p.programme = p.pendingChange.programme;
          } else if (p.pendingChange.programmedOn !== null) {
            p.reprogramOn = { on: p.pendingChange.programmedOn, programme: p.pendingChange.programme };
          }
          changed(p);
        } else if (chance(PAUSE_RATE)) {
          // Emptied for an MRI scan or surgery, to resume within two weeks; one in seven late.
          stats.pauses += 1;
          events.push({ kind: 'pause', hour: 9 });
          p.pausedUntil = addDays(today, between(3, 14));
          p.resumeOn = chance(6 / 7) ? p.pausedUntil : addDays(p.pausedUntil, between(1, 5));
          p.signed = null;
          p.bookedOn = null;
          p.bookedAt = null;
          changed(p);
        } else if (chance(END_RATE)) {
          // Most requests are real explants; some are a mistake the second clinician rejects.
          stats.endRequests += 1;
          const real = chance(0.8);
          if (real) {
            events.push({ kind: 'explant', hour: 10 });
          }
          p.endRequest = { decideOn: addDays(today, between(0, 3)), real };
          if (faults.endOnRequest) {
            // Off the list at once, its bookings cancelled, as a confirmed end does.
            p.ended = true;
            p.bookedOn = null;
            p.bookedAt = null;
          }
        }
      }
      const bolus = p.programme.bolus;
      if (bolus && !chance(0.5)) {
        const taken = between(1, bolus.maxPerDay);
        stats.bolusesTaken += taken;
        for (let i = 0; i < taken; i += 1) {
          events.push({
            kind: 'bolus',
            hour: 8 + i * 3,
            volumeMl: bolus.doseMcg / p.programme.concentrationMcgPerMl,
          });
        }
      }
      const outcome = p.physical.day(today, events);

      if (outcome.alarmAtHour !== null) {
        stats.pumpAlarms += 1;
        if (planThisMorning !== null && today < planThisMorning.alarmDate) {
          violate(
            'pump-alarm-before-service-alarm',
            p,
            today,
            `pump alarmed before the service's ${planThisMorning.alarmDate}`,
          );
        }
        const booked =
          p.bookedOn !== null && p.bookedOn <= today && p.bookedAt !== null && p.bookedAt < today;
        const escalatedLately = p.lastEscalatedOn !== null && p.lastEscalatedOn >= addDays(today, -1);
        if (!booked && !escalatedLately && !attended) {
          violate(
            'pump-alarm-unflagged',
            p,
            today,
            `the pump alarmed unbooked and never escalated (${s?.status ?? 'off the list'})`,
          );
        }
      }
      if (
        listed &&
        planThisMorning !== null &&
        today >= planThisMorning.alarmDate &&
        !attended &&
        !p.escalatedSinceDue
      ) {
        violate(
          'alarm-without-escalation',
          p,
          today,
          `reached ${planThisMorning.alarmDate} without escalation since due`,
        );
      }
    }
    clerk(today, escalated);
  }
  return { stats, violations, violationCounts };
}
