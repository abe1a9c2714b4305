import { recentBreakGlass, requestBreakGlass } from '../break-glass-service.ts';
import { emergencySummary } from '../emergency-summary-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * The emergency summary (the ITB team's, or under break-glass) and break-glass access: asking
 * for it with a reason, and the ITB team's list of the accesses; each audited.
 */
export function emergencySummaryServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    summary: emergencySummary,
    breakGlass: requestBreakGlass,
    recentBreakGlass,
  });
}
