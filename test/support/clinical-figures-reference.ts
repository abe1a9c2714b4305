import { addDays, daysBetween, daysInMonth, type PlainDate } from '../../src/domain/calendar-date.ts';
import type { FigureRange } from '../../src/domain/figures/figure.ts';
import type { ClinicalWorld } from './clinical-figures-world.ts';

/**
 * The clinical figures worked out again in plain TypeScript over the seeded facts, one loop a
 * figure, written from the definitions the figures state (not from their SQL).
 */

export interface RefillMonth {
  refills: number;
  withDue: number;
  onTime: number;
  afterAlarm: number;
  discrepancy: number;
  signedInDay: number;
}

const emptyMonth = (): RefillMonth => ({
  refills: 0,
  withDue: 0,
  onTime: 0,
  afterAlarm: 0,
  discrepancy: 0,
  signedInDay: 0,
});

export function months(range: FigureRange): string[] {
  const out: string[] = [];
  let [y, m] = range.from.split('-').map(Number) as [number, number];
  const end = range.to.slice(0, 7);
  for (;;) {
    const key = `${String(y)}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= end) {
      return out;
    }
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

export function refillReference(world: ClinicalWorld, range: FigureRange): Map<string, RefillMonth> {
  const result = new Map(months(range).map((m) => [m, emptyMonth()]));
  const live = world.refills.filter((r) => r.state !== 'voided');
  for (const r of live) {
    if (r.performed_on < range.from || r.performed_on > range.to) {
      continue;
    }
    const month = result.get(r.performed_on.slice(0, 7)) as RefillMonth;
    month.refills += 1;
    const earlier = live
      .filter(
        (o) =>
          o.pump_id === r.pump_id &&
          (o.performed_on < r.performed_on ||
            (o.performed_on === r.performed_on && o.recorded_at < r.recorded_at)),
      )
      .sort((a, b) => (a.performed_on + a.recorded_at < b.performed_on + b.recorded_at ? -1 : 1));
    const previous = earlier.at(-1);
    const paused =
      previous !== undefined &&
      world.pauses.some(
        (p) =>
          p.pump_id === r.pump_id && p.paused_on >= previous.performed_on && p.paused_on <= r.performed_on,
      );
    if (previous !== undefined && !paused) {
      month.withDue += 1;
      if (r.performed_on <= previous.due_by) {
        month.onTime += 1;
      }
    }
    const codes = (JSON.parse(r.flags) as { code: string }[]).map((f) => f.code);
    if (codes.includes('AFTER_ALARM')) {
      month.afterAlarm += 1;
    }
    if (codes.includes('RESIDUAL_DISCREPANCY')) {
      month.discrepancy += 1;
    }
    if (
      r.state === 'signed' &&
      r.signed_at !== null &&
      Date.parse(r.signed_at) - Date.parse(r.recorded_at) <= 24 * 3_600_000
    ) {
      month.signedInDay += 1;
    }
  }
  return result;
}

export function inService(world: ClinicalWorld, day: string): number {
  return world.pumps.filter((p) => p.implanted_on <= day && (p.ended_on === null || p.ended_on > day)).length;
}

export function monthEnd(month: string, to: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
  return end < to ? end : to;
}

export function doseReference(
  world: ClinicalWorld,
  day: string,
): Map<string, { pumps: number; median: number; min: number; max: number }> {
  const byOrigin = new Map<string, number[]>();
  for (const p of world.pumps) {
    if (!(p.implanted_on <= day && (p.ended_on === null || p.ended_on > day))) {
      continue;
    }
    const scripts = world.prescriptions
      .filter(
        (x) =>
          x.pump_id === p.id &&
          (x.state === 'active' || x.state === 'superseded') &&
          x.programmed_on !== null &&
          x.programmed_on !== undefined &&
          x.programmed_on <= day,
      )
      .sort((a, b) => {
        const ka = [a.programmed_on ?? '', a.decided_at ?? '', a.id];
        const kb = [b.programmed_on ?? '', b.decided_at ?? '', b.id];
        return ka.join('|') < kb.join('|') ? 1 : -1;
      });
    const latest = scripts[0];
    if (latest === undefined) {
      continue;
    }
    byOrigin.set(p.origin, [...(byOrigin.get(p.origin) ?? []), latest.dose_mcg_per_day]);
  }
  const out = new Map<string, { pumps: number; median: number; min: number; max: number }>();
  for (const [origin, doses] of byOrigin) {
    const sorted = [...doses].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const median =
      sorted.length % 2 === 1
        ? (sorted[Math.floor(mid)] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    out.set(origin, { pumps: sorted.length, median, min: sorted[0] as number, max: sorted.at(-1) as number });
  }
  return out;
}

export function pumpDaysReference(world: ClinicalWorld, range: FigureRange): number {
  const stop = addDays(range.to, 1);
  let total = 0;
  for (const p of world.pumps) {
    const start = p.implanted_on > range.from ? p.implanted_on : range.from;
    const end = p.ended_on !== null && p.ended_on < stop ? p.ended_on : stop;
    total += Math.max(0, daysBetween(start as PlainDate, end as PlainDate));
  }
  return total;
}

const londonDay = (instant: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(instant));

const hadPump = (world: ClinicalWorld, patientId: string, day: string): boolean =>
  world.pumps.some(
    (p) => p.patient_id === patientId && p.implanted_on <= day && (p.ended_on === null || p.ended_on >= day),
  );

/** Counts by the figure's kinds: infection, catheter, csf-leak, overdose, withdrawal. */
export function complicationReference(world: ClinicalWorld, range: FigureRange): Map<string, number> {
  const kindOf = (k: string): string | null =>
    ['infection-wound', 'infection-pocket', 'meningitis'].includes(k)
      ? 'infection'
      : k.startsWith('catheter-')
        ? 'catheter'
        : ['csf-leak', 'overdose', 'withdrawal'].includes(k)
          ? k
          : null;
  const out = new Map<string, number>();
  const add = (k: string | null) => {
    if (k !== null) {
      out.set(k, (out.get(k) ?? 0) + 1);
    }
  };
  for (const c of world.complications) {
    if (c.onset_on < range.from || c.onset_on > range.to) {
      continue;
    }
    if ((c.kind === 'overdose' || c.kind === 'withdrawal') && c.emergency_event_id !== null) {
      continue;
    }
    if (!hadPump(world, c.patient_id, c.onset_on)) {
      continue;
    }
    add(kindOf(c.kind));
  }
  for (const e of world.emergencies) {
    const day = londonDay(e.onset_at);
    if (day < range.from || day > range.to) {
      continue;
    }
    if (e.kind !== 'overdose' && e.kind !== 'withdrawal') {
      continue;
    }
    if (!hadPump(world, e.patient_id, e.onset_at.slice(0, 10))) {
      continue;
    }
    add(e.kind);
  }
  return out;
}
