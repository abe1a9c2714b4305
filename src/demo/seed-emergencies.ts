import type { RouteDeps } from '../compose.ts';
import type { Actor } from '../services/audit-service.ts';

/**
 * The demo's emergencies: an OPEN suspected withdrawal on the first pump patient (reported by her
 * carer on the advice line, so the banner shows on every page of her record and heads the
 * worklist), a critical alarm on the second, closed by the consultant, and advice-line calls of
 * each kind: a low-reservoir alarm with its refill booked, and an A&E department calling about a
 * patient it could not name.
 */
export async function seedDemoEmergencies(
  deps: RouteDeps,
  people: { readonly nurse: Actor; readonly consultant: Actor },
  pumpPatientIds: readonly string[],
): Promise<void> {
  const svc = deps.services.emergencies;
  const now = deps.clock.now().getTime();
  const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();
  const [first, second] = pumpPatientIds;
  const { nurse, consultant } = people;
  if (first !== undefined) {
    const call = await svc.logCall(nurse, {
      calledAt: hoursAgo(3),
      patientId: first,
      callerKind: 'carer',
      callerName: 'Demo carer',
      reason: 'withdrawal-signs',
      details: 'Itching all over since this morning, feels hot; legs much stiffer than usual (demo).',
      withdrawalSigns: ['itch', 'fever', 'rebound-spasticity'],
      adviceGiven:
        'Go to A&E now with the emergency card and the pump ID card; take the oral baclofen kept at home as instructed. The ITB team will call A&E.',
      followUp: 'emergency-department',
      followUpNote: 'Leeds General Infirmary A&E (demo)',
    });
    await svc.record(nurse, first, {
      kind: 'withdrawal',
      onsetAt: hoursAgo(5),
      signs: ['itch', 'fever', 'rebound-spasticity'],
      signsNote: 'Reported by the carer on the advice line (demo)',
      actionsTaken: 'Sent to A&E; A&E told; pump to be interrogated and X-rayed on arrival (demo)',
      adviceCallId: call.call.id,
    });
  }
  if (second !== undefined) {
    const booked = (await svc.callFormContext(second)).appointments.find((a) => a.kind === 'refill');
    await svc.logCall(nurse, {
      calledAt: hoursAgo(26),
      patientId: second,
      callerKind: 'patient',
      reason: 'alarm-low-reservoir',
      adviceGiven:
        'One tone once an hour: the reservoir is getting low. Refill confirmed as booked; ring at once or go to A&E if it changes to two tones (demo).',
      ...(booked
        ? { followUp: 'appointment', appointmentId: booked.id }
        : {
            followUp: 'emergency-department',
            followUpNote: 'No refill booked: told to attend for a refill today (demo)',
          }),
    });
    const alarm = await svc.record(nurse, second, {
      kind: 'critical-alarm',
      onsetAt: hoursAgo(72),
      signs: [],
      actionsTaken: 'Pump interrogated: reservoir empty. Refilled the same day (demo)',
    });
    await svc.close(consultant, alarm.id, {
      outcome: 'resolved',
      outcomeNote: 'Refilled; no signs of withdrawal at review the next day (demo)',
    });
  }
  await svc.logCall(nurse, {
    calledAt: hoursAgo(30),
    callerKind: 'emergency-department',
    callerIdentity:
      'Registrar, Demo General A&E, about a man whose pump is sounding two tones; name not yet known (demo)',
    reason: 'alarm-critical',
    adviceGiven:
      'Two tones: the drug has stopped. Oral baclofen cover, watch for withdrawal, ITB team to attend and interrogate the pump (demo).',
    followUp: 'emergency-department',
  });
}
