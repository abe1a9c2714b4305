import type { PlainDate } from '../domain/calendar-date.ts';
import type { DbOrTrx } from './database.ts';

/**
 * The home page's counts of what waits for a second check or is due, each one SQL count (the
 * refill statuses are the worklist's own counts, countWorklist), and the lists they count, in
 * the order people work them: oldest first. The list queries use the same conditions as the
 * counts, so a count and its list never disagree.
 */

export interface PumpTaskCounts {
  /** Dose changes proposed on their own, waiting for a second clinician (not those with a refill). */
  readonly prescriptionsToCheck: number;
  /** Refills recorded and flagged that no one has reviewed yet. */
  readonly refillsToReview: number;
  /** Refills recorded, reviewed when flagged, waiting to be checked and signed. */
  readonly refillsToSign: number;
  /** Volume corrections to signed refills waiting for a second clinician. */
  readonly correctionsToConfirm: number;
  /** Implanted pumps whose next review is before today. */
  readonly reviewsOverdue: number;
  /** Implanted pumps whose next review is from today to `soon`. */
  readonly reviewsDueSoon: number;
  /** Implanted pumps whose working refill date is from today to `soon`, booked or not. */
  readonly refillsDueSoon: number;
  /** Requests to end a pump or correct its end, waiting for a second clinician. */
  readonly pumpEndsToConfirm: number;
  /** Implanted pumps showing the replacement indicator or past their replace-by date. */
  readonly replacementsOverdue: number;
  /** Implanted pumps with no indicator whose replace-by date is from today to `soon`. */
  readonly replacementsDueSoon: number;
}

const n = (v: unknown): number => Number(v ?? 0);

function pendingPrescriptions(db: DbOrTrx) {
  // A change proposed with a refill is settled when the refill is signed: it is counted there.
  return db
    .selectFrom('prescriptions as x')
    .where('x.state', '=', 'pending')
    .where('x.refill_id', 'is', null);
}

function unsignedRefills(db: DbOrTrx, toReview: boolean) {
  const q = db.selectFrom('refills as x').where('x.state', '=', 'recorded');
  return toReview
    ? q.where('x.flagged', '=', 1).where('x.reviewed_at', 'is', null)
    : q.where((eb) => eb.or([eb('x.flagged', '=', 0), eb('x.reviewed_at', 'is not', null)]));
}

function pendingCorrections(db: DbOrTrx) {
  return db
    .selectFrom('refill_amendments as a')
    .innerJoin('refills as x', 'x.id', 'a.refill_id')
    .where('a.state', '=', 'pending');
}

function implanted(db: DbOrTrx) {
  return db.selectFrom('pumps as p').where('p.state', '=', 'implanted');
}

function reviewsOverdue(db: DbOrTrx, today: PlainDate) {
  return implanted(db).where('p.next_review_on', '<', today);
}

function reviewsDueSoon(db: DbOrTrx, today: PlainDate, soon: PlainDate) {
  return implanted(db).where('p.next_review_on', '>=', today).where('p.next_review_on', '<=', soon);
}

function refillsDueSoon(db: DbOrTrx, today: PlainDate, soon: PlainDate) {
  return implanted(db).where('p.refill_due_on', '>=', today).where('p.refill_due_on', '<=', soon);
}

function pendingEnds(db: DbOrTrx) {
  return db.selectFrom('pump_end_requests as e').where('e.state', '=', 'pending');
}

// The worklist's replacement standing: the indicator means "replace now" whatever the date.
function replacementsOverdue(db: DbOrTrx, today: PlainDate) {
  return implanted(db).where((eb) => eb.or([eb('p.eri_on', 'is not', null), eb('p.replace_by', '<', today)]));
}

function replacementsDueSoon(db: DbOrTrx, today: PlainDate, soon: PlainDate) {
  return implanted(db)
    .where('p.eri_on', 'is', null)
    .where('p.replace_by', '>=', today)
    .where('p.replace_by', '<=', soon);
}

/** Every count at once; each read is answered from its own index. */
export async function countPumpTasks(
  db: DbOrTrx,
  today: PlainDate,
  soon: PlainDate,
): Promise<PumpTaskCounts> {
  const [
    prescriptions,
    toReview,
    toSign,
    corrections,
    overdue,
    dueSoon,
    refillsSoon,
    ends,
    replaceOverdue,
    replaceSoon,
  ] = await Promise.all([
    pendingPrescriptions(db)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    unsignedRefills(db, true)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    unsignedRefills(db, false)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    pendingCorrections(db)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    reviewsOverdue(db, today)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    reviewsDueSoon(db, today, soon)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    refillsDueSoon(db, today, soon)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    pendingEnds(db)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    replacementsOverdue(db, today)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
    replacementsDueSoon(db, today, soon)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst(),
  ]);
  return {
    prescriptionsToCheck: n(prescriptions?.n),
    refillsToReview: n(toReview?.n),
    refillsToSign: n(toSign?.n),
    correctionsToConfirm: n(corrections?.n),
    reviewsOverdue: n(overdue?.n),
    reviewsDueSoon: n(dueSoon?.n),
    refillsDueSoon: n(refillsSoon?.n),
    pumpEndsToConfirm: n(ends?.n),
    replacementsOverdue: n(replaceOverdue?.n),
    replacementsDueSoon: n(replaceSoon?.n),
  };
}

/** One row of a task list: whose, what it is about, from when, and where to act on it. */
export interface TaskRow {
  readonly patientId: string;
  readonly pumpId: string;
  /** The record to open: the refill, or null for the pump itself. */
  readonly refillId: string | null;
  /** The date the list is ordered by: proposed, recorded, corrected, or due. */
  readonly on: string;
  /** Who proposed, recorded or corrected it, when someone did. */
  readonly byName: string | null;
  /** A refill's discrepancy (mL) when the row is a refill. */
  readonly discrepancyMl: number | null;
}

export type PumpTaskList =
  | 'prescriptions-to-check'
  | 'refills-to-review'
  | 'refills-to-sign'
  | 'corrections-to-confirm'
  | 'reviews-overdue'
  | 'reviews-due-soon'
  | 'refills-due-soon'
  | 'pump-ends-to-confirm'
  | 'replacements-overdue'
  | 'replacements-due-soon';

/** One page of a list, oldest (or soonest due) first. */
export async function listPumpTasks(
  db: DbOrTrx,
  list: PumpTaskList,
  dates: { readonly today: PlainDate; readonly soon: PlainDate },
  page: { readonly offset: number; readonly limit: number },
): Promise<TaskRow[]> {
  const { today, soon } = dates;
  let rows: {
    patientId: string;
    pumpId: string;
    refillId: string | null;
    on: string;
    by: string | null;
    ml: number | null;
  }[];
  switch (list) {
    case 'prescriptions-to-check':
      rows = await pendingPrescriptions(db)
        .select([
          'x.patient_id as patientId',
          'x.pump_id as pumpId',
          'x.proposed_at as on',
          'x.proposed_by as by',
        ])
        .orderBy('x.proposed_at')
        .orderBy('x.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute()
        .then((r) => r.map((x) => ({ ...x, refillId: null, ml: null })));
      break;
    case 'refills-to-review':
    case 'refills-to-sign':
      rows = await unsignedRefills(db, list === 'refills-to-review')
        .select([
          'x.patient_id as patientId',
          'x.pump_id as pumpId',
          'x.id as refillId',
          'x.recorded_at as on',
          'x.performed_by as by',
          'x.discrepancy_ml as ml',
        ])
        .orderBy('x.recorded_at')
        .orderBy('x.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      break;
    case 'corrections-to-confirm':
      rows = await pendingCorrections(db)
        .select([
          'x.patient_id as patientId',
          'x.pump_id as pumpId',
          'x.id as refillId',
          'a.amended_at as on',
          'a.amended_by as by',
        ])
        .orderBy('a.amended_at')
        .orderBy('a.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute()
        .then((r) => r.map((x) => ({ ...x, ml: null })));
      break;
    case 'pump-ends-to-confirm':
      rows = await pendingEnds(db)
        .select([
          'e.patient_id as patientId',
          'e.pump_id as pumpId',
          'e.requested_at as on',
          'e.requested_by as by',
        ])
        .orderBy('e.requested_at')
        .orderBy('e.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute()
        .then((r) => r.map((x) => ({ ...x, refillId: null, ml: null })));
      break;
    case 'replacements-overdue':
    case 'replacements-due-soon':
      rows = await (
        list === 'replacements-overdue'
          ? replacementsOverdue(db, today)
          : replacementsDueSoon(db, today, soon)
      )
        .select(['p.patient_id as patientId', 'p.id as pumpId', 'p.replace_by as on'])
        .orderBy('p.replace_by')
        .orderBy('p.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute()
        .then((r) => r.map((x) => ({ ...x, refillId: null, by: null, ml: null })));
      break;
    case 'reviews-overdue':
    case 'reviews-due-soon':
    case 'refills-due-soon': {
      const q =
        list === 'reviews-overdue'
          ? reviewsOverdue(db, today)
          : list === 'reviews-due-soon'
            ? reviewsDueSoon(db, today, soon)
            : refillsDueSoon(db, today, soon);
      const column = list === 'refills-due-soon' ? 'p.refill_due_on' : 'p.next_review_on';
      rows = await q
        .select(['p.patient_id as patientId', 'p.id as pumpId', `${column} as on`])
        .orderBy(column)
        .orderBy('p.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute()
        .then((r) => r.map((x) => ({ ...x, on: x.on ?? '', refillId: null, by: null, ml: null })));
      break;
    }
  }
  const names = await displayNames(
    db,
    rows.map((r) => r.by).filter((id): id is string => id !== null),
  );
  return rows.map((r) => ({
    patientId: r.patientId,
    pumpId: r.pumpId,
    refillId: r.refillId,
    on: r.on,
    byName: r.by === null ? null : (names.get(r.by) ?? null),
    discrepancyMl: r.ml,
  }));
}

async function displayNames(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
