import { countOf, percentOf, rateHeadline } from '../../domain/figures/figure-stats.ts';
import {
  categoriesOf,
  countsByMonthFigure,
  MONTH_COLUMN,
  PARTIAL_MONTHS_NOTE,
  TOTAL_ROW_LABEL,
} from '../../domain/figures/figure-builders.ts';
import type { Figure, FigureCell } from '../../domain/figures/figure.ts';
import { monthsInRange } from '../../domain/figures/months.ts';
import { REFERRAL_SOURCES, SOURCE_LABELS } from '../../domain/referral.ts';
import { TRIAGE_OUTCOME_LABELS, TRIAGE_OUTCOMES } from '../../domain/triage.ts';
import {
  firstAppointmentBreaches,
  firstAppointmentsAgainstTarget,
  referralsBySource,
  timeToTriage,
  triageCounts,
  triageOutcomes,
  waitingBeyondTarget,
  type Spread,
  type WaitTargetSql,
} from '../../storage/figures/referral-figures.repository.ts';
import { defineFigure } from './define-figure.ts';
import type { FigureQueryContext, FigureSpec } from './figure-spec.ts';
import { sharedWhileRunning } from './in-flight.ts';

/** Referrals received, time to triage, triage outcomes and first appointments against target. */

const referralsReceived = defineFigure('referrals-by-source', 'referrals', async ({ db, range }, id) => {
  return countsByMonthFigure({
    ...id,
    title: 'Referrals received, by source',
    definition: {
      numerator:
        'Referrals received in the month (the date received on the referral), by how they arrived: e-RS or consultant email.',
      denominator: null,
      notes: `Every referral recorded, whatever its outcome. ${PARTIAL_MONTHS_NOTE}`,
    },
    categories: categoriesOf(REFERRAL_SOURCES, SOURCE_LABELS),
    noun: 'referrals',
    range,
    counts: await referralsBySource(db, range),
  });
});

/** A table and line chart of median, 90th percentile and longest per month, with the period's. */
function spreadFigure(
  base: Pick<Figure, 'key' | 'group' | 'title' | 'definition'>,
  ctx: FigureQueryContext,
  spreads: readonly Spread[],
  noun: string,
  unit: string,
): Figure {
  const months = monthsInRange(ctx.range);
  const byMonth = new Map(spreads.map((s) => [s.bucket, s]));
  const row = (label: string, s: Spread | undefined): Record<string, FigureCell> => ({
    month: label,
    n: s?.n ?? 0,
    median: s?.median ?? null,
    p90: s?.p90 ?? null,
    longest: s?.longest ?? null,
  });
  const whole = byMonth.get('all');
  return {
    ...base,
    headline:
      whole && whole.n > 0
        ? `Median ${String(whole.median)} ${unit}, 90th percentile ${String(whole.p90)} ${unit} (${countOf(whole.n, noun)})`
        : `No ${noun}s in the period`,
    chart: {
      kind: 'line',
      xLabel: 'Month',
      yLabel: unit,
      series: [
        { label: 'Median', points: months.map((m) => ({ x: m, y: byMonth.get(m)?.median ?? null })) },
        { label: '90th percentile', points: months.map((m) => ({ x: m, y: byMonth.get(m)?.p90 ?? null })) },
      ],
    },
    table: {
      columns: [
        MONTH_COLUMN,
        { key: 'n', label: `Number of ${noun}s` },
        { key: 'median', label: 'Median', unit },
        { key: 'p90', label: '90th percentile', unit },
        { key: 'longest', label: 'Longest', unit },
      ],
      rows: [...months.map((m) => row(m, byMonth.get(m))), row(TOTAL_ROW_LABEL, whole)],
    },
  };
}

/** The first triage decisions in the period, counted once for both figures that read them. */
function triaged(ctx: Pick<FigureQueryContext, 'db' | 'range'>) {
  return sharedWhileRunning(ctx.db, `triage ${ctx.range.from} ${ctx.range.to}`, () =>
    triageCounts(ctx.db, ctx.range),
  );
}

const triageTime = defineFigure('time-to-triage', 'referrals', async (ctx, id) => {
  return spreadFigure(
    {
      ...id,
      title: 'Time from receipt to triage',
      definition: {
        numerator:
          'Calendar days from the date a referral was received to the date of its first triage decision, for referrals first triaged in the month.',
        denominator: 'Referrals first triaged in the month (the number in the table).',
        notes: `Median: the middle value (the mean of the two middle values when the number is even). 90th percentile: nearest rank, the value at rank ⌈0.9 × n⌉ in order, so 9 in 10 were triaged within it. Calendar days, weekends and bank holidays included. ${PARTIAL_MONTHS_NOTE}`,
      },
    },
    ctx,
    timeToTriage(await triaged(ctx)),
    'referral',
    'days',
  );
});

const outcomes = defineFigure('triage-outcomes', 'referrals', async ({ db, range }, id) => {
  return countsByMonthFigure({
    ...id,
    title: 'Triage outcomes',
    definition: {
      numerator:
        'Referrals first triaged in the month, by their triage outcome as it stands now: accepted, not accepted or redirected to another service.',
      denominator: null,
      notes: `A referral whose decision was changed counts once, under its latest outcome, in the month of its first decision. Referrals awaiting triage are not counted. ${PARTIAL_MONTHS_NOTE}`,
    },
    categories: categoriesOf(TRIAGE_OUTCOMES, TRIAGE_OUTCOME_LABELS),
    noun: 'referrals triaged',
    range,
    counts: triageOutcomes(await triaged({ db, range })),
  });
});

function waitRules(ctx: FigureQueryContext): WaitTargetSql {
  const { targetDays, urgentTargetDays, clockStart } = ctx.config.waiting;
  return { targetDays, urgentTargetDays, clockStart };
}

function clockWords(rules: WaitTargetSql): string {
  return `${rules.targetDays} days (urgent referrals ${rules.urgentTargetDays} days) from the date the referral was ${rules.clockStart}`;
}

const withinTarget = defineFigure('first-appointments-within-target', 'referrals', async (ctx, id) => {
  const rules = waitRules(ctx);
  const seen = await firstAppointmentsAgainstTarget(ctx.db, ctx.range, rules);
  const months = monthsInRange(ctx.range);
  const byMonth = new Map(seen.map((s) => [s.month, s]));
  const row = (month: string, s: { seen: number; within: number } | undefined) => ({
    month,
    seen: s?.seen ?? 0,
    within: s?.within ?? 0,
    after: (s?.seen ?? 0) - (s?.within ?? 0),
    percent: percentOf(s?.within ?? 0, s?.seen ?? 0),
  });
  const total = seen.reduce((t, s) => ({ seen: t.seen + s.seen, within: t.within + s.within }), {
    seen: 0,
    within: 0,
  });
  return {
    ...id,
    title: `First appointments within ${rules.targetDays} days`,
    definition: {
      numerator: `Accepted referrals first seen in the month (their earliest attended first appointment) on or before their target date: ${clockWords(rules)}.`,
      denominator: 'Accepted referrals first seen in the month.',
      notes: `The target is the service's waiting-time setting (WAIT_TARGET_DAYS, WAIT_URGENT_TARGET_DAYS, WAIT_CLOCK_START), applied as the waiting list applies it. Referrals not yet seen are not in this figure: see "Breaches of the first-appointment target". ${PARTIAL_MONTHS_NOTE}`,
    },
    headline: rateHeadline(total.within, total.seen),
    chart: {
      kind: 'line',
      xLabel: 'Month',
      yLabel: '%',
      series: [
        {
          label: 'Seen within target',
          points: months.map((m) => ({ x: m, y: row(m, byMonth.get(m)).percent })),
        },
      ],
    },
    table: {
      columns: [
        MONTH_COLUMN,
        { key: 'seen', label: 'First seen' },
        { key: 'within', label: 'Within target' },
        { key: 'after', label: 'After target' },
        { key: 'percent', label: 'Within target', unit: '%' },
      ],
      rows: [...months.map((m) => row(m, byMonth.get(m))), row(TOTAL_ROW_LABEL, total)],
    },
  };
});

const breaches = defineFigure('first-appointment-breaches', 'referrals', async (ctx, id) => {
  const rules = waitRules(ctx);
  const spreads = await firstAppointmentBreaches(ctx.db, ctx.range, rules);
  const waiting = await waitingBeyondTarget(ctx.db, ctx.range.to, rules);
  const figure = spreadFigure(
    {
      ...id,
      title: 'Breaches of the first-appointment target, and their length',
      definition: {
        numerator: `Days beyond the target date (${clockWords(rules)}) at which accepted referrals were first seen, for those first seen in the month after their target date.`,
        denominator:
          'Accepted referrals first seen in the month after their target date (the number in the table).',
        notes: `Still waiting: accepted referrals not seen by the period's last day whose target date had passed by then, leaving out those with an appointment booked on or before the target date (the waiting list counts them as booked within target until an outcome is recorded). ${PARTIAL_MONTHS_NOTE}`,
      },
    },
    ctx,
    spreads,
    'breach',
    'days over target',
  );
  const still =
    waiting.n === 0
      ? `none still waiting beyond target on ${ctx.range.to}`
      : `${countOf(waiting.n, 'referral')} still waiting beyond target on ${ctx.range.to}, the longest by ${String(waiting.longest)} days`;
  return { ...figure, headline: `${figure.headline ?? ''}; ${still}` };
});

export const referralFigureSpecs: readonly FigureSpec[] = [
  referralsReceived,
  triageTime,
  outcomes,
  withinTarget,
  breaches,
];
