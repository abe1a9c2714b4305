import { suggest, type Suggestion } from '../domain/selection-suggestion.ts';
import type { DecisionKind } from '../domain/selection-workflow.ts';
import { findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import {
  findAssessmentsByIds,
  listAssessmentsForPatient,
  listAssessmentsInState,
  listRecentMdtOutcomes,
  listSelectionDecisions,
  type Assessment,
  type SelectionDecisionRecord,
  type StoredProtocol,
} from '../storage/selection.repository.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import { protocolsOf, withNames, type AssessmentDeps, type DecisionView } from './assessment-store.ts';
import { viewPatient } from './patient-service.ts';

/** Lists of selection assessments: the MDT list, and a patient's assessments for their record. */

export interface MdtListEntry {
  readonly assessment: Assessment;
  readonly patient: Patient;
  readonly protocol: StoredProtocol;
  readonly suggestion: Suggestion;
  readonly decision: DecisionView;
}

/** How far back the MDT page shows outcomes already recorded. */
export const RECENT_MDT_DAYS = 28;

/**
 * Patients waiting for MDT discussion, longest waiting first, each with the suggestion's
 * reasons (the relative contraindications to discuss) and who sent them; then the outcomes of
 * the last four weeks. Audited as a list view.
 */
export async function mdtList(
  deps: AssessmentDeps,
  actor: Actor,
): Promise<{ readonly waiting: readonly MdtListEntry[]; readonly recent: readonly MdtListEntry[] }> {
  const since = new Date(deps.clock.now().getTime() - RECENT_MDT_DAYS * 86_400_000).toISOString();
  const [waiting, recentOutcomes] = await Promise.all([
    listAssessmentsInState(deps.db, 'awaiting-mdt'),
    listRecentMdtOutcomes(deps.db, since),
  ]);
  const recentAssessments = await findAssessmentsByIds(
    deps.db,
    recentOutcomes.map((d) => d.assessmentId),
  );
  // In the order of the outcomes, newest first.
  const order = new Map(recentOutcomes.map((d, i) => [d.assessmentId, i]));
  recentAssessments.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const all = [...waiting, ...recentAssessments];
  const [patients, decisions, protocolOfAssessment] = await Promise.all([
    findPatientsByIds(
      deps.db,
      all.map((a) => a.patientId),
    ),
    listSelectionDecisions(
      deps.db,
      all.map((a) => a.id),
    ),
    protocolsOf(deps.db, all),
  ]);
  const named = await withNames(deps.db, decisions);
  const entry = (a: Assessment, kind: DecisionKind): MdtListEntry | null => {
    const patient = patients.get(a.patientId);
    const protocol = protocolOfAssessment(a);
    const decision = named.filter((d) => d.assessmentId === a.id && d.kind === kind).at(-1);
    return patient && decision
      ? { assessment: a, patient, protocol, suggestion: suggest(protocol.definition, a.answers), decision }
      : null;
  };
  const result = {
    waiting: waiting.map((a) => entry(a, 'clinician')).filter((e): e is MdtListEntry => e !== null),
    recent: recentAssessments.map((a) => entry(a, 'mdt')).filter((e): e is MdtListEntry => e !== null),
  };
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'mdt.list',
      outcome: 'success',
      details: { waiting: result.waiting.length, recent: result.recent.length },
    }),
  );
  return result;
}

export interface AssessmentSummary {
  readonly assessment: Assessment;
  readonly protocol: StoredProtocol;
  readonly suggestion: Suggestion;
  readonly finalDecision: SelectionDecisionRecord | null;
}

/** A patient's assessments, newest first, for the patient's record. */
export async function patientAssessments(
  deps: Pick<AssessmentDeps, 'db'>,
  patientId: string,
): Promise<AssessmentSummary[]> {
  const assessments = await listAssessmentsForPatient(deps.db, patientId);
  const [decisions, protocolOfAssessment] = await Promise.all([
    listSelectionDecisions(
      deps.db,
      assessments.map((a) => a.id),
    ),
    protocolsOf(deps.db, assessments),
  ]);
  return assessments.map((a) => {
    const protocol = protocolOfAssessment(a);
    return {
      assessment: a,
      protocol,
      suggestion: suggest(protocol.definition, a.answers),
      finalDecision: decisions.filter((d) => d.assessmentId === a.id).at(-1) ?? null,
    };
  });
}

/**
 * The page of a patient's assessments: the patient, read as a view of their record (audited, and
 * NOT_FOUND when there is no such patient), then their assessments.
 */
export async function patientAssessmentList(
  deps: AssessmentDeps,
  actor: Actor,
  patientId: string,
): Promise<{ readonly patient: Patient; readonly assessments: readonly AssessmentSummary[] }> {
  const patient = await viewPatient(
    { db: deps.db, clock: deps.clock, timeZone: deps.config.timeZone },
    actor,
    patientId,
  );
  return { patient, assessments: await patientAssessments(deps, patient.id) };
}
