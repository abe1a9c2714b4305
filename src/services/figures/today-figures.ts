import { addDays } from '../../domain/calendar-date.ts';
import type { Figure } from '../../domain/figures/figure.ts';
import { countPumpTasks } from '../../storage/dashboard.repository.ts';
import { countOpenEvents } from '../../storage/emergency.repository.ts';
import type { FigureQueryContext, FigureSpec } from './figure-spec.ts';
import { sharedWhileRunning } from './in-flight.ts';

/**
 * Today's counts, from the very queries the home page's task queues run (dashboard.repository.ts
 * countPumpTasks, emergency.repository.ts countOpenEvents), so the two never disagree.
 */

function countFigure(
  key: string,
  title: string,
  definition: Figure['definition'],
  count: number,
  ctx: FigureQueryContext,
): Figure {
  return {
    key,
    group: 'today',
    title,
    definition,
    headline: String(count),
    chart: null,
    table: {
      columns: [
        { key: 'on', label: 'On' },
        { key: 'count', label: title },
      ],
      rows: [{ on: ctx.today, count }],
    },
  };
}

async function pumpTasks(ctx: FigureQueryContext) {
  const soon = addDays(ctx.today, ctx.config.pumpRules.dueSoonDays);
  return sharedWhileRunning(ctx.db, `pump tasks ${ctx.today} ${soon}`, () =>
    countPumpTasks(ctx.db, ctx.today, soon),
  );
}

const unsignedRefills: FigureSpec = {
  key: 'today-unsigned-refills',
  group: 'today',
  async compute(ctx) {
    const t = await pumpTasks(ctx);
    return countFigure(
      this.key,
      'Unsigned refills',
      {
        numerator:
          'Refills recorded and not yet signed or rejected: the "refills to review" and "refills to sign" queues of the home page added together',
        denominator: null,
      },
      t.refillsToReview + t.refillsToSign,
      ctx,
    );
  },
};

const openAlerts: FigureSpec = {
  key: 'today-open-alerts',
  group: 'today',
  async compute(ctx) {
    return countFigure(
      this.key,
      'Open alerts',
      {
        numerator:
          'Emergency events (overdose, withdrawal, critical alarm, pump stall) still open: the home page\'s "open emergencies" queue',
        denominator: null,
      },
      await countOpenEvents(ctx.db),
      ctx,
    );
  },
};

const overdueReviews: FigureSpec = {
  key: 'today-overdue-reviews',
  group: 'today',
  async compute(ctx) {
    const t = await pumpTasks(ctx);
    return countFigure(
      this.key,
      'Overdue reviews',
      {
        numerator:
          'Implanted pumps whose next review date is before today: the home page\'s "reviews overdue" queue',
        denominator: null,
      },
      t.reviewsOverdue,
      ctx,
    );
  },
};

export const todayFigureSpecs: readonly FigureSpec[] = [unsignedRefills, openAlerts, overdueReviews];
