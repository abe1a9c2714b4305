import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { round2 } from './refill-arithmetic.ts';

/**
 * The summary the patient takes home after a refill, in plain words: what was put in, the dose,
 * when the pump will alarm and when the next refill is due (clinical-reference.md 6, step 10:
 * give the patient the dose and alarm date and book the next refill before they leave).
 */
export function patientRefillSummary(input: {
  readonly performedOn: PlainDate;
  readonly instilledMl: number;
  readonly concentrationMcgPerMl: number;
  readonly doseDescription: string;
  readonly alarmOn: PlainDate;
  readonly dueOn: PlainDate;
  readonly bookedOn: PlainDate | null;
  readonly servicePhone: string;
  readonly note: string | null;
}): string {
  const lines = [
    `Your pump was refilled on ${formatPlainDate(input.performedOn)} with ${round2(input.instilledMl)} mL of baclofen ${round2(input.concentrationMcgPerMl)} micrograms per mL.`,
    `Your dose: ${input.doseDescription}.`,
    `Your next refill is due by ${formatPlainDate(input.dueOn)}.${input.bookedOn ? ` It is booked for ${formatPlainDate(input.bookedOn)}.` : ' Contact us to book it if it is not booked yet.'}`,
    `The pump's low-reservoir alarm is expected on ${formatPlainDate(input.alarmOn)}. If you hear the pump alarm, contact the service the same day${input.servicePhone ? ` on ${input.servicePhone}` : ''}. Never let the pump run empty: stopping baclofen suddenly is dangerous.`,
  ];
  if (input.note) {
    lines.push(input.note);
  }
  return lines.join('\n');
}
