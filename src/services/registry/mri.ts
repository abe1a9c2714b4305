import { cancelMri, completeMriCheck, planMri, recordMriScan } from '../mri-service.ts';
import { listPendingMriChecks, mriCheckCounts, pumpMri, pumpOfMri } from '../mri-view-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** The MRI workflow: a pump's plan, its scan and the post-scan check, and the checks waiting. */
export function mriServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    plan: planMri,
    recordScan: recordMriScan,
    completeCheck: completeMriCheck,
    cancel: cancelMri,
    forPump: pumpMri,
    pendingChecks: listPendingMriChecks,
    counts: mriCheckCounts,
    pumpOf: pumpOfMri,
  });
}
