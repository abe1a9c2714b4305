import { addDays, daysBetween, type PlainDate } from '../domain/calendar-date.ts';
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
import { auditListView, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { OPEN_EVENTS_SHOWN } from './emergency-event-service.ts';
import { requirePermission } from './permission-check.ts';
import { listAllOpenEvents } from '../storage/emergency.repository.ts';
import { findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import { countPendingEndRequests, pendingEndRequestKinds } from '../storage/pump-lifecycle.repository.ts';
import {
  countWorklist,
  pumpsAwaitingRefillCheck,
  worklistPumpsWithStatus,
  type WorklistPump,
} from '../storage/pump-worklist.repository.ts';
import { closedDaysAround, type PumpServiceDeps } from './pump-store.ts';

/** "SMITH, Ann", as the other lists show patients. */
function nameOf(patient: Patient | undefined): string {
  return patient ? `${patient.familyName.toUpperCase()}, ${patient.givenName}` : 'Unknown patient';
}

/**
 * The refill worklist across the whole caseload: every implanted pump, whatever its state, with
 * its refill standing, next review and replacement date, most at risk first.
 *
 * The database ranks and counts (pump-worklist.repository.ts); the shown pumps' standings are
 * then worked out by the same pure refillStanding the rank expression mirrors; a test keeps the
 * two in step.
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
    /** Days from today to the due date; negative once overdue. */
    readonly daysLeft: number;
    /** Days past the due date with the review not yet recorded as held; 0 when not overdue. */
    readonly daysOverdue: number;
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

/** Computes the worklist: counts over the caseload and the slice asked for, most at risk first. */
export async function refillWorklist(
  deps: PumpServiceDeps,
  slice: { readonly offset?: number; readonly limit?: number } = {},
): Promise<Worklist> {
  const today = serviceToday(deps);
  const rules = deps.config.pumpRules;
  const soon = addDays(today, rules.dueSoonDays);
  const [{ counts, total, reviewsDue, replacementsDue }, pendingRequests] = await Promise.all([
    countWorklist(deps.db, today, soon),
    countPendingEndRequests(deps.db),
  ]);

  // The page walks the statuses in order, each read in due-date order from its own condition,
  // skipping whole statuses that lie before the offset.
  let skip = slice.offset ?? 0;
  let wanted = slice.limit ?? total;
  const rows: WorklistPump[] = [];
  for (const status of REFILL_STATUSES) {
    if (wanted <= 0) {
      break;
    }
    if (skip >= counts[status]) {
      skip -= counts[status];
      continue;
    }
    const part = await worklistPumpsWithStatus(deps.db, today, soon, status, skip, wanted);
    rows.push(...part);
    wanted -= part.length;
    skip = 0;
  }
  const ids = rows.map((r) => r.id);
  const [names, unsigned, ending] = await Promise.all([
    findPatientsByIds(
      deps.db,
      rows.map((r) => r.patientId),
    ),
    pumpsAwaitingRefillCheck(deps.db, ids),
    pendingEndRequestKinds(deps.db, ids),
  ]);
  const closed = closedDaysAround(deps, today);
  const entries = rows.map((p): WorklistEntry => {
    const endKind = ending.get(p.id);
    const reviewDaysLeft = daysBetween(today, p.nextReviewOn);
    const patient = names.get(p.patientId);
    return {
      pumpId: p.id,
      patientId: p.patientId,
      patientName: nameOf(patient),
      nhsNumber: patient?.nhsNumber ?? '',
      modelName: findPumpModel(p.modelId)?.name ?? p.modelId,
      reservoirMl: p.reservoirMl,
      alarmOn: p.alarmOn,
      refillDueBy: p.refillDueBy,
      bookedRefillOn: p.bookedRefillOn,
      standing: refillStanding(
        {
          alarmDate: p.alarmOn,
          refillDueBy: p.refillDueBy,
          bookedOn: p.bookedRefillOn,
          resumeBy: p.resumeBy,
        },
        today,
        closed,
        rules.dueSoonDays,
      ),
      awaitingCheck: unsigned.has(p.id),
      pause: p.resumeBy === null ? null : { pausedOn: p.pausedOn ?? p.resumeBy, resumeBy: p.resumeBy },
      endRequest: endKind === undefined ? null : { kind: endKind, label: END_REQUEST_KIND_LABELS[endKind] },
      review: {
        dueOn: p.nextReviewOn,
        label: reviewLabel(rules.reviewSchedule, p.reviewsHeld),
        status: dateStatus(p.nextReviewOn, today, rules.dueSoonDays),
        daysLeft: reviewDaysLeft,
        daysOverdue: Math.max(0, -reviewDaysLeft),
        bookedOn: p.reviewBookedOn,
      },
      replacement: {
        replaceBy: p.replaceBy,
        status: p.eriOn !== null ? 'overdue' : dateStatus(p.replaceBy, today, rules.dueSoonDays),
        eriOn: p.eriOn,
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

/** An open emergency event as the worklist's head lists it, with the patient's name. */
export type OpenEmergency = Awaited<ReturnType<typeof listAllOpenEvents>>[number];

/**
 * One page of the worklist as a person sees it, audited as a view of the list. `page` is counted
 * from 1; with `firstPageWhenPast`, a page past the end shows the first page instead. With
 * `withOpenEmergencies` (the page, not the API) the open emergency events that head it are read
 * too (hazard H-112), and the one audit row of the view says how many of each were shown.
 */
export async function viewRefillWorklist(
  deps: PumpServiceDeps,
  actor: Actor,
  request: {
    readonly page: number;
    readonly pageSize: number;
    readonly firstPageWhenPast?: boolean;
    readonly withOpenEmergencies?: boolean;
  },
): Promise<{ list: Worklist; page: number; pages: number; openEmergencies: readonly OpenEmergency[] }> {
  const withEmergencies = request.withOpenEmergencies === true;
  if (withEmergencies) {
    requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  }
  const { pageSize } = request;
  let list = await refillWorklist(deps, { offset: (request.page - 1) * pageSize, limit: pageSize });
  const pages = Math.max(1, Math.ceil(list.total / pageSize));
  let page = request.page;
  if (request.firstPageWhenPast === true && page > pages) {
    page = 1;
    list = await refillWorklist(deps, { offset: 0, limit: pageSize });
  }
  const openEmergencies = withEmergencies ? await listAllOpenEvents(deps.db, OPEN_EVENTS_SHOWN) : [];
  await auditListView(deps.db, deps.clock, actor, {
    list: 'refill-worklist',
    shown: list.entries.length,
    ...(withEmergencies ? { emergencyEventsShown: openEmergencies.length } : {}),
  });
  return { list, page, pages, openEmergencies };
}
