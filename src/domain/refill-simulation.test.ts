import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysBetween, type PlainDate } from './calendar-date.ts';
import type { RefillStanding } from './refill-worklist.ts';
import { MISS_RATE, simulateCaseload } from '../../test/support/refill-caseload-simulation.ts';

/**
 * The safety simulation: a synthetic caseload of 3,000 pumps over five years, run by the
 * service's own rules (the plan, changes between refills from the day programmed, unsigned and
 * rejected refills, pauses, two-person explants, the worklist standing) beside an independent
 * model of each pump's reservoir, hour by hour (test/support/reservoir-model.ts): flex steps,
 * patient boluses as taken, refills and reprogramming at a time of day, pumps emptied for a pause,
 * pumps taken out. Missed appointments, late bookings, changes programmed before their check,
 * rejected changes, mistaken explant requests and late resumes all happen. The invariants: no
 * pump's reservoir reaches its alarm volume before the service's alarm date, nor without a
 * refill booked beforehand or an escalation on the worklist; no pump sits calm on the list
 * unbooked; a paused pump is escalated once its resume date comes. The engine is in
 * test/support/refill-caseload-simulation.ts; the last tests put faults in to show each check can
 * fail. The same pumps' reservoirs are checked against the database's worklist queries in
 * src/services/worklist-simulation.int.test.ts.
 */

const d = (s: string) => s as PlainDate;
const START = d('2026-01-01');
const END = d('2030-12-31'); // five years
const PUMPS = 3000;

describe('refill simulation: 3,000 pumps over five years, with each reservoir followed hour by hour', () => {
  it('no reservoir reaches its alarm volume before the service’s alarm date, unbooked or unescalated', () => {
    const started = performance.now();
    const { stats, violations } = simulateCaseload(20260105, PUMPS, START, END);
    const seconds = (performance.now() - started) / 1000;

    assert.deepEqual(violations, []);

    // The run really happened, over five years and the whole caseload...
    assert.equal(stats.days, daysBetween(START, END) + 1);
    assert.ok(stats.standings > PUMPS * stats.days * 0.9, `${stats.standings} standings`);
    // ...and it exercised the hard cases, so the invariants are not true for want of trying.
    assert.ok(stats.refills > PUMPS * 5, `${stats.refills} refills`);
    assert.ok(stats.missed > 0, 'no missed appointments');
    assert.ok(stats.lateBookings > 0 && stats.rebookings > 0, 'no late bookings, or none moved forward');
    assert.ok(stats.doseChangesAtRefill > 0 && stats.concentrationChanges > 0, 'no changes at refills');
    assert.ok(stats.changesBetweenRefills > 0, 'no changes between refills');
    assert.ok(stats.changesProgrammedBeforeConfirmed > 0, 'no change programmed before its check');
    assert.ok(stats.changesRejected > 0, 'no change rejected');
    assert.ok(stats.unsignedDays > 0, 'no refill waited for its check');
    assert.ok(stats.refillsRejected > 0, 'no refill rejected by its checker');
    assert.ok(stats.pauses > 0 && stats.resumesLate > 0, 'no pauses, or none resumed late');
    assert.ok(stats.explanted > 0 && stats.endRequestsRejected > 0, 'no explants, or no mistaken request');
    assert.ok(stats.bolusesTaken > 0 && stats.flexPumps > 0, 'no boluses or flex programmes');
    assert.ok(stats.stabilityLimitedPlans > 0 && stats.stabilityLimitedPlans < stats.plans);
    for (const status of ['overdue', 'booked-late', 'not-booked', 'due-soon', 'booked', 'paused'] as const) {
      assert.ok(stats.statusCounts[status] > 0, `no ${status} standings`);
    }
    assert.ok(stats.statusCounts['resume-overdue'] > 0, 'no pump was escalated past its resume date');
    assert.ok(
      stats.pumpAlarms > 0,
      'no reservoir ever reached its alarm: the alarm checks were never needed',
    );
    const seen = stats.refills + stats.missed;
    assert.ok(Math.abs(stats.missed / seen - MISS_RATE) < 0.015, `${stats.missed} of ${seen} missed`);

    // For the record when run with --test-reporter=spec.
    console.log(
      `refill simulation: ${PUMPS} pumps, ${stats.days} days in ${seconds.toFixed(1)} s; ${JSON.stringify(stats)}`,
    );
  });

  const YEAR = [d('2026-01-01'), d('2026-12-31')] as const;

  it('the checks can fail: a plan that leaves out patient boluses runs later than the pump', () => {
    const { violationCounts } = simulateCaseload(7, 600, ...YEAR, { planWithoutBoluses: true });
    assert.ok(violationCounts['pump-alarm-before-service-alarm'] > 0);
  });

  it('the checks can fail: a plan that ignores changes between refills runs later than the pump', () => {
    const { violationCounts } = simulateCaseload(7, 600, ...YEAR, { planWithoutChanges: true });
    assert.ok(violationCounts['pump-alarm-before-service-alarm'] > 0);
  });

  it('the checks can fail: a pump taken off the list on one person’s word alarms unflagged', () => {
    const { violationCounts } = simulateCaseload(11, 3000, ...YEAR, { endOnRequest: true });
    assert.ok(violationCounts['pump-alarm-unflagged'] > 0);
  });

  it('the checks can fail: a worklist that keeps a pump paused past its resume date is caught', () => {
    const keepPaused = (s: RefillStanding): RefillStanding =>
      s.status === 'resume-overdue' ? { ...s, status: 'paused', escalated: false } : s;
    const { violationCounts } = simulateCaseload(7, 1000, ...YEAR, { standing: keepPaused });
    assert.ok(violationCounts['pause-forgotten'] > 0);
  });

  it('the checks can fail: a worklist that shows overdue pumps as booked in time is caught', () => {
    const hideOverdue = (s: RefillStanding): RefillStanding =>
      s.status === 'overdue' ? { ...s, status: 'booked', escalated: false } : s;
    const { violationCounts } = simulateCaseload(99, 300, ...YEAR, { standing: hideOverdue });
    assert.ok(violationCounts['alarm-without-escalation'] > 0, 'a pump reached its alarm unflagged');
    assert.ok(violationCounts['calm-without-booking'] > 0);
    assert.ok(violationCounts['pump-alarm-unflagged'] > 0, 'the reservoir alarmed unflagged');
  });

  it('the checks can fail: a standing that changes between threshold days is caught by the spot checks', () => {
    const flicker = (s: RefillStanding): RefillStanding =>
      s.status === 'booked' && s.daysLeft !== null && s.daysLeft % 10 === 3
        ? { ...s, status: 'due-soon' }
        : s;
    const { violationCounts } = simulateCaseload(99, 300, ...YEAR, { standing: flicker });
    assert.ok(violationCounts['stale-standing'] > 0);
  });

  it('the checks can fail: a worklist that does not escalate late bookings is caught', () => {
    const calmLate = (s: RefillStanding): RefillStanding =>
      s.status === 'booked-late' ? { ...s, escalated: false } : s;
    const { violationCounts } = simulateCaseload(99, 300, ...YEAR, { standing: calmLate });
    assert.ok(violationCounts['calm-without-booking'] > 0);
  });
});
