import type { Figure } from '../../domain/figures/figure.ts';
import { monthsInRange } from '../../domain/figures/months.ts';
import {
  refillMonthCounts,
  type RefillMonthCounts,
} from '../../storage/figures/clinical-refills.repository.ts';
import type { FigureQueryContext, FigureSpec } from './figure-spec.ts';
import { cell, percent, rateText } from './clinical-figure-text.ts';
import { sharedWhileRunning } from './in-flight.ts';

/**
 * The refill figures: on time, after the alarm, discrepancies, signed within a day. All four read
 * one query's counts by month (refillMonthCounts), shared while it runs.
 */

const EXCLUDED =
  'Refills rejected by the checker (voided) are left out; a refill counts in the month it was performed.';

/** Every month of the range, a month without refills as zeros. */
async function monthCounts(ctx: FigureQueryContext): Promise<RefillMonthCounts[]> {
  const counts = await sharedWhileRunning(ctx.db, `refills ${ctx.range.from} ${ctx.range.to}`, () =>
    refillMonthCounts(ctx.db, ctx.range),
  );
  const byMonth = new Map(counts.map((m) => [m.month, m]));
  return monthsInRange(ctx.range).map(
    (month) =>
      byMonth.get(month) ?? {
        month,
        refills: 0,
        withDueDate: 0,
        onOrBeforeDue: 0,
        afterAlarm: 0,
        discrepancy: 0,
        signedWithinADay: 0,
      },
  );
}

const sum = (months: readonly RefillMonthCounts[], pick: (m: RefillMonthCounts) => number): number =>
  months.reduce((total, m) => total + pick(m), 0);

/** A rate by month: the chart of the percentage and a table of numerator, denominator and rate. */
function rateFigure(
  months: readonly RefillMonthCounts[],
  f: {
    readonly key: string;
    readonly title: string;
    readonly definition: Figure['definition'];
    readonly numerator: (m: RefillMonthCounts) => number;
    readonly denominator: (m: RefillMonthCounts) => number;
    readonly numeratorLabel: string;
    readonly denominatorLabel: string;
  },
): Figure {
  return {
    key: f.key,
    group: 'refills',
    title: f.title,
    definition: f.definition,
    headline: rateText(sum(months, f.numerator), sum(months, f.denominator)),
    chart: {
      kind: 'line',
      xLabel: 'Month',
      yLabel: '%',
      series: [
        {
          label: f.title,
          points: months.map((m) => ({ x: m.month, y: percent(f.numerator(m), f.denominator(m)) })),
        },
      ],
    },
    table: {
      columns: [
        { key: 'month', label: 'Month' },
        { key: 'numerator', label: f.numeratorLabel },
        { key: 'denominator', label: f.denominatorLabel },
        { key: 'rate', label: 'Rate', unit: '%' },
      ],
      rows: months.map((m) => ({
        month: m.month,
        numerator: f.numerator(m),
        denominator: f.denominator(m),
        rate: cell(percent(f.numerator(m), f.denominator(m))),
      })),
    },
  };
}

const onTime: FigureSpec = {
  key: 'refills-on-time',
  group: 'refills',
  async compute(ctx) {
    return rateFigure(await monthCounts(ctx), {
      key: this.key,
      title: 'Refills done on or before the due date',
      definition: {
        numerator: 'Refills performed on or before their due date',
        denominator: 'Refills performed in the month that have a due date',
        notes:
          "A refill's due date is the 'refill due by' date planned at the pump's previous refill (the latest earlier refill of that pump not rejected): the alarm date less the buffer days, or the drug's stability limit if sooner. It is the calendar date, not the working day the worklist books by. A pump's first refill has no due date, nor has a refill after the pump was paused (stopped or emptied) since its previous refill. A dose change confirmed between two refills can bring the due date forward: this figure keeps the date planned at the refill; the alarm figure follows the change. " +
          EXCLUDED,
      },
      numerator: (m) => m.onOrBeforeDue,
      denominator: (m) => m.withDueDate,
      numeratorLabel: 'On or before the due date',
      denominatorLabel: 'Refills with a due date',
    });
  },
};

const afterAlarm: FigureSpec = {
  key: 'refills-after-alarm',
  group: 'refills',
  async compute(ctx) {
    const months = await monthCounts(ctx);
    const total = sum(months, (m) => m.afterAlarm);
    return {
      key: this.key,
      group: 'refills',
      title: 'Refills on or after the low-reservoir alarm date (should be 0)',
      definition: {
        numerator: 'Refills flagged "refilled on or after the alarm date" when they were recorded',
        denominator: null,
        notes:
          "The alarm date is worked out by the service when the refill is recorded, from the last signed refill's fill and alarm volume through every programme confirmed since and later by each day the pump stood stopped (the flag AFTER_ALARM; on or after the alarm date counts). A refill after a pause that emptied the pump is not judged. " +
          EXCLUDED,
      },
      headline: `${String(total)} ${total === 1 ? 'refill' : 'refills'}`,
      chart: {
        kind: 'bar',
        xLabel: 'Month',
        yLabel: 'Refills',
        series: [
          {
            label: 'On or after the alarm date',
            points: months.map((m) => ({ x: m.month, y: m.afterAlarm })),
          },
        ],
      },
      table: {
        columns: [
          { key: 'month', label: 'Month' },
          { key: 'afterAlarm', label: 'On or after the alarm date' },
          { key: 'refills', label: 'Refills' },
        ],
        rows: months.map((m) => ({ month: m.month, afterAlarm: m.afterAlarm, refills: m.refills })),
      },
    };
  },
};

const discrepancies: FigureSpec = {
  key: 'refills-discrepancies',
  group: 'refills',
  async compute(ctx) {
    return rateFigure(await monthCounts(ctx), {
      key: this.key,
      title: 'Refills with a flagged residual discrepancy',
      definition: {
        numerator: 'Refills flagged for a residual discrepancy (RESIDUAL_DISCREPANCY)',
        denominator: 'Refills performed in the month',
        notes:
          'A discrepancy is flagged when the volume withdrawn differs from the expected residual by more than the threshold in mL or in per cent set in the pump rules (clinical-reference section 6). ' +
          EXCLUDED,
      },
      numerator: (m) => m.discrepancy,
      denominator: (m) => m.refills,
      numeratorLabel: 'Flagged discrepancies',
      denominatorLabel: 'Refills',
    });
  },
};

const signedInADay: FigureSpec = {
  key: 'refills-signed-within-a-day',
  group: 'refills',
  async compute(ctx) {
    return rateFigure(await monthCounts(ctx), {
      key: this.key,
      title: 'Refills signed within a day',
      definition: {
        numerator:
          'Refills signed by the checking clinician no more than 24 hours after the refill was recorded',
        denominator: 'Refills performed in the month',
        notes: `A refill not yet signed counts in the denominator only. ${EXCLUDED}`,
      },
      numerator: (m) => m.signedWithinADay,
      denominator: (m) => m.refills,
      numeratorLabel: 'Signed within 24 hours',
      denominatorLabel: 'Refills',
    });
  },
};

export const refillFigureSpecs: readonly FigureSpec[] = [onTime, afterAlarm, discrepancies, signedInADay];
