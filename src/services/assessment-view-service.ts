import type { PlainDate } from '../domain/calendar-date.ts';
import {
  criterionResults,
  suggest,
  type CriterionResult,
  type Suggestion,
} from '../domain/selection-suggestion.ts';
import { findPatientById, type Patient } from '../storage/patients.repository.ts';
import { findReferralById, type Referral } from '../storage/referrals.repository.ts';
import {
  findAssessmentById,
  findLatestProtocol,
  listSelectionDecisions,
  type Assessment,
  type StoredProtocol,
} from '../storage/selection.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import { dateIn } from './clock.ts';
import {
  notFound,
  protocolOf,
  withNames,
  type AssessmentDeps,
  type DecisionView,
} from './assessment-store.ts';

/** Viewing one selection assessment with its suggestion, criteria and decisions. */

export interface AssessmentDetail {
  readonly assessment: Assessment;
  readonly patient: Patient;
  readonly referral: Referral | null;
  readonly protocol: StoredProtocol;
  /** A newer version of the same protocol, when one has been added since this one began. */
  readonly newerVersion: StoredProtocol | null;
  readonly suggestion: Suggestion;
  readonly criteria: readonly CriterionResult[];
  readonly decisions: readonly DecisionView[];
  readonly startedOn: PlainDate;
  readonly createdByName: string;
}

/** Loads an assessment with its suggestion, made from its own protocol version. Audited. */
export async function viewAssessment(
  deps: AssessmentDeps,
  actor: Actor,
  id: string,
): Promise<AssessmentDetail> {
  const assessment = await findAssessmentById(deps.db, id);
  if (!assessment) {
    throw notFound();
  }
  const [protocol, patient, decisions] = await Promise.all([
    protocolOf(deps.db, assessment),
    findPatientById(deps.db, assessment.patientId),
    listSelectionDecisions(deps.db, [id]),
  ]);
  if (!patient) {
    throw new Error(`assessment ${id}: patient missing`);
  }
  const latest = await findLatestProtocol(deps.db, protocol.code);
  const referral = assessment.referralId
    ? ((await findReferralById(deps.db, assessment.referralId)) ?? null)
    : null;
  const names = await displayNames(deps.db, [assessment.createdBy]);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'assessment.view',
      outcome: 'success',
      entityType: 'selection-assessment',
      entityId: id,
      patientId: patient.id,
    }),
  );
  return {
    assessment,
    patient,
    referral,
    protocol,
    newerVersion: latest && latest.version > protocol.version ? latest : null,
    suggestion: suggest(protocol.definition, assessment.answers),
    criteria: criterionResults(protocol.definition, assessment.answers),
    decisions: await withNames(deps.db, decisions),
    startedOn: dateIn(new Date(assessment.createdAt), deps.config.timeZone),
    createdByName: names.get(assessment.createdBy) ?? 'Unknown',
  };
}
