import { DECISION_LABELS, type Decision } from '../domain/selection-decision.ts';
import {
  absoluteContraindications,
  assessmentBlockers,
  standingDecision,
  type GateAssessment,
} from '../domain/test-dose-gate.ts';
import type { DbOrTrx, Trx } from '../storage/database.ts';
import type { Patient } from '../storage/patients.repository.ts';
import {
  findAssessmentById,
  findProtocolsByIds,
  listAssessmentsForPatient,
  listSelectionDecisions,
  type Assessment,
} from '../storage/selection.repository.ts';
import { findAvailableOverride } from '../storage/test-dose-overrides.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import type { Actor } from './audit-service.ts';
import { viewPatient, type PatientServiceDeps } from './patient-service.ts';
import { overrideViews, type OverrideView } from './test-dose-override-service.ts';
import type { TestDoseServiceDeps } from './test-dose-support.ts';

/**
 * The bedside gate's data (test-dose-gate.ts): the selection assessments as the gate reads them,
 * with their standing decisions and absolute contraindications, and what a test dose could start
 * on for the start page. The gate itself is decided when the episode starts
 * (test-dose-service.ts createEpisode).
 */

/** What the gate reads about an assessment, made from its stored answers and its own protocol version. */
async function gateAssessments(db: DbOrTrx, assessments: readonly Assessment[]): Promise<GateAssessment[]> {
  const [decisions, protocols] = await Promise.all([
    listSelectionDecisions(
      db,
      assessments.map((a) => a.id),
    ),
    findProtocolsByIds(
      db,
      assessments.map((a) => a.protocolId),
    ),
  ]);
  return assessments.map((a) => {
    const protocol = protocols.get(a.protocolId);
    if (!protocol) {
      throw new Error(`assessment ${a.id}: its protocol ${a.protocolId} is missing`);
    }
    return {
      id: a.id,
      decisions: decisions
        .filter((d) => d.assessmentId === a.id)
        .map((d) => ({ decision: d.decision, decidedAt: d.decidedAt, decidedBy: d.decidedBy })),
      absoluteContraindications: absoluteContraindications(protocol.definition, a.answers),
    };
  });
}

/** The assessment as the gate reads it, or null when it is not one of this patient's. */
export async function gateAssessmentFor(
  trx: Trx,
  assessmentId: string,
  patientId: string,
): Promise<GateAssessment | null> {
  const assessment = await findAssessmentById(trx, assessmentId);
  if (assessment?.patientId !== patientId) {
    return null;
  }
  return (await gateAssessments(trx, [assessment]))[0] ?? null;
}

export interface StartAssessmentOption {
  readonly id: string;
  readonly createdAt: string;
  readonly decision: Decision | null;
  readonly decisionLabel: string | null;
  readonly decidedByName: string | null;
  readonly absoluteContraindications: readonly string[];
  /** Why it does not let a test dose start on its own; empty when it does. */
  readonly blockers: readonly string[];
}

export interface StartOptions {
  /** The patient's assessments, newest first, each as the gate reads it. */
  readonly assessments: readonly StartAssessmentOption[];
  /** The override waiting to be used, if any. */
  readonly override: OverrideView | null;
  /** Whether the person asking may use that override (not its author). */
  readonly overrideUsable: boolean;
  /** Whether anything lets this person start a test dose now. */
  readonly canStart: boolean;
}

/** What a test dose could start on, for the start page: read only, so not audited itself. */
export async function testDoseStartOptions(
  deps: TestDoseServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<StartOptions> {
  const assessments = await listAssessmentsForPatient(deps.db, patientId);
  const gated = await gateAssessments(deps.db, assessments);
  const deciders = gated.flatMap((g) => g.decisions.map((d) => d.decidedBy));
  const names = await displayNames(deps.db, deciders);
  const options = assessments.map((a, i): StartAssessmentOption => {
    const g = gated[i] ?? { id: a.id, decisions: [], absoluteContraindications: [] };
    const standing = standingDecision(g.decisions);
    return {
      id: a.id,
      createdAt: a.createdAt,
      decision: standing?.decision ?? null,
      decisionLabel: standing ? DECISION_LABELS[standing.decision] : null,
      decidedByName: standing ? (names.get(standing.decidedBy) ?? 'Unknown') : null,
      absoluteContraindications: g.absoluteContraindications,
      blockers: assessmentBlockers(g),
    };
  });
  const available = await findAvailableOverride(deps.db, patientId);
  const override = available ? ((await overrideViews(deps.db, [available]))[0] ?? null) : null;
  const overrideUsable = override !== null && override.createdBy !== actor.userId;
  return {
    assessments: options,
    override,
    overrideUsable,
    canStart: overrideUsable || options.some((o) => o.blockers.length === 0),
  };
}

/**
 * The patient (their record's view audited, as the patient page's is) with what a test dose
 * could start on: the start page and the override form show both.
 */
export async function viewStartOptions(
  deps: TestDoseServiceDeps & PatientServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<{ readonly patient: Patient; readonly options: StartOptions }> {
  const patient = await viewPatient(deps, actor, patientId);
  return { patient, options: await testDoseStartOptions(deps, actor, patient.id) };
}
