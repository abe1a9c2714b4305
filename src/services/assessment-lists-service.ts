import { suggest, type Suggestion } from '../domain/selection-suggestion.ts';
import type { Db } from '../storage/database.ts';
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
  const entry = (a: Assessment, kind: 'clinician' | 'mdt'): MdtListEntry | null => {
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
export async function patientAssessments(db: Db, patientId: string): Promise<AssessmentSummary[]> {
  const assessments = await listAssessmentsForPatient(db, patientId);
  const [decisions, protocolOfAssessment] = await Promise.all([
    listSelectionDecisions(
      db,
      assessments.map((a) => a.id),
    ),
    protocolsOf(db, assessments),
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
