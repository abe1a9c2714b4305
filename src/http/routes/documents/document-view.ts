import { CARD_CHANGE_WORDS, type CardFactChange } from '../../../domain/emergency-card.ts';
import { contactLines } from '../../../domain/document-contacts.ts';
import { formatMcg } from '../../../domain/emergency-card.ts';
import type { CardStanding, PumpCards } from '../../../services/emergency-card-service.ts';

/** "the daily dose and the concentration": what changed since a card was issued, in words. */
export function changesInWords(changes: readonly CardFactChange[]): string {
  const words = changes.map((c) => CARD_CHANGE_WORDS[c]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** A card's standing as the patient and pump pages show it: null when none was issued. */
export function cardStandingView(pumpId: string, s: CardStanding | undefined) {
  if (!s?.latest) {
    return {
      pumpId,
      issuedOn: null,
      outOfDate: false,
      changes: '',
      href: `/pumps/${pumpId}/emergency-cards`,
    };
  }
  return {
    pumpId,
    issuedOn: s.latest.issuedOn,
    outOfDate: s.changes.length > 0,
    changes: changesInWords(s.changes),
    href: `/pumps/${pumpId}/emergency-cards`,
  };
}

/** The emergency cards page: what a card would print now, and the cards issued. */
export function pumpCardsView(c: PumpCards, canIssue: boolean) {
  const facts = c.current.facts;
  return {
    patient: c.patient,
    pump: c.pump,
    model: c.model,
    blocked: c.current.blocked?.message ?? null,
    canIssue: canIssue && facts !== null,
    facts: facts
      ? [
          {
            label: 'Pump',
            value: `${facts.pumpManufacturer} ${facts.pumpModel}, serial ${facts.pumpSerial}`,
          },
          { label: 'Drug', value: facts.drug },
          { label: 'Concentration', value: formatMcg(facts.concentrationMcgPerMl, 'mcg/ml') },
          { label: 'Daily dose', value: formatMcg(facts.doseMcgPerDay, 'mcg/day') },
          ...contactLines(facts.contacts),
        ]
      : [],
    cards: c.cards.map((card, i) => ({
      id: card.id,
      issuedAt: card.issuedAt,
      issuedByName: card.issuedByName,
      dose: formatMcg(card.facts.doseMcgPerDay, 'mcg/day'),
      concentration: formatMcg(card.facts.concentrationMcgPerMl, 'mcg/ml'),
      latest: i === 0,
      outOfDate: card.changes.length > 0,
      changes: changesInWords(card.changes),
    })),
  };
}
