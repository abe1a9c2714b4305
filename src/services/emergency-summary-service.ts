import type { AppConfig } from '../config.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import { describeProgramme } from '../domain/dose-programme.ts';
import { emergencyAlertText } from '../domain/emergency-events.ts';
import { EMERGENCY_GUIDANCE, type EmergencyGuidance } from '../domain/emergency-guidance.ts';
import { formatDateTime } from '../domain/uk-date-time.ts';
import {
  emergencyContacts,
  reservoirToday,
  type EmergencyContacts,
  type ReservoirToday,
} from '../domain/emergency-summary.ts';
import { DRUGS } from '../domain/prescription-input.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import { PAUSE_REASON_LABELS } from '../domain/pump-lifecycle.ts';
import { TEST_RESULT_LABELS } from '../domain/test-dose-result.ts';
import type { Trx } from '../storage/database.ts';
import { listOpenEventsForPatient } from '../storage/emergency.repository.ts';
import { findPatientById, type Patient } from '../storage/patients.repository.ts';
import { listPauses } from '../storage/pump-lifecycle.repository.ts';
import { listPrescriptions } from '../storage/prescriptions.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import { listRefillsForPump } from '../storage/refills.repository.ts';
import { listBolusesForPatient } from '../storage/test-dose-boluses.repository.ts';
import { AppError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import {
  breakGlassAccess,
  refuseSummary,
  type EmergencyAccessDeps,
  type SummaryAccess,
  type SummaryRefusal,
} from './break-glass-service.ts';
import { todayIn } from './clock.ts';
import { loadFillToJudge } from './fill-history.ts';

/**
 * The emergency summary: what a doctor who has never met the patient needs to act on an
 * overdose or a withdrawal, read in one transaction with its audit row. The ITB team
 * (`patient:read`) opens it directly; an emergency clinician only under a live break-glass
 * grant (break-glass-service.ts), and each view is audited as which of the two it was.
 */

export interface EmergencyPump {
  readonly id: string;
  readonly model: string;
  readonly serialNumber: string;
  readonly implantedOn: PlainDate;
  readonly reservoirMl: number;
  readonly alarmMl: number;
  readonly catheterModel: string | null;
  readonly catheterTipLevel: string | null;
  /** The confirmed prescription the pump runs; null before the first is confirmed. */
  readonly drug: string | null;
  readonly concentrationMcgPerMl: number | null;
  readonly doseMcgPerDay: number | null;
  readonly programme: string | null;
  /** The day the pump was programmed with it. */
  readonly programmedOn: PlainDate | null;
  /** A dose change proposed and not yet checked: the pump does not run it yet. */
  readonly pendingDoseMcgPerDay: number | null;
  readonly lastRefill: {
    readonly performedOn: PlainDate;
    readonly instilledMl: number;
    readonly concentrationMcgPerMl: number;
  } | null;
  /** A refill recorded after the last signed one and not yet signed. */
  readonly unsignedRefillOn: PlainDate | null;
  readonly reservoir: ReservoirToday;
  readonly alarmOn: PlainDate | null;
  readonly refillDueBy: PlainDate | null;
  readonly paused: {
    readonly since: PlainDate;
    readonly reason: string;
    readonly emptied: boolean;
    readonly resumeBy: PlainDate;
  } | null;
}

export interface EmergencyTestDose {
  readonly givenAt: string;
  readonly doseMcg: number;
  readonly result: string;
}

export interface EmergencySummary {
  readonly patient: Patient;
  readonly today: PlainDate;
  readonly generatedAt: string;
  /** The implanted pump; null when the patient has none. */
  readonly pump: EmergencyPump | null;
  /** The date the last pump ended, when the patient has had one but none is implanted now. */
  readonly lastPumpEndedOn: PlainDate | null;
  readonly latestTestDose: EmergencyTestDose | null;
  readonly contacts: EmergencyContacts;
  readonly guidance: EmergencyGuidance;
  readonly access: SummaryAccess;
  /**
   * Open emergency events (suspected overdose, withdrawal, critical alarm) to list at the top
   * of the summary. Empty here: the emergency-events feature fills it (openEmergencyAlerts).
   */
  readonly openAlerts: readonly string[];
}

/**
 * The patient's open emergency events (a suspected overdose or withdrawal, a critical alarm, a
 * pump stall), read in the summary's transaction, each as one sentence: a doctor reading the
 * summary learns what the team already suspects and what has been done.
 */
export async function openEmergencyAlerts(
  trx: Trx,
  patientId: string,
  timeZone: string,
): Promise<readonly string[]> {
  const events = await listOpenEventsForPatient(trx, patientId);
  return events.map((e) => emergencyAlertText(e, formatDateTime(e.onsetAt, timeZone)));
}

async function pumpFacts(
  trx: Trx,
  deps: EmergencyAccessDeps,
  pump: Pump,
  today: PlainDate,
): Promise<EmergencyPump> {
  const [prescriptions, refills, pauses] = [
    await listPrescriptions(trx, pump.id),
    await listRefillsForPump(trx, pump.id),
    await listPauses(trx, pump.id),
  ];
  const active = prescriptions.find((p) => p.state === 'active') ?? null;
  const pending = prescriptions.find((p) => p.state === 'pending') ?? null;
  const lastSigned = refills.find((r) => r.id === pump.lastRefillId && r.state === 'signed') ?? null;
  const unsigned = refills.find((r) => r.state === 'recorded') ?? null;
  const judged = await loadFillToJudge(trx, pump, today, deps.timeZone);
  const open = pauses.find((p) => p.resumedOn === null) ?? null;
  const model = findPumpModel(pump.modelId);
  return {
    id: pump.id,
    model: model ? `${model.manufacturer} ${model.name}` : pump.modelId,
    serialNumber: pump.serialNumber,
    implantedOn: pump.implantedOn,
    reservoirMl: pump.reservoirMl,
    alarmMl: pump.alarmMl,
    catheterModel: pump.catheterModel,
    catheterTipLevel: pump.catheterTipLevel,
    drug: active ? (DRUGS.find((d) => d.id === active.drug)?.label ?? active.drug) : null,
    concentrationMcgPerMl: active?.concentrationMcgPerMl ?? null,
    doseMcgPerDay: active?.doseMcgPerDay ?? null,
    programme: active ? describeProgramme(active.programme) : null,
    programmedOn: active?.programmedOn ?? null,
    pendingDoseMcgPerDay: pending?.doseMcgPerDay ?? null,
    lastRefill: lastSigned
      ? {
          performedOn: lastSigned.performedOn,
          instilledMl: lastSigned.instilledMl,
          concentrationMcgPerMl: lastSigned.concentrationMcgPerMl,
        }
      : null,
    unsignedRefillOn: unsigned?.performedOn ?? null,
    reservoir: reservoirToday(judged.fill, judged.emptiedOn, today),
    alarmOn: pump.alarmOn,
    refillDueBy: pump.refillDueBy,
    paused: open
      ? {
          since: open.pausedOn,
          reason: PAUSE_REASON_LABELS[open.reason],
          emptied: open.emptied,
          resumeBy: open.resumeBy,
        }
      : null,
  };
}

/** The patient's emergency summary, audited as the ITB team's view or a break-glass view. */
export async function emergencySummary(
  deps: EmergencyAccessDeps & { readonly config: Pick<AppConfig, 'service'> },
  actor: Actor,
  patientId: string,
): Promise<EmergencySummary> {
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<EmergencySummary | SummaryRefusal> => {
      const patient = await findPatientById(trx, patientId);
      if (!patient) {
        throw new AppError('NOT_FOUND', 'Patient not found');
      }
      const now = deps.clock.now().toISOString();
      const access = await breakGlassAccess(trx, actor, patientId, now);
      if (access.kind === 'refused') {
        return access;
      }
      const today = todayIn(deps.clock, deps.timeZone);
      const pumps = await listPumpsForPatient(trx, patientId);
      const implanted = pumps.find((p) => p.state === 'implanted') ?? null;
      const boluses = await listBolusesForPatient(trx, patientId);
      const latest = [...boluses].sort((a, b) =>
        a.givenAt < b.givenAt ? 1 : a.givenAt > b.givenAt ? -1 : 0,
      )[0];
      const summary: EmergencySummary = {
        patient,
        today,
        generatedAt: now,
        pump: implanted ? await pumpFacts(trx, deps, implanted, today) : null,
        lastPumpEndedOn:
          implanted === null
            ? (pumps
                .map((p) => p.endedOn)
                .filter((d): d is PlainDate => d !== null)
                .sort()
                .at(-1) ?? null)
            : null,
        latestTestDose: latest
          ? {
              givenAt: latest.givenAt,
              doseMcg: latest.doseMcg,
              result: latest.result ? TEST_RESULT_LABELS[latest.result.result] : 'Result not recorded yet',
            }
          : null,
        contacts: emergencyContacts(deps.config.service),
        guidance: EMERGENCY_GUIDANCE,
        access,
        openAlerts: await openEmergencyAlerts(trx, patientId, deps.timeZone),
      };
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: access.kind === 'team' ? 'patient.emergency-summary' : 'patient.break-glass-view',
          outcome: 'success',
          entityType: 'patient',
          entityId: patientId,
          patientId,
          details: access.kind === 'team' ? {} : { grantId: access.grantId, expiresAt: access.expiresAt },
        }),
      );
      return summary;
    });
  if ('kind' in result) {
    return refuseSummary(deps, actor, patientId, result);
  }
  return result;
}
