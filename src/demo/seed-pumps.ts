import type { RouteDeps } from '../compose.ts';
import { addDays, type PlainDate } from '../domain/calendar-date.ts';
import type { Actor } from '../services/audit-service.ts';
import { todayIn } from '../services/clock.ts';

/**
 * Demo pumps at every stage of the refill worklist: just implanted with no fill recorded,
 * booked in time with a refill history, due this week, overdue, a refill awaiting its check
 * (flagged discrepancy), booked after the due date, a pump past its replacement indicator
 * with a dose change waiting for the second clinician, a pump paused for an MRI scan, and a
 * transfer of care waiting for a second clinician's confirmation. All dates count back from
 * today, so the demo shows the same picture whenever it starts.
 */
const SIMPLE = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'maintenance',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
});

// 20 mL of 500 mcg/mL at 150 mcg/day: 0.3 mL/day, (20 − 2) ÷ 0.3 = 60 days to the alarm,
// due 7 days before it: 53 days after each fill. The days below are chosen from that.
interface DemoPump {
  readonly serial: string;
  readonly implantedDaysAgo: number;
  /** Days ago of each signed refill, oldest first; empty for a pump with no fill recorded. */
  readonly refillsDaysAgo: readonly number[];
  readonly bookInDays: number | null;
  readonly unsignedRefillDaysAgo?: number;
  readonly eriDaysAgo?: number;
  readonly pendingDose?: number;
  /** Paused this many days ago, to resume in `resumeInDays`. */
  readonly pause?: { readonly daysAgo: number; readonly resumeInDays: number };
  /** A transfer of care recorded today, waiting for the consultant's confirmation. */
  readonly transferRequested?: boolean;
}

const PUMPS: readonly DemoPump[] = [
  { serial: 'NGP100001H', implantedDaysAgo: 6, refillsDaysAgo: [], bookInDays: null },
  {
    serial: 'NGP100002H',
    implantedDaysAgo: 400,
    refillsDaysAgo: [124, 71, 18],
    bookInDays: 30,
    transferRequested: true,
  },
  { serial: 'NGP100003H', implantedDaysAgo: 300, refillsDaysAgo: [100, 49], bookInDays: 2 },
  { serial: 'NGP100004H', implantedDaysAgo: 500, refillsDaysAgo: [170, 117, 62], bookInDays: null },
  {
    serial: 'NGP100005H',
    implantedDaysAgo: 200,
    refillsDaysAgo: [95],
    bookInDays: null,
    unsignedRefillDaysAgo: 0,
  },
  { serial: 'NGP100006H', implantedDaysAgo: 250, refillsDaysAgo: [40], bookInDays: 20 },
  { serial: 'NGP100008H', implantedDaysAgo: 150, refillsDaysAgo: [83, 30], bookInDays: null },
  {
    serial: 'NGP100007H',
    implantedDaysAgo: 2500,
    refillsDaysAgo: [60, 10],
    bookInDays: 35,
    eriDaysAgo: 3,
    pendingDose: 165,
  },
  {
    serial: 'NGP100009H',
    implantedDaysAgo: 700,
    refillsDaysAgo: [70, 20],
    bookInDays: null,
    pause: { daysAgo: 2, resumeInDays: 5 },
  },
];

function refillInput(performedOn: PlainDate, discrepancy: boolean) {
  return {
    performedOn,
    expectedResidualMl: '4.1',
    withdrawnMl: discrepancy ? '2.6' : '4.0',
    concentrationMcgPerMl: '500',
    batch: `DEMO-${performedOn.replaceAll('-', '')}`,
    expiresOn: addDays(performedOn, 365),
    instilledMl: '20',
    alarmMl: '2',
    complications: [],
    patientNote: null,
  };
}

export async function seedDemoPumps(
  deps: RouteDeps,
  people: { readonly nurse: Actor; readonly consultant: Actor },
  patientIds: readonly string[],
): Promise<Map<string, string>> {
  const svc = deps.services;
  const today = todayIn(deps.clock, deps.config.timeZone);
  const { nurse, consultant } = people;
  // Each pump's id by its serial number, for the seeds that build on the pumps (seed-mri.ts).
  const ids = new Map<string, string>();
  for (const [i, d] of PUMPS.entries()) {
    const patientId = patientIds[i];
    if (patientId === undefined) {
      return ids;
    }
    const pump = await svc.pumps.register(nurse, patientId, {
      modelId: 'synchromed-ii',
      reservoirMl: 20,
      serialNumber: d.serial,
      implantedOn: addDays(today, -d.implantedDaysAgo),
      surgeon: 'Mr D Demo (demo)',
      alarmMl: 2,
      catheterModel: '8709SC',
      catheterTipLevel: 'T10',
      origin: i % 2 === 0 ? 'spinal' : 'cerebral',
    });
    ids.set(d.serial, pump.id);
    const first = await svc.pumps.proposePrescription(nurse, pump.id, {
      ...SIMPLE(150),
      // A new pump's first prescription starts titration.
      phase: 'titration',
      reason: 'Test dose given at the referring centre (demo)',
    });
    await svc.pumps.confirmPrescription(consultant, first.id, {});
    for (const [n, daysAgo] of d.refillsDaysAgo.entries()) {
      const refill = await svc.refills.record(
        nurse,
        pump.id,
        refillInput(addDays(today, -daysAgo), n === 0 && i === 1),
      );
      if (refill.flagged) {
        await svc.refills.review(consultant, refill.id, {
          note: 'Residual lower than expected. Pump interrogated, no pocket swelling; reservoir drained fully. Watch the trend.',
        });
      }
      await svc.refills.sign(consultant, refill.id, {
        version: refill.flagged ? refill.version + 1 : refill.version,
      });
    }
    if (d.unsignedRefillDaysAgo !== undefined) {
      await svc.refills.record(nurse, pump.id, refillInput(addDays(today, -d.unsignedRefillDaysAgo), true));
    }
    if (d.bookInDays !== null) {
      await svc.pumps.bookAppointment(nurse, pump.id, {
        kind: 'refill',
        onDate: addDays(today, d.bookInDays),
      });
    }
    if (d.eriDaysAgo !== undefined) {
      await svc.pumps.recordEvent(consultant, pump.id, {
        kind: 'eri',
        occurredOn: addDays(today, -d.eriDaysAgo),
        note: 'Single-tone alarm; programmer shows the elective replacement indicator',
      });
    }
    if (d.pendingDose !== undefined) {
      await svc.pumps.proposePrescription(nurse, pump.id, { ...SIMPLE(d.pendingDose), reason: null });
    }
    if (d.pause !== undefined) {
      await svc.pumps.pause(nurse, pump.id, {
        reason: 'mri',
        // A SynchroMed II stops in the scanner with its drug inside: not emptied.
        emptied: false,
        note: 'Stopped for a 3 T MRI scan of the spine; oral baclofen cover arranged (demo)',
        pausedOn: addDays(today, -d.pause.daysAgo),
        resumeBy: addDays(today, d.pause.resumeInDays),
      });
    }
    if (d.transferRequested === true) {
      await svc.pumps.requestEnd(nurse, pump.id, {
        kind: 'transfer',
        endedOn: today,
        reason: 'Moving to Sheffield: their ITB service takes over the refills (demo)',
      });
    }
  }
  return ids;
}

/** How many demo pumps there are; the demo needs at least this many patients for all of them. */
export const DEMO_PUMP_COUNT = PUMPS.length;
