import type { RouteDeps } from '../compose.ts';
import type { Actor } from '../services/audit-service.ts';

/**
 * Demo emergency cards: one patient holds an up-to-date card, and another holds a card that is
 * out of date because the dose was lowered (150 to 140 mcg/day) after it was issued, so the
 * patient and pump pages show the warning and the prompt to issue a new card. Given the demo
 * pump patients in the order seedDemoPumps used them; the third and sixth pumps (refilled,
 * no change waiting) carry the cards.
 */
export async function seedDemoCards(
  deps: RouteDeps,
  people: { readonly nurse: Actor; readonly consultant: Actor },
  pumpPatientIds: readonly string[],
): Promise<void> {
  const svc = deps.services;
  const pumpOf = async (patientId: string | undefined) =>
    patientId === undefined ? undefined : (await svc.pumps.listForPatient(people.nurse, patientId)).pumps[0];
  const current = await pumpOf(pumpPatientIds[2]);
  if (current) {
    await svc.documents.issueCard(people.nurse, current.id);
  }
  const outOfDate = await pumpOf(pumpPatientIds[5]);
  if (outOfDate) {
    await svc.documents.issueCard(people.nurse, outOfDate.id);
    const change = await svc.pumps.proposePrescription(people.nurse, outOfDate.id, {
      concentrationMcgPerMl: 500,
      phase: 'maintenance',
      programme: { mode: 'simple', doseMcgPerDay: 140, schedules: [], bolus: null },
      reason: 'Daytime weakness when walking: dose lowered (demo)',
    });
    await svc.pumps.confirmPrescription(people.consultant, change.id, {});
  }
}
