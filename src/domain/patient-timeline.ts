import type { PlainDate } from './calendar-date.ts';
import { NEXT_STEP_LABELS, type NextStep } from './first-appointment-outcome.ts';
import { OCCASION_LABELS, type Occasion } from './outcome-measures.ts';
import { PUMP_EVENT_LABELS, type PumpEventKind } from './pump-event-input.ts';
import { PRIORITY_LABELS, type Priority } from './triage.ts';

/**
 * One timeline of everything that happened to a patient in the service, newest first: the
 * patient overview's centre. Each entry names its day, what happened in words, and the page
 * that holds the record. The records come in as plain facts (the service reads them), so the
 * ordering and wording are worked examples in patient-timeline.test.ts.
 */
export const TIMELINE_KINDS = [
  'referral',
  'appointment',
  'assessment',
  'test-dose',
  'prescription',
  'refill',
  'measures',
  'pump',
  'pump-event',
  'pump-appointment',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TIMELINE_KIND_LABELS: Readonly<Record<TimelineKind, string>> = {
  referral: 'Referral',
  appointment: 'First appointment',
  assessment: 'Selection assessment',
  'test-dose': 'Test dose',
  prescription: 'Prescription',
  refill: 'Refill',
  measures: 'Outcome measures',
  pump: 'Pump',
  'pump-event': 'Pump event',
  'pump-appointment': 'Pump appointment',
};

export interface TimelineEntry {
  readonly on: PlainDate;
  /** The instant, when the record has one, to order a day's entries; null for a plain date. */
  readonly at: string | null;
  readonly kind: TimelineKind;
  readonly title: string;
  readonly detail: string | null;
  readonly href: string;
}

const REFERRAL_STATE_LABELS: Readonly<Record<string, string>> = {
  'awaiting-triage': 'Waiting for triage',
  accepted: 'Accepted',
  'not-accepted': 'Not accepted',
  redirected: 'Redirected',
};

const ASSESSMENT_STATE_LABELS: Readonly<Record<string, string>> = {
  'in-progress': 'In progress',
  'awaiting-mdt': 'Waiting for the MDT',
  decided: 'Decided',
};

const EPISODE_STATE_LABELS: Readonly<Record<string, string>> = {
  open: 'In progress',
  positive: 'Positive: suitable for a pump',
  'not-for-implant': 'Not for implant',
  abandoned: 'Abandoned',
};

const PRESCRIPTION_TITLES: Readonly<Record<string, string>> = {
  pending: 'Dose proposed, waiting for a second check',
  active: 'Dose confirmed',
  superseded: 'Dose confirmed (since changed)',
  rejected: 'Dose change rejected',
};

const REFILL_STATE_LABELS: Readonly<Record<string, string>> = {
  recorded: 'Waiting for a second check',
  signed: 'Checked and signed',
  voided: 'Rejected and voided',
};

const APPOINTMENT_STATE_WORDS: Readonly<Record<string, string>> = {
  booked: 'booked',
  attended: 'attended',
  cancelled: 'cancelled',
  missed: 'missed',
};

/** The records a timeline is made from, as the service reads them (only the fields it uses). */
export interface TimelineRecords {
  readonly referrals: readonly {
    readonly id: string;
    readonly receivedOn: string;
    readonly referrerName: string;
    readonly referrerOrganisation: string;
    readonly state: string;
    readonly priority: Priority | null;
    readonly createdAt: string;
  }[];
  readonly appointments: readonly {
    readonly id: string;
    readonly referralId: string;
    readonly date: string;
    readonly time: string;
    readonly clinic: string;
    readonly clinician: string;
    readonly state: string;
    /** The next step recorded after it (first-appointment-outcome.ts), if any. */
    readonly nextStep?: NextStep | null;
    readonly referTo?: string | null;
  }[];
  readonly assessments: readonly {
    readonly id: string;
    readonly state: string;
    readonly createdAt: string;
  }[];
  readonly testDoses: readonly {
    readonly id: string;
    readonly state: string;
    readonly createdAt: string;
    readonly closedOn: string | null;
    readonly closedAt: string | null;
  }[];
  readonly measures: readonly {
    readonly id: string;
    readonly recordedOn: string;
    readonly occasion: Occasion;
    readonly createdAt: string;
  }[];
  readonly pumps: readonly {
    readonly id: string;
    readonly serialNumber: string;
    readonly implantedOn: string;
    readonly reservoirMl: number;
  }[];
  readonly prescriptions: readonly {
    readonly id: string;
    readonly pumpId: string;
    readonly state: string;
    readonly doseMcgPerDay: number;
    readonly concentrationMcgPerMl: number;
    readonly proposedAt: string;
    readonly decidedAt: string | null;
  }[];
  readonly refills: readonly {
    readonly id: string;
    readonly performedOn: string;
    readonly instilledMl: number;
    readonly concentrationMcgPerMl: number;
    readonly state: string;
    readonly recordedAt: string;
  }[];
  readonly pumpEvents: readonly {
    readonly id: string;
    readonly pumpId: string;
    readonly kind: PumpEventKind;
    readonly occurredOn: string;
    readonly note: string | null;
    readonly recordedAt: string;
  }[];
  readonly pumpAppointments: readonly {
    readonly id: string;
    readonly pumpId: string;
    readonly kind: string;
    readonly onDate: string;
    readonly state: string;
  }[];
}

const joined = (...parts: (string | null | undefined | false)[]) =>
  parts.filter((p): p is string => typeof p === 'string' && p !== '').join('; ') || null;

/**
 * Every record as a timeline entry, newest first. `dayOf` gives an instant's calendar day in
 * the service's time zone (the domain reads no clock or zone of its own).
 */
export function patientTimeline(
  patientId: string,
  r: TimelineRecords,
  dayOf: (iso: string) => PlainDate,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const add = (e: TimelineEntry) => entries.push(e);
  for (const x of r.referrals) {
    add({
      on: x.receivedOn as PlainDate,
      at: null,
      kind: 'referral',
      title: `Referral received from ${x.referrerName}`,
      detail: joined(
        x.referrerOrganisation,
        REFERRAL_STATE_LABELS[x.state] ?? x.state,
        x.priority && PRIORITY_LABELS[x.priority],
      ),
      href: `/referrals/${x.id}`,
    });
  }
  for (const x of r.appointments) {
    add({
      on: x.date as PlainDate,
      at: null,
      kind: 'appointment',
      title: `First appointment ${APPOINTMENT_STATE_WORDS[x.state] ?? x.state}`,
      detail: joined(
        x.time,
        x.clinic,
        x.clinician,
        x.nextStep && `Next step: ${NEXT_STEP_LABELS[x.nextStep]}${x.referTo ? ` to ${x.referTo}` : ''}`,
      ),
      href: `/referrals/${x.referralId}`,
    });
  }
  for (const x of r.assessments) {
    add({
      on: dayOf(x.createdAt),
      at: x.createdAt,
      kind: 'assessment',
      title: 'Selection assessment started',
      detail: ASSESSMENT_STATE_LABELS[x.state] ?? x.state,
      href: `/assessments/${x.id}`,
    });
  }
  for (const x of r.testDoses) {
    add({
      on: dayOf(x.createdAt),
      at: x.createdAt,
      kind: 'test-dose',
      title: 'Test dose started',
      detail: x.closedOn === null ? 'In progress' : null,
      href: `/test-doses/${x.id}`,
    });
    if (x.closedOn !== null) {
      add({
        on: x.closedOn as PlainDate,
        at: x.closedAt,
        kind: 'test-dose',
        title: `Test dose result: ${EPISODE_STATE_LABELS[x.state] ?? x.state}`,
        detail: null,
        href: `/test-doses/${x.id}`,
      });
    }
  }
  for (const x of r.measures) {
    add({
      on: x.recordedOn as PlainDate,
      at: x.createdAt,
      kind: 'measures',
      title: 'Outcome measures recorded',
      detail: OCCASION_LABELS[x.occasion],
      href: `/patients/${patientId}/measures`,
    });
  }
  for (const x of r.pumps) {
    add({
      on: x.implantedOn as PlainDate,
      at: null,
      kind: 'pump',
      title: 'Pump implanted',
      detail: `${x.reservoirMl} ml pump, serial number ${x.serialNumber}`,
      href: `/pumps/${x.id}`,
    });
  }
  for (const x of r.prescriptions) {
    const at = x.decidedAt ?? x.proposedAt;
    add({
      on: dayOf(at),
      at,
      kind: 'prescription',
      title: PRESCRIPTION_TITLES[x.state] ?? 'Prescription',
      detail: `${x.doseMcgPerDay} micrograms a day at ${x.concentrationMcgPerMl} micrograms/ml`,
      href: `/pumps/${x.pumpId}`,
    });
  }
  for (const x of r.refills) {
    add({
      on: x.performedOn as PlainDate,
      at: x.recordedAt,
      kind: 'refill',
      title: `Refill: ${x.instilledMl} ml at ${x.concentrationMcgPerMl} micrograms/ml`,
      detail: REFILL_STATE_LABELS[x.state] ?? x.state,
      href: `/refills/${x.id}`,
    });
  }
  for (const x of r.pumpEvents) {
    add({
      on: x.occurredOn as PlainDate,
      at: x.recordedAt,
      kind: 'pump-event',
      title: PUMP_EVENT_LABELS[x.kind],
      detail: x.note,
      href: `/pumps/${x.pumpId}`,
    });
  }
  for (const x of r.pumpAppointments) {
    add({
      on: x.onDate as PlainDate,
      at: null,
      kind: 'pump-appointment',
      title: `${x.kind.charAt(0).toUpperCase()}${x.kind.slice(1)} appointment ${APPOINTMENT_STATE_WORDS[x.state] ?? x.state}`,
      detail: null,
      href: `/pumps/${x.pumpId}`,
    });
  }
  // Newest first: by day, then by the instant within a day (dated-only entries after timed ones).
  return entries.sort((a, b) =>
    a.on !== b.on ? (a.on < b.on ? 1 : -1) : (b.at ?? '').localeCompare(a.at ?? ''),
  );
}
