import { daysBetween, type PlainDate } from '../domain/calendar-date.ts';
import { refillStanding, type RefillStatus } from '../domain/refill-worklist.ts';
import { TASK_QUEUES, type TaskQueueKey } from '../domain/task-queues.ts';
import { countPumpTasks, listPumpTasks, type PumpTaskList } from '../storage/dashboard.repository.ts';
import type { Db } from '../storage/database.ts';
import { findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import { countWorklist, worklistPumpsWithStatus } from '../storage/pump-worklist.repository.ts';
import type { AppConfig } from '../config.ts';
import { AppError } from './app-error.ts';
import { auditListView, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { dueWindow } from './dashboard-service.ts';
import { requirePermission } from './permission-check.ts';
import { closedDaysAround } from './pump-store.ts';

interface TaskListDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: AppConfig;
}

/** The queues whose list is a page of its own under /tasks/ (the others link to existing lists). */
export const TASK_LIST_KEYS = [
  'prescriptions-to-check',
  'refills-to-review',
  'refills-to-sign',
  'corrections-to-confirm',
  'pump-ends-to-confirm',
  'refills-resume-overdue',
  'refills-overdue',
  'refills-no-plan',
  'refills-booked-late',
  'refills-due-soon',
  'refills-not-booked',
  'reviews-overdue',
  'reviews-due-soon',
  'replacements-overdue',
  'replacements-due-soon',
] as const satisfies readonly TaskQueueKey[];
export type TaskListKey = (typeof TASK_LIST_KEYS)[number];

const WORKLIST_STATUS: Partial<Record<TaskListKey, RefillStatus>> = {
  'refills-resume-overdue': 'resume-overdue',
  'refills-overdue': 'overdue',
  'refills-no-plan': 'no-plan',
  'refills-booked-late': 'booked-late',
  'refills-not-booked': 'not-booked',
};

/** One line of a task list: the patient, what waits, and where to act on it. */
export interface TaskListRow {
  readonly patientId: string;
  readonly patientName: string;
  readonly nhsNumber: string;
  /** The pump or refill page where the work is done. */
  readonly href: string;
  readonly linkText: string;
  /** A calendar date (YYYY-MM-DD) or an instant (ISO), as `onKind` says; null when there is none. */
  readonly on: string | null;
  readonly onKind: 'date' | 'dateTime';
  /** What waits, in words ("12 days overdue", "by Nina Jones"). */
  readonly detail: string;
  /** For a refill: the refill booked from today on (YYYY-MM-DD), 'none', or null when not a refill. */
  readonly booked: string | null;
}

export interface TaskList {
  readonly key: TaskListKey;
  readonly rows: readonly TaskListRow[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
}

/** "SMITH, Ann", as the other lists show patients. */
function nameOf(patient: Patient | undefined): string {
  return patient ? `${patient.familyName.toUpperCase()}, ${patient.givenName}` : 'Unknown patient';
}

/** "1 day overdue", "44 days overdue", "due today", "3 days left". */
export function daysText(today: PlainDate, on: PlainDate): string {
  const left = daysBetween(today, on);
  if (left < 0) {
    return `${String(-left)} ${left === -1 ? 'day' : 'days'} overdue`;
  }
  if (left === 0) {
    return 'due today';
  }
  return `${String(left)} ${left === 1 ? 'day' : 'days'} left`;
}

const ON_LABEL: Readonly<Record<PumpTaskList, string>> = {
  'prescriptions-to-check': 'Proposed',
  'refills-to-review': 'Recorded',
  'refills-to-sign': 'Recorded',
  'corrections-to-confirm': 'Correction asked',
  'reviews-overdue': 'Review due',
  'reviews-due-soon': 'Review due',
  'refills-due-soon': 'Refill due',
  'pump-ends-to-confirm': 'Asked',
  'replacements-overdue': 'Replace by',
  'replacements-due-soon': 'Replace by',
};

/** The label of the list's date column. */
export function dateColumnLabel(key: TaskListKey): string {
  const status = WORKLIST_STATUS[key];
  if (status === 'resume-overdue') {
    return 'Resume by';
  }
  return status !== undefined ? 'Refill due by' : ON_LABEL[key as PumpTaskList];
}

async function total(
  deps: TaskListDeps,
  key: TaskListKey,
  today: PlainDate,
  soon: PlainDate,
): Promise<number> {
  const status = WORKLIST_STATUS[key];
  if (status !== undefined) {
    return (await countWorklist(deps.db, today, soon)).counts[status];
  }
  const counts = await countPumpTasks(deps.db, today, soon);
  const of: Record<PumpTaskList, number> = {
    'prescriptions-to-check': counts.prescriptionsToCheck,
    'refills-to-review': counts.refillsToReview,
    'refills-to-sign': counts.refillsToSign,
    'corrections-to-confirm': counts.correctionsToConfirm,
    'reviews-overdue': counts.reviewsOverdue,
    'reviews-due-soon': counts.reviewsDueSoon,
    'refills-due-soon': counts.refillsDueSoon,
    'pump-ends-to-confirm': counts.pumpEndsToConfirm,
    'replacements-overdue': counts.replacementsOverdue,
    'replacements-due-soon': counts.replacementsDueSoon,
  };
  return of[key as PumpTaskList];
}

/**
 * One page of a task queue's list, oldest or most overdue first, for a role whose permissions
 * allow the queue; audited as a view of a list with patient names on it.
 */
export async function viewTaskList(
  deps: TaskListDeps,
  actor: Actor,
  key: TaskListKey,
  request: { readonly page: number; readonly pageSize: number },
): Promise<TaskList> {
  if (!(TASK_LIST_KEYS as readonly string[]).includes(key)) {
    throw new AppError('NOT_FOUND', 'No such task list');
  }
  requirePermission(actor, TASK_QUEUES[key].permission, 'Your role does not work this list');
  const { today, soon } = dueWindow(deps);
  const count = await total(deps, key, today, soon);
  const pages = Math.max(1, Math.ceil(count / request.pageSize));
  const page = Math.min(Math.max(1, request.page), pages);
  const slice = { offset: (page - 1) * request.pageSize, limit: request.pageSize };
  const status = WORKLIST_STATUS[key];
  const rows =
    status !== undefined
      ? await worklistRows(deps, status, today, soon, slice)
      : await pumpTaskRows(deps, key as PumpTaskList, today, soon, slice);
  await auditListView(deps.db, deps.clock, actor, { list: `tasks:${key}`, shown: rows.length });
  return { key, rows, total: count, page, pages };
}

/** A booking dated before today was missed without being recorded and counts as none (worklist). */
function booking(bookedOn: PlainDate | null, today: PlainDate): string {
  return bookedOn !== null && bookedOn >= today ? bookedOn : 'none';
}

type Slice = { readonly offset: number; readonly limit: number };

async function worklistRows(
  deps: TaskListDeps,
  status: RefillStatus,
  today: PlainDate,
  soon: PlainDate,
  slice: Slice,
): Promise<TaskListRow[]> {
  const pumps = await worklistPumpsWithStatus(deps.db, today, soon, status, slice.offset, slice.limit);
  const patients = await findPatientsByIds(
    deps.db,
    pumps.map((p) => p.patientId),
  );
  const closed = closedDaysAround(deps, today);
  return pumps.map((p) => {
    const standing = refillStanding(
      { alarmDate: p.alarmOn, refillDueBy: p.refillDueBy, bookedOn: p.bookedRefillOn, resumeBy: p.resumeBy },
      today,
      closed,
      deps.config.pumpRules.dueSoonDays,
    );
    const patient = patients.get(p.patientId);
    const on = standing.resumeBy ?? standing.dueOn;
    let detail: string;
    if (status === 'no-plan') {
      detail = 'No fill recorded: record the pump’s fill to plan its refills';
    } else if (on === null) {
      detail = '';
    } else if (status === 'resume-overdue') {
      const past = -daysBetween(today, on);
      detail =
        past === 0
          ? 'Paused; due to resume today'
          : `Paused; ${String(past)} ${past === 1 ? 'day' : 'days'} past the resume date`;
    } else {
      detail = daysText(today, on);
    }
    return {
      patientId: p.patientId,
      patientName: nameOf(patient),
      nhsNumber: patient?.nhsNumber ?? '',
      href: `/pumps/${p.id}`,
      linkText: 'Open the pump',
      on,
      onKind: 'date',
      detail,
      booked: status === 'resume-overdue' || status === 'no-plan' ? null : booking(p.bookedRefillOn, today),
    };
  });
}

const ACTION: Readonly<Record<PumpTaskList, string>> = {
  'prescriptions-to-check': 'Check the dose change',
  'refills-to-review': 'Review the refill',
  'refills-to-sign': 'Check and sign the refill',
  'corrections-to-confirm': 'Decide the correction',
  'reviews-overdue': 'Open the pump',
  'reviews-due-soon': 'Open the pump',
  'refills-due-soon': 'Open the pump',
  'pump-ends-to-confirm': 'Confirm or reject the request',
  'replacements-overdue': 'Open the pump',
  'replacements-due-soon': 'Open the pump',
};

/** Lists ordered by a calendar date (due, replace by), not by when someone acted. */
const DATED: ReadonlySet<PumpTaskList> = new Set([
  'reviews-overdue',
  'reviews-due-soon',
  'refills-due-soon',
  'replacements-overdue',
  'replacements-due-soon',
]);

async function pumpTaskRows(
  deps: TaskListDeps,
  key: PumpTaskList,
  today: PlainDate,
  soon: PlainDate,
  slice: Slice,
): Promise<TaskListRow[]> {
  const tasks = await listPumpTasks(deps.db, key, { today, soon }, slice);
  const patients = await findPatientsByIds(
    deps.db,
    tasks.map((t) => t.patientId),
  );
  const dated = DATED.has(key);
  return tasks.map((t) => {
    const patient = patients.get(t.patientId);
    const parts: string[] = [];
    if (dated) {
      parts.push(daysText(today, t.on as PlainDate));
    }
    if (t.byName !== null) {
      parts.push(`by ${t.byName}`);
    }
    if (t.discrepancyMl !== null && t.discrepancyMl !== 0) {
      parts.push(`discrepancy ${t.discrepancyMl > 0 ? '+' : ''}${String(t.discrepancyMl)} mL`);
    }
    return {
      patientId: t.patientId,
      patientName: nameOf(patient),
      nhsNumber: patient?.nhsNumber ?? '',
      href: t.refillId === null ? `/pumps/${t.pumpId}` : `/refills/${t.refillId}`,
      linkText: ACTION[key],
      on: t.on === '' ? null : t.on,
      onKind: dated ? 'date' : 'dateTime',
      detail: parts.join('; '),
      booked: null,
    };
  });
}
