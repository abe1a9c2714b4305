import { randomUUID } from 'node:crypto';
import {
  validateComplicationInput,
  validateComplicationUpdate,
  type ComplicationInput,
  type PatientPumpRef,
} from '../domain/complication.ts';
import type { Db, DbOrTrx, Trx } from '../storage/database.ts';
import {
  findComplication,
  insertComplication,
  listBridgingPlansForComplication,
  updateComplicationIfVersion,
  type BridgingPlan,
  type Complication,
} from '../storage/complications.repository.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday, type Clock } from './clock.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';

/**
 * Recording and changing entries in the complications register: load the patient and their
 * pumps, check the entry against them (complication.ts), then save and audit in one
 * transaction. Who may record: clinicians who manage pumps (pump:manage), as for revisions.
 */

export interface ComplicationServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: { readonly timeZone: string };
}

export const MANAGE_COMPLICATIONS = 'Only clinicians who manage pumps can record complications';
export const READ_COMPLICATIONS =
  'Only staff who can see patient records can read the complications register';

function pumpRefs(pumps: readonly Pump[]): PatientPumpRef[] {
  return pumps.map((p) => ({ id: p.id, implantedOn: p.implantedOn }));
}

/**
 * The catheter as registered on the pump now, kept with an entry about the catheter so a later
 * revision of the catheter does not change which one the entry was about. An entry that keeps
 * its pump and still names the catheter keeps what it recorded.
 */
function catheterOf(
  v: ComplicationInput,
  pumps: readonly Pump[],
  before: Complication | null,
): Pick<Complication, 'catheterModel' | 'catheterTipLevel'> {
  const involvesCatheter = v.device === 'catheter' || v.device === 'pump-and-catheter';
  if (!involvesCatheter) {
    return { catheterModel: null, catheterTipLevel: null };
  }
  if (before && before.pumpId === v.pumpId && (before.catheterModel ?? before.catheterTipLevel) !== null) {
    return { catheterModel: before.catheterModel, catheterTipLevel: before.catheterTipLevel };
  }
  const pump = pumps.find((p) => p.id === v.pumpId);
  return { catheterModel: pump?.catheterModel ?? null, catheterTipLevel: pump?.catheterTipLevel ?? null };
}

async function loadEntry(db: DbOrTrx, id: string): Promise<Complication> {
  const found = await findComplication(db, id);
  if (!found) {
    throw new AppError('NOT_FOUND', 'Complication not found');
  }
  return found;
}

function audit(
  trx: Trx,
  deps: ComplicationServiceDeps,
  actor: Actor,
  c: Complication,
  action: 'complication.record' | 'complication.update',
  details: Record<string, unknown>,
) {
  return appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action,
      outcome: 'success',
      entityType: 'complication',
      entityId: c.id,
      patientId: c.patientId,
      details: { kind: c.kind, pumpId: c.pumpId, device: c.device, outcome: c.outcome, ...details },
    }),
  );
}

/** Records an entry in the patient's register. */
export async function recordComplication(
  deps: ComplicationServiceDeps,
  actor: Actor,
  patientId: string,
  raw: unknown,
): Promise<Complication> {
  requirePermission(actor, 'pump:manage', MANAGE_COMPLICATIONS);
  return deps.db.transaction().execute(async (trx) => {
    await loadPatient(trx, patientId);
    const pumps = await listPumpsForPatient(trx, patientId);
    const result = validateComplicationInput(raw, { today: serviceToday(deps), pumps: pumpRefs(pumps) });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    const at = deps.clock.now().toISOString();
    const entry: Complication = {
      id: randomUUID(),
      patientId,
      ...v,
      ...catheterOf(v, pumps, null),
      emergencyEventId: null,
      recordedAt: at,
      recordedBy: actor.userId,
      updatedAt: at,
      updatedBy: actor.userId,
      version: 1,
    };
    await insertComplication(trx, entry);
    await audit(trx, deps, actor, entry, 'complication.record', { onsetOn: entry.onsetOn });
    return entry;
  });
}

/**
 * Changes an entry (its outcome and date resolved, most often), as read at `version`: someone
 * else's save in between is refused (STALE_EDIT), so no outcome is silently overwritten (H-143).
 */
export async function updateComplication(
  deps: ComplicationServiceDeps,
  actor: Actor,
  id: string,
  raw: unknown,
): Promise<Complication> {
  requirePermission(actor, 'pump:manage', MANAGE_COMPLICATIONS);
  return deps.db.transaction().execute(async (trx) => {
    const before = await loadEntry(trx, id);
    const pumps = await listPumpsForPatient(trx, before.patientId);
    const result = validateComplicationUpdate(raw, { today: serviceToday(deps), pumps: pumpRefs(pumps) });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const { version, ...v } = result.value;
    const at = deps.clock.now().toISOString();
    const after: Complication = {
      ...before,
      ...v,
      ...catheterOf(v, pumps, before),
      updatedAt: at,
      updatedBy: actor.userId,
      version: version + 1,
    };
    if (!(await updateComplicationIfVersion(trx, after, version))) {
      throw new AppError(
        'STALE_EDIT',
        'Someone else changed this complication while you were editing it. Reload the page and make your change again.',
      );
    }
    const changed = (Object.keys(v) as (keyof typeof v)[]).filter((k) => v[k] !== before[k]);
    await audit(trx, deps, actor, after, 'complication.update', { changed });
    return after;
  });
}

/** Audits a read of one entry: one row however much of the record the page shows. */
function auditView(deps: ComplicationServiceDeps, actor: Actor, c: Complication) {
  return recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'complication.view',
      outcome: 'success',
      entityType: 'complication',
      entityId: c.id,
      patientId: c.patientId,
    }),
  );
}

/** One entry, with the patient's pumps (for its form); audited as a read of the record. */
export async function viewComplication(
  deps: ComplicationServiceDeps,
  actor: Actor,
  id: string,
): Promise<{ readonly complication: Complication; readonly pumps: readonly Pump[] }> {
  requirePermission(actor, 'patient:read', READ_COMPLICATIONS);
  const complication = await loadEntry(deps.db, id);
  const pumps = await listPumpsForPatient(deps.db, complication.patientId);
  await auditView(deps, actor, complication);
  return { complication, pumps };
}

export interface ComplicationPage {
  readonly patient: Patient;
  readonly complication: Complication;
  readonly pumps: readonly Pump[];
  /** The bridging plans recorded against this entry, newest first. */
  readonly plans: readonly BridgingPlan[];
}

/**
 * What an entry's page shows: the entry, its patient (for the banner), the patient's pumps and
 * the bridging plans linked to it. One read of the record, so one audit row (complication.view),
 * never the whole register's read and its complication.list row besides.
 */
export async function complicationPage(
  deps: ComplicationServiceDeps,
  actor: Actor,
  id: string,
): Promise<ComplicationPage> {
  requirePermission(actor, 'patient:read', READ_COMPLICATIONS);
  const complication = await loadEntry(deps.db, id);
  const [patient, pumps, plans] = await Promise.all([
    loadPatient(deps.db, complication.patientId),
    listPumpsForPatient(deps.db, complication.patientId),
    listBridgingPlansForComplication(deps.db, id),
  ]);
  await auditView(deps, actor, complication);
  return { patient, complication, pumps, plans };
}
