import type { RouteDeps } from '../compose.ts';
import { addDays } from '../domain/calendar-date.ts';
import type { Actor } from '../services/audit-service.ts';
import { todayIn } from '../services/clock.ts';

/**
 * Demo entries in the complications register: a pump-pocket infection with its organism,
 * treated and resolved; a catheter kink found on X-ray and put right by revision surgery, with
 * the bridging plan (oral baclofen cover) that covered the revision. Dates count back from today.
 */
export async function seedDemoComplications(
  deps: RouteDeps,
  people: { readonly nurse: Actor; readonly consultant: Actor },
  pumpPatientIds: readonly string[],
): Promise<void> {
  const svc = deps.services;
  const today = todayIn(deps.clock, deps.config.timeZone);
  const { nurse, consultant } = people;
  const pumpsOf = async (patientId: string | undefined) =>
    patientId === undefined ? [] : (await svc.pumps.listForPatient(consultant, patientId)).pumps;

  // The fourth demo pump (implanted 500 days ago): a pocket infection a year ago.
  const [infected] = await pumpsOf(pumpPatientIds[3]);
  if (infected) {
    await svc.complications.record(consultant, infected.patientId, {
      kind: 'infection-pocket',
      onsetOn: addDays(today, -380),
      resolvedOn: addDays(today, -330),
      pumpId: infected.id,
      device: 'pump',
      organism: 'Staphylococcus aureus (meticillin-sensitive)',
      details: 'Red, warm pump pocket two weeks after a refill; no fever; CSF not sampled (demo)',
      actions: 'Flucloxacillin for six weeks after microbiology advice; wound reviewed weekly (demo)',
      outcome: 'resolved',
    });
  }

  // The third demo pump (implanted 300 days ago): a catheter kink, revised.
  const [kinked] = await pumpsOf(pumpPatientIds[2]);
  if (kinked) {
    const kink = await svc.complications.record(nurse, kinked.patientId, {
      kind: 'catheter-kink',
      onsetOn: addDays(today, -150),
      resolvedOn: addDays(today, -140),
      pumpId: kinked.id,
      device: 'catheter',
      organism: null,
      details:
        'Rebound spasticity and itching; X-ray showed a kink where the catheter leaves the pocket (demo)',
      actions: 'Catheter revised in theatre; pump interrogated and refilled (demo)',
      outcome: 'resolved',
    });
    await svc.complications.record(nurse, kinked.patientId, {
      kind: 'revision-surgery',
      onsetOn: addDays(today, -141),
      resolvedOn: addDays(today, -140),
      pumpId: kinked.id,
      device: 'catheter',
      organism: null,
      details: 'Catheter revision for the kink (demo)',
      actions: 'Kinked segment replaced; patency confirmed at the access port (demo)',
      outcome: 'resolved',
    });
    await svc.complications.recordBridgingPlan(nurse, kinked.id, {
      purpose: 'revision',
      kind: 'oral-cover',
      drug: 'Oral baclofen',
      dose: '30 mg',
      frequency: 'Three times a day',
      startOn: addDays(today, -142),
      reviewOn: addDays(today, -138),
      responsible: 'Dr C Demo (demo)',
      details:
        'Cover from admission until intrathecal delivery was confirmed after the revision; dose as in the published example, decided by the consultant (demo)',
      complicationId: kink.id,
    });
  }
}
