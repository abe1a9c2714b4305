import type { StartingDose } from '../../../domain/dose-change.ts';
import { formatPlainDate } from '../../../domain/calendar-date.ts';
import { MUSCLE_GROUP_LABELS, MUSCLE_GROUPS, SIDE_LABELS, SIDES } from '../../../domain/outcome-measures.ts';
import type { TestDoseRules } from '../../../domain/pump-rules.ts';
import { round2 } from '../../../domain/refill-arithmetic.ts';
import {
  BOLUS_ROUTE_LABELS,
  effectDurationAdvice,
  EPISODE_STATE_LABELS,
  formatInstant,
  SIDE_EFFECT_LABELS,
  SUGGESTED_OUTCOME_LABELS,
  TEST_RESULT_LABELS,
  type EpisodeState,
  type PreChecks,
  type TestDoseSuggestion,
} from '../../../domain/test-dose.ts';
import type { BolusDetail, EpisodeDetail, EpisodeSummary } from '../../../services/test-dose-service.ts';

/**
 * What the test-dose pages show, worked out from the service's episode. Instants are shown in
 * the service's time zone with GMT or BST, so a bolus near a clock change reads unambiguously.
 */

const DASH = '–';

/** Volumes to 0.01 mL, at least one decimal: 1.0, 1.5, 0.25 (worked example 18). */
export function formatMl(volumeMl: number): string {
  const r = round2(volumeMl);
  return Math.abs(Math.round(r * 10) - r * 10) < 1e-9 ? r.toFixed(1) : r.toFixed(2);
}

const mcg = (n: number) => `${n} mcg`;

export const STATE_TAG_CLASSES: Readonly<Record<EpisodeState, string>> = {
  open: 'nhsuk-tag--blue',
  positive: 'nhsuk-tag--green',
  'not-for-implant': 'nhsuk-tag--red',
  abandoned: 'nhsuk-tag--grey',
};

const yesNo = (v: boolean | null, yes: string, no: string) =>
  v === null ? 'Not answered yet' : v ? yes : no;

export function preCheckRows(p: PreChecks) {
  const withNote = (answer: string, note: string | null) => (note ? `${answer}. ${note}` : answer);
  return [
    {
      key: 'Free of infection and wounds',
      value: withNote(
        yesNo(p.noInfection, 'Yes: no infection or wound', 'No: infection or wound (postpone the test)'),
        p.infectionNote,
      ),
    },
    {
      key: 'Anticoagulants and antiplatelets reviewed',
      value: withNote(yesNo(p.anticoagulantsReviewed, 'Yes', 'No'), p.anticoagulantNote),
    },
    {
      key: 'Botulinum toxin, phenol or alcohol in the last 3 months',
      value: withNote(
        p.recentBotulinumToxin === true && p.botulinumToxinOn
          ? `Yes, last on ${formatPlainDate(p.botulinumToxinOn)}`
          : yesNo(p.recentBotulinumToxin, 'Yes', 'No'),
        p.botulinumToxinNote,
      ),
    },
    { key: 'Plan for oral antispasmodics', value: p.oralAntispasmodicPlan ?? 'Not answered yet' },
    { key: 'Goals for the screening', value: p.goals },
  ];
}

export function startingDoseText(
  s: StartingDose,
  adverseReactions: boolean,
  longEffectHours: number,
): string {
  const why =
    s.rule === 'double'
      ? 'twice the test dose'
      : adverseReactions
        ? 'the same as the test dose, after adverse reactions to it'
        : `the same as the test dose: its effect lasted more than ${longEffectHours} hours`;
  return `Suggested starting dose after implant: ${s.dailyDoseMcg} mcg/day (${why})`;
}

function suggestionView(s: TestDoseSuggestion) {
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

function observationTable(b: BolusDetail, rules: TestDoseRules, names: Readonly<Record<string, string>>) {
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

function bolusView(
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
    table: observationTable(b, opts.rules, names),
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

export function episodeView(
  detail: EpisodeDetail,
  opts: {
    readonly rules: TestDoseRules;
    readonly timeZone: string;
    readonly longEffectHours: number;
    readonly canRecord: boolean;
    readonly canPrescribe: boolean;
  },
) {
  const { episode, plan, outcome } = detail;
  const open = episode.state === 'open';
  const boluses = detail.boluses.map((b) => bolusView(b, detail, opts));
  const awaiting = detail.boluses.find((b) => open && b.result === null) ?? null;
  const infection = episode.preChecks.noInfection === false;
  // The box is filled in only when the figure cannot give the higher starting dose.
  const advice = awaiting ? effectDurationAdvice(awaiting.suggestion, opts.longEffectHours) : null;
  const override = detail.override;
  return {
    episode,
    patient: detail.patient,
    open,
    stateLabel: EPISODE_STATE_LABELS[episode.state],
    stateTag: STATE_TAG_CLASSES[episode.state],
    started: `${formatInstant(episode.createdAt, opts.timeZone)} by ${detail.names[episode.createdBy] ?? episode.createdBy}`,
    closed: episode.closedAt
      ? `${formatInstant(episode.closedAt, opts.timeZone)} by ${episode.closedBy ? (detail.names[episode.closedBy] ?? episode.closedBy) : ''}`
      : null,
    startedOn: override
      ? `An override recorded by ${detail.names[override.createdBy] ?? override.createdBy} at ${formatInstant(override.createdAt, opts.timeZone)}. Reason: ${override.reason}`
      : episode.assessmentId
        ? 'The selection assessment that decided to proceed to a test dose'
        : 'Not recorded (started before the selection decision was required)',
    assessmentHref: episode.assessmentId ? `/assessments/${episode.assessmentId}` : null,
    preChecks: preCheckRows(episode.preChecks),
    canChangePreChecks: open && opts.canRecord,
    canAbandon: open && opts.canRecord,
    plan: plan
      ? {
          infection,
          blockers: plan.blockers.map((b) => b.message),
          nextDose:
            plan.ladderDoseMcg === null || plan.ladderVolumeMl === null
              ? `Beyond the ladder (${opts.rules.ladderMcg.join(', ')} mcg): a further dose needs a reason`
              : `${mcg(plan.ladderDoseMcg)}: ${formatMl(plan.ladderVolumeMl)} mL at ${opts.rules.screeningConcentrationMcgPerMl} mcg/mL`,
          earliest: plan.earliestAt ? formatInstant(plan.earliestAt, opts.timeZone) : null,
          canGive: opts.canPrescribe && plan.blockers.length === 0,
        }
      : null,
    boluses,
    awaitingBolusId: awaiting?.id ?? null,
    canConfirm: awaiting !== null && opts.canPrescribe,
    awaitingSuggestion: awaiting ? suggestionView(awaiting.suggestion) : null,
    awaitingEffectHours: advice === null || advice.defaultHours === null ? '' : String(advice.defaultHours),
    // Why the box is empty although the drop held for a while: the page says so.
    effectHoursMustEnter: advice !== null && advice.atLeastHours !== null ? advice.mustEnterBecause : null,
    longEffectHours: opts.longEffectHours,
    startingDose: outcome?.startingDose
      ? startingDoseText(outcome.startingDose, outcome.adverseReactions, opts.longEffectHours)
      : null,
    startingDoseRefused: outcome?.startingDoseRefused ?? null,
  };
}

export function episodeListRows(episodes: readonly EpisodeSummary[], timeZone: string) {
  return episodes.map(({ episode, boluses }) => ({
    id: episode.id,
    started: formatInstant(episode.createdAt, timeZone),
    stateLabel: EPISODE_STATE_LABELS[episode.state],
    stateTag: STATE_TAG_CLASSES[episode.state],
    doses: boluses.length === 0 ? 'None yet' : boluses.map((b) => mcg(b.doseMcg)).join(', '),
  }));
}
