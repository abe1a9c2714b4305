import type { StartingDose } from '../../../domain/dose-change.ts';
import { formatPlainDate } from '../../../domain/calendar-date.ts';
import type { TestDoseRules } from '../../../domain/pump-rules.ts';
import { EPISODE_STATE_LABELS, type EpisodeState, type PreChecks } from '../../../domain/test-dose.ts';
import { effectDurationAdvice } from '../../../domain/test-dose-result.ts';
import { formatInstant } from '../../../domain/test-dose-time.ts';
import type { EpisodeDetail, EpisodeSummary } from '../../../services/test-dose-detail.ts';
import { bolusView, formatMl, mcg, suggestionView } from './test-dose-bolus-view.ts';

/**
 * What the test-dose pages show, worked out from the service's episode. Instants are shown in
 * the service's time zone with GMT or BST, so a bolus near a clock change reads unambiguously.
 * Each bolus's part is in test-dose-bolus-view.ts.
 */

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

export function episodeView(
  detail: EpisodeDetail,
  opts: {
    readonly rules: TestDoseRules;
    readonly timeZone: string;
    readonly longEffectHours: number;
    readonly canRecord: boolean;
    readonly canPrescribe: boolean;
    /** May register a pump: the next step after a positive test dose. */
    readonly canRegisterPump?: boolean;
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
    started: `${formatInstant(episode.startedAt, opts.timeZone)}${episode.startedAt === episode.createdAt ? '' : ` (recorded ${formatInstant(episode.createdAt, opts.timeZone)})`} by ${detail.names[episode.createdBy] ?? episode.createdBy}`,
    closed: episode.closedAt
      ? `${formatInstant(episode.closedAt, opts.timeZone)} by ${episode.closedBy ? (detail.names[episode.closedBy] ?? episode.closedBy) : ''}`
      : null,
    startedOn: override
      ? `An override recorded by ${detail.names[override.createdBy] ?? override.createdBy} on ${formatInstant(override.createdAt, opts.timeZone)}. Reason: ${override.reason}`
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
    // The pathway's next step: a positive test dose goes on to the implant and its pump.
    nextStep:
      episode.state === 'positive' && opts.canRegisterPump === true
        ? { href: `/patients/${detail.patient.id}/pumps/new`, text: 'Register the implanted pump' }
        : null,
  };
}

export function episodeListRows(episodes: readonly EpisodeSummary[], timeZone: string) {
  return episodes.map(({ episode, boluses }) => ({
    id: episode.id,
    started: formatInstant(episode.startedAt, timeZone),
    stateLabel: EPISODE_STATE_LABELS[episode.state],
    stateTag: STATE_TAG_CLASSES[episode.state],
    doses: boluses.length === 0 ? 'None yet' : boluses.map((b) => mcg(b.doseMcg)).join(', '),
  }));
}
