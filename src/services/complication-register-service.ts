import { validateRegisterFilter, type RegisterFilter } from '../domain/complication.ts';
import {
  listBridgingPlansForPatient,
  listBridgingPlansForPump,
  listComplicationsForPatient,
  listComplicationsForPump,
  listRegister,
  registerPatients,
  type BridgingPlan,
  type Complication,
  type RegisterPatient,
} from '../storage/complications.repository.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import { validationError } from './app-error.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import type { ComplicationServiceDeps } from './complication-service.ts';
import { READ_COMPLICATIONS } from './complication-service.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { loadPump } from './pump-store.ts';

/** Reading the register: one patient's, one pump's, and the whole service's, filtered. */

/** The most rows the service-wide register shows at once (the newest onsets first). */
export const REGISTER_LIMIT = 200;

export interface PatientRegister {
  readonly patient: Patient;
  readonly pumps: readonly Pump[];
  readonly complications: readonly Complication[];
  readonly plans: readonly BridgingPlan[];
}

/** A patient's register and bridging plans, audited as a read of the record. */
export async function patientRegister(
  deps: ComplicationServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<PatientRegister> {
  requirePermission(actor, 'patient:read', READ_COMPLICATIONS);
  const patient = await loadPatient(deps.db, patientId);
  const [pumps, complications, plans] = await Promise.all([
    listPumpsForPatient(deps.db, patientId),
    listComplicationsForPatient(deps.db, patientId),
    listBridgingPlansForPatient(deps.db, patientId),
  ]);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'complication.list',
      outcome: 'success',
      entityType: 'patient',
      entityId: patientId,
      patientId,
    }),
  );
  return { patient, pumps, complications, plans };
}

/**
 * One pump's entries and plans, for the pump page and the bridging plan form: read with the
 * pump page, whose opening is audited already (pump.view), so not audited again.
 */
export async function pumpRegister(
  deps: ComplicationServiceDeps,
  actor: Actor,
  pumpId: string,
): Promise<{
  readonly pump: Pump;
  readonly complications: readonly Complication[];
  readonly plans: readonly BridgingPlan[];
}> {
  requirePermission(actor, 'patient:read', READ_COMPLICATIONS);
  const pump = await loadPump(deps.db, pumpId);
  const [complications, plans] = await Promise.all([
    listComplicationsForPump(deps.db, pumpId),
    listBridgingPlansForPump(deps.db, pumpId),
  ]);
  return { pump, complications, plans };
}

export interface ServiceRegister {
  readonly filter: RegisterFilter;
  readonly rows: readonly (Complication & { readonly patient: RegisterPatient | null })[];
  /** True when there were more rows than REGISTER_LIMIT: the page says so. */
  readonly truncated: boolean;
}

/**
 * The service-wide register, filtered by kind and onset dates; audited as a search, with the
 * filter, since it names patients.
 */
export async function serviceRegister(
  deps: ComplicationServiceDeps,
  actor: Actor,
  rawFilter: unknown,
): Promise<ServiceRegister> {
  requirePermission(actor, 'patient:read', READ_COMPLICATIONS);
  const parsed = validateRegisterFilter(rawFilter);
  if (!parsed.ok) {
    throw validationError(parsed.errors);
  }
  const filter = parsed.value;
  const found = await listRegister(deps.db, { ...filter, limit: REGISTER_LIMIT + 1 });
  const shown = found.slice(0, REGISTER_LIMIT);
  const patients = await registerPatients(
    deps.db,
    shown.map((c) => c.patientId),
  );
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'complication.register',
      outcome: 'success',
      details: { ...filter, rows: shown.length },
    }),
  );
  return {
    filter,
    rows: shown.map((c) => ({ ...c, patient: patients.get(c.patientId) ?? null })),
    truncated: found.length > REGISTER_LIMIT,
  };
}
