import { randomUUID } from 'node:crypto';
import { answersFromReferral, type ReferralPrefill } from '../domain/referral-prefill.ts';
import { validateAnswers } from '../domain/selection-answers.ts';
import { suggest, type Suggestion } from '../domain/selection-suggestion.ts';
import { answersCanChange } from '../domain/selection-workflow.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import { findReferralById, listReferralsForPatient, type Referral } from '../storage/referrals.repository.ts';
import {
  findAssessmentById,
  findLatestProtocol,
  insertAssessment,
  listProtocols,
  updateAssessmentIfVersion,
  type Assessment,
  type StoredProtocol,
} from '../storage/selection.repository.ts';
import { refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { notFound, protocolOf, staleEdit, type AssessmentDeps } from './assessment-store.ts';
import { latestVersions } from './protocol-list-service.ts';

/**
 * Starting a selection assessment and saving its answers. The other assessment services live
 * beside this one (assessment-store, assessment-view-service, assessment-decision-service,
 * assessment-lists-service), each imported from its own file.
 */

/**
 * The protocol an assessment was made with, without reading (or auditing) the rest of it: what
 * the answers form needs to turn its fields into answers.
 */
export async function assessmentProtocol(deps: AssessmentDeps, id: string): Promise<StoredProtocol> {
  const assessment = await findAssessmentById(deps.db, id);
  if (!assessment) {
    throw notFound();
  }
  return protocolOf(deps.db, assessment);
}

/** What the form to start an assessment offers: each protocol's latest version, and the patient's referrals. */
export async function assessmentStartChoices(
  deps: AssessmentDeps,
  patientId: string,
): Promise<{ readonly protocols: readonly StoredProtocol[]; readonly referrals: readonly Referral[] }> {
  const [protocols, referrals] = await Promise.all([
    listProtocols(deps.db),
    listReferralsForPatient(deps.db, patientId),
  ]);
  return { protocols: latestVersions(protocols), referrals };
}

/**
 * Starts an assessment for a registered patient on the latest version of the chosen protocol;
 * the assessment keeps that version from then on, whatever is added later (hazard H-015).
 * Started from a referral, it begins with the answers the referral gives (its conditions and the
 * treatments tried, referral-prefill.ts), to be checked and changed on the answers form.
 */
export async function startAssessment(
  deps: AssessmentDeps,
  actor: Actor,
  input: { readonly patientId: string; readonly protocolCode: string; readonly referralId: string | null },
): Promise<Assessment> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await findPatientById(trx, input.patientId);
    if (!patient) {
      throw validationError([
        { field: 'patientId', message: 'No patient with this record id is registered' },
      ]);
    }
    const protocol = input.protocolCode === '' ? null : await findLatestProtocol(trx, input.protocolCode);
    if (!protocol) {
      throw validationError([{ field: 'protocolCode', message: 'Select the protocol to assess against' }]);
    }
    let prefill: ReferralPrefill = { answers: {}, filled: [] };
    if (input.referralId !== null) {
      const referral = await findReferralById(trx, input.referralId);
      if (referral?.patientId !== patient.id) {
        throw validationError([{ field: 'referralId', message: "Select one of this patient's referrals" }]);
      }
      prefill = answersFromReferral(protocol.definition, referral);
    }
    const id = randomUUID();
    const at = deps.clock.now().toISOString();
    await insertAssessment(trx, {
      id,
      patientId: patient.id,
      referralId: input.referralId,
      protocolId: protocol.id,
      answers: prefill.answers,
      state: 'in-progress',
      createdAt: at,
      createdBy: actor.userId,
      updatedAt: at,
      updatedBy: actor.userId,
      version: 1,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'assessment.create',
        outcome: 'success',
        entityType: 'selection-assessment',
        entityId: id,
        patientId: patient.id,
        details: {
          protocol: protocol.code,
          protocolVersion: protocol.version,
          referralId: input.referralId,
          prefilledFromReferral: Object.keys(prefill.answers),
        },
      }),
    );
    const created = await findAssessmentById(trx, id);
    if (!created) {
      throw new Error('assessment vanished after insert');
    }
    return created;
  });
}

export interface SaveAnswersInput {
  /** The assessment version the form was opened at. */
  readonly version: number;
  /** The protocol version the answers were written for: refused if it is not the assessment's. */
  readonly protocolVersion: number;
  readonly answers: unknown;
}

/**
 * Saves the answers while the assessment is in progress. Answers to questions the protocol
 * does not ask (given the other answers) are dropped before saving and reported, never stored
 * (hazard H-014). The stored answers replace the earlier ones as a whole.
 */
export async function saveAnswers(
  deps: AssessmentDeps,
  actor: Actor,
  id: string,
  input: SaveAnswersInput,
): Promise<{
  readonly assessment: Assessment;
  readonly dropped: readonly string[];
  readonly suggestion: Suggestion;
}> {
  return deps.db.transaction().execute(async (trx) => {
    const assessment = await findAssessmentById(trx, id);
    if (!assessment) {
      throw notFound();
    }
    const protocol = await protocolOf(trx, assessment);
    if (input.protocolVersion !== protocol.version) {
      throw refused(
        'ANSWERS_FOR_OTHER_PROTOCOL_VERSION',
        `These answers were written for version ${String(input.protocolVersion)} of the protocol, but this assessment uses version ${String(protocol.version)}. Nothing was saved.`,
        {
          fieldErrors: [
            { field: 'protocolVersion', message: `This assessment uses version ${String(protocol.version)}` },
          ],
        },
      );
    }
    if (!answersCanChange(assessment.state)) {
      throw refused(
        'ASSESSMENT_ANSWERS_FIXED',
        'A decision has been recorded on this assessment, so its answers can no longer change. Start a new assessment instead.',
      );
    }
    const checked = validateAnswers(protocol.definition, input.answers);
    if (!checked.ok) {
      throw validationError(checked.errors);
    }
    const { answers, dropped } = checked.value;
    const saved = await updateAssessmentIfVersion(trx, id, input.version, {
      answers,
      userId: actor.userId,
      at: deps.clock.now().toISOString(),
    });
    if (!saved) {
      throw staleEdit();
    }
    const suggestion = suggest(protocol.definition, answers);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'assessment.update',
        outcome: 'success',
        entityType: 'selection-assessment',
        entityId: id,
        patientId: assessment.patientId,
        details: { answered: Object.keys(answers).length, dropped, suggestion: suggestion.outcome },
      }),
    );
    const updated = await findAssessmentById(trx, id);
    if (!updated) {
      throw new Error('assessment vanished after update');
    }
    return { assessment: updated, dropped, suggestion };
  });
}
