import { gasChart, masCharts, painChart, pennChart } from '../../../charts/measure-charts.ts';
import { formatTScore } from '../../../domain/gas.ts';
import {
  GAS_BASELINE_LABELS,
  GAS_SCORE_LABELS,
  GMFCS_LABELS,
  MUSCLE_GROUP_LABELS,
  OCCASION_LABELS,
  PENN_FREQUENCY_LABELS,
  PENN_SEVERITY_LABELS,
  SIDES,
  SIDE_LABELS,
} from '../../../domain/outcome-measures.ts';
import type { ScoredMeasureSet } from '../../../services/measures-service.ts';

/**
 * The measures page's content: each chart with a table of the same numbers, so nothing is shown
 * only as a picture (WCAG 1.1.1). Values are text as the clinician entered them: Ashworth grades
 * stay '1+' [MAS]; T-scores are rounded to two decimals only here [GAS].
 */

const NOT_RECORDED = '–';
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0');
const tScore = (t: number | null) => (t === null ? NOT_RECORDED : formatTScore(t));

function painRows(sets: readonly ScoredMeasureSet[]) {
  return sets
    .filter((s) => s.painNrs !== null)
    .map((s) => ({
      recordedOn: s.recordedOn,
      pain: String(s.painNrs),
      change: s.painChange.change === null ? NOT_RECORDED : signed(s.painChange.change),
      // A change of 2 points or more is clinically meaningful [NRS].
      meaningful: s.painChange.meaningful,
    }));
}

function pennRows(sets: readonly ScoredMeasureSet[]) {
  return sets
    .filter((s) => s.pennFrequency !== null)
    .map((s) => ({
      recordedOn: s.recordedOn,
      frequency: PENN_FREQUENCY_LABELS[s.pennFrequency ?? 0] ?? String(s.pennFrequency),
      severity:
        s.pennSeverity === null ? 'Not asked (no spasms)' : (PENN_SEVERITY_LABELS[s.pennSeverity] ?? ''),
    }));
}

function gasSets(sets: readonly ScoredMeasureSet[]) {
  return sets
    .filter((s) => s.gasGoals.length > 0)
    .map((s) => ({
      id: s.id,
      recordedOn: s.recordedOn,
      occasion: OCCASION_LABELS[s.occasion],
      baselineT: tScore(s.baselineTScore),
      achievedT: s.achievedTScore === null ? 'Not yet scored' : formatTScore(s.achievedTScore),
      goals: s.gasGoals.map((g, i) => ({
        number: i + 1,
        text: g.text,
        weight: String(g.weight),
        baseline: GAS_BASELINE_LABELS[g.baseline] ?? signed(g.baseline),
        achieved:
          g.achieved === null ? 'Not yet scored' : (GAS_SCORE_LABELS[g.achieved] ?? signed(g.achieved)),
      })),
    }));
}

function masSections(sets: readonly ScoredMeasureSet[]) {
  return masCharts(sets).map((chart) => ({
    label: chart.label,
    svg: chart.svg,
    heading: MUSCLE_GROUP_LABELS[chart.muscleGroup],
    sides: SIDES.map((s) => SIDE_LABELS[s]),
    rows: sets
      .filter((s) => s.mas.some((m) => m.muscleGroup === chart.muscleGroup))
      .map((s) => ({
        recordedOn: s.recordedOn,
        grades: SIDES.map(
          (side) =>
            s.mas.find((m) => m.muscleGroup === chart.muscleGroup && m.side === side)?.grade ??
            'Not assessed',
        ),
      })),
  }));
}

export function measurePageData(sets: readonly ScoredMeasureSet[]) {
  const gmfcs = sets.filter((s) => s.gmfcsLevel !== null);
  return {
    hasSets: sets.length > 0,
    // Newest first in the list of occasions; the charts and their tables read oldest first.
    occasions: [...sets].reverse().map((s) => ({
      recordedOn: s.recordedOn,
      occasion: OCCASION_LABELS[s.occasion],
      linkedAssessment: s.assessmentId !== null,
      note: s.note,
    })),
    pain: { chart: painChart(sets), rows: painRows(sets) },
    penn: { chart: pennChart(sets), rows: pennRows(sets) },
    gas: { chart: gasChart(sets), sets: gasSets(sets) },
    mas: masSections(sets),
    gmfcs: gmfcs.map((s) => ({
      recordedOn: s.recordedOn,
      level: s.gmfcsLevel === null ? NOT_RECORDED : GMFCS_LABELS[s.gmfcsLevel],
    })),
  };
}
