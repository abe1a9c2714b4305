import { CANCEL_REASON_LABELS, type CancelReason } from './appointment.ts';
import type { PlainDate } from './calendar-date.ts';
import { NEXT_STEP_LABELS, type NextStep } from './first-appointment-outcome.ts';
import { formatDateAndTime } from './uk-date-time.ts';
import {
  PRIORITY_LABELS,
  redirectNote,
  TRIAGE_OUTCOME_LABELS,
  type Priority,
  type RedirectMethod,
  type TriageOutcome,
} from './triage.ts';

/**
 * A referral's whole story in time order: received, read from the mailbox, recorded, triaged,
 * letters, emails, bookings, cancellations and attendance.
 */
export interface TimelineEvent {
  /** Sorts events: an ISO time, or a calendar date (which sorts before that day's times). */
  readonly sortKey: string;
  /** A calendar-date event (shown as a date) or a timestamped one (shown as date and time). */
  readonly date: PlainDate | null;
  readonly at: string | null;
  readonly title: string;
  readonly detail: string | null;
  readonly by: string | null;
}

export interface TimelineFacts {
  readonly receivedOn: PlainDate;
  readonly sourceLabel: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly emailReadAt: string | null;
  /** A consultant cleared the "needs checking" mark (referral-check.ts). */
  readonly checkCleared?: { readonly at: string; readonly by: string | null; readonly note: string } | null;
  readonly decisions: readonly {
    readonly outcome: TriageOutcome;
    readonly priority: Priority | null;
    readonly advice: string | null;
    readonly redirectTo: string | null;
    readonly redirectSent?: boolean | null;
    readonly redirectMethod?: RedirectMethod | null;
    readonly changeReason: string | null;
    readonly decidedAt: string;
    readonly decidedBy: string;
  }[];
  readonly documents: readonly {
    readonly kind: string;
    readonly filename: string;
    readonly createdAt: string;
    readonly createdBy: string | null;
  }[];
  readonly emails: readonly {
    readonly to: string;
    readonly purpose: string;
    readonly state: string;
    readonly sentAt: string | null;
    readonly createdAt: string;
    readonly lastError: string | null;
  }[];
  /** The next steps recorded after first appointments. */
  readonly outcomes?: readonly {
    readonly nextStep: NextStep;
    readonly summary: string;
    readonly referTo: string | null;
    readonly recordedAt: string;
    readonly recordedBy: string | null;
  }[];
  readonly appointments: readonly {
    readonly date: PlainDate;
    readonly time: string;
    readonly clinic: string;
    readonly clinician: string;
    readonly createdAt: string;
    readonly createdBy: string;
    readonly rebooked: boolean;
    readonly cancelReason: CancelReason | null;
    readonly cancelNote: string | null;
    readonly cancelledAt: string | null;
    readonly cancelledBy: string | null;
    readonly outcomeNote: string | null;
    readonly outcomeAt: string | null;
    readonly outcomeBy: string | null;
  }[];
}

const LETTER_TITLES: Readonly<Record<string, string>> = {
  'letter-acknowledgement': 'Acknowledgement letter made',
  'letter-advice': 'Advice letter made',
  'letter-appointment': 'Appointment letter made',
  'letter-clinic': 'Clinic letter made',
  attachment: 'Document attached',
};

export function referralTimeline(f: TimelineFacts): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const at = (iso: string, title: string, detail: string | null, by: string | null) => {
    events.push({ sortKey: iso, date: null, at: iso, title, detail, by });
  };
  events.push({
    sortKey: f.receivedOn,
    date: f.receivedOn,
    at: null,
    title: `Referral received (${f.sourceLabel})`,
    detail: null,
    by: null,
  });
  if (f.emailReadAt) {
    at(f.emailReadAt, 'Email taken into the intake', null, null);
  }
  at(f.createdAt, 'Referral recorded', null, f.createdBy);
  if (f.checkCleared) {
    at(
      f.checkCleared.at,
      'Checked by a consultant: the mark was cleared',
      f.checkCleared.note,
      f.checkCleared.by,
    );
  }
  f.decisions.forEach((d, i) => {
    const outcome = `${TRIAGE_OUTCOME_LABELS[d.outcome]}${d.priority ? ` (${PRIORITY_LABELS[d.priority].toLowerCase()})` : ''}${d.redirectTo ? ` to ${d.redirectTo}` : ''}`;
    const sentOn = redirectNote(d);
    const parts = [
      sentOn,
      d.advice ? `Advice: ${d.advice}` : null,
      d.changeReason ? `Reason for change: ${d.changeReason}` : null,
    ];
    at(
      d.decidedAt,
      i === 0 ? `Triaged: ${outcome}` : `Decision changed: ${outcome}`,
      parts.filter((p) => p !== null).join('\n') || null,
      d.decidedBy,
    );
  });
  for (const d of f.documents) {
    const title = LETTER_TITLES[d.kind];
    if (title) {
      at(d.createdAt, title, d.filename, d.createdBy);
    }
  }
  for (const e of f.emails) {
    if (e.state === 'sent' && e.sentAt) {
      at(e.sentAt, `Letter emailed to ${e.to}`, null, null);
    } else if (e.state === 'failed') {
      at(e.createdAt, `Email to ${e.to} could not be sent`, e.lastError, null);
    } else {
      at(e.createdAt, `Email to ${e.to} waiting to be sent`, e.lastError, null);
    }
  }
  for (const o of f.outcomes ?? []) {
    const step = `${NEXT_STEP_LABELS[o.nextStep]}${o.referTo ? ` to ${o.referTo}` : ''}`;
    at(o.recordedAt, `Next step after the first appointment: ${step}`, o.summary, o.recordedBy);
  }
  for (const a of f.appointments) {
    const when = `${formatDateAndTime(a.date, a.time)}, ${a.clinic}, with ${a.clinician}`;
    at(a.createdAt, a.rebooked ? 'Appointment rebooked' : 'Appointment booked', when, a.createdBy);
    if (a.cancelledAt && a.cancelReason) {
      at(
        a.cancelledAt,
        `Appointment cancelled: ${CANCEL_REASON_LABELS[a.cancelReason].toLowerCase()}`,
        [when, a.cancelNote].filter((x) => x).join('\n'),
        a.cancelledBy,
      );
    }
    if (a.outcomeAt) {
      at(a.outcomeAt, 'Attended first appointment', a.outcomeNote, a.outcomeBy);
    }
  }
  return events.sort((x, y) => (x.sortKey < y.sortKey ? -1 : x.sortKey > y.sortKey ? 1 : 0));
}
