import { refreshAllFigureFacts } from '../../storage/figures/figure-facts.repository.ts';
import type { Db } from '../../storage/database.ts';
import { actorEvent, appendAudit } from '../audit-service.ts';
import type { Clock } from '../clock.ts';

/**
 * Works out afresh every fact the figures read (each referral's first triage, first attended
 * and earliest booked dates, each refill's previous refill, the refill counts per day) from the
 * records, in one transaction with its audit row. The service keeps them as it writes; this is
 * for after a change made directly in the database, which no writer saw (`itb figures
 * refresh-facts`). Returns how long it took.
 */
export async function refreshFigureFacts(deps: { readonly db: Db; readonly clock: Clock }): Promise<number> {
  const started = deps.clock.now().getTime();
  await deps.db.transaction().execute(async (trx) => {
    await refreshAllFigureFacts(trx);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(null, { action: 'figures.refresh-facts', outcome: 'success', details: { via: 'cli' } }),
    );
  });
  return deps.clock.now().getTime() - started;
}
