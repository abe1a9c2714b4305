import type { AppConfig } from '../config.ts';
import { isMriCheckOverdue } from '../domain/mri-input.ts';
import { mriPlanFor, mriRulesOf, type MriPlanRules } from '../domain/mri-plan.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import type { Db } from '../storage/database.ts';
import {
  countMriChecks,
  findMriScan,
  mriScansForPump,
  pendingMriChecks,
  type MriScan,
} from '../storage/mri.repository.ts';
import { findPatientsByIds } from '../storage/patients.repository.ts';
import { findPumpById } from '../storage/pumps.repository.ts';
import { AppError } from './app-error.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { requirePermission } from './permission-check.ts';

/**
 * What the MRI workflow shows: a pump's plan and records (the pump page and its MRI page), and
 * the post-scan checks waiting across the caseload (the worklist, the task queues, the digest).
 */

interface MriViewDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<AppConfig, 'timeZone'>;
}

const READ = 'Only staff who can read patient records can see MRI scans';

export interface PumpMri {
  /** The checklist a new plan would use, by the pump's model now. */
  readonly rules: MriPlanRules;
  /** The open plan or check (planned or scanned), if any, with its own rules. */
  readonly open: (MriScan & { readonly rules: MriPlanRules; readonly overdue: boolean }) | null;
  /** Every record, newest plan first. */
  readonly history: readonly MriScan[];
}

/** A pump's MRI plan and records; shown inside the pump page, whose view is audited already. */
export async function pumpMri(deps: MriViewDeps, actor: Actor, pumpId: string): Promise<PumpMri> {
  requirePermission(actor, 'patient:read', READ);
  const pump = await findPumpById(deps.db, pumpId);
  const history = await mriScansForPump(deps.db, pumpId);
  const open = history.find((m) => m.state === 'planned' || m.state === 'scanned') ?? null;
  const now = deps.clock.now().toISOString();
  return {
    rules: mriPlanFor(pump ? findPumpModel(pump.modelId) : undefined),
    open: open
      ? {
          ...open,
          rules: mriRulesOf(open.planKind),
          overdue: open.checkDueAt !== null && isMriCheckOverdue(open.checkDueAt, now),
        }
      : null,
    history,
  };
}

/** One post-scan check waiting, as the worklist and the API list it. */
export interface PendingMriCheck {
  readonly mriId: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly nhsNumber: string;
  readonly modelName: string;
  readonly serialNumber: string;
  readonly planKind: MriScan['planKind'];
  readonly scannedAt: string;
  readonly checkDueAt: string;
  /** Due at or before now and not recorded: shown in red, counted as overdue (H-137). */
  readonly overdue: boolean;
}

/**
 * Every post-scan check waiting, most overdue first. `audited` records the read when the list
 * is shown on its own (the API); inside the worklist the worklist's view is audited.
 */
export async function listPendingMriChecks(
  deps: MriViewDeps,
  actor: Actor,
  options: { readonly audited: boolean } = { audited: true },
): Promise<PendingMriCheck[]> {
  requirePermission(actor, 'patient:read', READ);
  const rows = await pendingMriChecks(deps.db);
  const patients = await findPatientsByIds(
    deps.db,
    rows.map((r) => r.patientId),
  );
  const now = deps.clock.now().toISOString();
  const list: PendingMriCheck[] = [];
  for (const r of rows) {
    const pump = await findPumpById(deps.db, r.pumpId);
    const patient = patients.get(r.patientId);
    const dueAt = r.checkDueAt ?? now;
    list.push({
      mriId: r.id,
      pumpId: r.pumpId,
      patientId: r.patientId,
      patientName: patient ? `${patient.familyName.toUpperCase()}, ${patient.givenName}` : 'Unknown patient',
      nhsNumber: patient?.nhsNumber ?? '',
      modelName: (pump && findPumpModel(pump.modelId)?.name) ?? pump?.modelId ?? 'Unknown model',
      serialNumber: pump?.serialNumber ?? '',
      planKind: r.planKind,
      scannedAt: r.scannedAt ?? '',
      checkDueAt: dueAt,
      overdue: isMriCheckOverdue(dueAt, now),
    });
  }
  if (options.audited) {
    await recordAudit(
      deps.db,
      deps.clock,
      actorEvent(actor, { action: 'mri.list', outcome: 'success', details: { shown: list.length } }),
    );
  }
  return list;
}

/** The checks waiting and overdue now: the task queues and the daily digest count these. */
export async function mriCheckCounts(
  deps: Pick<MriViewDeps, 'db' | 'clock'>,
): Promise<{ readonly pending: number; readonly overdue: number }> {
  return countMriChecks(deps.db, deps.clock.now().toISOString());
}

/** The pump an MRI record belongs to (the pages show the pump's MRI page again); 404 if none. */
export async function pumpOfMri(deps: Pick<MriViewDeps, 'db'>, actor: Actor, mriId: string): Promise<string> {
  requirePermission(actor, 'patient:read', READ);
  const m = await findMriScan(deps.db, mriId);
  if (!m) {
    throw new AppError('NOT_FOUND', 'MRI scan not found');
  }
  return m.pumpId;
}
