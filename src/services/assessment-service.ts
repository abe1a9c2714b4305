import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import { roleHasPermission, type Role } from '../domain/roles.ts';
import { validateAnswers } from '../domain/selection-answers.ts';
import {
  agreesWithSuggestion,
  validateDecisionInput,
  validateMdtOutcomeInput,
} from '../domain/selection-decision.ts';
import {
  criterionResults,
  suggest,
  type CriterionResult,
  type Suggestion,
} from '../domain/selection-suggestion.ts';
import type { Db, Trx } from '../storage/database.ts';
import { findPatientById, findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import { findReferralById, type Referral } from '../storage/referrals.repository.ts';
import {
  findAssessmentById,
  findAssessmentsByIds,
  findLatestProtocol,
  findProtocolsByIds,
  findProtocolById,
  insertAssessment,
  insertSelectionDecision,
  listAssessmentsForPatient,
  listAssessmentsInState,
  listRecentMdtOutcomes,
  listSelectionDecisions,
  updateAssessmentIfVersion,
  type Assessment,
  type SelectionDecisionRecord,
  type StoredProtocol,
} from '../storage/selection.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, recordAudit, type Actor } from './audit-service.ts';
import { dateIn, todayIn, type Clock } from './clock.ts';

export interface AssessmentDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<AppConfig, 'timeZone'>;
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'Assessment not found');
}

async function protocolOf(db: Db | Trx, a: Assessment): Promise<StoredProtocol> {
  const p = await findProtocolById(db, a.protocolId);
  if (!p) {
    throw new Error(`assessment ${a.id}: its protocol ${a.protocolId} is missing`);
  }
  return p;
}

/** The protocol of each assessment, loaded in one query; a missing one is a broken database. */
async function protocolsOf(
  db: Db,
  assessments: readonly Assessment[],
): Promise<(a: Assessment) => StoredProtocol> {
  const protocols = await findProtocolsByIds(
    db,
    assessments.map((a) => a.protocolId),
  );
  return (a) => {
    const p = protocols.get(a.protocolId);
    if (!p) {
      throw new Error(`assessment ${a.id}: its protocol ${a.protocolId} is missing`);
    }
    return p;
  };
}

/**
 * The protocol an assessment was made with, without reading (or auditing) the rest of it: what
 * the answers form needs to turn its fields into answers.
 */
export async function assessmentProtocol(db: Db, id: string): Promise<StoredProtocol> {
  const assessment = await findAssessmentById(db, id);
  if (!assessment) {
    throw notFound();
  }
  return protocolOf(db, assessment);
}

function requireDecider(actor: Actor, what: string): void {
  // Checked here as well as on the route, so the API and CLI cannot bypass it.
  if (!roleHasPermission(actor.role as Role, 'assessment:decide')) {
    throw new AppError('FORBIDDEN', `Only consultants can record ${what}`);
  }
}

function staleEdit(): AppError {
  return new AppError(
    'STALE_EDIT',
    'Someone else saved this assessment after you opened it. Nothing was saved: reload it and try again.',
  );
}

/**
 * Starts an assessment for a registered patient on the latest version of the chosen protocol;
 * the assessment keeps that version from then on, whatever is added later (hazard H-015).
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
    if (input.referralId !== null) {
      const referral = await findReferralById(trx, input.referralId);
      if (referral?.patientId !== patient.id) {
        throw validationError([{ field: 'referralId', message: "Select one of this patient's referrals" }]);
      }
    }
    const id = randomUUID();
    const at = deps.clock.now().toISOString();
    await insertAssessment(trx, {
      id,
      patientId: patient.id,
      referralId: input.referralId,
      protocolId: protocol.id,
      userId: actor.userId,
      at,
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
        details: { protocol: protocol.code, protocolVersion: protocol.version, referralId: input.referralId },
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
      throw new AppError(
        'INVALID_STATE',
        `These answers were written for version ${String(input.protocolVersion)} of the protocol, but this assessment uses version ${String(protocol.version)}. Nothing was saved.`,
        {
          fieldErrors: [
            { field: 'protocolVersion', message: `This assessment uses version ${String(protocol.version)}` },
          ],
        },
      );
    }
    if (assessment.state !== 'in-progress') {
      throw new AppError(
        'INVALID_STATE',
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

export interface DecisionView extends SelectionDecisionRecord {
  readonly decidedByName: string;
}

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

async function withNames(db: Db, decisions: readonly SelectionDecisionRecord[]): Promise<DecisionView[]> {
  const names = await displayNames(
    db,
    decisions.map((d) => d.decidedBy),
  );
  return decisions.map((d) => ({ ...d, decidedByName: names.get(d.decidedBy) ?? 'Unknown' }));
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

async function decide(
  deps: AssessmentDeps,
  actor: Actor,
  id: string,
  version: number,
  kind: 'clinician' | 'mdt',
  raw: unknown,
): Promise<Assessment> {
  requireDecider(actor, kind === 'mdt' ? 'MDT outcomes' : 'selection decisions');
  return deps.db.transaction().execute(async (trx) => {
    const assessment = await findAssessmentById(trx, id);
    if (!assessment) {
      throw notFound();
    }
    const expected = kind === 'mdt' ? 'awaiting-mdt' : 'in-progress';
    if (assessment.state !== expected) {
      throw new AppError(
        'INVALID_STATE',
        kind === 'mdt'
          ? 'This assessment is not waiting for an MDT discussion.'
          : 'A decision has already been recorded on this assessment.',
      );
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
    const state = record.decision === 'discuss-at-mdt' ? 'awaiting-mdt' : 'decided';
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
