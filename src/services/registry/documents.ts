import {
  cardStandingsForPatient,
  cardStandingsOf,
  downloadEmergencyCard,
  issueEmergencyCard,
  pumpEmergencyCards,
} from '../emergency-card-service.ts';
import { refillLetterPdf } from '../refill-letter-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Patient-held documents: emergency cards (issue, list, download) and the letter after a refill. */
export function documentServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    issueCard: issueEmergencyCard,
    pumpCards: pumpEmergencyCards,
    downloadCard: downloadEmergencyCard,
    refillLetter: refillLetterPdf,
    // Part of the patient and pump pages, which audit their own view: not audited again.
    cardStandings: cardStandingsForPatient,
    cardStandingsOf,
  });
}
