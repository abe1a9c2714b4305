import type { Appointment } from '@medplum/fhirtypes';
import { ukCoreProfile } from './codes.ts';
import { localInstant, nextDay, ref } from './fhir-values.ts';

/** A first appointment booked from a referral (a clinic, a date and a time). */
export interface FirstAppointmentFacts {
  readonly id: string;
  readonly patientId: string;
  readonly referralId: string;
  readonly date: string;
  /** HH:MM local time. */
  readonly time: string;
  readonly clinic: string;
  readonly clinician: string;
  /** 'booked', 'cancelled' or 'attended'. */
  readonly state: string;
  readonly createdAt: string;
}

/** A refill, review or replacement appointment for a pump: booked for a day, no time held. */
export interface PumpAppointmentFacts {
  readonly id: string;
  readonly patientId: string;
  readonly pumpId: string;
  /** 'refill', 'review' or 'replacement'. */
  readonly kind: string;
  readonly date: string;
  /** 'booked', 'attended', 'missed' or 'cancelled'. */
  readonly state: string;
  readonly note: string | null;
  readonly updatedAt: string;
}

/** R4 Appointment.status (https://hl7.org/fhir/R4/valueset-appointmentstatus.html). */
const STATUS: Readonly<Record<string, Appointment['status']>> = {
  booked: 'booked',
  attended: 'fulfilled',
  missed: 'noshow',
  cancelled: 'cancelled',
};

const KIND_TEXT: Readonly<Record<string, string>> = {
  refill: 'Pump refill appointment',
  review: 'Pump review appointment',
  replacement: 'Pump replacement appointment',
};

/**
 * A first appointment as a UK Core Appointment (https://simplifier.net/hl7fhirukcorer4/ukcore-appointment),
 * based on the referral. R4's app-3 needs a start and an end on a booked or fulfilled appointment;
 * the register keeps the start only, so the end is the start (length not recorded: a GAP).
 */
export function toFhirFirstAppointment(a: FirstAppointmentFacts, timeZone: string): Appointment {
  const start = localInstant(a.date, a.time, timeZone);
  return {
    resourceType: 'Appointment',
    id: a.id,
    meta: { profile: [ukCoreProfile('Appointment')] },
    status: STATUS[a.state] ?? 'booked',
    description: `First appointment, ${a.clinic} with ${a.clinician}`,
    start,
    end: start,
    created: a.createdAt,
    comment: 'The appointment’s length is not recorded: end is the start time.',
    basedOn: [ref('ServiceRequest', a.referralId)],
    participant: [{ actor: ref('Patient', a.patientId), status: 'accepted' }],
  };
}

/**
 * A pump appointment, booked for a day without a time: start and end are the local day's bounds
 * (R4 app-3 needs both), with a comment saying no time is held.
 */
export function toFhirPumpAppointment(a: PumpAppointmentFacts, timeZone: string): Appointment {
  return {
    resourceType: 'Appointment',
    id: a.id,
    meta: { profile: [ukCoreProfile('Appointment')] },
    status: STATUS[a.state] ?? 'booked',
    description: KIND_TEXT[a.kind] ?? `Pump ${a.kind} appointment`,
    start: localInstant(a.date, '00:00', timeZone),
    end: localInstant(nextDay(a.date), '00:00', timeZone),
    comment: ['Booked for the day; no time is held.', a.note].filter(Boolean).join(' '),
    supportingInformation: [ref('Device', a.pumpId)],
    participant: [{ actor: ref('Patient', a.patientId), status: 'accepted' }],
  };
}
