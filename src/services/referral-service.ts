import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config.ts';
import { checkNhsNumber } from '../domain/nhs-number.ts';
import { validateReferralInput, type ReferralInput } from '../domain/referral.ts';
import { checkReasonFor, needsChecking } from '../domain/referral-check.ts';
import { roleHasPermission, type Role } from '../domain/roles.ts';
import { validateTriageInput } from '../domain/triage.ts';
import { formatUbrn } from '../domain/ubrn.ts';
import { formatDateTime } from '../domain/uk-date-time.ts';
import { targetDaysFor } from '../domain/waiting-target.ts';
import type { Db, Trx } from '../storage/database.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { listAppointmentsForReferral } from '../storage/appointments.repository.ts';
import { linkIntakeDocumentsToReferral } from '../storage/documents.repository.ts';
import { closeIntakeItemIfNew, findIntakeItemById } from '../storage/intake.repository.ts';
import { findPatientById, findPatientByNhsNumber, type Patient } from '../storage/patients.repository.ts';
import {
  findReferralById,
  findReferralByUbrn,
  insertReferral,
  setTriageStateIfVersion,
  type Referral,
} from '../storage/referrals.repository.ts';
import {
  insertTriageDecision,
  listTriageDecisions,
  type TriageDecision,
} from '../storage/triage-decisions.repository.ts';
import { findUserById } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today, type Clock } from './clock.ts';
import { issueTriageLetter } from './letter-service.ts';
import { uniqueConflict } from './unique-conflicts.ts';

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

function validateReferral(deps: ReferralServiceDeps, raw: unknown, fromIntake: boolean): ReferralInput {
  const result = validateReferralInput(raw, today(deps), deps.config.service.ersServiceName);
  if (!result.ok) {
    throw validationError(result.errors);
  }
  // Whoever confirms an email from the intake says who sent it: a consultant's referral, or
  // someone else's that a consultant must check (referral-check.ts).
  if (fromIntake && result.value.referrerGrade === null) {
    throw validationError([
      { field: 'referrerGrade', message: "Select the referrer's grade: consultant or another grade" },
    ]);
  }
  return result.value;
}

/**
 * Records a referral for a registered patient. The same UBRN twice is refused, pointing to the
 * first. When it comes from an email intake item, the item is closed in the same transaction,
 * so an email becomes at most one referral and is never left half converted. An email referral
 * from anyone not recorded as a consultant is marked for a consultant to check (referral-check.ts).
 */
export async function createReferral(
  deps: ReferralServiceDeps,
  actor: Actor,
  patientRef: PatientRef,
  raw: unknown,
  fromIntake: { readonly intakeItemId: string; readonly version: number } | null = null,
): Promise<Referral> {
  const input = validateReferral(deps, raw, fromIntake !== null);
  const checkReason = checkReasonFor(input);
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
        checkReason,
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
          details: {
            source: input.source,
            intakeItemId: fromIntake?.intakeItemId ?? null,
            referrerGrade: input.referrerGrade,
            checkReason,
          },
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
    if (input.ubrn !== null && isUniqueViolation(err, 'referrals_ubrn_key')) {
      const existing = await findReferralByUbrn(deps.db, input.ubrn);
      if (existing) {
        throw duplicateUbrn(existing);
      }
    }
    // The same email made into a referral twice at once, or any other key: a 409, not a 500.
    throw uniqueConflict(err) ?? err;
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
  if (item.state === 'converted') {
    throw refused('INTAKE_EMAIL_CONVERTED', 'This email has already been made into a referral', {
      details: { referralId: item.referralId },
    });
  }
  if (item.state !== 'new') {
    throw refused('INTAKE_EMAIL_CLOSED', 'This email was closed as not a referral', {
      details: { referralId: item.referralId },
    });
  }
  const closed = await closeIntakeItemIfNew(trx, item.id, from.version, {
    state: 'converted',
    referralId,
    closedReason: null,
    closedBy: actor.userId,
    closedAt: at,
  });
  if (!closed) {
    throw new AppError(
      'STALE_EDIT',
      'Someone else changed this email while you were confirming it. Reload it.',
    );
  }
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
        `${who?.displayName ?? 'Someone'} changed this referral on ${formatDateTime(referral.updatedAt, deps.config.timeZone)} after you opened it. Nothing was saved: review the referral and decide again.`,
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
    if (input.outcome === 'accepted' && needsChecking(referral.check)) {
      throw refused(
        'REFERRAL_NEEDS_CHECK',
        'This referral needs checking: it did not come from a consultant. Clear the mark first, saying why the referral can stand, or decide not accepted or redirected.',
        {
          fieldErrors: [
            {
              field: 'outcome',
              message:
                'This referral needs checking before it can be accepted: clear the mark first, or decide not accepted or redirected',
            },
          ],
        },
      );
    }
    const appointments = await listAppointmentsForReferral(trx, id);
    if (input.outcome !== 'accepted' && appointments.some((a) => a.state !== 'cancelled')) {
      throw refused(
        'REFERRAL_HAS_APPOINTMENT',
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
      redirectSent: input.redirectSent,
      redirectMethod: input.redirectMethod,
      changeReason: input.reason,
      decidedBy: actor.userId,
      decidedByName: user?.displayName ?? actor.username,
      decidedAt: now.toISOString(),
      decidedOn,
    };
    await insertTriageDecision(trx, decision);
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
    // The acknowledgement promises the target of the referral's priority: an urgent patient is
    // told the urgent target (WAIT_URGENT_TARGET_DAYS), not the routine 6 weeks.
    const waiting = {
      ...deps.config.waiting,
      targetDays: targetDaysFor(decision.priority, deps.config.waiting),
    };
    const letterId = await issueTriageLetter(
      trx,
      { ...letterDeps(deps), waiting },
      actor,
      decidedOn,
      updated,
      patient,
      {
        ...decision,
        clockStartOn,
      },
    );
    return { referral: updated, decision, letterId };
  });
}
