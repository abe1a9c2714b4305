import type { RouteDeps } from '../compose.ts';
import type { Actor } from '../services/audit-service.ts';

/**
 * The demo's break-glass access: the first pump patient's record gains allergies and relevant
 * conditions (so the emergency summary shows a full record), and the demo emergency clinician
 * has broken the glass for them with a reason, so the ITB team's home page lists one access and
 * demo.emergency can open that summary (and nothing else) for BREAK_GLASS_HOURS.
 */
export async function seedDemoBreakGlass(
  deps: RouteDeps,
  emergency: Actor,
  nurse: Actor,
  patient: { readonly id: string; readonly nhsNumber: string; readonly dateOfBirth: string },
): Promise<void> {
  const p = await deps.services.patients.view(nurse, patient.id);
  await deps.services.patients.update(nurse, patient.id, p.version, {
    nhsNumber: p.nhsNumber,
    hospitalNumber: p.hospitalNumber,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    addressLine1: p.addressLine1,
    addressLine2: p.addressLine2,
    town: p.town,
    postcode: p.postcode,
    phone: p.phone,
    gpPracticeName: p.gpPracticeName,
    gpPracticeOds: p.gpPracticeOds,
    nextOfKinName: p.nextOfKinName,
    nextOfKinRelationship: p.nextOfKinRelationship,
    nextOfKinPhone: p.nextOfKinPhone,
    communicationNeeds: p.communicationNeeds,
    alerts: p.alerts,
    allergies: 'Penicillin (rash)',
    relevantConditions: 'Spinal cord injury at T4 (demo); autonomic dysreflexia in the past',
  });
  await deps.services.emergencySummary.breakGlass(emergency, {
    nhsNumber: patient.nhsNumber,
    dateOfBirth: patient.dateOfBirth,
    reason: 'Attending the emergency department: drowsy, slow breathing, pump alarm (demo)',
  });
}
