import type { PlainDate } from '../domain/calendar-date.ts';
import type { Answers } from '../domain/selection-answers.ts';
import type { Decision } from '../domain/selection-decision.ts';
import type { ProtocolDefinition } from '../domain/selection-protocol.ts';
import type { Suggestion } from '../domain/selection-suggestion.ts';
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

function rowToProtocol(r: SelectionProtocolsTable): StoredProtocol {
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

export async function insertProtocol(
  db: DbOrTrx,
  row: {
    id: string;
    definition: ProtocolDefinition;
    json: string;
    hash: string;
    at: string;
    userId: string | null;
  },
): Promise<void> {
  await db
    .insertInto('selection_protocols')
    .values({
      id: row.id,
      code: row.definition.code,
      version: row.definition.version,
      title: row.definition.title,
      population: row.definition.population,
      definition: row.json,
      definition_hash: row.hash,
      created_at: row.at,
      created_by: row.userId,
    })
    .execute();
}

export async function findProtocolById(db: DbOrTrx, id: string): Promise<StoredProtocol | null> {
  const r = await db.selectFrom('selection_protocols').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? rowToProtocol(r) : null;
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
  return new Map(rows.map((r) => [r.id, rowToProtocol(r)]));
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
  return r ? rowToProtocol(r) : null;
}

export async function findLatestProtocol(db: DbOrTrx, code: string): Promise<StoredProtocol | null> {
  const r = await db
    .selectFrom('selection_protocols')
    .selectAll()
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? rowToProtocol(r) : null;
}

/** Every stored version, newest first within each protocol. */
export async function listProtocols(db: DbOrTrx): Promise<StoredProtocol[]> {
  const rows = await db
    .selectFrom('selection_protocols')
    .selectAll()
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  return rows.map(rowToProtocol);
}

export type AssessmentState = 'in-progress' | 'awaiting-mdt' | 'decided';

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

function rowToAssessment(r: SelectionAssessmentsTable): Assessment {
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

export async function insertAssessment(
  db: DbOrTrx,
  row: {
    id: string;
    patientId: string;
    referralId: string | null;
    protocolId: string;
    userId: string;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('selection_assessments')
    .values({
      id: row.id,
      patient_id: row.patientId,
      referral_id: row.referralId,
      protocol_id: row.protocolId,
      answers: '{}',
      state: 'in-progress',
      created_at: row.at,
      created_by: row.userId,
      updated_at: row.at,
      updated_by: row.userId,
      version: 1,
    })
    .execute();
}

export async function findAssessmentById(db: DbOrTrx, id: string): Promise<Assessment | null> {
  const r = await db.selectFrom('selection_assessments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? rowToAssessment(r) : null;
}

export async function findAssessmentsByIds(db: DbOrTrx, ids: readonly string[]): Promise<Assessment[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return [];
  }
  const rows = await db.selectFrom('selection_assessments').selectAll().where('id', 'in', unique).execute();
  return rows.map(rowToAssessment);
}

export async function listAssessmentsForPatient(db: DbOrTrx, patientId: string): Promise<Assessment[]> {
  const rows = await db
    .selectFrom('selection_assessments')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(rowToAssessment);
}

export async function listAssessmentsInState(db: DbOrTrx, state: AssessmentState): Promise<Assessment[]> {
  const rows = await db
    .selectFrom('selection_assessments')
    .selectAll()
    .where('state', '=', state)
    .orderBy('updated_at')
    .execute();
  return rows.map(rowToAssessment);
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
  readonly kind: 'clinician' | 'mdt';
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

function rowToDecision(r: SelectionDecisionsTable): SelectionDecisionRecord {
  return {
    id: r.id,
    assessmentId: r.assessment_id,
    kind: r.kind as 'clinician' | 'mdt',
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

export async function insertSelectionDecision(db: DbOrTrx, d: SelectionDecisionRecord): Promise<void> {
  await db
    .insertInto('selection_decisions')
    .values({
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
    })
    .execute();
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
  return rows.map(rowToDecision);
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
  return rows.map(rowToDecision);
}
