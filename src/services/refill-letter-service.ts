import { describeProgramme } from '../domain/dose-programme.ts';
import { refillLetter } from '../domain/refill-letter.ts';
import { missingServiceContacts } from '../domain/service-contacts.ts';
import { workingDayOnOrBefore } from '../domain/working-days.ts';
import { renderLetterPdf } from '../letters/render-letter-pdf.ts';
import { findActivePrescription, findPrescriptionsByIds } from '../storage/prescriptions.repository.ts';
import { listPumpAppointments } from '../storage/pump-appointments.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { refused } from './app-error.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { contactsForDocuments } from './document-contacts.ts';
import type { EmergencyCardDeps, RenderedDocument } from './emergency-card-service.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { closedDaysAround, loadPump, modelOf } from './pump-store.ts';
import { loadRefill } from './refill-common.ts';

/**
 * The patient's letter after a refill, as a PDF. Made only for a refill a second clinician has
 * signed and that is still the pump's latest: before the signature the refill may be rejected
 * and voided (its dates restored), and after a later refill its dates are old, so either letter
 * could give the patient a wrong next refill date (hazard H-121). The dates are the pump's plan
 * (the signed fill through any change confirmed since, brought forward by one waiting for its
 * check), the same dates the worklist and the pump page show; the due date is moved to the
 * working day before when it falls on a closed day, as the refill's own summary does.
 */
export async function refillLetterPdf(
  deps: EmergencyCardDeps,
  actor: Actor,
  refillId: string,
): Promise<RenderedDocument> {
  requirePermission(actor, 'patient:read', 'Only staff who can see patient records can download this letter');
  const refill = await loadRefill(deps.db, refillId);
  if (refill.state !== 'signed') {
    throw refused(
      'REFILL_LETTER_NEEDS_SIGNED_REFILL',
      refill.state === 'voided'
        ? 'This refill was rejected and voided: there is no letter for it'
        : 'The letter is ready once a different clinician has checked and signed the refill',
    );
  }
  const pump = await loadPump(deps.db, refill.pumpId);
  if (pump.lastRefillId !== refill.id) {
    throw refused(
      'REFILL_LETTER_NOT_LATEST',
      "A later refill has been signed for this pump: download that refill's letter, which has the current dates",
    );
  }
  if (pump.refillDueBy === null || pump.alarmOn === null) {
    throw refused(
      'REFILL_LETTER_NO_PLAN',
      'The pump has no next refill or alarm date (it is paused or has ended)',
    );
  }
  const missing = missingServiceContacts(deps.config.service);
  if (missing.length > 0) {
    throw refused(
      'LETTERS_NEED_SERVICE_CONTACTS',
      `No letter can be made until ${missing.map((m) => `${m.variable} (${m.label})`).join(' and ')} is set`,
    );
  }
  const [patient, active, [ofRefill], appointments, names] = await Promise.all([
    loadPatient(deps.db, refill.patientId),
    findActivePrescription(deps.db, pump.id),
    findPrescriptionsByIds(deps.db, [refill.prescriptionId]),
    listPumpAppointments(deps.db, pump.id),
    displayNames(deps.db, [refill.performedBy]),
  ]);
  const dose = active ?? ofRefill;
  if (!dose) {
    throw refused('REFILL_LETTER_NO_PLAN', 'The pump has no prescription to give the dose from');
  }
  const today = serviceToday(deps);
  const bookedOn =
    appointments
      .filter((a) => a.kind === 'refill' && a.state === 'booked' && a.onDate >= refill.performedOn)
      .map((a) => a.onDate)
      .sort()[0] ?? null;
  const model = modelOf(pump);
  const content = refillLetter({
    service: { name: deps.config.service.name, addressLines: deps.config.service.addressLines },
    contacts: contactsForDocuments(deps.config),
    date: today,
    patient: {
      name: `${patient.givenName} ${patient.familyName}`,
      nhsNumber: patient.nhsNumber,
      addressLines: [patient.addressLine1, patient.addressLine2, patient.town, patient.postcode].filter(
        (l): l is string => l !== null && l !== '',
      ),
    },
    pump: { modelId: model.id, modelName: `${model.manufacturer} ${model.name}` },
    refill: {
      performedOn: refill.performedOn,
      instilledMl: refill.instilledMl,
      drug: refill.drug,
      concentrationMcgPerMl: refill.concentrationMcgPerMl,
    },
    dose: { doseMcgPerDay: dose.doseMcgPerDay, description: describeProgramme(dose.programme) },
    nextRefillDueOn: workingDayOnOrBefore(pump.refillDueBy, closedDaysAround(deps, today)),
    bookedOn,
    alarmOn: pump.alarmOn,
    signedBy: names.get(refill.performedBy) ?? deps.config.service.name,
  });
  const pdf = await renderLetterPdf(content, { createdAt: deps.clock.now() });
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'refill-letter.download',
      outcome: 'success',
      entityType: 'refill',
      entityId: refill.id,
      patientId: refill.patientId,
      details: { pumpId: pump.id, nextRefillDueBy: pump.refillDueBy, alarmOn: pump.alarmOn },
    }),
  );
  return { filename: `refill-letter-${refill.performedOn}.pdf`, pdf, patientId: refill.patientId };
}
