import {
  sealAuditTrail,
  verifyAuditChain,
  type AuditVerification,
} from '../../src/services/audit-service.ts';
import type { Db } from '../../src/storage/database.ts';
import { systemClock } from '../../src/services/clock.ts';

/**
 * Seals what is waiting, as the server's sealer would within its delay, then verifies the whole
 * chain: every row a test wrote must be sealed, chained and anchored by the head.
 */
export async function sealAndVerify(db: Db): Promise<AuditVerification> {
  await sealAuditTrail({ db, clock: systemClock });
  return verifyAuditChain(db, { now: new Date(), sealDelayMs: 0 });
}
