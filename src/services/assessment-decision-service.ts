import { randomUUID } from 'node:crypto';
import { roleHasPermission, type Role } from '../domain/roles.ts';
import {
  agreesWithSuggestion,
  validateDecisionInput,
  validateMdtOutcomeInput,
} from '../domain/selection-decision.ts';
import { suggest } from '../domain/selection-suggestion.ts';
import { awaitsDecision, stateAfterDecision, type DecisionKind } from '../domain/selection-workflow.ts';
import {
  findAssessmentById,
  insertSelectionDecision,
  updateAssessmentIfVersion,
  type Assessment,
  type SelectionDecisionRecord,
} from '../storage/selection.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { dateIn, todayIn } from './clock.ts';
import { notFound, protocolOf, staleEdit, type AssessmentDeps } from './assessment-store.ts';

/** Recording decisions on a selection assessment: the clinician's, and the MDT meeting's outcome. */

function requireDecider(actor: Actor, what: string): void {
  // Checked here as well as on the route, so the API and CLI cannot bypass it.
  if (!roleHasPermission(actor.role as Role, 'assessment:decide')) {
    throw new AppError('FORBIDDEN', `Only consultants can record ${what}`);
  }
}

async function decide(
  deps: AssessmentDeps,
  actor: Actor,
  id: string,
  version: number,
  kind: DecisionKind,
  raw: unknown,
): Promise<Assessment> {
  requireDecider(actor, kind === 'mdt' ? 'MDT outcomes' : 'selection decisions');
  return deps.db.transaction().execute(async (trx) => {
    const assessment = await findAssessmentById(trx, id);
    if (!assessment) {
      throw notFound();
    }
    if (!awaitsDecision(assessment.state, kind)) {
      throw kind === 'mdt'
        ? refused('ASSESSMENT_NOT_AWAITING_MDT', 'This assessment is not waiting for an MDT discussion.')
        : refused('ASSESSMENT_ALREADY_DECIDED', 'A decision has already been recorded on this assessment.');
    }
    if (assessment.version !== version) {
      throw staleEdit();
    }
    const protocol = await protocolOf(trx, assessment);
    // The suggestion is made again here from the stored answers and the assessment's own
    // protocol version, never taken from the form, so the one recorded is the one that holds.
    const suggestion = suggest(protocol.definition, assessment.answers);
    const at = deps.clock.now().toISOString();
    let record: SelectionDecisionRecord;
    if (kind === 'clinician') {
      const v = validateDecisionInput(raw, suggestion.outcome);
      if (!v.ok) {
        throw validationError(v.errors);
      }
      record = {
        id: randomUUID(),
        assessmentId: id,
        kind,
        decision: v.value.decision,
        suggestion,
        agrees: agreesWithSuggestion(kind, v.value.decision, suggestion.outcome),
        reason: v.value.reason,
        note: v.value.note,
        meetingOn: null,
        attendees: null,
        decidedAt: at,
        decidedBy: actor.userId,
      };
    } else {
      const v = validateMdtOutcomeInput(raw, {
        outcome: suggestion.outcome,
        today: todayIn(deps.clock, deps.config.timeZone),
        startedOn: dateIn(new Date(assessment.createdAt), deps.config.timeZone),
      });
      if (!v.ok) {
        throw validationError(v.errors);
      }
      record = {
        id: randomUUID(),
        assessmentId: id,
        kind,
        decision: v.value.decision,
        suggestion,
        agrees: agreesWithSuggestion(kind, v.value.decision, suggestion.outcome),
        reason: v.value.reason,
        note: v.value.note,
        meetingOn: v.value.meetingOn,
        attendees: v.value.attendees,
        decidedAt: at,
        decidedBy: actor.userId,
      };
    }
    await insertSelectionDecision(trx, record);
    const state = stateAfterDecision(record.decision);
    if (!(await updateAssessmentIfVersion(trx, id, version, { state, userId: actor.userId, at }))) {
      throw staleEdit();
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: kind === 'mdt' ? 'assessment.mdt-outcome' : 'assessment.decide',
        outcome: 'success',
        entityType: 'selection-assessment',
        entityId: id,
        patientId: assessment.patientId,
        details: {
          decision: record.decision,
          suggestion: suggestion.outcome,
          agrees: record.agrees,
          protocol: protocol.code,
          protocolVersion: protocol.version,
        },
      }),
    );
    const updated = await findAssessmentById(trx, id);
    if (!updated) {
      throw new Error('assessment vanished after update');
    }
    return updated;
  });
}

/**
 * Records the clinician's decision against the suggestion made from the stored answers. A
 * decision that differs needs a reason; both are kept. "Discuss at MDT" puts the patient on
 * the MDT list. Either way the answers are then fixed.
 */
export function decideAssessment(
  deps: AssessmentDeps,
  actor: Actor,
  id: string,
  version: number,
  raw: unknown,
): Promise<Assessment> {
  return decide(deps, actor, id, version, 'clinician', raw);
}

/** Records the MDT meeting's outcome for a patient on the MDT list. */
export function recordMdtOutcome(
  deps: AssessmentDeps,
  actor: Actor,
  id: string,
  version: number,
  raw: unknown,
): Promise<Assessment> {
  return decide(deps, actor, id, version, 'mdt', raw);
}
