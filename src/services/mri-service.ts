import { randomUUID } from 'node:crypto';
import { formatPlainDate } from '../domain/calendar-date.ts';
import {
  mriCheckDueAt,
  validateMriCancel,
  validateMriCheck,
  validateMriPlan,
  validateMriScan,
} from '../domain/mri-input.ts';
import { mriPlanFor, mriRulesOf } from '../domain/mri-plan.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import { formatDateTime } from '../domain/uk-date-time.ts';
import type { Trx } from '../storage/database.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { findMriScan, insertMriScan, updateMriScan, type MriScan } from '../storage/mri.repository.ts';
import { latestRefillForPump } from '../storage/refills.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { dateIn, today as serviceToday } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { logPumpEvent } from './pump-event-log.ts';
import { loadPump, requireImplanted, type PumpServiceDeps } from './pump-store.ts';

/**
 * The MRI workflow's writes (hazards H-130 to H-139): a plan, the checklist by the pump's model
 * confirmed before the scan; the scan, which logs the pump's 'mri' event and starts the
 * post-scan check, due by MRI_CHECK_DUE_HOURS (mriCheckDueAt); the check, with the pump's
 * findings (for a Prometra, only once a refill after the scan is recorded); or a cancelled plan.
 * Each write and its audit row commit together; pump:manage covers them all, as it covers
 * pausing a pump for MRI.
 */

const MANAGE = 'Only clinicians who manage pumps can plan MRI scans and record them';

async function loadMri(trx: Trx, id: string): Promise<MriScan> {
  const m = await findMriScan(trx, id);
  if (!m) {
    throw new AppError('NOT_FOUND', 'MRI scan not found');
  }
  return m;
}

async function audit(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  action: 'mri.plan' | 'mri.scan' | 'mri.check' | 'mri.cancel',
  m: MriScan,
  details: Readonly<Record<string, unknown>>,
): Promise<void> {
  await appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action,
      outcome: 'success',
      entityType: 'pump',
      entityId: m.pumpId,
      patientId: m.patientId,
      details: { mriId: m.id, planKind: m.planKind, ...details },
    }),
  );
}

/** Writes the new state, refusing when someone else moved the record on first. */
async function save(trx: Trx, m: MriScan, from: MriScan['state']): Promise<void> {
  if (!(await updateMriScan(trx, m, from))) {
    throw new AppError(
      'STALE_EDIT',
      'Someone else changed this MRI record while you were saving. Reload the page.',
    );
  }
}

export async function planMri(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<MriScan> {
  requirePermission(actor, 'pump:manage', MANAGE);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const pump = await loadPump(trx, pumpId);
      requireImplanted(pump);
      const rules = mriPlanFor(findPumpModel(pump.modelId));
      const result = validateMriPlan(raw, {
        rules,
        implantedOn: pump.implantedOn,
        today: serviceToday(deps),
      });
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const v = result.value;
      const at = deps.clock.now().toISOString();
      const m: MriScan = {
        id: randomUUID(),
        pumpId: pump.id,
        patientId: pump.patientId,
        planKind: rules.kind,
        state: 'planned',
        plannedOn: v.plannedOn,
        scanner: v.scanner,
        fieldStrengthTesla: v.fieldStrengthTesla,
        // Kept in the checklist's order, each once.
        confirmedSteps: rules.before.map((s) => s.id).filter((id) => v.confirmedSteps.includes(id)),
        planNote: v.note,
        plannedAt: at,
        plannedBy: actor.userId,
        scannedAt: null,
        scanNote: null,
        scanRecordedAt: null,
        scanRecordedBy: null,
        checkDueAt: null,
        checkedAt: null,
        checkRecordedAt: null,
        checkRecordedBy: null,
        pumpRunning: null,
        rotorCheck: null,
        logsReviewed: null,
        reservoirMl: null,
        refillId: null,
        findings: null,
        cancelledAt: null,
        cancelledBy: null,
        cancelReason: null,
      };
      await insertMriScan(trx, m);
      await audit(trx, deps, actor, 'mri.plan', m, {
        plannedOn: m.plannedOn,
        fieldStrengthTesla: m.fieldStrengthTesla,
        confirmedSteps: m.confirmedSteps,
      });
      return m;
    });
  } catch (err) {
    // A plan or a check still open, found by the partial unique index (also when two plan at once).
    if (isUniqueViolation(err, 'mri_scans_one_open_uq')) {
      throw refused(
        'MRI_PLAN_OPEN',
        'This pump already has an MRI planned or a post-scan check waiting: record or cancel it first',
        { cause: err },
      );
    }
    throw err;
  }
}

export async function recordMriScan(
  deps: PumpServiceDeps,
  actor: Actor,
  mriId: string,
  raw: unknown,
): Promise<MriScan> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return deps.db.transaction().execute(async (trx) => {
    const m = await loadMri(trx, mriId);
    if (m.state !== 'planned') {
      throw refused('MRI_NOT_PLANNED', 'This MRI is not waiting for its scan: it was recorded or cancelled');
    }
    const tz = deps.config.timeZone;
    const now = deps.clock.now().toISOString();
    const result = validateMriScan(raw, { plannedOn: m.plannedOn, now, timeZone: tz });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    const dueAt = mriCheckDueAt(v.scannedAt, deps.config.pumpRules.mriCheckDueHours, tz);
    const next: MriScan = {
      ...m,
      state: 'scanned',
      scannedAt: v.scannedAt,
      scanNote: v.note,
      scanRecordedAt: now,
      scanRecordedBy: actor.userId,
      checkDueAt: dueAt,
    };
    await save(trx, next, 'planned');
    // The scan joins the pump's event history, where MRI scans have always been recorded.
    const note = [`Post-scan check due by ${formatDateTime(dueAt, tz)}`, v.note]
      .filter((x) => x !== null)
      .join('. ');
    await logPumpEvent(
      trx,
      actor,
      { pumpId: m.pumpId, kind: 'mri', occurredOn: dateIn(new Date(v.scannedAt), tz), note },
      now,
    );
    await audit(trx, deps, actor, 'mri.scan', next, { scannedAt: v.scannedAt, checkDueAt: dueAt });
    return next;
  });
}

export async function completeMriCheck(
  deps: PumpServiceDeps,
  actor: Actor,
  mriId: string,
  raw: unknown,
): Promise<MriScan> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return deps.db.transaction().execute(async (trx) => {
    const m = await loadMri(trx, mriId);
    if (m.state === 'checked') {
      throw refused('MRI_CHECK_DONE', 'The post-scan check of this MRI has already been recorded');
    }
    if (m.state !== 'scanned' || m.scannedAt === null) {
      throw refused('MRI_SCAN_NOT_RECORDED', 'Record the scan first: the check follows it');
    }
    const pump = await loadPump(trx, m.pumpId);
    const rules = mriRulesOf(m.planKind);
    const tz = deps.config.timeZone;
    const now = deps.clock.now().toISOString();
    const result = validateMriCheck(raw, {
      rules,
      scannedAt: m.scannedAt,
      now,
      reservoirMl: pump.reservoirMl,
      timeZone: tz,
    });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    // An emptied Prometra is not done until it is refilled (H-136): the refill is its own record,
    // with its own second check, recorded on or after the scan's day.
    let refillId: string | null = null;
    if (rules.refillAfter) {
      const scanDay = dateIn(new Date(m.scannedAt), tz);
      const refill = await latestRefillForPump(trx, m.pumpId);
      if (refill === null || refill.performedOn < scanDay) {
        throw refused(
          'MRI_REFILL_NOT_RECORDED',
          `This pump was emptied for the scan: record its refill (on or after ${formatPlainDate(scanDay)}) before the post-scan check`,
        );
      }
      refillId = refill.id;
    }
    const next: MriScan = {
      ...m,
      state: 'checked',
      checkedAt: v.checkedAt,
      checkRecordedAt: now,
      checkRecordedBy: actor.userId,
      pumpRunning: v.pumpRunning,
      rotorCheck: v.rotorCheck ?? null,
      logsReviewed: v.logsReviewed ?? null,
      reservoirMl: v.reservoirMl,
      refillId,
      findings: v.findings,
    };
    await save(trx, next, 'scanned');
    await audit(trx, deps, actor, 'mri.check', next, {
      checkedAt: v.checkedAt,
      late: m.checkDueAt !== null && Date.parse(v.checkedAt) >= Date.parse(m.checkDueAt),
      pumpRunning: v.pumpRunning,
      rotorCheck: next.rotorCheck,
      reservoirMl: v.reservoirMl,
      refillId,
    });
    return next;
  });
}

/** Cancels a plan whose scan has not happened; a scanned MRI keeps its check. */
export async function cancelMri(
  deps: PumpServiceDeps,
  actor: Actor,
  mriId: string,
  raw: unknown,
): Promise<MriScan> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return deps.db.transaction().execute(async (trx) => {
    const m = await loadMri(trx, mriId);
    if (m.state !== 'planned') {
      throw refused('MRI_NOT_PLANNED', 'Only a planned MRI whose scan is not recorded can be cancelled');
    }
    const result = validateMriCancel(raw);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const at = deps.clock.now().toISOString();
    const next: MriScan = {
      ...m,
      state: 'cancelled',
      cancelledAt: at,
      cancelledBy: actor.userId,
      cancelReason: result.value.reason,
    };
    await save(trx, next, 'planned');
    await audit(trx, deps, actor, 'mri.cancel', next, { reason: result.value.reason });
    return next;
  });
}
