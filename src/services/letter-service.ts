import { createHash, randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import { clinicLetter } from '../domain/clinic-letter.ts';
import type { FirstAppointmentOutcomeInput } from '../domain/first-appointment-outcome.ts';
import { letterBlock } from '../domain/letter-readiness.ts';
import {
  acknowledgementLetter,
  adviceLetter,
  adviceLetterTitle,
  appointmentLetter,
  type LetterCommon,
  type LetterContent,
} from '../domain/referral-letters.ts';
import type { ServiceIdentity, SmtpConfig } from '../config.ts';
import type { WaitingRules } from '../domain/waiting-target.ts';
import { targetDateFor } from '../domain/waiting-target.ts';
import { renderLetterPdf } from '../letters/render-letter-pdf.ts';
import type { Trx } from '../storage/database.ts';
import { insertDocument, type DocumentKind } from '../storage/documents.repository.ts';
import type { Patient } from '../storage/patients.repository.ts';
import type { Referral } from '../storage/referrals.repository.ts';
import type { TriageDecision } from '../storage/triage-decisions.repository.ts';
import type { Appointment } from '../storage/appointments.repository.ts';
import { refused } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { queueEmail } from './outbox-service.ts';

export interface LetterDeps {
  readonly clock: Clock;
  readonly service: ServiceIdentity;
  readonly waiting: WaitingRules;
  readonly smtp: SmtpConfig | null;
}

/**
 * Refuses, before anything is rendered, a letter that would go out missing a fact: the service's
 * phone or email (every letter), or the patient's postal address (letters posted to the
 * patient). Thrown inside the caller's transaction, it also undoes what the letter was for.
 */
export function ensureLetterCanBeMade(service: ServiceIdentity, postedTo: Patient | null): void {
  const block = letterBlock(
    service,
    postedTo === null
      ? null
      : {
          name: `${postedTo.givenName} ${postedTo.familyName}`,
          addressLine1: postedTo.addressLine1,
          postcode: postedTo.postcode,
        },
  );
  if (block !== null) {
    throw refused(block.reason, block.message, { details: { missing: block.missing } });
  }
}

function common(
  deps: LetterDeps,
  today: PlainDate,
  referral: Referral,
  patient: Patient,
  signedBy: string,
): LetterCommon {
  return {
    service: deps.service,
    date: today,
    patient: {
      name: `${patient.givenName} ${patient.familyName}`,
      nhsNumber: patient.nhsNumber,
      dateOfBirth: patient.dateOfBirth as PlainDate,
      addressLines: [patient.addressLine1, patient.addressLine2, patient.town, patient.postcode].filter(
        (l): l is string => l !== null && l !== '',
      ),
    },
    referrer: {
      name: referral.referrerName,
      role: referral.referrerRole,
      organisation: referral.referrerOrganisation,
      contact: referral.referrerEmail ?? referral.referrerPhone ?? '',
    },
    referral: { receivedOn: referral.receivedOn, ubrn: referral.ubrn },
    signedBy,
  };
}

const FILE_PREFIX: Record<DocumentKind, string> = {
  'letter-acknowledgement': 'acknowledgement',
  'letter-advice': 'advice',
  'letter-appointment': 'appointment',
  'letter-clinic': 'clinic',
  attachment: 'attachment',
  'original-email': 'email',
};

/**
 * Renders the letter, keeps it with the referral and, when SMTP is set and the referrer has an
 * email address, queues it to be emailed, all in the caller's transaction: a letter exists
 * exactly when its decision or booking does.
 */
async function keepLetter(
  trx: Trx,
  deps: LetterDeps,
  actor: Actor,
  referral: Referral,
  kind: DocumentKind,
  content: LetterContent,
  emailSubject: string,
): Promise<string> {
  const now = deps.clock.now();
  const pdf = await renderLetterPdf(content, { createdAt: now });
  const id = randomUUID();
  const filename = `${FILE_PREFIX[kind]}-letter-${content.date}.pdf`;
  await insertDocument(trx, {
    id,
    referralId: referral.id,
    intakeItemId: null,
    kind,
    filename,
    contentType: 'application/pdf',
    sha256: createHash('sha256').update(pdf).digest('hex'),
    content: pdf,
    createdAt: now.toISOString(),
    createdBy: actor.userId,
  });
  const emailed = deps.smtp !== null && referral.referrerEmail !== null;
  if (emailed && referral.referrerEmail !== null) {
    await queueEmail(trx, now.toISOString(), {
      referralId: referral.id,
      documentId: id,
      purpose: kind,
      to: referral.referrerEmail,
      subject: `${emailSubject} – ${deps.service.name}`,
      body: `Please find attached a letter from ${deps.service.name} about a patient you referred (received ${referral.receivedOn}).\n\nThis email was sent by the service's referral system. Reply to ${deps.service.email || 'the service'} with any questions.`,
    });
  }
  await appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action: 'letter.create',
      outcome: 'success',
      entityType: 'document',
      entityId: id,
      patientId: referral.patientId,
      details: { referralId: referral.id, kind, emailQueued: emailed },
    }),
  );
  return id;
}

/** The letter a triage decision calls for: an acknowledgement or the advice letter. */
export async function issueTriageLetter(
  trx: Trx,
  deps: LetterDeps,
  actor: Actor,
  today: PlainDate,
  referral: Referral,
  patient: Patient,
  decision: Pick<
    TriageDecision,
    'outcome' | 'priority' | 'advice' | 'redirectTo' | 'redirectMethod' | 'decidedByName'
  > & {
    clockStartOn: PlainDate;
  },
): Promise<string> {
  ensureLetterCanBeMade(deps.service, null);
  const base = common(deps, today, referral, patient, decision.decidedByName);
  if (decision.outcome === 'accepted') {
    return keepLetter(
      trx,
      deps,
      actor,
      referral,
      'letter-acknowledgement',
      acknowledgementLetter({
        ...base,
        priority: decision.priority ?? 'routine',
        targetDate: targetDateFor(decision.clockStartOn, deps.waiting.targetDays),
        targetDays: deps.waiting.targetDays,
        advice: decision.advice,
      }),
      'Referral accepted',
    );
  }
  return keepLetter(
    trx,
    deps,
    actor,
    referral,
    'letter-advice',
    adviceLetter({
      ...base,
      outcome: decision.outcome,
      advice: decision.advice ?? '',
      redirectTo: decision.redirectTo,
      redirectMethod: decision.redirectMethod,
    }),
    adviceLetterTitle(decision.outcome, decision.redirectMethod),
  );
}

/** The appointment letter to the patient; the referrer is sent a copy when email is set up. */
export async function issueAppointmentLetter(
  trx: Trx,
  deps: LetterDeps,
  actor: Actor,
  today: PlainDate,
  referral: Referral,
  patient: Patient,
  appointment: Pick<Appointment, 'date' | 'time' | 'clinic' | 'clinician'>,
  signedBy: string,
): Promise<string> {
  ensureLetterCanBeMade(deps.service, patient);
  return keepLetter(
    trx,
    deps,
    actor,
    referral,
    'letter-appointment',
    appointmentLetter({ ...common(deps, today, referral, patient, signedBy), appointment }),
    'Copy of appointment letter',
  );
}

/**
 * The clinic letter after a first appointment: to the patient (so refused without their
 * address), with the referrer sent a copy when email is set up.
 */
export async function issueClinicLetter(
  trx: Trx,
  deps: LetterDeps,
  actor: Actor,
  today: PlainDate,
  referral: Referral,
  patient: Patient,
  appointment: Pick<Appointment, 'date' | 'clinic' | 'clinician'>,
  outcome: FirstAppointmentOutcomeInput,
  signedBy: string,
): Promise<string> {
  ensureLetterCanBeMade(deps.service, patient);
  return keepLetter(
    trx,
    deps,
    actor,
    referral,
    'letter-clinic',
    clinicLetter({ ...common(deps, today, referral, patient, signedBy), appointment, ...outcome }),
    'Copy of clinic letter',
  );
}
