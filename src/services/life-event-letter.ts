import type { ServiceIdentity } from '../config.ts';
import { addDays, formatPlainDate, type PlainDate } from '../domain/calendar-date.ts';
import { describeProgramme } from '../domain/dose-programme.ts';
import { END_REQUEST_KIND_LABELS } from '../domain/pump-lifecycle.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import {
  surgeryLetter,
  transferLetter,
  type SummaryDoseChange,
  type SummaryLetterInput,
  type SummaryPump,
} from '../domain/pump-summary-letter.ts';
import { renderLetterPdf } from '../letters/render-letter-pdf.ts';
import type { DbOrTrx } from '../storage/database.ts';
import { findLifeEvent } from '../storage/life-events.repository.ts';
import { listPrescriptions } from '../storage/prescriptions.repository.ts';
import { findPendingEndRequest, findOpenPause } from '../storage/pump-lifecycle.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import { latestRefillForPump } from '../storage/refills.repository.ts';
import { findUserById } from '../storage/users.repository.ts';
import { AppError, refused } from './app-error.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { ensureLetterCanBeMade } from './letter-service.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import type { LifeEventDeps } from './life-event-service.ts';

/**
 * The transfer letter and the letter to a team operating elsewhere, made when asked for from
 * the pump's record as it is now (hazard H-153): the full summary of every implanted pump. It is
 * rendered on request rather than kept, so it never carries dates the worklist has since moved;
 * each download is audited.
 */

export type LifeEventLetterDeps = LifeEventDeps & { readonly service: ServiceIdentity };

/** Dose changes programmed within this many days are listed as recent. */
const RECENT_CHANGE_DAYS = 90;

async function summaryPump(db: DbOrTrx, pump: Pump, today: PlainDate): Promise<SummaryPump> {
  const [prescriptions, refill, ending] = [
    await listPrescriptions(db, pump.id),
    await latestRefillForPump(db, pump.id),
    await findPendingEndRequest(db, pump.id),
  ];
  const active = prescriptions.find((p) => p.state === 'active') ?? null;
  const since = addDays(today, -RECENT_CHANGE_DAYS);
  const recentChanges: SummaryDoseChange[] = prescriptions
    .filter((p) => (p.state === 'active' || p.state === 'superseded') && p.programmedOn !== null)
    .filter((p) => (p.programmedOn as PlainDate) >= since)
    .map((p) => ({
      on: p.programmedOn as PlainDate,
      fromMcgPerDay: p.comparedDoseMcgPerDay,
      toMcgPerDay: p.doseMcgPerDay,
      reason: p.reason,
    }));
  const model = findPumpModel(pump.modelId);
  return {
    modelName: model?.name ?? pump.modelId,
    serialNumber: pump.serialNumber,
    reservoirMl: pump.reservoirMl,
    implantedOn: pump.implantedOn,
    catheterModel: pump.catheterModel,
    catheterTipLevel: pump.catheterTipLevel,
    drug: active?.drug ?? null,
    concentrationMcgPerMl: active?.concentrationMcgPerMl ?? null,
    programme: active ? describeProgramme(active.programme) : null,
    doseMcgPerDay: active?.doseMcgPerDay ?? null,
    lastRefillOn: refill?.performedOn ?? null,
    lastRefillMl: refill?.instilledMl ?? null,
    refillDueBy: pump.refillDueBy,
    alarmOn: pump.alarmOn,
    alarmMl: pump.alarmMl,
    recentChanges,
    mriAdvice: model?.mriAdvice ?? 'Model not configured: ask the service before any MRI.',
    ending:
      ending === null
        ? null
        : `${END_REQUEST_KIND_LABELS[ending.kind]} asked for, dated ${formatPlainDate(ending.endedOn ?? today)}: waiting for a second clinician to confirm; until then this service keeps the pump on its refill list`,
  };
}

/**
 * Alerts the letter lists beside the pump: a pause now. The complications register and open
 * emergency events add theirs here once they exist (a seam left for them).
 */
async function letterAlerts(db: DbOrTrx, pumps: readonly Pump[]): Promise<string[]> {
  const alerts: string[] = [];
  for (const pump of pumps) {
    const pause = await findOpenPause(db, pump.id);
    if (pause) {
      alerts.push(
        `Pump ${pump.serialNumber} paused since ${formatPlainDate(pause.pausedOn)}, due to resume by ${formatPlainDate(pause.resumeBy)}`,
      );
    }
  }
  return alerts;
}

/** The letter of a transfer or of surgery elsewhere, as a PDF, with its file name. */
export async function lifeEventLetter(
  deps: LifeEventLetterDeps,
  actor: Actor,
  eventId: string,
): Promise<{ readonly filename: string; readonly pdf: Buffer; readonly patientId: string }> {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  const event = await findLifeEvent(deps.db, eventId);
  if (!event) {
    throw new AppError('NOT_FOUND', 'Life event not found');
  }
  const details = event.details;
  if (details.kind !== 'transfer' && details.kind !== 'surgery-elsewhere') {
    throw refused(
      'NO_LETTER_FOR_EVENT',
      'Only a transfer of care or surgery at another hospital has a letter',
    );
  }
  ensureLetterCanBeMade(deps.service, null);
  const today = serviceToday(deps);
  const patient = await loadPatient(deps.db, event.patientId);
  const pumps = (await listPumpsForPatient(deps.db, event.patientId)).filter((p) => p.state === 'implanted');
  const summaries: SummaryPump[] = [];
  for (const pump of pumps) {
    summaries.push(await summaryPump(deps.db, pump, today));
  }
  const signer = await findUserById(deps.db, actor.userId);
  const input: SummaryLetterInput = {
    service: deps.service,
    date: today,
    patient: {
      name: `${patient.givenName} ${patient.familyName}`,
      nhsNumber: patient.nhsNumber,
      dateOfBirth: patient.dateOfBirth as PlainDate,
      allergies: patient.allergies,
    },
    pumps: summaries,
    alerts: await letterAlerts(deps.db, pumps),
    signedBy: signer?.displayName ?? actor.username,
  };
  const content =
    details.kind === 'transfer' ? transferLetter(input, details.input) : surgeryLetter(input, details.input);
  const pdf = await renderLetterPdf(content, { createdAt: deps.clock.now() });
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'life-event.letter',
      outcome: 'success',
      entityType: 'life-event',
      entityId: event.id,
      patientId: event.patientId,
      details: { kind: event.kind },
    }),
  );
  const prefix = details.kind === 'transfer' ? 'transfer' : 'surgery';
  return { filename: `${prefix}-letter-${today}.pdf`, pdf, patientId: event.patientId };
}
