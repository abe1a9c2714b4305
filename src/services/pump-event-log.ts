import { randomUUID } from 'node:crypto';
import type { Trx } from '../storage/database.ts';
import { insertPumpEvent, type PumpEvent } from '../storage/pump-events.repository.ts';
import type { Actor } from './audit-service.ts';

/**
 * Adds one entry to the pump's event history, recorded by the actor at `at`: the events staff
 * record, and those written by the steps of a pump's end and pauses.
 */
export async function logPumpEvent(
  trx: Trx,
  actor: Actor,
  event: Pick<PumpEvent, 'pumpId' | 'kind' | 'occurredOn' | 'note'>,
  at: string,
): Promise<PumpEvent> {
  const logged: PumpEvent = {
    id: randomUUID(),
    pumpId: event.pumpId,
    kind: event.kind,
    occurredOn: event.occurredOn,
    note: event.note,
    recordedAt: at,
    recordedBy: actor.userId,
  };
  await insertPumpEvent(trx, logged);
  return logged;
}
