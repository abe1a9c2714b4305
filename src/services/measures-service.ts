import { loadPatient } from './patient-service.ts';
import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import {
  achievedTScore,
  baselineTScore,
  painChanges,
  validateMeasureSetInput,
  type GasGoal,
  type MeasureSetInput,
  type PainChange,
} from '../domain/outcome-measures.ts';
import type { Db } from '../storage/database.ts';
import {
  assessmentBelongsToPatient,
  insertMeasureSet,
  listAssessmentRefsForPatient,
  listMeasureSetsForPatient,
  type AssessmentRef,
  type MeasureSet,
} from '../storage/measures.repository.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today, type Clock } from './clock.ts';

export interface MeasuresServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: { readonly timeZone: string };
}

/** A stored set with what is worked out from it: the GAS T-scores and the change in pain. */
export interface ScoredMeasureSet extends MeasureSet {
  /** Unrounded; null without goals. */
  readonly baselineTScore: number | null;
  /** Unrounded; null until every goal has an achieved score. */
  readonly achievedTScore: number | null;
  readonly painChange: PainChange;
}

export interface PatientMeasures {
  readonly patient: Patient;
  /** Oldest first. */
  readonly sets: readonly ScoredMeasureSet[];
}

function scoreSets(sets: readonly MeasureSet[]): ScoredMeasureSet[] {
  const changes = painChanges(sets);
  return sets.map((s, i) => ({
    ...s,
    baselineTScore: baselineTScore(s.gasGoals),
    achievedTScore: achievedTScore(s.gasGoals),
    painChange: changes[i] ?? { change: null, meaningful: false },
  }));
}

function validate(deps: MeasuresServiceDeps, patient: Patient, raw: unknown): MeasureSetInput {
  const result = validateMeasureSetInput(raw, {
    today: today(deps),
    dateOfBirth: patient.dateOfBirth as PlainDate,
  });
  if (!result.ok) {
    throw validationError(result.errors);
  }
  return result.value;
}

/** Which measures a set holds, for the audit row (what was recorded, never the values). */
function measuresIn(input: MeasureSetInput): string[] {
  return [
    input.mas.length > 0 ? 'mas' : null,
    input.pennFrequency !== null ? 'penn' : null,
    input.gasGoals.length > 0 ? 'gas' : null,
    input.gmfcsLevel !== null ? 'gmfcs' : null,
    input.painNrs !== null ? 'pain' : null,
  ].filter((m): m is string => m !== null);
}

/**
 * Records one occasion's measures for a patient. Validation, the patient and assessment checks,
 * the insert and the audit row share one transaction: on any error nothing is stored.
 */
export async function recordMeasureSet(
  deps: MeasuresServiceDeps,
  actor: Actor,
  patientId: string,
  raw: unknown,
): Promise<ScoredMeasureSet> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await loadPatient(trx, patientId);
    const input = validate(deps, patient, raw);
    if (
      input.assessmentId !== null &&
      !(await assessmentBelongsToPatient(trx, input.assessmentId, patientId))
    ) {
      throw validationError([
        { field: 'assessmentId', message: "The assessment must be one of this patient's assessments" },
      ]);
    }
    const id = randomUUID();
    await insertMeasureSet(trx, {
      id,
      patientId,
      recordedOn: input.recordedOn,
      occasion: input.occasion,
      assessmentId: input.assessmentId,
      mas: input.mas,
      pennFrequency: input.pennFrequency,
      pennSeverity: input.pennSeverity,
      gasGoals: input.gasGoals,
      gmfcsLevel: input.gmfcsLevel,
      painNrs: input.painNrs,
      note: input.note,
      createdAt: deps.clock.now().toISOString(),
      createdBy: actor.userId,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'measures.record',
        outcome: 'success',
        entityType: 'outcome-measure-set',
        entityId: id,
        patientId,
        details: { recordedOn: input.recordedOn, occasion: input.occasion, measures: measuresIn(input) },
      }),
    );
    // Read back and scored among the patient's other sets: its pain change depends on them.
    const saved = scoreSets(await listMeasureSetsForPatient(trx, patientId)).find((s) => s.id === id);
    if (!saved) {
      throw new Error(`measure set ${id} vanished inside its own transaction`);
    }
    return saved;
  });
}

/** A patient's measures, oldest first, with their T-scores; the read is audited. */
export async function patientMeasures(
  deps: MeasuresServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<PatientMeasures> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await loadPatient(trx, patientId);
    const sets = await listMeasureSetsForPatient(trx, patientId);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'measures.view',
        outcome: 'success',
        entityType: 'patient',
        entityId: patientId,
        patientId,
        details: { sets: sets.length },
      }),
    );
    return { patient, sets: scoreSets(sets) };
  });
}

export interface NewMeasureSetContext {
  readonly patient: Patient;
  /** The goals of the most recent set that had any, to carry forward to the next set. */
  readonly latestGoals: readonly GasGoal[];
  readonly assessments: readonly AssessmentRef[];
}

/**
 * What the form for a new set starts from. It shows the patient's earlier goals, so opening it
 * is audited as a view of their measures.
 */
export async function newMeasureSetContext(
  deps: MeasuresServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<NewMeasureSetContext> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await loadPatient(trx, patientId);
    const sets = await listMeasureSetsForPatient(trx, patientId);
    const latestGoals = sets.findLast((s) => s.gasGoals.length > 0)?.gasGoals ?? [];
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'measures.view',
        outcome: 'success',
        entityType: 'patient',
        entityId: patientId,
        patientId,
        details: { sets: sets.length, for: 'new-set' },
      }),
    );
    return { patient, latestGoals, assessments: await listAssessmentRefsForPatient(trx, patientId) };
  });
}
