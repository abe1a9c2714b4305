import type { PlainDate } from '../domain/calendar-date.ts';
import { doseByWeekday } from '../domain/dose-programme.ts';
import { dailyVolumeMl, type DeliverySegment } from '../domain/refill-arithmetic.ts';
import type { CompletedFill } from '../domain/refill-findings.ts';
import { pausesSinceFill, type ProgrammedSegment, type StoppedSpan } from '../domain/residual-history.ts';
import type { DbOrTrx } from '../storage/database.ts';
import { listPauses } from '../storage/pump-lifecycle.repository.ts';
import { listPrescriptions, type Prescription } from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import { findRefillById, type Refill } from '../storage/refills.repository.ts';
import { dateIn } from './clock.ts';

/**
 * The fill the pump is running on: its last signed refill, the programme it was filled under,
 * and every change confirmed since, each from the day the pump was programmed with it (not the
 * day the check was recorded). The pump's plan (replanPump) and the software's expected residual
 * at the next refill both read it, so the two count the same programmes from the same days.
 */
export interface FillHistory {
  readonly refill: Refill;
  /** The fill's own programme first, then each change in the order the pump was programmed. */
  readonly programmes: readonly { readonly prescription: Prescription; readonly from: PlainDate }[];
}

/** The day a prescription was programmed; rows from before programmed dates were kept use the day confirmed. */
export function programmedDay(p: Prescription, timeZone: string): PlainDate | null {
  if (p.programmedOn !== null) {
    return p.programmedOn;
  }
  return p.decidedAt === null ? null : dateIn(new Date(p.decidedAt), timeZone);
}

/** Null before the pump's first signed refill: there is no recorded fill to count from. */
export async function loadFillHistory(
  db: DbOrTrx,
  pump: Pump,
  timeZone: string,
): Promise<FillHistory | null> {
  if (pump.lastRefillId === null) {
    return null;
  }
  const refill = await findRefillById(db, pump.lastRefillId);
  if (refill?.state !== 'signed' || refill.signedAt === null) {
    return null;
  }
  const signedAt = refill.signedAt;
  const all = await listPrescriptions(db, pump.id);
  const own = all.find((p) => p.id === refill.prescriptionId);
  if (!own) {
    return null;
  }
  // Changes confirmed after the fill was signed (one confirmed between recording and signing
  // would have made the refill's own prescription stale, and signing refuses that).
  const since = all
    .filter(
      (p) =>
        p.id !== own.id &&
        (p.state === 'active' || p.state === 'superseded') &&
        p.decidedAt !== null &&
        p.decidedAt > signedAt,
    )
    .map((p) => ({ prescription: p, from: programmedDay(p, timeZone) ?? refill.performedOn }))
    .sort((a, b) =>
      a.from !== b.from
        ? a.from < b.from
          ? -1
          : 1
        : (a.prescription.decidedAt ?? '').localeCompare(b.prescription.decidedAt ?? ''),
    );
  return { refill, programmes: [{ prescription: own, from: refill.performedOn }, ...since] };
}

/** A prescription as the residual arithmetic counts it: continuous volume by weekday, boluses apart. */
export function programmedSegment(p: Prescription, from: PlainDate): ProgrammedSegment {
  const bolus = p.programme.bolus ? p.programme.bolus.doseMcg * p.programme.bolus.maxPerDay : 0;
  return {
    from,
    continuousMlByWeekday: doseByWeekday(p.programme).map((dose) => dose / p.concentrationMcgPerMl),
    bolusMlPerDay: bolus / p.concentrationMcgPerMl,
  };
}

/** The fill a new refill completes, for refillFindings, with the days the pump stood stopped. */
export function completedFill(h: FillHistory, stopped: readonly StoppedSpan[] = []): CompletedFill {
  return {
    fillMl: h.refill.instilledMl,
    filledOn: h.refill.performedOn,
    alarmMl: h.refill.alarmMl,
    segments: h.programmes.map((x) => programmedSegment(x.prescription, x.from)),
    stopped,
  };
}

/** The fill a refill on `on` is judged against, and why there is none when a pause emptied it. */
export interface FillToJudge {
  /** Null before the first signed fill, or when a pause since emptied the reservoir. */
  readonly fill: CompletedFill | null;
  /** The day a pause since the fill emptied the reservoir; null when none did. */
  readonly emptiedOn: PlainDate | null;
  /** The days the pump stood stopped, with its drug inside, between the fill and `on`. */
  readonly stopped: readonly StoppedSpan[];
}

/**
 * The fill a new refill completes, through the pump's pauses since (pausesSinceFill): an
 * emptying pause ends the fill (no software figure); a pause that only stopped the pump is
 * followed with no delivery from its date to its resume date, so a pump that ran dry around a
 * short MRI stop is still flagged.
 */
export async function loadFillToJudge(
  db: DbOrTrx,
  pump: Pump,
  on: PlainDate,
  timeZone: string,
): Promise<FillToJudge> {
  const history = await loadFillHistory(db, pump, timeZone);
  if (history === null) {
    return { fill: null, emptiedOn: null, stopped: [] };
  }
  const pauses = pausesSinceFill(await listPauses(db, pump.id), history.refill.performedOn, on);
  return {
    fill: pauses.emptiedOn === null ? completedFill(history, pauses.stopped) : null,
    emptiedOn: pauses.emptiedOn,
    stopped: pauses.stopped,
  };
}

/**
 * The plan's segments: the largest daily volume with every bolus (planning dose), the fill's
 * own as recorded with the refill.
 */
export function planSegments(h: FillHistory): DeliverySegment[] {
  return h.programmes.map((x, i) => ({
    from: x.from,
    dailyVolumeMl:
      i === 0
        ? h.refill.dailyVolumeMl
        : dailyVolumeMl(x.prescription.planningDoseMcgPerDay, x.prescription.concentrationMcgPerMl),
  }));
}
