import { daysBetween, type PlainDate } from '../../src/domain/calendar-date.ts';
import type { MonthCount } from '../../src/domain/figures/figure-builders.ts';
import type { FigureRange } from '../../src/domain/figures/figure.ts';
import { median, nearestRankPercentile } from '../../src/domain/figures/figure-stats.ts';
import { monthOf } from '../../src/domain/figures/months.ts';
import { assessWait, waitTarget, type WaitingRules } from '../../src/domain/waiting-target.ts';
import type { FiguresWorld, ReferralFact } from './figures-world.ts';

/**
 * Every figure of the referral, selection and procedure sections worked out again in plain
 * TypeScript from the seeded facts (figures-world.ts), each from its written definition, with
 * no SQL: the figures' tests compare the database's answers with these.
 */

const inRange = (d: string | null, r: FigureRange): d is PlainDate => d !== null && d >= r.from && d <= r.to;

/** Counts by (month, category) of the facts whose day is in the range. */
export function tally<T>(
  facts: readonly T[],
  r: FigureRange,
  day: (f: T) => string | null,
  category: (f: T) => string,
): MonthCount[] {
  const counts = new Map<string, MonthCount>();
  for (const f of facts) {
    const d = day(f);
    if (inRange(d, r)) {
      const key = `${monthOf(d)}|${category(f)}`;
      const c = counts.get(key);
      counts.set(key, { month: monthOf(d), category: category(f), n: (c?.n ?? 0) + 1 });
    }
  }
  return [...counts.values()];
}

export interface RefSpread {
  readonly n: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly longest: number | null;
}

/** The median, 90th percentile and longest per month, and for 'all'. */
export function spreads(values: readonly { month: string; value: number }[]): Map<string, RefSpread> {
  const groups = new Map<string, number[]>();
  for (const v of values) {
    groups.set(v.month, [...(groups.get(v.month) ?? []), v.value]);
    groups.set('all', [...(groups.get('all') ?? []), v.value]);
  }
  return new Map(
    [...groups].map(([k, vs]) => [
      k,
      { n: vs.length, median: median(vs), p90: nearestRankPercentile(vs, 90), longest: Math.max(...vs) },
    ]),
  );
}

const firstDecision = (r: ReferralFact) => r.decisions[0]?.decidedOn ?? null;

export const reference = {
  referralsBySource: (w: FiguresWorld, r: FigureRange) =>
    tally(
      w.referrals,
      r,
      (f) => f.receivedOn,
      (f) => f.source,
    ),
  triageOutcomes: (w: FiguresWorld, r: FigureRange) => tally(w.referrals, r, firstDecision, (f) => f.state),
  timeToTriage: (w: FiguresWorld, r: FigureRange) =>
    spreads(
      w.referrals.flatMap((f) => {
        const on = firstDecision(f);
        return inRange(on, r) ? [{ month: monthOf(on), value: daysBetween(f.receivedOn, on) }] : [];
      }),
    ),
  /** Seen and within target per month, and the breaches' days over target, by the waiting-target domain. */
  firstAppointments(w: FiguresWorld, r: FigureRange, rules: WaitingRules) {
    const seen = new Map<string, { seen: number; within: number }>();
    const over: { month: string; value: number }[] = [];
    for (const f of w.referrals) {
      const attended = f.appointments
        .filter((a) => a.state === 'attended')
        .map((a) => a.date)
        .sort();
      const seenOn = attended[0];
      if (f.state !== 'accepted' || f.acceptedOn === null || seenOn === undefined || !inRange(seenOn, r)) {
        continue;
      }
      const a = assessWait(
        {
          priority: f.priority,
          receivedOn: f.receivedOn,
          acceptedOn: f.acceptedOn,
          appointments: f.appointments,
        },
        seenOn,
        rules,
      );
      const m = seen.get(monthOf(seenOn)) ?? { seen: 0, within: 0 };
      const within = a.status === 'seen-within-target';
      seen.set(monthOf(seenOn), { seen: m.seen + 1, within: m.within + (within ? 1 : 0) });
      if (!within) {
        over.push({ month: monthOf(seenOn), value: a.daysWaited - a.targetDays });
      }
    }
    return { seen, breaches: spreads(over) };
  },
  /** Breached on the period's last day, by assessWait with the appointments as they stood. */
  waitingBeyondTarget(w: FiguresWorld, on: PlainDate, rules: WaitingRules) {
    let n = 0;
    let longest: number | null = null;
    for (const f of w.referrals) {
      if (f.state !== 'accepted' || f.acceptedOn === null || f.acceptedOn > on || f.receivedOn > on) {
        continue;
      }
      const appointments = f.appointments.filter((a) => !(a.state === 'attended' && a.date > on));
      const a = assessWait(
        { priority: f.priority, receivedOn: f.receivedOn, acceptedOn: f.acceptedOn, appointments },
        on,
        rules,
      );
      if (a.status === 'breached') {
        n += 1;
        const target = waitTarget(
          { priority: f.priority, receivedOn: f.receivedOn, acceptedOn: f.acceptedOn },
          rules,
        );
        const beyond = daysBetween(target.targetDate, on);
        longest = Math.max(longest ?? beyond, beyond);
      }
    }
    return { n, longest };
  },
  selectionDecisions: (w: FiguresWorld, r: FigureRange, kind: 'clinician' | 'mdt') =>
    tally(
      w.decisions.filter((d) => d.kind === kind),
      r,
      (d) => d.meetingOn ?? d.decidedAt.slice(0, 10),
      (d) => d.decision,
    ),
  testBoluses: (w: FiguresWorld, r: FigureRange) =>
    tally(
      w.episodes.flatMap((e) => e.boluses),
      r,
      (b) => b.givenAt.slice(0, 10),
      (b) => b.result ?? 'pending',
    ),
  screenings: (w: FiguresWorld, r: FigureRange) =>
    tally(
      w.episodes.filter((e) => e.state !== 'open'),
      r,
      (e) => e.closedOn,
      (e) => e.state,
    ),
  procedures: (w: FiguresWorld, r: FigureRange) => [
    ...tally(
      w.pumps,
      r,
      (p) => p.implantedOn,
      (p) => (p.replacesPumpId === null ? 'implant' : 'replacement'),
    ),
    ...tally(
      w.pumps.flatMap((p) => p.events.filter((e) => e.kind !== 'eri')),
      r,
      (e) => e.occurredOn,
      (e) => e.kind,
    ),
    ...tally(
      w.pumps.filter((p) => p.state === 'explanted'),
      r,
      (p) => p.endedOn,
      () => 'explant',
    ),
  ],
};
