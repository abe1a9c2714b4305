import { addDays, type PlainDate } from '../../src/domain/calendar-date.ts';
import type { RefillStatus } from '../../src/domain/refill-worklist.ts';
import type { Actor } from '../../src/services/audit-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import {
  confirmPrescription,
  proposePrescription,
  rejectPrescription,
} from '../../src/services/prescription-service.ts';
import { bookPumpAppointment, updatePumpAppointment } from '../../src/services/pump-appointment-service.ts';
import { confirmEndRequest, rejectEndRequest } from '../../src/services/pump-end-decisions.ts';
import { requestPumpEnd } from '../../src/services/pump-end-requests.ts';
import { recordBridgingPlan } from '../../src/services/bridging-plan-service.ts';
import { EXPLANT_PLAN } from './bridging-plan-fixtures.ts';
import { pausePump, resumePump } from '../../src/services/pump-pause-service.ts';
import { registerPump } from '../../src/services/pump-service.ts';
import { recordRefill } from '../../src/services/refill-service.ts';
import { type RefillServiceDeps } from '../../src/services/refill-common.ts';
import { rejectRefill, reviewRefill } from '../../src/services/refill-review-service.ts';
import { signRefill } from '../../src/services/refill-sign-service.ts';
import { addUser } from '../../src/services/user-service.ts';
import type { Refill } from '../../src/storage/refills.repository.ts';
import { physicalProgramme, type Programme } from './refill-caseload-model.ts';
import { PhysicalPump, type PumpEvent } from './reservoir-model.ts';

/**
 * The real services driven day by day for src/services/worklist-simulation.int.test.ts: one nurse
 * specialist does, one consultant checks, one booking coordinator books. Each pump keeps beside
 * its database rows the independent model of its reservoir (reservoir-model.ts). Everything the
 * service refuses here is a failure of the simulation, not a refusal to count.
 */

export interface ServicePump {
  readonly index: number;
  readonly id: string;
  readonly reservoirMl: 20 | 40;
  readonly alarmMl: number;
  readonly physical: PhysicalPump;
  programme: Programme;
  unsigned: {
    readonly refill: Refill;
    readonly body: Record<string, unknown>;
    readonly decideOn: PlainDate;
    readonly reject: boolean;
  } | null;
  /** A rejected refill, recorded again correctly on `on`. */
  rerecord: { readonly body: Record<string, unknown>; readonly on: PlainDate } | null;
  pending: {
    readonly prescriptionId: string;
    readonly programme: Programme;
    readonly programmedOn: PlainDate | null;
    readonly decideOn: PlainDate;
  } | null;
  reprogramOn: { readonly on: PlainDate; readonly programme: Programme } | null;
  pausedUntil: PlainDate | null;
  resumeOn: PlainDate | null;
  endRequest: { readonly id: string; readonly decideOn: PlainDate; readonly real: boolean } | null;
  ended: boolean;
  booking: { readonly id: string; readonly onDate: PlainDate; readonly bookedAt: PlainDate } | null;
  lastEscalatedOn: PlainDate | null;
}

export interface ServiceStats {
  days: number;
  refills: number;
  missed: number;
  lateBookings: number;
  changesBetweenRefills: number;
  changesProgrammedBeforeConfirmed: number;
  changesRejected: number;
  refillsReviewed: number;
  refillsRejected: number;
  pauses: number;
  resumesLate: number;
  endsConfirmed: number;
  endsRejected: number;
  pumpAlarms: number;
  statuses: Set<RefillStatus>;
}

/** The programme as the API takes it: simple, or flex with twice the rate from 22:00 to 06:00. */
function programmeBody(p: Programme) {
  const r = p.doseMcgPerDay / 32;
  return {
    mode: p.flex ? 'flex' : 'simple',
    doseMcgPerDay: p.flex ? null : p.doseMcgPerDay,
    schedules: p.flex
      ? [
          {
            weekdays: [1, 2, 3, 4, 5, 6, 7],
            steps: [
              { start: '00:00', end: '06:00', rateMcgPerHour: 2 * r },
              { start: '06:00', end: '22:00', rateMcgPerHour: r },
              { start: '22:00', end: '24:00', rateMcgPerHour: 2 * r },
            ],
          },
        ]
      : [],
    bolus: p.bolus ? { ...p.bolus, lockoutMinutes: 120 } : null,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export class SimulatedService {
  readonly stats: ServiceStats = {
    days: 0,
    refills: 0,
    missed: 0,
    lateBookings: 0,
    changesBetweenRefills: 0,
    changesProgrammedBeforeConfirmed: 0,
    changesRejected: 0,
    refillsReviewed: 0,
    refillsRejected: 0,
    pauses: 0,
    resumesLate: 0,
    endsConfirmed: 0,
    endsRejected: 0,
    pumpAlarms: 0,
    statuses: new Set(),
  };
  private readonly deps: RefillServiceDeps;
  private readonly nurse: Actor;
  private readonly consultant: Actor;
  private readonly booker: Actor;
  private readonly patientId: string;
  private readonly random: () => number;

  private constructor(
    deps: RefillServiceDeps,
    people: { nurse: Actor; consultant: Actor; booker: Actor; patientId: string },
    random: () => number,
  ) {
    this.deps = deps;
    this.nurse = people.nurse;
    this.consultant = people.consultant;
    this.booker = people.booker;
    this.patientId = people.patientId;
    this.random = random;
  }

  static async start(deps: RefillServiceDeps, random: () => number): Promise<SimulatedService> {
    const clock = deps.clock;
    const actor = async (username: string, role: Actor['role']): Promise<Actor> => {
      const u = await addUser({ db: deps.db, clock }, null, {
        username,
        displayName: username,
        role: role as 'consultant',
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };
    const nurse = await actor('nina', 'nurse-specialist');
    const consultant = await actor('carla', 'consultant');
    const booker = await actor('bea', 'booking-coordinator');
    const patient = await createPatient({ db: deps.db, clock, timeZone: 'Europe/London' }, nurse, {
      nhsNumber: '4857773457',
      givenName: 'Ann',
      familyName: 'Smith',
      dateOfBirth: '1961-03-14',
      sex: 'female',
    });
    return new SimulatedService(deps, { nurse, consultant, booker, patientId: patient.id }, random);
  }

  /** A pump implanted on `on`, its first prescription confirmed and its first fill signed. */
  async newPump(
    index: number,
    reservoirMl: 20 | 40,
    alarmMl: number,
    programme: Programme,
    on: PlainDate,
  ): Promise<ServicePump> {
    const pump = await registerPump(this.deps, this.nurse, this.patientId, {
      modelId: 'synchromed-ii',
      reservoirMl,
      serialNumber: `SIM${String(index)}`,
      implantedOn: on,
      surgeon: 'Mr A Surgeon',
      alarmMl,
      origin: 'spinal',
    });
    const p = await proposePrescription(this.deps, this.nurse, pump.id, {
      concentrationMcgPerMl: programme.concentrationMcgPerMl,
      phase: 'titration',
      reason: 'Simulated patient: dose from another centre',
      programme: programmeBody(programme),
    });
    await confirmPrescription(this.deps, this.consultant, p.id, {});
    const sp: ServicePump = {
      index,
      id: pump.id,
      reservoirMl,
      alarmMl,
      physical: new PhysicalPump(0, alarmMl, physicalProgramme(programme)),
      programme,
      unsigned: null,
      rerecord: null,
      pending: null,
      reprogramOn: null,
      pausedUntil: null,
      resumeOn: null,
      endRequest: null,
      ended: false,
      booking: null,
      lastEscalatedOn: null,
    };
    const events: PumpEvent[] = [];
    await this.refill(sp, on, 11, events, true);
    sp.physical.day(on, events);
    return sp;
  }

  private refillBody(
    p: ServicePump,
    on: PlainDate,
    residualMl: number,
    instilledMl: number,
    change: boolean,
  ) {
    // Every 25th programmer's figure is mistyped by 3 mL: the software's own residual catches it,
    // and the refill is reviewed before it is signed.
    const typo = this.stats.refills % 25 !== 0 ? 0 : residualMl + 3 <= p.reservoirMl ? 3 : -3;
    return {
      performedOn: on,
      // The programmer's figure, and what came out: the reservoir as it was, to 0.1 mL.
      expectedResidualMl: String(round1(residualMl + typo)),
      withdrawnMl: String(round1(residualMl)),
      concentrationMcgPerMl: String(p.programme.concentrationMcgPerMl),
      batch: 'SIM-1',
      expiresOn: '2032-01-01',
      instilledMl: String(instilledMl),
      alarmMl: String(p.alarmMl),
      complications: [],
      newPrescription: change
        ? { programme: programmeBody(p.programme), phase: 'maintenance', reason: 'Changed at the refill' }
        : null,
    };
  }

  /** Reviews (when flagged) and signs a refill as the consultant. */
  private async check(refill: Refill): Promise<void> {
    let r = refill;
    if (r.flagged) {
      this.stats.refillsReviewed += 1;
      r = await reviewRefill(this.deps, this.consultant, r.id, {
        note: 'Reviewed with the programmer printout',
        withdrawalSignsChecked: true,
        withdrawalSignsFound: 'None found',
      });
    }
    await signRefill(this.deps, this.consultant, r.id, { version: r.version });
  }

  /**
   * A refill at `hour`: the pump drained and filled; one in four changes the dose (±15 %). The
   * record is checked the same day, a day or two later, or rejected and recorded again. After a
   * pause (`resume`), it is checked at once and the pump resumed.
   */
  async refill(
    p: ServicePump,
    today: PlainDate,
    hour: number,
    events: PumpEvent[],
    resume: boolean,
  ): Promise<void> {
    this.stats.refills += 1;
    // A change waiting for its check is settled at the visit, before the refill.
    if (p.pending) {
      await this.decideChange(p, today);
    }
    if (p.reprogramOn) {
      p.programme = p.reprogramOn.programme;
      p.reprogramOn = null;
    }
    const residualMl = p.physical.volumeMl;
    const instilledMl = this.random() < 0.7 ? p.reservoirMl : p.reservoirMl - 1;
    const change = !resume && this.random() < 0.25;
    if (change) {
      const dose = Math.round(p.programme.doseMcgPerDay * (0.85 + this.random() * 0.3));
      p.programme = {
        ...p.programme,
        doseMcgPerDay: dose,
        bolus: p.programme.bolus ? { ...p.programme.bolus, doseMcg: Math.round(dose * 0.05) } : null,
      };
    }
    events.push({ kind: 'refill', hour, instilledMl });
    events.push({ kind: 'reprogram', hour, programme: physicalProgramme(p.programme) });
    const body = this.refillBody(p, today, residualMl, instilledMl, change);
    const refill = await recordRefill(this.deps, this.nurse, p.id, body);
    p.booking = null;
    if (resume) {
      await this.check(refill);
      if (p.pausedUntil !== null) {
        this.stats.resumesLate += today > p.pausedUntil ? 1 : 0;
        await resumePump(this.deps, this.nurse, p.id, { resumedOn: today });
        p.pausedUntil = null;
        p.resumeOn = null;
      }
      return;
    }
    const wait = this.random() < 0.6 ? 0 : this.random() < 0.7 ? 1 : 2;
    const reject = this.random() < 0.05;
    if (wait === 0 && !reject) {
      await this.check(refill);
    } else {
      p.unsigned = { refill, body, decideOn: addDays(today, wait), reject };
    }
  }

  async missed(p: ServicePump): Promise<void> {
    this.stats.missed += 1;
    if (p.booking) {
      await updatePumpAppointment(this.deps, this.booker, p.booking.id, { state: 'missed' });
    }
    p.booking = null;
  }

  async book(p: ServicePump, onDate: PlainDate, today: PlainDate, late: boolean): Promise<void> {
    const a = await bookPumpAppointment(this.deps, this.booker, p.id, { kind: 'refill', onDate });
    p.booking = { id: a.id, onDate, bookedAt: today };
    this.stats.lateBookings += late ? 1 : 0;
  }

  async rebook(p: ServicePump, onDate: PlainDate, today: PlainDate): Promise<void> {
    if (p.booking) {
      await updatePumpAppointment(this.deps, this.booker, p.booking.id, { state: 'cancelled' });
    }
    await this.book(p, onDate, today, false);
  }

  /**
   * A change proposed today (±20 %): programmed today or tomorrow, or never when it will be
   * rejected; checked then, or a day or two later with the day it was programmed.
   */
  async proposeChange(
    p: ServicePump,
    today: PlainDate,
    events: PumpEvent[],
    programmedLater: boolean,
    rejected: boolean,
  ): Promise<void> {
    this.stats.changesBetweenRefills += 1;
    const dose = Math.round(p.programme.doseMcgPerDay * (0.85 + this.random() * 0.3));
    const programme: Programme = {
      ...p.programme,
      doseMcgPerDay: dose,
      bolus: p.programme.bolus ? { ...p.programme.bolus, doseMcg: Math.round(dose * 0.05) } : null,
    };
    const proposed = await proposePrescription(this.deps, this.nurse, p.id, {
      concentrationMcgPerMl: programme.concentrationMcgPerMl,
      phase: 'maintenance',
      reason: 'Simulated review',
      programme: programmeBody(programme),
    });
    const programmedOn = rejected ? null : addDays(today, programmedLater ? 1 : 0);
    const decideOn =
      programmedOn === null ? addDays(today, 1) : addDays(programmedOn, this.random() < 0.5 ? 0 : 1);
    this.stats.changesProgrammedBeforeConfirmed += programmedOn !== null && decideOn > programmedOn ? 1 : 0;
    p.pending = { prescriptionId: proposed.id, programme, programmedOn, decideOn };
    if (programmedOn === today) {
      events.push({ kind: 'reprogram', hour: 14, programme: physicalProgramme(programme) });
      p.programme = programme;
    } else if (programmedOn !== null) {
      p.reprogramOn = { on: programmedOn, programme };
    }
  }

  private async decideChange(p: ServicePump, today: PlainDate): Promise<void> {
    const c = p.pending;
    if (!c) {
      return;
    }
    if (c.programmedOn === null) {
      this.stats.changesRejected += 1;
      await rejectPrescription(this.deps, this.consultant, c.prescriptionId, { note: 'Not agreed' });
    } else {
      const programmedOn = c.programmedOn <= today ? c.programmedOn : today;
      await confirmPrescription(this.deps, this.consultant, c.prescriptionId, { programmedOn });
      if (c.programmedOn > today) {
        // Settled at a visit before the day planned: programmed now.
        p.reprogramOn = { on: today, programme: c.programme };
      }
    }
    p.pending = null;
  }

  /** Emptied for an MRI scan today, to resume in `days`; sometimes resumed `late` days after. */
  async pause(
    p: ServicePump,
    today: PlainDate,
    events: PumpEvent[],
    days: number,
    late: number,
  ): Promise<void> {
    this.stats.pauses += 1;
    if (p.booking) {
      await updatePumpAppointment(this.deps, this.booker, p.booking.id, { state: 'cancelled' });
      p.booking = null;
    }
    p.pausedUntil = addDays(today, days);
    p.resumeOn = addDays(p.pausedUntil, late);
    await pausePump(this.deps, this.nurse, p.id, {
      reason: 'mri',
      emptied: true,
      pausedOn: today,
      resumeBy: p.pausedUntil,
    });
    events.push({ kind: 'pause', hour: 9 });
  }

  /** An explant asked for today: real (the pump comes out) or a mistake the checker rejects. */
  async requestEnd(p: ServicePump, today: PlainDate, events: PumpEvent[], real: boolean): Promise<void> {
    const request = await requestPumpEnd(this.deps, this.nurse, p.id, {
      kind: 'explant',
      endedOn: today,
      reason: real ? 'Removed for infection' : 'Recorded against the wrong pump',
    });
    p.endRequest = { id: request.id, decideOn: addDays(today, this.random() < 0.5 ? 0 : 2), real };
    if (real) {
      // An explant is confirmed only with its bridging plan recorded (H-140).
      await recordBridgingPlan(this.deps, this.nurse, p.id, {
        ...EXPLANT_PLAN,
        startOn: today,
        reviewOn: addDays(today, 7),
      });
      events.push({ kind: 'explant', hour: 10 });
    }
  }

  /** Decisions due this morning: refill checks, changes, end requests, refills recorded again. */
  async morning(p: ServicePump, today: PlainDate): Promise<void> {
    if (p.ended) {
      return;
    }
    const u = p.unsigned;
    if (u && u.decideOn <= today) {
      p.unsigned = null;
      if (u.reject) {
        this.stats.refillsRejected += 1;
        await rejectRefill(this.deps, this.consultant, u.refill.id, { reason: 'Volume instilled mistyped' });
        // Recorded again the next day as it happened (the same programme, if one was set).
        p.rerecord = { body: u.body, on: addDays(today, 1) };
      } else {
        await this.check(u.refill);
      }
    }
    if (p.rerecord && p.rerecord.on <= today) {
      const again = await recordRefill(this.deps, this.nurse, p.id, p.rerecord.body);
      p.rerecord = null;
      await this.check(again);
    }
    if (p.pending && p.pending.decideOn <= today) {
      await this.decideChange(p, today);
    }
    const end = p.endRequest;
    if (end && end.decideOn <= today) {
      p.endRequest = null;
      if (end.real) {
        await confirmEndRequest(this.deps, this.consultant, end.id, {});
        p.ended = true;
        this.stats.endsConfirmed += 1;
      } else {
        await rejectEndRequest(this.deps, this.consultant, end.id, { reason: 'The pump is still in place' });
        this.stats.endsRejected += 1;
      }
    }
  }
}
