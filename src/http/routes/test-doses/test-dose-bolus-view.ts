import { MUSCLE_GROUP_LABELS, MUSCLE_GROUPS, SIDE_LABELS, SIDES } from '../../../domain/outcome-measures.ts';
import type { TestDoseRules } from '../../../domain/pump-rules.ts';
import { round2 } from '../../../domain/refill-arithmetic.ts';
import { BOLUS_ROUTE_LABELS } from '../../../domain/test-dose-bolus.ts';
import { SIDE_EFFECT_LABELS } from '../../../domain/test-dose-observation.ts';
import {
  SUGGESTED_OUTCOME_LABELS,
  TEST_RESULT_LABELS,
  type TestDoseSuggestion,
} from '../../../domain/test-dose-result.ts';
import { formatInstant, localDateAndTime } from '../../../domain/test-dose-time.ts';
import type { BolusDetail, EpisodeDetail } from '../../../services/test-dose-detail.ts';

/**
 * What the episode page shows of each bolus: its dose, volume and who gave and checked it, the
 * observation table by hour, the suggestion and the confirmed result.
 */

const DASH = '–';

/** Volumes to 0.01 mL, at least one decimal: 1.0, 1.5, 0.25 (worked example 18). */
export function formatMl(volumeMl: number): string {
  const r = round2(volumeMl);
  return Math.abs(Math.round(r * 10) - r * 10) < 1e-9 ? r.toFixed(1) : r.toFixed(2);
}

export const mcg = (n: number) => `${n} mcg`;

export function suggestionView(s: TestDoseSuggestion) {
  return {
    outcome: s.outcome,
    label: SUGGESTED_OUTCOME_LABELS[s.outcome],
    explanation: s.explanation,
    effect:
      s.effectHours === null
        ? null
        : `The drop still held at ${s.effectHours} hours${s.effectOutlastedObservations ? ', the last observation: the effect may have lasted longer' : ''}.`,
  };
}

/** The clock time of an observation: "13:05" on the day of the bolus, else the date and time. */
function observedText(observedAt: string | null, givenAt: string, timeZone: string): string | null {
  if (observedAt === null) {
    return null;
  }
  const at = localDateAndTime(observedAt, timeZone);
  return at.date === localDateAndTime(givenAt, timeZone).date ? at.time : formatInstant(observedAt, timeZone);
}

function observationTable(
  b: BolusDetail,
  rules: TestDoseRules,
  names: Readonly<Record<string, string>>,
  timeZone: string,
) {
  const hours = [...new Set([...rules.observationHours, ...b.observations.map((o) => o.hour)])].sort(
    (x, y) => x - y,
  );
  const at = (h: number) => b.observations.find((o) => o.hour === h);
  const row = (label: string, cell: (o: NonNullable<ReturnType<typeof at>>) => string | null) => ({
    label,
    cells: hours.map((h) => {
      const o = at(h);
      return o ? (cell(o) ?? DASH) : DASH;
    }),
  });
  const pairs = MUSCLE_GROUPS.flatMap((g) =>
    SIDES.filter((s) =>
      b.observations.some((o) => o.mas.some((m) => m.muscleGroup === g.id && m.side === s)),
    ).map((s) => ({ group: g.id, side: s })),
  );
  const rows = [
    row('Time observed', (o) => observedText(o.observedAt, b.givenAt, timeZone)),
    ...pairs.map((p) =>
      row(
        `Ashworth: ${MUSCLE_GROUP_LABELS[p.group]}, ${SIDE_LABELS[p.side].toLowerCase()}`,
        (o) => o.mas.find((m) => m.muscleGroup === p.group && m.side === p.side)?.grade ?? null,
      ),
    ),
    row('Penn spasm frequency', (o) => (o.pennFrequency === null ? null : String(o.pennFrequency))),
    row('Heart rate (beats a minute)', (o) => (o.heartRateBpm === null ? null : String(o.heartRateBpm))),
    row('Blood pressure (mmHg)', (o) =>
      o.systolicMmHg === null && o.diastolicMmHg === null
        ? null
        : `${o.systolicMmHg ?? '?'}/${o.diastolicMmHg ?? '?'}`,
    ),
    row('Respiratory rate (a minute)', (o) =>
      o.respiratoryRatePerMin === null ? null : String(o.respiratoryRatePerMin),
    ),
    row('Oxygen saturation (%)', (o) => (o.spo2Percent === null ? null : String(o.spo2Percent))),
    row('Side effects', (o) =>
      o.sideEffects.length === 0
        ? 'None'
        : o.sideEffects.map((s) => SIDE_EFFECT_LABELS[s]).join(', ') +
          (o.sideEffectNote ? ` (${o.sideEffectNote})` : ''),
    ),
    row('Note', (o) => o.note),
    row('Recorded by', (o) => names[o.recordedBy] ?? o.recordedBy),
  ];
  return {
    hours: hours.map((h) => ({
      hour: h,
      label: h === 0 ? 'Baseline' : `${h} h`,
      recorded: at(h) !== undefined,
    })),
    rows,
    empty: b.observations.length === 0,
  };
}

export function bolusView(
  b: BolusDetail,
  detail: EpisodeDetail,
  opts: { readonly rules: TestDoseRules; readonly timeZone: string; readonly canRecord: boolean },
) {
  const open = detail.episode.state === 'open';
  const names = detail.names;
  const result = b.result;
  const recorded = b.observations.map((o) => o.hour);
  const nextHour = opts.rules.observationHours.find((h) => !recorded.includes(h));
  return {
    id: b.id,
    sequence: b.sequence,
    heading: `Bolus ${b.sequence}: ${mcg(b.doseMcg)}`,
    rows: [
      { key: 'Dose', value: mcg(b.doseMcg) },
      {
        key: 'Concentration',
        value: `${b.concentrationMcgPerMl} mcg/mL${b.concentrationReason ? ` (${b.concentrationReason})` : ''}`,
      },
      {
        key: 'Volume',
        value: `${formatMl(b.volumeMl)} mL (${mcg(b.doseMcg)} ÷ ${b.concentrationMcgPerMl} mcg/mL)`,
      },
      { key: 'Route', value: BOLUS_ROUTE_LABELS[b.route] },
      { key: 'Given at', value: formatInstant(b.givenAt, opts.timeZone) },
      { key: 'Given by', value: names[b.givenBy] ?? b.givenBy },
      { key: 'Checked by', value: b.checkedBy ?? 'Not recorded' },
      ...(b.offLadderReason
        ? [
            {
              key: 'Off the ladder',
              value: `${b.ladderDoseMcg === null ? 'Beyond the ladder' : `The ladder's next dose was ${mcg(b.ladderDoseMcg)}`}. Reason: ${b.offLadderReason}`,
            },
          ]
        : []),
      ...(b.note ? [{ key: 'Note', value: b.note }] : []),
    ],
    table: observationTable(b, opts.rules, names, opts.timeZone),
    suggestion: suggestionView(b.suggestion),
    result: result
      ? {
          rows: [
            { key: 'Result', value: TEST_RESULT_LABELS[result.result] },
            {
              key: 'Suggestion then',
              value: `${SUGGESTED_OUTCOME_LABELS[result.suggestion.outcome]}${result.result === result.suggestion.outcome ? ' (the result follows it)' : ' (the result differs)'}`,
            },
            ...(result.reason ? [{ key: 'Reason', value: result.reason }] : []),
            ...(result.effectHours === null
              ? []
              : [{ key: 'Effect lasted', value: `${result.effectHours} hours` }]),
            {
              key: 'Adverse reactions',
              value: result.adverseReactions
                ? `Yes${result.adverseNote ? `: ${result.adverseNote}` : ''}`
                : 'No',
            },
            ...(result.note ? [{ key: 'Note', value: result.note }] : []),
            {
              key: 'Confirmed',
              value: `${formatInstant(result.decidedAt, opts.timeZone)} by ${names[result.decidedBy] ?? result.decidedBy}`,
            },
          ],
        }
      : null,
    canObserve: open && result === null && opts.canRecord && nextHour !== undefined,
    nextHour: nextHour ?? null,
    awaitingResult: open && result === null,
  };
}
