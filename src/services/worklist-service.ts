import type { PlainDate } from '../domain/calendar-date.ts';
import { findPumpModel, pumpLifeDates } from '../domain/pump-device.ts';
import { nextReviewDue, reviewLabel } from '../domain/review-schedule.ts';
import {
  compareStandings,
  dateStatus,
  refillStanding,
  REFILL_STATUSES,
  type DateStatus,
  type RefillStanding,
  type RefillStatus,
} from '../domain/refill-worklist.ts';
import { pumpIdsWithUnsignedRefill } from '../storage/refills.repository.ts';
import { closedDaysAround, serviceToday, type PumpServiceDeps } from './pump-service.ts';

/**
 * The refill worklist across the whole caseload: every implanted pump, whatever its state, with
 * its refill standing, next review and replacement date, most at risk first. One query reads
 * the pumps (their plan is kept on the row when a refill is signed) and one the open bookings.
 */
export interface WorklistEntry {
  readonly pumpId: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly nhsNumber: string;
  readonly modelName: string;
  readonly reservoirMl: number;
  readonly alarmOn: PlainDate | null;
  readonly refillDueBy: PlainDate | null;
  readonly bookedRefillOn: PlainDate | null;
  readonly standing: RefillStanding;
  /** A refill recorded but not yet signed: the dates shown are still the previous fill's. */
  readonly awaitingCheck: boolean;
  readonly review: {
    readonly dueOn: PlainDate;
    readonly label: string;
    readonly status: DateStatus;
    readonly bookedOn: PlainDate | null;
  };
  readonly replacement: {
    readonly replaceBy: PlainDate;
    readonly status: DateStatus;
    readonly eriOn: PlainDate | null;
  };
}

export interface Worklist {
  readonly today: PlainDate;
  /** The requested slice of the sorted list (all of it by default). */
  readonly entries: readonly WorklistEntry[];
  /** Implanted pumps on the whole list. */
  readonly total: number;
  readonly counts: Readonly<Record<RefillStatus, number>>;
  readonly escalated: number;
  readonly reviewsDue: number;
  readonly replacementsDue: number;
}

async function patientNames(
  deps: PumpServiceDeps,
  ids: readonly string[],
): Promise<Map<string, { name: string; nhsNumber: string }>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await deps.db
    .selectFrom('patients')
    .select(['id', 'given_name', 'family_name', 'nhs_number'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { name: `${r.family_name.toUpperCase()}, ${r.given_name}`, nhsNumber: r.nhs_number },
    ]),
  );
}

type Bookings = Map<string, { refill: PlainDate | null; review: PlainDate | null }>;

async function openBookings(deps: PumpServiceDeps, today: PlainDate): Promise<Bookings> {
  const rows = await deps.db
    .selectFrom('pump_appointments')
    .select(['pump_id', 'kind', (eb) => eb.fn.min('on_date').as('first_on')])
    .where('state', '=', 'booked')
    .where('on_date', '>=', today)
    .groupBy(['pump_id', 'kind'])
    .execute();
  const map: Bookings = new Map();
  for (const r of rows) {
    const entry = map.get(r.pump_id) ?? { refill: null, review: null };
    if (r.kind === 'refill') {
      entry.refill = r.first_on as PlainDate;
    } else if (r.kind === 'review') {
      entry.review = r.first_on as PlainDate;
    }
    map.set(r.pump_id, entry);
  }
  return map;
}

type Unnamed = Omit<WorklistEntry, 'patientName' | 'nhsNumber'>;

/**
 * Computes the whole worklist, sorted most at risk first, and returns the slice asked for with
 * the patients' names: only that slice reads the patients table, so a caseload of 100,000 pumps
 * is ranked from the pumps table alone (README, Benchmarks).
 */
export async function refillWorklist(
  deps: PumpServiceDeps,
  slice: { readonly offset?: number; readonly limit?: number } = {},
): Promise<Worklist> {
  const today = serviceToday(deps);
  const rules = deps.config.pumpRules;
  const closed = closedDaysAround(deps, today);
  const [pumps, bookings, unsigned] = await Promise.all([
    deps.db
      .selectFrom('pumps')
      .select([
        'id',
        'patient_id',
        'model_id',
        'reservoir_ml',
        'implanted_on',
        'eri_on',
        'alarm_on',
        'refill_due_by',
        'reviews_held',
      ])
      .where('state', '=', 'implanted')
      .execute(),
    openBookings(deps, today),
    pumpIdsWithUnsignedRefill(deps.db),
  ]);
  const counts = Object.fromEntries(REFILL_STATUSES.map((s) => [s, 0])) as Record<RefillStatus, number>;
  let reviewsDue = 0;
  let replacementsDue = 0;
  const ranked: Unnamed[] = pumps.map((p) => {
    const booked = bookings.get(p.id);
    const alarmOn = p.alarm_on as PlainDate | null;
    const refillDueBy = p.refill_due_by as PlainDate | null;
    const standing = refillStanding(
      { alarmDate: alarmOn, refillDueBy, bookedOn: booked?.refill ?? null },
      today,
      closed,
      rules.dueSoonDays,
    );
    counts[standing.status] += 1;
    const implantedOn = p.implanted_on as PlainDate;
    const review = nextReviewDue(rules.reviewSchedule, implantedOn, p.reviews_held);
    const reviewStatus = dateStatus(review.dueOn, today, rules.dueSoonDays);
    const model = findPumpModel(p.model_id);
    const life = model ? pumpLifeDates(model, implantedOn, p.eri_on as PlainDate | null) : null;
    const replaceBy = life?.replaceBy ?? implantedOn;
    const replacementStatus = p.eri_on !== null ? 'overdue' : dateStatus(replaceBy, today, rules.dueSoonDays);
    if (reviewStatus !== 'later') {
      reviewsDue += 1;
    }
    if (replacementStatus !== 'later') {
      replacementsDue += 1;
    }
    return {
      pumpId: p.id,
      patientId: p.patient_id,
      modelName: model?.name ?? p.model_id,
      reservoirMl: p.reservoir_ml,
      alarmOn,
      refillDueBy,
      bookedRefillOn: booked?.refill ?? null,
      standing,
      awaitingCheck: unsigned.has(p.id),
      review: {
        dueOn: review.dueOn,
        label: reviewLabel(rules.reviewSchedule, review.index),
        status: reviewStatus,
        bookedOn: booked?.review ?? null,
      },
      replacement: { replaceBy, status: replacementStatus, eriOn: p.eri_on as PlainDate | null },
    };
  });
  ranked.sort((a, b) => compareStandings(a.standing, b.standing) || (a.pumpId < b.pumpId ? -1 : 1));
  const offset = slice.offset ?? 0;
  const shown = ranked.slice(offset, offset + (slice.limit ?? ranked.length));
  const names = await patientNames(
    deps,
    shown.map((e) => e.patientId),
  );
  return {
    today,
    entries: shown.map((e) => ({
      ...e,
      patientName: names.get(e.patientId)?.name ?? 'Unknown patient',
      nhsNumber: names.get(e.patientId)?.nhsNumber ?? '',
    })),
    total: ranked.length,
    counts,
    escalated: ranked.filter((e) => e.standing.escalated).length,
    reviewsDue,
    replacementsDue,
  };
}
