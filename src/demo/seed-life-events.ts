import type { RouteDeps } from '../compose.ts';
import { addDays } from '../domain/calendar-date.ts';
import type { Actor } from '../services/audit-service.ts';
import { todayIn } from '../services/clock.ts';

/**
 * Demo life events on the demo pumps' patients (seed-pumps.ts order): a pregnancy whose refill
 * falls due around the delivery, with its dose review still to do, and an operation planned at
 * another hospital during which the refill falls due, so a refill before admission is planned.
 * Both pumps stay on the refill worklist. Dates count from today.
 */
export async function seedDemoLifeEvents(
  deps: RouteDeps,
  people: { readonly nurse: Actor },
  pumpPatientIds: readonly string[],
): Promise<void> {
  const svc = deps.services.lifeEvents;
  const today = todayIn(deps.clock, deps.config.timeZone);
  // The third demo pump is due within the week: a delivery ten days away falls in its window.
  const pregnant = pumpPatientIds[2];
  if (pregnant !== undefined) {
    const { event } = await svc.record(people.nurse, pregnant, 'pregnancy', {
      expectedDeliveryOn: addDays(today, 10),
      obstetricTeam: 'Leeds maternity, Dr O Demo, 0113 496 0100 (demo)',
      notes: 'Planning a vaginal delivery; anaesthetic review booked (demo)',
    });
    await svc.completeAction(people.nurse, event.id, 'alert-obstetric', {
      note: 'Letter sent to the obstetric anaesthetist (demo)',
    });
  }
  // The sixth demo pump is due in about two weeks: a ten-day stay from next week covers it.
  const operated = pumpPatientIds[5];
  if (operated !== undefined) {
    await svc.record(people.nurse, operated, 'surgery-elsewhere', {
      surgeryOn: addDays(today, 7),
      hospital: 'St James’s University Hospital (demo)',
      procedure: 'a right total hip replacement',
      teamContact: 'Ms H Ortho, orthopaedic secretary 0113 496 0200 (demo)',
      expectedStayDays: 10,
    });
  }
}
