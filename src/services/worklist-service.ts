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
  readonly entries: readonly WorklistEntry[];
  readonly counts: Readonly<Record<RefillStatus, number>>;
  readonly escalated: number;
  readonly reviewsDue: number;
  readonly replacementsDue: number;
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

/** Computes the whole worklist, sorted most at risk first. */
export async function refillWorklist(deps: PumpServiceDeps): Promise<Worklist> {
  const today = serviceToday(deps);
  const rules = deps.config.pumpRules;
  const closed = closedDaysAround(deps, today);
  const [pumps, bookings, unsigned] = await Promise.all([
    deps.db
      .selectFrom('pumps')
      .innerJoin('patients', 'patients.id', 'pumps.patient_id')
      .select([
        'pumps.id',
        'pumps.patient_id',
        'pumps.model_id',
        'pumps.reservoir_ml',
        'pumps.implanted_on',
        'pumps.eri_on',
        'pumps.alarm_on',
        'pumps.refill_due_by',
        'pumps.reviews_held',
        'patients.given_name',
        'patients.family_name',
        'patients.nhs_number',
      ])
      .where('pumps.state', '=', 'implanted')
      .execute(),
    openBookings(deps, today),
    pumpIdsWithUnsignedRefill(deps.db),
  ]);
  const counts = Object.fromEntries(REFILL_STATUSES.map((s) => [s, 0])) as Record<RefillStatus, number>;
  let reviewsDue = 0;
  let replacementsDue = 0;
  const entries: WorklistEntry[] = pumps.map((p) => {
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
      patientName: `${p.family_name.toUpperCase()}, ${p.given_name}`,
      nhsNumber: p.nhs_number,
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
  entries.sort((a, b) => compareStandings(a.standing, b.standing) || a.pumpId.localeCompare(b.pumpId));
  return {
    today,
    entries,
    counts,
    escalated: entries.filter((e) => e.standing.escalated).length,
    reviewsDue,
    replacementsDue,
  };
}
