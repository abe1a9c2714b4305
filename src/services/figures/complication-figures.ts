import { addDays, type PlainDate } from '../../domain/calendar-date.ts';
import { CATHETER_KINDS, INFECTION_KINDS } from '../../domain/complication.ts';
import { instantFromLocal } from '../../domain/test-dose-time.ts';
import {
  complicationCounts,
  pumpDaysInRange,
} from '../../storage/figures/clinical-complications.repository.ts';
import type { FigureSpec } from './figure-spec.ts';
import { NO_DATA, oneDecimal } from './clinical-figure-text.ts';

/**
 * Complications per 100 pump-years, by kind. Infections, catheter faults and CSF leaks come from
 * the complications register; overdose and withdrawal from emergency events (and register entries
 * of those kinds not linked to an event, so none is counted twice).
 */

export const PUMP_DAYS_PER_YEAR = 365.25;

interface KindRow {
  readonly key: string;
  readonly label: string;
  readonly register: readonly string[];
  readonly emergencies: readonly string[];
}

export const COMPLICATION_FIGURE_KINDS: readonly KindRow[] = [
  { key: 'infection', label: 'Infection', register: INFECTION_KINDS, emergencies: [] },
  { key: 'catheter', label: 'Catheter fault', register: CATHETER_KINDS, emergencies: [] },
  { key: 'csf-leak', label: 'CSF leak', register: ['csf-leak'], emergencies: [] },
  { key: 'overdose', label: 'Overdose', register: ['overdose'], emergencies: ['overdose'] },
  { key: 'withdrawal', label: 'Withdrawal', register: ['withdrawal'], emergencies: ['withdrawal'] },
];

/** Midnight at the start of a day in the service's time zone, as UTC ISO text. */
export function startOfDayInstant(day: PlainDate, timeZone: string): string {
  const r = instantFromLocal('day', 'Day', day, '00:00', timeZone);
  // Midnight always exists in a zone whose clocks change at 01:00 or later; UTC otherwise.
  return 'instant' in r ? r.instant : `${day}T00:00:00.000Z`;
}

/** Per 100 pump-years, to one decimal place; null with no pump-days. */
export function per100PumpYears(count: number, pumpDays: number): number | null {
  return pumpDays === 0 ? null : oneDecimal((count * 100 * PUMP_DAYS_PER_YEAR) / pumpDays);
}

const complicationRates: FigureSpec = {
  key: 'complications-per-100-pump-years',
  group: 'complications',
  async compute(ctx) {
    const dayAfterTo = addDays(ctx.range.to, 1);
    const tz = ctx.config.timeZone;
    const [pumpDays, counts] = await Promise.all([
      pumpDaysInRange(ctx.db, ctx.range, dayAfterTo),
      complicationCounts(
        ctx.db,
        ctx.range,
        { from: startOfDayInstant(ctx.range.from, tz), to: startOfDayInstant(dayAfterTo, tz) },
        {
          register: COMPLICATION_FIGURE_KINDS.flatMap((k) => k.register),
          emergencies: COMPLICATION_FIGURE_KINDS.flatMap((k) => k.emergencies),
        },
      ),
    ]);
    const pumpYears = pumpDays / PUMP_DAYS_PER_YEAR;
    const rows = COMPLICATION_FIGURE_KINDS.map((k) => {
      const count =
        k.register.reduce((n, kind) => n + (counts.register.get(kind) ?? 0), 0) +
        k.emergencies.reduce((n, kind) => n + (counts.emergencies.get(kind) ?? 0), 0);
      const rate = per100PumpYears(count, pumpDays);
      return { kind: k.label, count, pumpYears: oneDecimal(pumpYears), rate: rate ?? NO_DATA, value: rate };
    });
    const total = rows.reduce((n, r) => n + r.count, 0);
    const totalRate = per100PumpYears(total, pumpDays);
    return {
      key: this.key,
      group: 'complications',
      title: 'Complications per 100 pump-years',
      definition: {
        numerator:
          'Complications with their onset in the period, by kind: infections (wound, pump pocket, meningitis), catheter faults (kink, disconnection, migration, occlusion) and CSF leaks from the complications register; overdoses and withdrawals from emergency events, with register entries of those kinds not linked to an event',
        denominator:
          'Pump-years: the days each pump was implanted and in service within the period (from its implant day or the first day, to the day before it ended or the last day), added up and divided by 365.25',
        notes:
          "Only complications of a patient with a pump in service on the day of onset count (the day a pump was removed included). Emergency events count by their time of onset in the service's time zone; the pump is checked against the UTC day of onset. Rate = count × 100 ÷ pump-years. Only what was recorded is counted.",
      },
      headline:
        totalRate === null
          ? NO_DATA
          : `${String(totalRate)} per 100 pump-years (${String(total)} in ${String(oneDecimal(pumpYears))} pump-years)`,
      chart: {
        kind: 'bar',
        xLabel: 'Kind',
        yLabel: 'per 100 pump-years',
        series: [{ label: 'Per 100 pump-years', points: rows.map((r) => ({ x: r.kind, y: r.value })) }],
      },
      table: {
        columns: [
          { key: 'kind', label: 'Kind' },
          { key: 'count', label: 'Complications' },
          { key: 'pumpYears', label: 'Pump-years' },
          { key: 'rate', label: 'Rate', unit: 'per 100 pump-years' },
        ],
        rows: rows.map((r) => ({ kind: r.kind, count: r.count, pumpYears: r.pumpYears, rate: r.rate })),
      },
    };
  },
};

export const complicationFigureSpecs: readonly FigureSpec[] = [complicationRates];
