import { patientDetailsInText, type PatientDetailsFound } from '../domain/patient-details-in-text.ts';
import type { Db } from '../storage/database.ts';
import { findIntakeItemById } from '../storage/intake.repository.ts';
import { AppError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { requirePermission } from './permission-check.ts';

export interface IntakePatientDetails extends PatientDetailsFound {
  readonly intakeItemId: string;
  /** Whom the email came from, to say on the form where the details were taken from. */
  readonly from: string | null;
  readonly subject: string | null;
}

/**
 * The patient's details an email referral in the intake states, to fill in the registration
 * form. Reading the email is audited as a view of the intake item, as opening it is.
 */
export async function intakePatientDetails(
  deps: { readonly db: Db; readonly clock: Clock },
  actor: Actor,
  intakeItemId: string,
): Promise<IntakePatientDetails> {
  requirePermission(actor, 'referral:read', 'Reading an email referral needs the referral:read permission');
  return deps.db.transaction().execute(async (trx) => {
    const item = await findIntakeItemById(trx, intakeItemId);
    if (!item) {
      throw new AppError('NOT_FOUND', 'Email not found in the intake');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'intake.view',
        outcome: 'success',
        entityType: 'intake-item',
        entityId: intakeItemId,
        details: { purpose: 'patient-registration-prefill' },
      }),
    );
    return {
      ...patientDetailsInText(item.bodyText, item.nhsNumbers),
      intakeItemId,
      from: item.fromName ?? item.fromAddress,
      subject: item.subject,
    };
  });
}
