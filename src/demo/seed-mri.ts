import type { RouteDeps } from '../compose.ts';
import { addDays } from '../domain/calendar-date.ts';
import { instantFromLocal, localDateAndTime } from '../domain/test-dose-time.ts';
import type { Actor } from '../services/audit-service.ts';
import { todayIn } from '../services/clock.ts';

/** The SynchroMed checklist, every step confirmed (mri-plan.ts). */
const SYNCHROMED_STEPS = ['cover', 'conditions', 'check-booked', 'patient-told'];

/**
 * Demo MRI scans of SynchroMed pumps: one scanned yesterday whose post-scan check was never
 * recorded (overdue, red on the worklist), and one scanned half an hour ago whose check is
 * waiting (due by midnight). Times count back from now, so the demo shows the same picture
 * whenever it starts.
 */
export async function seedDemoMri(
  deps: RouteDeps,
  nurse: Actor,
  pumps: { readonly overdue: string | undefined; readonly waiting: string | undefined },
): Promise<void> {
  const tz = deps.config.timeZone;
  const today = todayIn(deps.clock, tz);
  if (pumps.overdue !== undefined) {
    const yesterday = addDays(today, -1);
    const at = instantFromLocal('scannedAt', 'Scan', yesterday, '10:00', tz);
    if ('instant' in at) {
      const plan = await deps.services.mri.plan(nurse, pumps.overdue, {
        plannedOn: yesterday,
        scanner: 'MRI 1, Leeds General Infirmary (demo)',
        fieldStrengthTesla: 1.5,
        confirmedSteps: SYNCHROMED_STEPS,
        note: 'Lumbar spine MRI; oral baclofen cover arranged (demo)',
      });
      await deps.services.mri.recordScan(nurse, plan.id, { scannedAt: at.instant });
    }
  }
  if (pumps.waiting !== undefined) {
    const scannedAt = new Date(deps.clock.now().getTime() - 30 * 60_000).toISOString();
    const plan = await deps.services.mri.plan(nurse, pumps.waiting, {
      plannedOn: localDateAndTime(scannedAt, tz).date,
      scanner: 'MRI 2, St James’s (demo)',
      fieldStrengthTesla: 3,
      confirmedSteps: SYNCHROMED_STEPS,
      note: 'Brain MRI (demo)',
    });
    await deps.services.mri.recordScan(nurse, plan.id, { scannedAt });
  }
}
