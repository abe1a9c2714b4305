import { sql } from 'kysely';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { RefillStatus } from '../domain/refill-worklist.ts';
import type { DbOrTrx } from './database.ts';

/**
 * The refill worklist's reads. The database ranks and counts: each pump row keeps its working due
 * date, next review and replace-by date (pumpSchedule, saved with every change), so 100,000 pumps
 * are counted from index ranges and one sorted query returns a page, without the application
 * reading every row (docs/performance.md).
 */

/** What the worklist shows of one implanted pump. */
export interface WorklistPump {
  readonly id: string;
  readonly patientId: string;
  readonly modelId: string;
  readonly reservoirMl: number;
  readonly eriOn: PlainDate | null;
  readonly alarmOn: PlainDate | null;
  readonly refillDueBy: PlainDate | null;
  readonly reviewsHeld: number;
  readonly nextReviewOn: PlainDate;
  readonly replaceBy: PlainDate;
  readonly bookedRefillOn: PlainDate | null;
  readonly pausedOn: PlainDate | null;
  readonly resumeBy: PlainDate | null;
  /** The earliest review booked from today on. */
  readonly reviewBookedOn: PlainDate | null;
}

export interface WorklistCounts {
  readonly counts: Record<RefillStatus, number>;
  readonly total: number;
  readonly reviewsDue: number;
  readonly replacementsDue: number;
}

type Pumps = ReturnType<typeof implantedPumps>;

function implantedPumps(db: DbOrTrx) {
  return db.selectFrom('pumps as p').where('p.state', '=', 'implanted');
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

/**
 * Counts by status, reviews and replacements due. Each count is a range of its own index, so
 * none evaluates an expression per pump: the cost is the rows in each range. The implanted pumps
 * are all the pumps less the few ended ones (SQLite counts a whole index from its pages alone).
 * Of the pumps with a current due date, only those with a refill booked from today on are read;
 * the rest are "not booked". A paused pump has no working due date (pumpSchedule), so it is among
 * those without one. The counts subtracted from one another are read in one statement, so one
 * snapshot (no pump moving between them can make a status count wrong or negative); the reviews
 * and replacements stand alone, and PostgreSQL reads them side by side with it.
 */
export async function countWorklist(db: DbOrTrx, today: PlainDate, soon: PlainDate): Promise<WorklistCounts> {
  const countAll = (as: string) => sql<number | string>`count(*)`.as(as);
  const when = (condition: ReturnType<typeof sql>) =>
    sql<number | string>`sum(case when ${condition} then 1 else 0 end)`;
  const count = (f: (q: Pumps) => Pumps) =>
    f(implantedPumps(db))
      .select(countAll('n'))
      .executeTakeFirst()
      .then((r) => toNumber(r?.n));
  const [row, reviewsDue, replaceSoon, eriLater] = await Promise.all([
    db
      .selectFrom([
        db.selectFrom('pumps').select(countAll('all_pumps')).as('a'),
        db
          .selectFrom('pumps')
          .where((eb) => eb.or([eb('state', '<', 'implanted'), eb('state', '>', 'implanted')]))
          .select(countAll('ended'))
          .as('e'),
        implantedPumps(db).where('p.refill_due_on', '<', today).select(countAll('overdue')).as('o'),
        implantedPumps(db).where('p.refill_due_on', 'is', null).select(countAll('no_due_date')).as('u'),
        // Booked from today on, due from today on (pumps_booked_idx): late, this week, or in time.
        implantedPumps(db)
          .where('p.refill_booked_on', '>=', today)
          .where('p.refill_due_on', '>=', today)
          .select([
            countAll('booked'),
            when(sql`p.refill_booked_on > p.refill_due_on`).as('late'),
            when(sql`p.refill_booked_on <= p.refill_due_on and p.refill_due_on <= ${soon}`).as('soon'),
          ])
          .as('b'),
        // The few paused pumps, from their own index.
        implantedPumps(db)
          .where('p.resume_by', 'is not', null)
          .select([countAll('paused'), when(sql`p.resume_by <= ${today}`).as('resume_overdue')])
          .as('r'),
      ])
      .selectAll()
      .executeTakeFirst(),
    count((q) => q.where('p.next_review_on', '<=', soon)),
    count((q) => q.where('p.replace_by', '<=', soon)),
    // The few pumps past their replacement indicator, from their own index (which holds the
    // replace-by date too); those not yet due for replacement add to the ones that are.
    implantedPumps(db)
      .where('p.eri_on', 'is not', null)
      .select(when(sql`p.replace_by > ${soon}`).as('n'))
      .executeTakeFirst()
      .then((r) => toNumber(r?.n)),
  ]);
  const total = toNumber(row?.all_pumps) - toNumber(row?.ended);
  const overdue = toNumber(row?.overdue);
  const noDueDate = toNumber(row?.no_due_date);
  const booked = toNumber(row?.booked);
  const late = toNumber(row?.late);
  const dueSoon = toNumber(row?.soon);
  const pausedAll = toNumber(row?.paused);
  const pausedOverdue = toNumber(row?.resume_overdue);
  // Every implanted pump's working due date is before today, missing, or from today on.
  const current = total - overdue - noDueDate;
  return {
    counts: {
      'resume-overdue': pausedOverdue,
      overdue,
      'no-plan': noDueDate - pausedAll,
      'booked-late': late,
      'not-booked': current - booked,
      paused: pausedAll - pausedOverdue,
      'due-soon': dueSoon,
      // Booked on or before a due date after this week: the booked rows neither late nor due soon.
      booked: booked - late - dueSoon,
    },
    total,
    reviewsDue,
    replacementsDue: replaceSoon + eriLater,
  };
}

/** One status's pumps, `offset` and `limit` within it, in the order the worklist ranks them. */
export async function worklistPumpsWithStatus(
  db: DbOrTrx,
  today: PlainDate,
  soon: PlainDate,
  status: RefillStatus,
  offset: number,
  limit: number,
): Promise<WorklistPump[]> {
  const firstBooking = (kind: 'refill' | 'review') =>
    sql<
      string | null
    >`(select min(a.on_date) from pump_appointments a where a.pump_id = p.id and a.kind = ${kind}
      and a.state = 'booked' and a.on_date >= ${today})`;
  const filter = statusFilters(today, soon)[status];
  const query = filter(implantedPumps(db)).select([
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
  const rows = await ordered.orderBy('p.id').limit(limit).offset(offset).execute();
  return rows.map((p) => ({
    id: p.id,
    patientId: p.patient_id,
    modelId: p.model_id,
    reservoirMl: p.reservoir_ml,
    eriOn: p.eri_on as PlainDate | null,
    alarmOn: p.alarm_on as PlainDate | null,
    refillDueBy: p.refill_due_by as PlainDate | null,
    reviewsHeld: p.reviews_held,
    nextReviewOn: p.next_review_on as PlainDate,
    replaceBy: p.replace_by as PlainDate,
    bookedRefillOn: (p.refill_booked_on as PlainDate | null) ?? null,
    pausedOn: (p.paused_on ?? null) as PlainDate | null,
    resumeBy: (p.resume_by ?? null) as PlainDate | null,
    reviewBookedOn: (p.review_booked_on as PlainDate | null) ?? null,
  }));
}

/** Which of the given pumps have a refill recorded but not yet signed. */
export async function pumpsAwaitingRefillCheck(
  db: DbOrTrx,
  pumpIds: readonly string[],
): Promise<Set<string>> {
  if (pumpIds.length === 0) {
    return new Set();
  }
  const rows = await db
    .selectFrom('refills')
    .select('pump_id')
    .where('state', '=', 'recorded')
    .where('pump_id', 'in', [...pumpIds])
    .execute();
  return new Set(rows.map((r) => r.pump_id));
}
