import type { PlainDate } from '../domain/calendar-date.ts';
import { findPumpModel, type PumpModel } from '../domain/pump-device.ts';
import type { PumpRules } from '../domain/pump-rules.ts';
import { pumpSchedule } from '../domain/refill-worklist.ts';
import type { Db, Trx } from '../storage/database.ts';
import {
  findPumpById,
  updatePumpIfVersion,
  type Pump,
  type PumpChanges,
} from '../storage/pumps.repository.ts';
import { AppError, refused } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import type { Actor } from './audit-service.ts';
import { closedDaysBetween } from './closed-days.ts';
import type { Clock } from './clock.ts';
import { today as serviceToday } from './clock.ts';

/**
 * Loading and saving pumps, shared by every pump service (registration and events, appointments,
 * the pump's end and pauses, prescriptions, refills): each save works the worklist's dates out
 * again in the same update.
 */

export interface PumpServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: {
    readonly timeZone: string;
    readonly pumpRules: PumpRules;
    readonly closedDays: readonly string[];
  };
}

/** Bank holidays and closed days around `today`: enough for any due date the worklist moves. */
export function closedDaysAround(deps: PumpServiceDeps, today: PlainDate): ReadonlySet<string> {
  const year = Number(today.slice(0, 4));
  return closedDaysBetween(year - 1, year + 2, deps.config.closedDays);
}

export async function loadPump(db: Db | Trx, pumpId: string): Promise<Pump> {
  const pump = await findPumpById(db, pumpId);
  if (!pump) {
    throw new AppError('NOT_FOUND', 'Pump not found');
  }
  return pump;
}

export function modelOf(pump: Pump): PumpModel {
  const model = findPumpModel(pump.modelId);
  if (!model) {
    // A model removed from configuration while pumps of it are implanted: refuse to guess its numbers.
    throw new Error(`pump ${pump.id}: model ${pump.modelId} is not configured`);
  }
  return model;
}

/**
 * Saves changes to a pump under optimistic locking, working out again the dates the worklist
 * ranks on (pumpSchedule) in the same update, so they can never disagree with the plan.
 */
export async function savePump(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  changes: PumpChanges,
): Promise<void> {
  const schedule = pumpSchedule(
    {
      refillDueBy: changes.refillDueBy !== undefined ? changes.refillDueBy : pump.refillDueBy,
      implantedOn: pump.implantedOn,
      reviewsHeld: changes.reviewsHeld ?? pump.reviewsHeld,
      eriOn: changes.eriOn !== undefined ? changes.eriOn : pump.eriOn,
      resumeBy: changes.resumeBy !== undefined ? changes.resumeBy : pump.resumeBy,
    },
    findPumpModel(pump.modelId),
    deps.config.pumpRules.reviewSchedule,
    closedDaysAround(deps, serviceToday(deps)),
    deps.config.pumpRules.replacementMarginDays,
  );
  const saved = await updatePumpIfVersion(
    trx,
    pump.id,
    pump.version,
    { ...changes, ...schedule },
    actor.userId,
    deps.clock.now().toISOString(),
  );
  if (!saved) {
    throw new AppError(
      'STALE_EDIT',
      'This pump was changed by someone else while you were saving. Try again.',
    );
  }
}

/**
 * Runs a pump write; a unique index refusing it means someone else recorded a refill or changed
 * the prescription of the same pump at the same moment (the checks before the insert cannot see
 * another transaction's uncommitted rows on PostgreSQL).
 */
export async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw refused(
        'PUMP_CHANGED_CONCURRENTLY',
        'Someone else changed this pump’s refill or prescription at the same moment. Reload the page and check it again.',
        { cause: err },
      );
    }
    throw err;
  }
}

export function requireImplanted(pump: Pump): void {
  if (pump.state !== 'implanted') {
    throw refused(
      'PUMP_NOT_IMPLANTED',
      `This pump was ${pump.state} on ${pump.endedOn ?? 'an earlier date'}`,
    );
  }
}
