import { sql } from 'kysely';
import { addDays, type PlainDate } from '../domain/calendar-date.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import { reviewLabel } from '../domain/review-schedule.ts';
import {
  dateStatus,
  ESCALATED,
  refillStanding,
  REFILL_STATUSES,
  type DateStatus,
  type RefillStanding,
  type RefillStatus,
} from '../domain/refill-worklist.ts';
import { END_REQUEST_KIND_LABELS, type EndRequestKind } from '../domain/pump-lifecycle.ts';
import { today as serviceToday } from './clock.ts';
import { findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import { countPendingEndRequests, pendingEndRequestKinds } from '../storage/pump-lifecycle.repository.ts';
import { closedDaysAround, type PumpServiceDeps } from './pump-store.ts';

/** "SMITH, Ann", as the other lists show patients. */
function nameOf(patient: Patient | undefined): string {
  return patient ? `${patient.familyName.toUpperCase()}, ${patient.givenName}` : 'Unknown patient';
}

/**
 * The refill worklist across the whole caseload: every implanted pump, whatever its state, with
 * its refill standing, next review and replacement date, most at risk first.
 *
 * The database ranks and counts: each pump row keeps its working due date, next review and
 * replace-by date (pumpSchedule, saved with every change), so one grouped query counts 100,000
 * pumps and one sorted query returns the page, without the application reading every row
 * (docs/performance.md). The shown pumps' standings are then worked out by the same pure
 * refillStanding the rank expression mirrors; a test keeps the two in step.
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
  /** While the pump is paused: since when, and the date it is due to resume. */
  readonly pause: { readonly pausedOn: PlainDate; readonly resumeBy: PlainDate } | null;
  /**
   * A request to end the pump (explant, death, transfer) waiting for a second clinician: shown
   * beside the status, which it does not change (the pump stays on the list until confirmed).
   */
  readonly endRequest: { readonly kind: EndRequestKind; readonly label: string } | null;
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
  /** The requested slice of the ranked list (all of it by default). */
  readonly entries: readonly WorklistEntry[];
  /** Implanted pumps on the whole list. */
  readonly total: number;
  readonly counts: Readonly<Record<RefillStatus, number>>;
  readonly escalated: number;
  readonly reviewsDue: number;
  readonly replacementsDue: number;
  /** Pumps with an explant, death or transfer waiting for a second clinician (still on the list). */
  readonly ending: number;
}

type Pumps = ReturnType<typeof implantedPumps>;

function implantedPumps(deps: PumpServiceDeps) {
  return deps.db.selectFrom('pumps as p').where('p.state', '=', 'implanted');
}

/**
 * Each status as a condition on the stored resume date, working due date and earliest booked
 * refill, in REFILL_STATUSES order: the same decisions as refillStanding. A paused pump (resume
 * date set) is ranked on its resume date alone: it has no working due date while paused
 * (pumpSchedule), so the due-date conditions leave it out, and "no plan" asks for a running
 * pump. A booking dated before today was missed without being recorded and counts as none.
 */
function statusFilters(today: PlainDate, soon: PlainDate): Record<RefillStatus, (q: Pumps) => Pumps> {
  const current = (q: Pumps) => q.where('p.refill_due_on', '>=', today);
  const booked = (q: Pumps) => current(q).where('p.refill_booked_on', '>=', today);
  return {
    'resume-overdue': (q) => q.where('p.resume_by', '<=', today),
    overdue: (q) => q.where('p.refill_due_on', '<', today),
    'no-plan': (q) => q.where('p.refill_due_on', 'is', null).where('p.resume_by', 'is', null),
    'booked-late': (q) => booked(q).whereRef('p.refill_booked_on', '>', 'p.refill_due_on'),
    'not-booked': (q) =>
      current(q).where((eb) =>
        eb.or([eb('p.refill_booked_on', 'is', null), eb('p.refill_booked_on', '<', today)]),
      ),
    paused: (q) => q.where('p.resume_by', '>', today),
    'due-soon': (q) =>
      booked(q).whereRef('p.refill_booked_on', '<=', 'p.refill_due_on').where('p.refill_due_on', '<=', soon),
    booked: (q) =>
      booked(q).whereRef('p.refill_booked_on', '<=', 'p.refill_due_on').where('p.refill_due_on', '>', soon),
  };
}

const toNumber = (v: unknown): number => Number(v ?? 0);

/** Counts by status, reviews and replacements due, in one pass over the implanted pumps. */
async function countStatuses(
  deps: PumpServiceDeps,
  today: PlainDate,
  soon: PlainDate,
): Promise<{
  counts: Record<RefillStatus, number>;
  total: number;
  reviewsDue: number;
  replacementsDue: number;
}> {
  const when = (condition: ReturnType<typeof sql>) =>
    sql<number | string>`sum(case when ${condition} then 1 else 0 end)`;
  const due = sql`p.refill_due_on`;
  const bookedOn = sql`p.refill_booked_on`;
  const isBooked = sql`${bookedOn} >= ${today}`;
  // Four reads, each answered from its own index, so PostgreSQL can run them side by side.
  const count = (f: (q: Pumps) => Pumps) =>
    f(implantedPumps(deps))
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
  const [row, paused, reviews, replaceSoon, eriLater] = await Promise.all([
    implantedPumps(deps)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('total'),
        when(sql`${due} < ${today}`).as('overdue'),
        when(sql`${due} is null`).as('noDueDate'),
        when(sql`${due} >= ${today} and ${isBooked} and ${bookedOn} > ${due}`).as('late'),
        when(sql`${due} >= ${today} and ${isBooked} and ${bookedOn} <= ${due} and ${due} <= ${soon}`).as(
          'soon',
        ),
        when(sql`${due} > ${soon} and ${isBooked} and ${bookedOn} <= ${due}`).as('booked'),
        when(sql`${due} >= ${today}`).as('current'),
      ])
      .executeTakeFirst(),
    // The few paused pumps, from their own index.
    implantedPumps(deps)
      .where('p.resume_by', 'is not', null)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        when(sql`p.resume_by <= ${today}`).as('overdue'),
      ])
      .executeTakeFirst(),
    count((q) => q.where('p.next_review_on', '<=', soon)),
    count((q) => q.where('p.replace_by', '<=', soon)),
    count((q) => q.where('p.eri_on', 'is not', null).where('p.replace_by', '>', soon)),
  ]);
  const late = toNumber(row?.late);
  const dueSoon = toNumber(row?.soon);
  const inTime = toNumber(row?.booked);
  const pausedAll = toNumber(paused?.n);
  const pausedOverdue = toNumber(paused?.overdue);
  return {
    counts: {
      'resume-overdue': pausedOverdue,
      overdue: toNumber(row?.overdue),
      // A paused pump has no working due date (pumpSchedule): of the pumps without one, those
      // not paused are the ones with no plan.
      'no-plan': toNumber(row?.noDueDate) - pausedAll,
      'booked-late': late,
      'not-booked': toNumber(row?.current) - late - dueSoon - inTime,
      paused: pausedAll - pausedOverdue,
      'due-soon': dueSoon,
      booked: inTime,
    },
    total: toNumber(row?.total),
    reviewsDue: toNumber(reviews?.n),
    replacementsDue: toNumber(replaceSoon?.n) + toNumber(eriLater?.n),
  };
}

/** Computes the worklist: counts over the caseload and the slice asked for, most at risk first. */
export async function refillWorklist(
  deps: PumpServiceDeps,
  slice: { readonly offset?: number; readonly limit?: number } = {},
): Promise<Worklist> {
  const today = serviceToday(deps);
  const rules = deps.config.pumpRules;
  const soon = addDays(today, rules.dueSoonDays);
  const [{ counts, total, reviewsDue, replacementsDue }, pendingRequests] = await Promise.all([
    countStatuses(deps, today, soon),
    countPendingEndRequests(deps.db),
  ]);

  // The page walks the statuses in order, each read in due-date order from its own condition,
  // skipping whole statuses that lie before the offset.
  const filters = statusFilters(today, soon);
  let skip = slice.offset ?? 0;
  let wanted = slice.limit ?? total;
  const rows: Awaited<ReturnType<typeof readPage>> = [];
  for (const status of REFILL_STATUSES) {
    if (wanted <= 0) {
      break;
    }
    if (skip >= counts[status]) {
      skip -= counts[status];
      continue;
    }
    const part = await readPage(deps, today, status, filters[status], skip, wanted);
    rows.push(...part);
    wanted -= part.length;
    skip = 0;
  }
  const ids = rows.map((r) => r.id);
  const [names, unsigned, ending] = await Promise.all([
    findPatientsByIds(
      deps.db,
      rows.map((r) => r.patient_id),
    ),
    unsignedRefills(deps, ids),
    pendingEndRequestKinds(deps.db, ids),
  ]);
  const closed = closedDaysAround(deps, today);
  const entries = rows.map((p): WorklistEntry => {
    const alarmOn = p.alarm_on as PlainDate | null;
    const refillDueBy = p.refill_due_by as PlainDate | null;
    const bookedRefillOn = (p.refill_booked_on as PlainDate | null) ?? null;
    const nextReviewOn = p.next_review_on as PlainDate;
    const replaceBy = p.replace_by as PlainDate;
    const eriOn = p.eri_on as PlainDate | null;
    const resumeBy = p.resume_by as PlainDate | null;
    const endKind = ending.get(p.id);
    return {
      pumpId: p.id,
      patientId: p.patient_id,
      patientName: nameOf(names.get(p.patient_id)),
      nhsNumber: names.get(p.patient_id)?.nhsNumber ?? '',
      modelName: findPumpModel(p.model_id)?.name ?? p.model_id,
      reservoirMl: p.reservoir_ml,
      alarmOn,
      refillDueBy,
      bookedRefillOn,
      standing: refillStanding(
        { alarmDate: alarmOn, refillDueBy, bookedOn: bookedRefillOn, resumeBy },
        today,
        closed,
        rules.dueSoonDays,
      ),
      awaitingCheck: unsigned.has(p.id),
      pause: resumeBy === null ? null : { pausedOn: (p.paused_on ?? resumeBy) as PlainDate, resumeBy },
      endRequest: endKind === undefined ? null : { kind: endKind, label: END_REQUEST_KIND_LABELS[endKind] },
      review: {
        dueOn: nextReviewOn,
        label: reviewLabel(rules.reviewSchedule, p.reviews_held),
        status: dateStatus(nextReviewOn, today, rules.dueSoonDays),
        bookedOn: (p.review_booked_on as PlainDate | null) ?? null,
      },
      replacement: {
        replaceBy,
        status: eriOn !== null ? 'overdue' : dateStatus(replaceBy, today, rules.dueSoonDays),
        eriOn,
      },
    };
  });
  return {
    today,
    entries,
    total,
    counts,
    escalated: REFILL_STATUSES.filter((st) => ESCALATED.has(st)).reduce((n, st) => n + counts[st], 0),
    reviewsDue,
    replacementsDue,
    ending: pendingRequests.ends,
  };
}

function readPage(
  deps: PumpServiceDeps,
  today: PlainDate,
  status: RefillStatus,
  filter: (q: Pumps) => Pumps,
  offset: number,
  limit: number,
) {
  const firstBooking = (kind: 'refill' | 'review') =>
    sql<
      string | null
    >`(select min(a.on_date) from pump_appointments a where a.pump_id = p.id and a.kind = ${kind}
      and a.state = 'booked' and a.on_date >= ${today})`;
  const query = filter(implantedPumps(deps)).select([
    'p.id',
    'p.patient_id',
    'p.model_id',
    'p.reservoir_ml',
    'p.eri_on',
    'p.alarm_on',
    'p.refill_due_by',
    'p.reviews_held',
    'p.next_review_on',
    'p.replace_by',
    'p.refill_booked_on',
    'p.paused_on',
    'p.resume_by',
    firstBooking('review').as('review_booked_on'),
  ]);
  // Paused pumps in resume-date order, running ones in due-date then alarm order (compareStandings).
  const ordered =
    status === 'paused' || status === 'resume-overdue'
      ? query.orderBy('p.resume_by')
      : query.orderBy('p.refill_due_on').orderBy('p.alarm_on');
  return ordered.orderBy('p.id').limit(limit).offset(offset).execute();
}

async function unsignedRefills(deps: PumpServiceDeps, pumpIds: readonly string[]): Promise<Set<string>> {
  if (pumpIds.length === 0) {
    return new Set();
  }
  const rows = await deps.db
    .selectFrom('refills')
    .select('pump_id')
    .where('state', '=', 'recorded')
    .where('pump_id', 'in', [...pumpIds])
    .execute();
  return new Set(rows.map((r) => r.pump_id));
}
