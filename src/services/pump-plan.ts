import type { PlainDate } from '../domain/calendar-date.ts';
import {
  dailyVolumeMl,
  refillPlanWithChanges,
  type DeliverySegment,
  type RefillPlan,
} from '../domain/refill-arithmetic.ts';
import { segmentsWithStops } from '../domain/plan-stops.ts';
import { pausesSinceFill } from '../domain/residual-history.ts';
import type { Trx } from '../storage/database.ts';
import { listPauses } from '../storage/pump-lifecycle.repository.ts';
import { findPendingPrescription } from '../storage/prescriptions.repository.ts';
import { latestRefillForPump } from '../storage/refills.repository.ts';
import type { Actor } from './audit-service.ts';
import { dateIn, today } from './clock.ts';
import { loadFillHistory, planSegments } from './fill-history.ts';
import { loadPump, savePump, type PumpServiceDeps } from './pump-store.ts';

const sooner = (a: PlainDate, b: PlainDate): PlainDate => (a < b ? a : b);

/**
 * The pump's alarm and due dates, worked out again whenever what they rest on changes: the last
 * signed refill and every prescription confirmed since, each from the day the pump was programmed
 * with it (fill-history.ts), not the day the check was recorded — a change programmed on day 10
 * and confirmed on day 12 used more drug from day 10. Two things not yet checked bring the dates
 * forward when they run out sooner, and never put them back:
 * - a change waiting for its second check, counted from the day it was proposed: it may already
 *   be in the pump (it is programmed on or after that day), and if it uses more drug the pump
 *   empties sooner;
 * - a refill recorded but not yet signed, with the plan it was recorded with.
 * A pause that only stopped the pump puts the alarm off by the days it stood; one that emptied it
 * ends the fill. Nothing to do before the first signed refill (no fill to plan from), while the
 * pump is paused, or after an emptying pause until it is refilled. Returns whether it planned.
 */
export async function replanPump(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
): Promise<boolean> {
  const pump = await loadPump(trx, pumpId);
  // Paused: the plan was put aside at the pause and is worked out again when the pump resumes.
  if (pump.resumeBy !== null) {
    return false;
  }
  const history = await loadFillHistory(trx, pump, deps.config.timeZone);
  if (history === null) {
    return false;
  }
  // A pause that emptied the reservoir ended this fill: no plan until the next refill. One that
  // only stopped the pump delays the alarm by the days it stood (segmentsWithStops).
  const pauses = pausesSinceFill(await listPauses(trx, pump.id), history.refill.performedOn, today(deps));
  if (pauses.emptiedOn !== null) {
    return false;
  }
  const rules = deps.config.pumpRules;
  const planOf = (segments: readonly DeliverySegment[]): RefillPlan =>
    refillPlanWithChanges({
      fillMl: history.refill.instilledMl,
      filledOn: history.refill.performedOn,
      alarmMl: history.refill.alarmMl,
      segments,
      bufferDays: rules.refillBufferDays,
      maxIntervalDays: rules.stabilityDays,
    });
  const segments = segmentsWithStops(planSegments(history), pauses.stopped);
  const plan = planOf(segments);
  let alarmOn = plan.alarmDate;
  let dueBy = plan.refillDueBy;
  const pending = await findPendingPrescription(trx, pumpId);
  if (pending && pending.refillId === null) {
    const proposedOn = dateIn(new Date(pending.proposedAt), deps.config.timeZone);
    const from = proposedOn < history.refill.performedOn ? history.refill.performedOn : proposedOn;
    const withPending = planOf([
      ...segments,
      { from, dailyVolumeMl: dailyVolumeMl(pending.planningDoseMcgPerDay, pending.concentrationMcgPerMl) },
    ]);
    alarmOn = sooner(alarmOn, withPending.alarmDate);
    dueBy = sooner(dueBy, withPending.refillDueBy);
  }
  const latest = await latestRefillForPump(trx, pumpId);
  if (latest?.state === 'recorded') {
    alarmOn = sooner(alarmOn, latest.alarmOn);
    dueBy = sooner(dueBy, latest.dueBy);
  }
  await savePump(trx, deps, actor, pump, { alarmOn, refillDueBy: dueBy });
  return true;
}
