/** Refusals to make a patient-held document (emergency card, letter after a refill) that would mislead. */
export const DOCUMENT_REFUSALS = {
  CARD_NEEDS_IMPLANTED_PUMP:
    'An emergency card is issued only for an implanted pump: this pump has ended (explanted, replaced, transferred or the patient died)',
  CARD_NEEDS_PRESCRIPTION:
    'The pump has no confirmed prescription, so the card would have no drug, concentration or dose to print; confirm the prescription first',
  CARD_TEXT_TOO_LONG:
    "The card's text does not fit its panel even at the smallest print size (a very long name, address or contact), so no card was issued; shorten the setting or record it names",
  REFILL_LETTER_NEEDS_SIGNED_REFILL:
    'The letter after a refill is made only once a different clinician has checked and signed the refill: until then its next refill date may still change (the refill may be rejected and voided)',
  REFILL_LETTER_NOT_LATEST:
    "A later refill has been signed for this pump, so this refill's letter would give an old next refill date; download the latest refill's letter",
  REFILL_LETTER_NO_PLAN:
    'The pump has no next refill or alarm date (it is paused or has ended), so the letter would have no date to give',
} as const;
