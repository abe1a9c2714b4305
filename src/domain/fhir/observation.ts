import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import {
  achievedTScore,
  baselineTScore,
  MUSCLE_GROUP_LABELS,
  SIDE_LABELS,
  type GasGoal,
  type MasEntry,
} from '../outcome-measures.ts';
import { CATEGORY_EXAM, CATEGORY_SURVEY, PAIN_NRS, TEXT_ONLY, textOnly, ukCoreProfile } from './codes.ts';
import { ref, ucum } from './fhir-values.ts';

/** What the Observation mappers read: one occasion's outcome measures. */
export interface MeasureSetFacts {
  readonly id: string;
  readonly patientId: string;
  readonly recordedOn: string;
  readonly mas: readonly MasEntry[];
  readonly pennFrequency: number | null;
  readonly pennSeverity: number | null;
  readonly gasGoals: readonly GasGoal[];
  readonly painNrs: number | null;
}

/** One set gives up to four Observations; each id is the set's with the measure as a prefix. */
export const OBSERVATION_KINDS = ['mas', 'penn', 'gas', 'pain'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];
export function observationId(kind: ObservationKind, setId: string): string {
  return `${kind}-${setId}`;
}

function base(s: MeasureSetFacts, kind: ObservationKind): Omit<Observation, 'code'> {
  return {
    resourceType: 'Observation',
    id: observationId(kind, s.id),
    meta: { profile: [ukCoreProfile('Observation')] },
    status: 'final',
    category: [kind === 'mas' ? CATEGORY_EXAM : CATEGORY_SURVEY],
    subject: ref('Patient', s.patientId),
    effectiveDateTime: s.recordedOn,
  };
}

/** An integer score as a UCUM dimensionless "{score}" quantity (https://ucum.org, annotations). */
const score = (v: number) => ucum(v, '{score}', 'score');

/**
 * Modified Ashworth Scale: one Observation, a component per muscle group and side, the grade as
 * text ("1+" is a grade, not 1.5). No SNOMED CT or LOINC code found: text only (GAP).
 */
function masObservation(s: MeasureSetFacts): Observation | null {
  if (s.mas.length === 0) {
    return null;
  }
  const component: ObservationComponent[] = s.mas.map((m) => ({
    code: textOnly(`${MUSCLE_GROUP_LABELS[m.muscleGroup]}, ${SIDE_LABELS[m.side].toLowerCase()}`),
    valueString: m.grade,
  }));
  return { ...base(s, 'mas'), code: textOnly(TEXT_ONLY.modifiedAshworth), component };
}

/** Penn Spasm Frequency Scale: frequency 0–4 and, when above 0, severity 1–3 (text only: GAP). */
function pennObservation(s: MeasureSetFacts): Observation | null {
  if (s.pennFrequency === null) {
    return null;
  }
  const component: ObservationComponent[] = [
    { code: textOnly('Spasm frequency (0–4)'), valueQuantity: score(s.pennFrequency) },
  ];
  if (s.pennSeverity !== null) {
    component.push({ code: textOnly('Spasm severity (1–3)'), valueQuantity: score(s.pennSeverity) });
  }
  return { ...base(s, 'penn'), code: textOnly(TEXT_ONLY.pennSpasm), component };
}

/**
 * Goal Attainment Scaling: the T-score once every goal is scored (else the baseline T-score),
 * each goal a component with its baseline and attainment (text only: GAP).
 */
function gasObservation(s: MeasureSetFacts): Observation | null {
  if (s.gasGoals.length === 0) {
    return null;
  }
  const achieved = achievedTScore(s.gasGoals);
  const t = achieved ?? baselineTScore(s.gasGoals);
  const component: ObservationComponent[] = s.gasGoals.map((g) => ({
    code: textOnly(`Goal: ${g.text} (weight ${g.weight}, baseline ${g.baseline})`),
    ...(g.achieved === null
      ? { dataAbsentReason: textOnly('Not yet scored') }
      : { valueQuantity: score(g.achieved) }),
  }));
  return {
    ...base(s, 'gas'),
    code: textOnly(achieved === null ? `${TEXT_ONLY.goalAttainment} at baseline` : TEXT_ONLY.goalAttainment),
    ...(t === null ? {} : { valueQuantity: score(Math.round(t * 100) / 100) }),
    component,
  };
}

/** Pain on the 0–10 numeric rating scale: LOINC 72514-3. */
function painObservation(s: MeasureSetFacts): Observation | null {
  if (s.painNrs === null) {
    return null;
  }
  return { ...base(s, 'pain'), code: PAIN_NRS, valueInteger: s.painNrs };
}

/**
 * The UK Core Observations (https://simplifier.net/hl7fhirukcorer4/ukcore-observation) one set of
 * outcome measures gives: a measure that was not taken gives none.
 */
export function toFhirObservations(s: MeasureSetFacts): Observation[] {
  return [masObservation(s), pennObservation(s), gasObservation(s), painObservation(s)].filter(
    (o): o is Observation => o !== null,
  );
}
