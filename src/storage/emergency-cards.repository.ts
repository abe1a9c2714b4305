import type { PlainDate } from '../domain/calendar-date.ts';
import type { EmergencyCardFacts } from '../domain/emergency-card.ts';
import type { DbOrTrx } from './database.ts';
import type { EmergencyCardsTable } from './emergency-card-tables.ts';

/** An issued emergency card with the facts it printed. */
export interface EmergencyCard {
  readonly id: string;
  readonly patientId: string;
  readonly pumpId: string;
  readonly issuedAt: string;
  readonly issuedOn: PlainDate;
  readonly issuedBy: string;
  readonly facts: EmergencyCardFacts;
}

function fromRow(r: EmergencyCardsTable): EmergencyCard {
  return {
    id: r.id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    issuedAt: r.issued_at,
    issuedOn: r.issued_on as PlainDate,
    issuedBy: r.issued_by,
    // Written only by insertEmergencyCard from a checked EmergencyCardFacts.
    facts: JSON.parse(r.facts) as EmergencyCardFacts,
  };
}

export async function insertEmergencyCard(db: DbOrTrx, card: EmergencyCard): Promise<void> {
  await db
    .insertInto('emergency_cards')
    .values({
      id: card.id,
      patient_id: card.patientId,
      pump_id: card.pumpId,
      issued_at: card.issuedAt,
      issued_on: card.issuedOn,
      issued_by: card.issuedBy,
      facts: JSON.stringify(card.facts),
    })
    .execute();
}

export async function findEmergencyCard(db: DbOrTrx, id: string): Promise<EmergencyCard | null> {
  const row = await db.selectFrom('emergency_cards').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** A pump's cards, newest first. */
export async function listEmergencyCards(db: DbOrTrx, pumpId: string): Promise<EmergencyCard[]> {
  const rows = await db
    .selectFrom('emergency_cards')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(fromRow);
}
