import { createHash, randomUUID } from 'node:crypto';
import type { AppConfig } from '../config.ts';
import { daysBetween } from '../domain/calendar-date.ts';
import { checkNhsNumber } from '../domain/nhs-number.ts';
import { validateReferralInput, type ReferralInput } from '../domain/referral.ts';
import { roleHasPermission, type Role } from '../domain/roles.ts';
import { validateTriageInput } from '../domain/triage.ts';
import { formatUbrn } from '../domain/ubrn.ts';
import { assessWait, type WaitAssessment } from '../domain/waiting-target.ts';
import { workingDaysAfter } from '../domain/working-days.ts';
import type { Db, Trx } from '../storage/database.ts';
import { listAppointmentsForReferral, type Appointment } from '../storage/appointments.repository.ts';
import {
  findDocument,
  insertDocument,
  linkIntakeDocumentsToReferral,
  listDocuments,
  type DocumentMeta,
} from '../storage/documents.repository.ts';
import { closeIntakeItemIfNew, findIntakeItemById, type IntakeItem } from '../storage/intake.repository.ts';
import { listEmailsForReferral } from '../storage/outbox.repository.ts';
import type { OutboundEmailsTable } from '../storage/database.ts';
import {
  findPatientById,
  findPatientByNhsNumber,
  findPatientsByIds,
  type Patient,
} from '../storage/patients.repository.ts';
import {
  findReferralById,
  findReferralByUbrn,
  insertReferral,
  insertTriageDecision,
  listReferralsInState,
  listTriageDecisions,
  setTriageStateIfVersion,
  type Referral,
  type TriageDecision,
} from '../storage/referrals.repository.ts';
import { findUserById } from '../storage/users.repository.ts';
import { AppError, isUniqueViolation, requireUpload, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { closedDaysBetween } from './closed-days.ts';
import { today, type Clock } from './clock.ts';
import { issueTriageLetter } from './letter-service.ts';

export type ReferralServiceConfig = Pick<
  AppConfig,
  'timeZone' | 'service' | 'waiting' | 'smtp' | 'triageAlertWorkingDays' | 'closedDays' | 'uploadMaxBytes'
>;

export interface ReferralServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: ReferralServiceConfig;
}

/** Today in the service's time zone (clock.ts), here too for the referral pages that import it. */
export { today };

export function letterDeps(deps: ReferralServiceDeps) {
  return {
    clock: deps.clock,
    service: deps.config.service,
    waiting: deps.config.waiting,
    smtp: deps.config.smtp,
  };
}

/** Who the referral is for: a registered patient, by record id or NHS number. */
export type PatientRef = { readonly patientId: string } | { readonly nhsNumber: string };

async function resolvePatient(trx: Trx, ref: PatientRef): Promise<Patient> {
  if ('patientId' in ref) {
    const p = await findPatientById(trx, ref.patientId);
    if (!p) {
      throw validationError([
        { field: 'patientId', message: 'No patient with this record id is registered' },
      ]);
    }
    return p;
  }
  const checked = checkNhsNumber(ref.nhsNumber);
  if (!checked.ok) {
    throw validationError([{ field: 'nhsNumber', message: 'Enter a valid 10-digit NHS number' }]);
  }
  const p = await findPatientByNhsNumber(trx, checked.value);
  if (!p) {
    throw validationError([
      {
        field: 'nhsNumber',
        message:
          'No patient with this NHS number is registered. Register the patient first, then add the referral',
      },
    ]);
  }
  return p;
}

function duplicateUbrn(existing: Referral): AppError {
  return new AppError(
    'DUPLICATE_UBRN',
    `A referral with UBRN ${formatUbrn(existing.ubrn ?? '')} is already recorded (received ${existing.receivedOn})`,
    {
      fieldErrors: [{ field: 'ubrn', message: 'A referral with this UBRN is already recorded' }],
      details: { existingReferralId: existing.id },
    },
  );
}

function validateReferral(deps: ReferralServiceDeps, raw: unknown): ReferralInput {
  const result = validateReferralInput(raw, today(deps));
  if (!result.ok) {
    throw validationError(result.errors);
  }
  return result.value;
}

/**
 * Records a referral for a registered patient. The same UBRN twice is refused, pointing to the
 * first. When it comes from an email intake item, the item is closed in the same transaction,
 * so an email becomes at most one referral and is never left half converted.
 */
export async function createReferral(
  deps: ReferralServiceDeps,
  actor: Actor,
  patientRef: PatientRef,
  raw: unknown,
  fromIntake: { readonly intakeItemId: string; readonly version: number } | null = null,
): Promise<Referral> {
  const input = validateReferral(deps, raw);
  const id = randomUUID();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const patient = await resolvePatient(trx, patientRef);
      if (input.ubrn !== null) {
        const existing = await findReferralByUbrn(trx, input.ubrn);
        if (existing) {
          throw duplicateUbrn(existing);
        }
      }
      const at = deps.clock.now().toISOString();
      if (fromIntake) {
        await convertIntakeItem(trx, fromIntake, id, actor, at);
      }
      await insertReferral(trx, {
        id,
        patientId: patient.id,
        intakeItemId: fromIntake?.intakeItemId ?? null,
        input,
        userId: actor.userId,
        at,
      });
      if (fromIntake) {
        await linkIntakeDocumentsToReferral(trx, fromIntake.intakeItemId, id);
      }
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'referral.create',
          outcome: 'success',
          entityType: 'referral',
          entityId: id,
          patientId: patient.id,
          details: { source: input.source, intakeItemId: fromIntake?.intakeItemId ?? null },
        }),
      );
      const created = await findReferralById(trx, id);
      if (!created) {
        throw new Error('referral vanished after insert');
      }
      return created;
    });
  } catch (err) {
    // Two people entering the same UBRN at the same moment: the unique index decides.
    if (input.ubrn !== null && isUniqueViolation(err, 'ubrn')) {
      const existing = await findReferralByUbrn(deps.db, input.ubrn);
      if (existing) {
        throw duplicateUbrn(existing);
      }
    }
    throw err;
  }
}

async function convertIntakeItem(
  trx: Trx,
  from: { readonly intakeItemId: string; readonly version: number },
  referralId: string,
  actor: Actor,
  at: string,
): Promise<void> {
  const item = await findIntakeItemById(trx, from.intakeItemId);
  if (!item) {
    throw new AppError('NOT_FOUND', 'Email not found in the intake');
  }
  if (item.state !== 'new') {
    throw new AppError(
      'INVALID_STATE',
      item.state === 'converted'
        ? 'This email has already been made into a referral'
        : 'This email was closed as not a referral',
      { details: { referralId: item.referralId } },
    );
  }
  const closed = await closeIntakeItemIfNew(trx, item.id, from.version, {
    state: 'converted',
    referral_id: referralId,
    closed_reason: null,
    closed_by: actor.userId,
    closed_at: at,
  });
  if (!closed) {
    throw new AppError(
      'STALE_EDIT',
      'Someone else changed this email while you were confirming it. Reload it.',
    );
  }
}

export interface ReferralDetail {
  readonly referral: Referral;
  readonly patient: Patient;
  readonly decisions: readonly TriageDecision[];
  readonly appointments: readonly Appointment[];
  readonly documents: readonly DocumentMeta[];
  readonly emails: readonly OutboundEmailsTable[];
  readonly intakeItem: IntakeItem | null;
  readonly wait: WaitAssessment | null;
  readonly createdByName: string;
}

/** A referral with everything that happened to it; the view is audited with the read. */
export async function viewReferral(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
): Promise<ReferralDetail> {
  return deps.db.transaction().execute(async (trx) => {
    const referral = await findReferralById(trx, id);
    if (!referral) {
      throw new AppError('NOT_FOUND', 'Referral not found');
    }
    const patient = await findPatientById(trx, referral.patientId);
    if (!patient) {
      throw new Error(`referral ${id} points to a missing patient`);
    }
    const [decisions, appointments, documents, emails, createdBy] = await Promise.all([
      listTriageDecisions(trx, id),
      listAppointmentsForReferral(trx, id),
      listDocuments(trx, { referralId: id }),
      listEmailsForReferral(trx, id),
      findUserById(trx, referral.createdBy),
    ]);
    const intakeItem = referral.intakeItemId
      ? ((await findIntakeItemById(trx, referral.intakeItemId)) ?? null)
      : null;
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'referral.view',
        outcome: 'success',
        entityType: 'referral',
        entityId: id,
        patientId: referral.patientId,
      }),
    );
    return {
      referral,
      patient,
      decisions,
      appointments,
      documents,
      emails,
      intakeItem,
      wait: waitFor(deps, referral, appointments),
      createdByName: createdBy?.displayName ?? 'Unknown',
    };
  });
}

export function waitFor(
  deps: { clock: Clock; config: Pick<ReferralServiceConfig, 'timeZone' | 'waiting'> },
  referral: Referral,
  appointments: readonly Appointment[],
): WaitAssessment | null {
  if (referral.state !== 'accepted' || referral.acceptedOn === null) {
    return null;
  }
  return assessWait(
    { receivedOn: referral.receivedOn, acceptedOn: referral.acceptedOn, appointments },
    today(deps),
    deps.config.waiting,
  );
}

/**
 * Records a consultant's triage decision. Only a role with `referral:triage` may (consultants,
 * by the permission table), checked here as well as on the route so that no other way in can
 * skip it. A change of decision needs a reason and keeps the earlier one. The letter the
 * outcome calls for is made in the same transaction.
 */
export async function triageReferral(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
  expectedVersion: number | null,
  raw: unknown,
): Promise<{ referral: Referral; decision: TriageDecision; letterId: string }> {
  if (!roleHasPermission(actor.role as Role, 'referral:triage')) {
    throw new AppError('FORBIDDEN', 'Only consultants can triage referrals');
  }
  return deps.db.transaction().execute(async (trx) => {
    const referral = await findReferralById(trx, id);
    if (!referral) {
      throw new AppError('NOT_FOUND', 'Referral not found');
    }
    if (expectedVersion !== null && expectedVersion !== referral.version) {
      const who = await findUserById(trx, referral.updatedBy);
      throw new AppError(
        'STALE_EDIT',
        `${who?.displayName ?? 'Someone'} changed this referral at ${referral.updatedAt} after you opened it. Nothing was saved: review the referral and decide again.`,
        { details: { changedBy: who?.displayName ?? null, changedAt: referral.updatedAt } },
      );
    }
    const previous = await listTriageDecisions(trx, id);
    const isChange = previous.length > 0;
    const result = validateTriageInput(raw, { isChange });
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const input = result.value;
    const appointments = await listAppointmentsForReferral(trx, id);
    if (input.outcome !== 'accepted' && appointments.some((a) => a.state !== 'cancelled')) {
      throw new AppError(
        'INVALID_STATE',
        'This referral has a first appointment booked or attended. Cancel the appointment before changing the decision to not accepted or redirected.',
      );
    }
    const now = deps.clock.now();
    const decidedOn = today(deps);
    const user = await findUserById(trx, actor.userId);
    const decision: TriageDecision = {
      id: randomUUID(),
      referralId: id,
      outcome: input.outcome,
      priority: input.priority,
      advice: input.advice,
      redirectTo: input.redirectTo,
      changeReason: input.reason,
      decidedBy: actor.userId,
      decidedByName: user?.displayName ?? actor.username,
      decidedAt: now.toISOString(),
      decidedOn,
    };
    await insertTriageDecision(trx, {
      id: decision.id,
      referral_id: id,
      outcome: decision.outcome,
      priority: decision.priority,
      advice: decision.advice,
      redirect_to: decision.redirectTo,
      change_reason: decision.changeReason,
      decided_by: decision.decidedBy,
      decided_at: decision.decidedAt,
      decided_on: decidedOn,
    });
    // A change of priority keeps the acceptance date: it must not restart the clock.
    const stillAccepted = referral.state === 'accepted' && input.outcome === 'accepted';
    const acceptedOn =
      input.outcome === 'accepted' ? (stillAccepted ? referral.acceptedOn : decidedOn) : null;
    const saved = await setTriageStateIfVersion(trx, id, referral.version, {
      state: input.outcome,
      priority: input.priority,
      acceptedOn,
      userId: actor.userId,
      at: decision.decidedAt,
    });
    if (!saved) {
      throw new AppError(
        'STALE_EDIT',
        'This referral was changed while you were saving. Reload it and decide again.',
      );
    }
    const updated = await findReferralById(trx, id);
    const patient = await findPatientById(trx, referral.patientId);
    if (!updated || !patient) {
      throw new Error('referral or patient vanished during triage');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'referral.triage',
        outcome: 'success',
        entityType: 'referral',
        entityId: id,
        patientId: referral.patientId,
        details: {
          decision: input.outcome,
          priority: input.priority,
          previous: isChange ? referral.state : null,
          changeReason: input.reason !== null,
        },
      }),
    );
    const clockStartOn =
      deps.config.waiting.clockStart === 'received' ? referral.receivedOn : (acceptedOn ?? decidedOn);
    const letterId = await issueTriageLetter(trx, letterDeps(deps), actor, decidedOn, updated, patient, {
      ...decision,
      clockStartOn,
    });
    return { referral: updated, decision, letterId };
  });
}

export interface TriageQueueItem {
  readonly referral: Referral;
  readonly patient: Patient;
  readonly daysWaiting: number;
  readonly workingDaysWaiting: number;
  readonly overdue: boolean;
}

/** Referrals waiting for triage, oldest first, with how long each has waited. */
export async function triageQueue(deps: ReferralServiceDeps): Promise<TriageQueueItem[]> {
  const referrals = await listReferralsInState(deps.db, 'awaiting-triage');
  const t = today(deps);
  const firstYear = Math.min(
    Number(t.slice(0, 4)),
    ...referrals.map((r) => Number(r.receivedOn.slice(0, 4))),
  );
  const closed = closedDaysBetween(firstYear, Number(t.slice(0, 4)), deps.config.closedDays);
  const patients = await findPatientsByIds(
    deps.db,
    referrals.map((r) => r.patientId),
  );
  const items: TriageQueueItem[] = [];
  for (const referral of referrals) {
    const patient = patients.get(referral.patientId);
    if (!patient) {
      continue;
    }
    const workingDaysWaiting = workingDaysAfter(referral.receivedOn, t, closed);
    items.push({
      referral,
      patient,
      daysWaiting: daysBetween(referral.receivedOn, t),
      workingDaysWaiting,
      overdue: workingDaysWaiting > deps.config.triageAlertWorkingDays,
    });
  }
  return items;
}

/** Only PDF letters are attached: they are what referrers send and what the record keeps. */
export function looksLikePdf(content: Buffer): boolean {
  return content.subarray(0, 5).toString('latin1') === '%PDF-';
}

/** Keeps a referral letter (PDF) with the referral. */
export async function attachLetter(
  deps: ReferralServiceDeps,
  actor: Actor,
  referralId: string,
  file: { readonly filename: string; readonly content: Buffer } | null,
): Promise<DocumentMeta> {
  const upload = requireUpload(file, deps.config.uploadMaxBytes, 'Select a PDF file to attach');
  if (!looksLikePdf(upload.content)) {
    throw validationError([{ field: 'file', message: 'The selected file must be a PDF' }]);
  }
  const filename = safeFilename(upload.filename, 'letter.pdf');
  return deps.db.transaction().execute(async (trx) => {
    const referral = await findReferralById(trx, referralId);
    if (!referral) {
      throw new AppError('NOT_FOUND', 'Referral not found');
    }
    const id = randomUUID();
    const at = deps.clock.now().toISOString();
    await insertDocument(trx, {
      id,
      referralId,
      intakeItemId: null,
      kind: 'attachment',
      filename,
      contentType: 'application/pdf',
      sha256: createHash('sha256').update(upload.content).digest('hex'),
      content: upload.content,
      createdAt: at,
      createdBy: actor.userId,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'referral.attach',
        outcome: 'success',
        entityType: 'document',
        entityId: id,
        patientId: referral.patientId,
        details: { referralId, sizeBytes: upload.content.length },
      }),
    );
    const docs = await listDocuments(trx, { referralId });
    const doc = docs.find((d) => d.id === id);
    if (!doc) {
      throw new Error('document vanished after insert');
    }
    return doc;
  });
}

/** A file name safe to send back in Content-Disposition: no paths, quotes or control characters. */
export function safeFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters and the characters Windows forbids in file names become "_".
  const cleaned = base
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .trim()
    .slice(0, 120);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? fallback : cleaned;
}

/** A document's bytes, for download; the read is audited against the patient it concerns. */
export async function readDocument(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
): Promise<DocumentMeta & { readonly content: Buffer }> {
  return deps.db.transaction().execute(async (trx) => {
    const doc = await findDocument(trx, id);
    if (!doc) {
      throw new AppError('NOT_FOUND', 'Document not found');
    }
    let patientId: string | null = null;
    if (doc.referralId) {
      patientId = (await findReferralById(trx, doc.referralId))?.patientId ?? null;
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'document.view',
        outcome: 'success',
        entityType: 'document',
        entityId: id,
        patientId,
        details: { kind: doc.kind, referralId: doc.referralId, intakeItemId: doc.intakeItemId },
      }),
    );
    return doc;
  });
}
