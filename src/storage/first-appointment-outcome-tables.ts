/** The next step recorded after a first appointment, with the clinic letter it made. */
export interface FirstAppointmentOutcomesTable {
  id: string;
  /** One per appointment (unique). */
  appointment_id: string;
  referral_id: string;
  /** selection-assessment, discharge, rebook or refer-elsewhere. */
  next_step: string;
  /** What was found and agreed, quoted by the clinic letter. */
  summary: string;
  /** The service referred to; set only for refer-elsewhere. */
  refer_to: string | null;
  /** The clinic letter made with it (documents.id). */
  letter_id: string;
  recorded_by: string;
  recorded_at: string;
}
