import type { PlainDate } from '../domain/calendar-date.ts';
import type { Answers } from '../domain/selection-answers.ts';
import type { Decision } from '../domain/selection-decision.ts';
import type { ProtocolDefinition } from '../domain/selection-protocol.ts';
import type { Suggestion } from '../domain/selection-suggestion.ts';
import type { AssessmentState, DecisionKind } from '../domain/selection-workflow.ts';
import { compiledOnce } from './compiled-once.ts';
import type {
  DbOrTrx,
  SelectionAssessmentsTable,
  SelectionDecisionsTable,
  SelectionProtocolsTable,
} from './database.ts';

export interface StoredProtocol {
  readonly id: string;
  readonly code: string;
  readonly version: number;
  readonly title: string;
  readonly population: string;
  readonly definition: ProtocolDefinition;
  readonly definitionHash: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

function protocolFromRow(r: SelectionProtocolsTable): StoredProtocol {
  // Only definitions that passed validateProtocolDefinition are ever stored.
  return {
    id: r.id,
    code: r.code,
    version: r.version,
    title: r.title,
    population: r.population,
    definition: JSON.parse(r.definition) as ProtocolDefinition,
    definitionHash: r.definition_hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/**
 * The row of a protocol version. The definition is stored as the exact text its hash was taken
 * of (canonical JSON), which the caller gives, never a fresh JSON.stringify of the object.
 */
function protocolToRow(p: StoredProtocol, definitionJson: string): SelectionProtocolsTable {
  return {
    id: p.id,
    code: p.code,
    version: p.version,
    title: p.title,
    population: p.population,
    definition: definitionJson,
    definition_hash: p.definitionHash,
    created_at: p.createdAt,
    created_by: p.createdBy,
  };
}

export async function insertProtocol(db: DbOrTrx, p: StoredProtocol, definitionJson: string): Promise<void> {
  await db.insertInto('selection_protocols').values(protocolToRow(p, definitionJson)).execute();
}

export async function findProtocolById(db: DbOrTrx, id: string): Promise<StoredProtocol | null> {
  const r = await db.selectFrom('selection_protocols').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? protocolFromRow(r) : null;
}

/** The protocols with these ids, by id (one query however many assessments share them). */
export async function findProtocolsByIds(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<Map<string, StoredProtocol>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return new Map();
  }
  const rows = await db.selectFrom('selection_protocols').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, protocolFromRow(r)]));
}

export async function findProtocolVersion(
  db: DbOrTrx,
  code: string,
  version: number,
): Promise<StoredProtocol | null> {
  const r = await db
    .selectFrom('selection_protocols')
    .selectAll()
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
  return r ? protocolFromRow(r) : null;
}

export async function findLatestProtocol(db: DbOrTrx, code: string): Promise<StoredProtocol | null> {
  const r = await db
    .selectFrom('selection_protocols')
    .selectAll()
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? protocolFromRow(r) : null;
}

/** Every stored version, newest first within each protocol. */
export async function listProtocols(db: DbOrTrx): Promise<StoredProtocol[]> {
  const rows = await db
    .selectFrom('selection_protocols')
    .selectAll()
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  return rows.map(protocolFromRow);
}

export interface Assessment {
  readonly id: string;
  readonly patientId: string;
  readonly referralId: string | null;
  readonly protocolId: string;
  readonly answers: Answers;
  readonly state: AssessmentState;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

function assessmentFromRow(r: SelectionAssessmentsTable): Assessment {
  return {
    id: r.id,
    patientId: r.patient_id,
    referralId: r.referral_id,
    protocolId: r.protocol_id,
    answers: JSON.parse(r.answers) as Answers,
    state: r.state as AssessmentState,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

function assessmentToRow(a: Assessment): SelectionAssessmentsTable {
  return {
    id: a.id,
    patient_id: a.patientId,
    referral_id: a.referralId,
    protocol_id: a.protocolId,
    answers: JSON.stringify(a.answers),
    state: a.state,
    created_at: a.createdAt,
    created_by: a.createdBy,
    updated_at: a.updatedAt,
    updated_by: a.updatedBy,
    version: a.version,
  };
}

export async function insertAssessment(db: DbOrTrx, a: Assessment): Promise<void> {
  await db.insertInto('selection_assessments').values(assessmentToRow(a)).execute();
}

export async function findAssessmentById(db: DbOrTrx, id: string): Promise<Assessment | null> {
  const r = await db.selectFrom('selection_assessments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? assessmentFromRow(r) : null;
}

export async function findAssessmentsByIds(db: DbOrTrx, ids: readonly string[]): Promise<Assessment[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return [];
  }
  const rows = await db.selectFrom('selection_assessments').selectAll().where('id', 'in', unique).execute();
  return rows.map(assessmentFromRow);
}

/** Compiled once: the patient page runs it on every view. */
const assessmentsOfPatient = compiledOnce((db, patientId) =>
  db
    .selectFrom('selection_assessments')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc'),
);

export async function listAssessmentsForPatient(db: DbOrTrx, patientId: string): Promise<Assessment[]> {
  return (await assessmentsOfPatient(db, patientId)).map(assessmentFromRow);
}

export async function listAssessmentsInState(db: DbOrTrx, state: AssessmentState): Promise<Assessment[]> {
  const rows = await db
    .selectFrom('selection_assessments')
    .selectAll()
    .where('state', '=', state)
    .orderBy('updated_at')
    .execute();
  return rows.map(assessmentFromRow);
}

/**
 * Writes the answers and/or the state only if the row is still at the version the writer read
 * (optimistic locking); false when someone else saved first.
 */
export async function updateAssessmentIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  change: { answers?: Answers; state?: AssessmentState; userId: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('selection_assessments')
    .set({
      ...(change.answers ? { answers: JSON.stringify(change.answers) } : {}),
      ...(change.state ? { state: change.state } : {}),
      updated_at: change.at,
      updated_by: change.userId,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface SelectionDecisionRecord {
  readonly id: string;
  readonly assessmentId: string;
  readonly kind: DecisionKind;
  readonly decision: Decision;
  readonly suggestion: Suggestion;
  readonly agrees: boolean;
  readonly reason: string | null;
  readonly note: string | null;
  readonly meetingOn: PlainDate | null;
  readonly attendees: string | null;
  readonly decidedAt: string;
  readonly decidedBy: string;
}

function decisionFromRow(r: SelectionDecisionsTable): SelectionDecisionRecord {
  return {
    id: r.id,
    assessmentId: r.assessment_id,
    kind: r.kind as DecisionKind,
    decision: r.decision as Decision,
    suggestion: JSON.parse(r.suggestion) as Suggestion,
    agrees: r.agrees === 1,
    reason: r.reason,
    note: r.note,
    meetingOn: r.meeting_on as PlainDate | null,
    attendees: r.attendees,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
  };
}

function decisionToRow(d: SelectionDecisionRecord): SelectionDecisionsTable {
  return {
    id: d.id,
    assessment_id: d.assessmentId,
    kind: d.kind,
    decision: d.decision,
    suggestion: JSON.stringify(d.suggestion),
    agrees: d.agrees ? 1 : 0,
    reason: d.reason,
    note: d.note,
    meeting_on: d.meetingOn,
    attendees: d.attendees,
    decided_at: d.decidedAt,
    decided_by: d.decidedBy,
  };
}

export async function insertSelectionDecision(db: DbOrTrx, d: SelectionDecisionRecord): Promise<void> {
  await db.insertInto('selection_decisions').values(decisionToRow(d)).execute();
}

export async function listSelectionDecisions(
  db: DbOrTrx,
  assessmentIds: readonly string[],
): Promise<SelectionDecisionRecord[]> {
  if (assessmentIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('selection_decisions')
    .selectAll()
    .where('assessment_id', 'in', assessmentIds)
    .orderBy('decided_at')
    .execute();
  return rows.map(decisionFromRow);
}

/** MDT outcomes recorded on or after a date, newest first, for the MDT page. */
export async function listRecentMdtOutcomes(
  db: DbOrTrx,
  sinceIso: string,
): Promise<SelectionDecisionRecord[]> {
  const rows = await db
    .selectFrom('selection_decisions')
    .selectAll()
    .where('kind', '=', 'mdt')
    .where('decided_at', '>=', sinceIso)
    .orderBy('decided_at', 'desc')
    .execute();
  return rows.map(decisionFromRow);
}
