import type { DatabaseHandle } from '../src/storage/create-database.ts';
import { FIRST_PRESCRIPTION, patientBody, pumpBody, referralBody, refillBody } from './clinic.ts';
import type { Instance } from './harness.ts';
import { request } from './http.ts';

/**
 * A client writing one patient's journey after another through the API — register the patient,
 * record a referral, register a pump, propose its prescription, confirm it as the second
 * clinician, record a refill — and keeping a ledger of every write the server acknowledged
 * (a 2xx received). A journey whose step got no answer is abandoned: its outcome is unknown,
 * so nothing after it is attempted and nothing unacknowledged is counted.
 */

export type LedgerTable = 'patients' | 'referrals' | 'pumps' | 'prescriptions' | 'confirmations' | 'refills';
export const LEDGER_TABLES: readonly LedgerTable[] = [
  'patients',
  'referrals',
  'pumps',
  'prescriptions',
  'confirmations',
  'refills',
];

export class Ledger {
  readonly acked = new Map<LedgerTable, string[]>(LEDGER_TABLES.map((t) => [t, []]));
  /** Answers with a status other than 2xx while the server was up: none is expected. */
  readonly refusals: string[] = [];
  /** Requests that got no answer (connection refused or reset, timeout). */
  unanswered = 0;

  add(table: LedgerTable, id: string): void {
    this.acked.get(table)?.push(id);
  }

  total(): number {
    let n = 0;
    for (const ids of this.acked.values()) {
      n += ids.length;
    }
    return n;
  }

  /** A copy of what was acknowledged so far (what a backup started now must hold). */
  snapshot(): Map<LedgerTable, string[]> {
    return new Map([...this.acked].map(([t, ids]) => [t, [...ids]]));
  }
}

/** How many acknowledged writes of `acked` the database does not hold. */
export async function countMissing(
  handle: DatabaseHandle,
  acked: ReadonlyMap<LedgerTable, readonly string[]>,
): Promise<number> {
  let missing = 0;
  for (const [table, ids] of acked) {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      let found: number;
      if (table === 'confirmations') {
        const rows = await handle.db
          .selectFrom('prescriptions')
          .select('id')
          .where('id', 'in', chunk)
          .where('decided_at', 'is not', null)
          .execute();
        found = rows.length;
      } else {
        const rows = await handle.db.selectFrom(table).select('id').where('id', 'in', chunk).execute();
        found = rows.length;
      }
      missing += chunk.length - found;
    }
  }
  return missing;
}

export interface WriterControl {
  stopped: boolean;
  /** The next number for NHS numbers, UBRNs and serial numbers, shared by every writer of a database. */
  next: number;
}

/** One writer: journeys until `control.stopped`. Resolves when its last request has settled. */
export async function writeJourneys(
  baseUrl: () => string,
  instance: Instance,
  ledger: Ledger,
  control: WriterControl,
): Promise<void> {
  try {
    await journeys(baseUrl, instance, ledger, control);
  } catch (err) {
    // A bug of the writer itself must show as a failed figure, never as a silent stop.
    ledger.refusals.push(`writer failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function journeys(
  baseUrl: () => string,
  instance: Instance,
  ledger: Ledger,
  control: WriterControl,
): Promise<void> {
  const { nurse, consultant } = instance.staff;
  // Read through a function: the flag changes while a request is in flight.
  const stopped = (): boolean => control.stopped;
  const step = async (
    table: LedgerTable,
    path: string,
    token: string,
    body: unknown,
    ackId?: string,
  ): Promise<string | null> => {
    if (control.stopped) {
      return null;
    }
    const answer = await request(baseUrl(), 'POST', path, { token, body });
    if (answer.status >= 200 && answer.status < 300) {
      const id = ackId ?? String(answer.body.id);
      ledger.add(table, id);
      return id;
    }
    if (answer.status === 0) {
      ledger.unanswered++;
    } else if (!stopped()) {
      ledger.refusals.push(`${path} ${String(answer.status)} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
    return null;
  };
  while (!control.stopped) {
    const n = control.next++;
    const patientId = await step('patients', '/api/v1/patients', nurse.token, patientBody(n));
    if (!patientId) {
      continue;
    }
    if (!(await step('referrals', '/api/v1/referrals', nurse.token, referralBody(patientId, n)))) {
      continue;
    }
    const pumpId = await step('pumps', `/api/v1/patients/${patientId}/pumps`, nurse.token, pumpBody(n));
    if (!pumpId) {
      continue;
    }
    const prescriptionId = await step(
      'prescriptions',
      `/api/v1/pumps/${pumpId}/prescriptions`,
      nurse.token,
      FIRST_PRESCRIPTION,
    );
    if (!prescriptionId) {
      continue;
    }
    const confirmed = await step(
      'confirmations',
      `/api/v1/prescriptions/${prescriptionId}/confirm`,
      consultant.token,
      {},
      prescriptionId,
    );
    if (!confirmed) {
      continue;
    }
    await step('refills', `/api/v1/pumps/${pumpId}/refills`, nurse.token, refillBody());
  }
}
