import { daysInMonth, formatPlainDate, type PlainDate } from '../../domain/calendar-date.ts';
import { ORIGIN_LABELS } from '../../domain/dose-change.ts';
import { monthsInRange } from '../../domain/figures/months.ts';
import { dosesByOrigin, pumpsInServiceByMonth } from '../../storage/figures/clinical-caseload.repository.ts';
import type { FigureSpec } from './figure-spec.ts';
import { oneDecimal } from './clinical-figure-text.ts';

/** The last day of a 'YYYY-MM' month, or `to` when the range ends sooner. */
export function monthEndWithin(month: string, to: PlainDate): PlainDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}` as PlainDate;
  return end < to ? end : to;
}

const caseloadSize: FigureSpec = {
  key: 'caseload-size',
  group: 'caseload',
  async compute(ctx) {
    const days = monthsInRange(ctx.range).map((m) => ({ month: m, day: monthEndWithin(m, ctx.range.to) }));
    const counts = await pumpsInServiceByMonth(
      ctx.db,
      days.map((d) => d.month),
      ctx.range.to,
    );
    const rows = days.map((d) => ({ month: d.month, day: d.day, pumps: counts.get(d.month) ?? 0 }));
    const last = rows.at(-1);
    return {
      key: this.key,
      group: 'caseload',
      title: 'Caseload: pumps in service',
      definition: {
        numerator: 'Pumps in service at the end of each month',
        denominator: null,
        notes:
          'A pump is in service on a day when it was implanted on or before that day and had not ended (explant, replacement, death or transfer of care) by it; the day it ended it no longer counts. A paused pump counts. The last month is counted on the last day of the range.',
      },
      headline: last === undefined ? null : `${String(last.pumps)} pumps on ${formatPlainDate(last.day)}`,
      chart: {
        kind: 'line',
        xLabel: 'Month',
        yLabel: 'Pumps',
        series: [{ label: 'Pumps in service', points: rows.map((r) => ({ x: r.month, y: r.pumps })) }],
      },
      table: {
        columns: [
          { key: 'month', label: 'Month' },
          { key: 'day', label: 'Counted on' },
          { key: 'pumps', label: 'Pumps in service' },
        ],
        rows,
      },
    };
  },
};

const LABELS: Readonly<Partial<Record<string, string>>> = ORIGIN_LABELS;
const originLabel = (origin: string): string => LABELS[origin] ?? origin;

const dosesByOriginSpec: FigureSpec = {
  key: 'doses-by-origin',
  group: 'caseload',
  async compute(ctx) {
    const summaries = await dosesByOrigin(ctx.db, ctx.range.to);
    const total = summaries.reduce((n, s) => n + s.pumps, 0);
    return {
      key: this.key,
      group: 'caseload',
      title: 'Daily doses by origin of spasticity',
      definition: {
        numerator: `The median, lowest and highest daily dose (mcg/day) of the pumps in service on ${formatPlainDate(ctx.range.to)}, the last day of the period, by the origin of spasticity recorded on the pump (spinal or cerebral)`,
        denominator: null,
        notes:
          "A pump's dose is the continuous daily dose of its latest confirmed prescription programmed on or before that day (boluses not included; for a programme that varies, its largest daily dose). A pump with no confirmed prescription is left out. The median of an even number of pumps is the mean of the two middle doses.",
      },
      headline: total === 0 ? 'no data' : `${String(total)} pumps with a confirmed dose`,
      chart:
        summaries.length === 0
          ? null
          : {
              kind: 'bar',
              xLabel: 'Origin of spasticity',
              yLabel: 'mcg/day',
              series: [
                {
                  label: 'Median daily dose',
                  points: summaries.map((s) => ({
                    x: originLabel(s.origin),
                    y: oneDecimal(s.medianMcgPerDay),
                  })),
                },
              ],
            },
      table: {
        columns: [
          { key: 'origin', label: 'Origin of spasticity' },
          { key: 'pumps', label: 'Pumps' },
          { key: 'median', label: 'Median', unit: 'mcg/day' },
          { key: 'lowest', label: 'Lowest', unit: 'mcg/day' },
          { key: 'highest', label: 'Highest', unit: 'mcg/day' },
        ],
        rows: summaries.map((s) => ({
          origin: originLabel(s.origin),
          pumps: s.pumps,
          median: oneDecimal(s.medianMcgPerDay),
          lowest: oneDecimal(s.minMcgPerDay),
          highest: oneDecimal(s.maxMcgPerDay),
        })),
      },
    };
  },
};

export const caseloadFigureSpecs: readonly FigureSpec[] = [caseloadSize, dosesByOriginSpec];
