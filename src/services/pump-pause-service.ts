import { replanPump } from './pump-plan.ts';
import { randomUUID } from 'node:crypto';
import { formatPlainDate } from '../domain/calendar-date.ts';
import {
  PAUSE_REASON_LABELS,
  pauseEmptiedLabel,
  planSurvivesPause,
  validatePauseInput,
  validateResumeInput,
} from '../domain/pump-lifecycle.ts';
import {
  closePause,
  findOpenPause,
  insertPause,
  type PumpPause,
} from '../storage/pump-lifecycle.repository.ts';
import { latestRefillForPump } from '../storage/refills.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { logPumpEvent } from './pump-event-log.ts';
import { loadPump, requireImplanted, savePump, type PumpServiceDeps } from './pump-store.ts';

/**
 * Pausing a pump (emptied or stopped for an MRI scan or surgery) and resuming it (hazards H-037,
 * H-038). A paused pump stays on the worklist with status paused and its resume date; once that
 * date is reached with the pause still open it is escalated (resume-overdue), so a patient left
 * without drug never drops quietly off the list.
 *
 * Each pause records whether the reservoir was emptied (a Prometra before an MRI scan) or the
 * pump only stopped with its drug inside (a SynchroMed in the scanner): the next refill's
 * findings read it (pausesSinceFill in residual-history.ts). An emptied fill ended at the pause;
 * a stopped one is followed through, with no delivery while paused.
 *
 * The refill plan: pausing clears it (an emptied pump's old fill no longer says when it runs
 * out), and the plan after the pause comes from the next refill. A refill recorded during the
 * pause does not end the pause by itself (a SynchroMed pump may not restart until it is
 * interrogated [TGA-MRI]); its plan is kept, and applies once the resume is recorded. Resuming
 * with no refill on or after the pause date leaves the pump with no plan, escalated until one is
 * recorded.
 */

const MANAGE = 'Only clinicians who manage pumps can pause or resume a pump';

export async function pausePump(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<PumpPause> {
  requirePermission(actor, 'pump:manage', MANAGE);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const pump = await loadPump(trx, pumpId);
      requireImplanted(pump);
      if (pump.resumeBy !== null) {
        throw refused(
          'PUMP_ALREADY_PAUSED',
          `This pump is already paused, to resume by ${formatPlainDate(pump.resumeBy)}: record its resume first`,
        );
      }
      const rules = deps.config.pumpRules;
      const result = validatePauseInput(raw, {
        implantedOn: pump.implantedOn,
        today: serviceToday(deps),
        maxPauseDays: rules.maxPauseDays,
      });
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const v = result.value;
      const id = randomUUID();
      const at = deps.clock.now().toISOString();
      await insertPause(trx, {
        id,
        pumpId: pump.id,
        patientId: pump.patientId,
        reason: v.reason,
        note: v.note,
        emptied: v.emptied,
        pausedOn: v.pausedOn,
        resumeBy: v.resumeBy,
        recordedAt: at,
        recordedBy: actor.userId,
        resumedOn: null,
        resumeNote: null,
        resumedAt: null,
        resumedBy: null,
      });
      await savePump(trx, deps, actor, pump, {
        pausedOn: v.pausedOn,
        resumeBy: v.resumeBy,
        alarmOn: null,
        refillDueBy: null,
      });
      const what = `${PAUSE_REASON_LABELS[v.reason]}, ${pauseEmptiedLabel(v.emptied)}; to resume by ${formatPlainDate(v.resumeBy)}`;
      const note = [what, v.note].filter((x) => x !== null).join('. ');
      await logPumpEvent(trx, actor, { pumpId: pump.id, kind: 'paused', occurredOn: v.pausedOn, note }, at);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'pump.pause',
          outcome: 'success',
          entityType: 'pump',
          entityId: pump.id,
          patientId: pump.patientId,
          details: {
            pauseId: id,
            reason: v.reason,
            emptied: v.emptied,
            pausedOn: v.pausedOn,
            resumeBy: v.resumeBy,
            clearedPlan: { alarmOn: pump.alarmOn, refillDueBy: pump.refillDueBy },
          },
        }),
      );
      return (await findOpenPause(trx, pump.id)) as PumpPause;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw refused(
        'PUMP_ALREADY_PAUSED',
        'Someone else paused this pump at the same moment. Reload the page.',
        {
          cause: err,
        },
      );
    }
    throw err;
  }
}

export async function resumePump(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<PumpPause> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return deps.db.transaction().execute(async (trx) => {
    const pump = await loadPump(trx, pumpId);
    requireImplanted(pump);
    const pause = await findOpenPause(trx, pump.id);
    if (!pause) {
      throw refused('PUMP_NOT_PAUSED', 'This pump is not paused');
    }
    const result = validateResumeInput(raw, pause.pausedOn, serviceToday(deps));
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    const at = deps.clock.now().toISOString();
    if (
      !(await closePause(trx, pause.id, {
        resumedOn: v.resumedOn,
        resumeNote: v.note,
        resumedAt: at,
        resumedBy: actor.userId,
      }))
    ) {
      throw new AppError(
        'STALE_EDIT',
        'Someone else resumed this pump while you were saving. Reload the page.',
      );
    }
    const latest = await latestRefillForPump(trx, pump.id);
    const keepPlan = planSurvivesPause(latest?.performedOn ?? null, pause.pausedOn);
    await savePump(trx, deps, actor, pump, {
      pausedOn: null,
      resumeBy: null,
      ...(keepPlan ? {} : { alarmOn: null, refillDueBy: null }),
    });
    // A pump stopped with its drug inside carries on with its fill, the alarm later by the days it
    // stood: its plan is worked out again. An emptied one has no plan until it is refilled.
    if (!pause.emptied) {
      await replanPump(trx, deps, actor, pump.id);
    }
    const resumed = { pumpId: pump.id, kind: 'resumed', occurredOn: v.resumedOn, note: v.note } as const;
    await logPumpEvent(trx, actor, resumed, at);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump.resume',
        outcome: 'success',
        entityType: 'pump',
        entityId: pump.id,
        patientId: pump.patientId,
        details: { pauseId: pause.id, resumedOn: v.resumedOn, planKept: keepPlan },
      }),
    );
    return { ...pause, resumedOn: v.resumedOn, resumeNote: v.note, resumedAt: at, resumedBy: actor.userId };
  });
}
