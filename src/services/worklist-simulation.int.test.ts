import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { physicalProgramme, type Programme } from '../../test/support/refill-caseload-model.ts';
import { type PumpEvent } from '../../test/support/reservoir-model.ts';
import { SimulatedService, type ServicePump } from '../../test/support/worklist-simulation-service.ts';
import { mulberry32 } from '../../test/support/seeded-random.ts';
import { loadConfig } from '../config.ts';
import { addDays, type PlainDate } from '../domain/calendar-date.ts';
import { isWorkingDay } from '../domain/working-days.ts';
import type { RefillServiceDeps } from './refill-common.ts';
import { refillWorklist, type WorklistEntry } from './worklist-service.ts';
import { closedDaysBetween } from './closed-days.ts';

/**
 * The five-year simulation on the database itself: a small caseload run through the real services
 * (prescriptions and changes with their second check, refills recorded, reviewed, signed or
 * rejected, bookings made and missed, pauses and resumes, explants asked for and confirmed or
 * rejected), each morning's standings read from the worklist's SQL (refillWorklist), beside the
 * same independent model of each pump's reservoir as the domain simulation
 * (test/support/reservoir-model.ts). No reservoir may reach its alarm volume before the alarm
 * date the database holds, nor without a refill booked beforehand or the pump escalated on the
 * worklist that morning or the day before; every pump still implanted is on the list every day;
 * a pause is escalated from its resume date. Run on SQLite and PostgreSQL.
 */

const START = '2026-01-05' as PlainDate;
const END = '2030-12-31' as PlainDate; // five years
const PUMPS = 6;

for (const dialect of DIALECTS) {
  describe(`the worklist's SQL over five years, each reservoir followed hour by hour, on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock(`${START}T10:00:00.000Z`);
    before(async () => {
      database = await openTestDatabase(dialect);
      deps = { db: database.handle.db, clock, config: loadConfig({}) };
    });
    after(async () => {
      await database.dispose();
    });

    it('no reservoir reaches its alarm volume unbooked, unescalated or before the database’s alarm date', async () => {
      const random = mulberry32(dialect === 'sqlite' ? 5 : 6);
      const chance = (p: number) => random() < p;
      const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
      const closed = closedDaysBetween(2026, 2031, deps.config.closedDays);
      const nextWorking = (d: PlainDate) => {
        let x = d;
        while (!isWorkingDay(x, closed)) {
          x = addDays(x, 1);
        }
        return x;
      };
      const service = await SimulatedService.start(deps, random);
      const problems: string[] = [];
      const fault = (today: PlainDate, p: ServicePump, what: string) => {
        if (problems.length < 20) {
          problems.push(`${today} pump ${String(p.index)}: ${what}`);
        }
      };

      const pumps: ServicePump[] = [];
      for (let i = 0; i < PUMPS; i += 1) {
        const dose = [120, 250, 400, 600, 180, 800][i] ?? 300;
        const programme: Programme = {
          doseMcgPerDay: dose,
          concentrationMcgPerMl: dose >= 400 ? 2000 : 500,
          flex: i % 3 === 1,
          bolus: i % 2 === 0 ? { doseMcg: Math.round(dose * 0.05), maxPerDay: 3 } : null,
        };
        pumps.push(await service.newPump(i, i % 2 === 0 ? 20 : 40, 2 + (i % 3) * 0.5, programme, START));
      }

      for (let today = START; today <= END; today = addDays(today, 1)) {
        clock.set(`${today}T10:00:00.000Z`);
        service.stats.days += 1;
        for (const p of pumps) {
          await service.morning(p, today);
        }
        const list = await refillWorklist(deps);
        const byPump = new Map<string, WorklistEntry>(list.entries.map((e) => [e.pumpId, e]));
        const escalated: { p: ServicePump; e: WorklistEntry }[] = [];
        for (const p of pumps) {
          if (p.ended) {
            assert.equal(byPump.has(p.id), false, 'an ended pump left the list');
            continue;
          }
          const e = byPump.get(p.id);
          if (!e) {
            fault(today, p, 'implanted but not on the worklist');
            continue;
          }
          service.stats.statuses.add(e.standing.status);
          if (e.standing.escalated) {
            p.lastEscalatedOn = today;
            escalated.push({ p, e });
          }
          const paused = e.standing.status === 'paused' || e.standing.status === 'resume-overdue';
          if (
            !paused &&
            !e.standing.escalated &&
            (p.booking === null || e.standing.dueOn === null || p.booking.onDate > e.standing.dueOn)
          ) {
            fault(today, p, `calm (${e.standing.status}) without a booking in time`);
          }
          if (p.pausedUntil !== null && today >= p.pausedUntil && !e.standing.escalated) {
            fault(today, p, `paused to ${p.pausedUntil}, not escalated`);
          }

          // The day as it happens to the pump.
          const events: PumpEvent[] = [];
          let refilled = false;
          if (p.resumeOn === today) {
            await service.refill(p, today, 11, events, true);
            refilled = true;
          } else if (p.booking?.onDate === today && p.pausedUntil === null) {
            if (chance(0.1)) {
              await service.missed(p);
            } else {
              await service.refill(p, today, 9.5 + random() * 6.5, events, false);
              refilled = true;
            }
          }
          if (p.reprogramOn?.on === today) {
            events.push({
              kind: 'reprogram',
              hour: 13,
              programme: physicalProgramme(p.reprogramOn.programme),
            });
            p.programme = p.reprogramOn.programme;
            p.reprogramOn = null;
          }
          const quiet =
            !refilled && p.pausedUntil === null && !p.unsigned && !p.rerecord && !p.pending && !p.endRequest;
          if (quiet && chance(1 / 120)) {
            await service.proposeChange(p, today, events, chance(0.3), chance(0.15));
          } else if (quiet && chance(1 / 500)) {
            await service.pause(p, today, events, between(3, 10), chance(0.3) ? between(1, 4) : 0);
          } else if (
            quiet &&
            p.index === 0 &&
            today >= '2027-06-01' &&
            service.stats.endsRejected === 0 &&
            !p.endRequest
          ) {
            // A mistaken explant request, which the second clinician rejects: the pump stays listed.
            await service.requestEnd(p, today, events, false);
          } else if (
            quiet &&
            p.index === PUMPS - 1 &&
            today >= '2029-06-01' &&
            service.stats.endsConfirmed === 0 &&
            !p.endRequest
          ) {
            await service.requestEnd(p, today, events, true);
          }
          const bolus = p.programme.bolus;
          if (bolus && chance(0.5)) {
            for (let i = 0, n = between(1, bolus.maxPerDay); i < n; i += 1) {
              events.push({
                kind: 'bolus',
                hour: 8 + i * 3,
                volumeMl: bolus.doseMcg / p.programme.concentrationMcgPerMl,
              });
            }
          }
          const outcome = p.physical.day(today, events);
          if (outcome.alarmAtHour !== null) {
            service.stats.pumpAlarms += 1;
            if (e.alarmOn !== null && today < e.alarmOn) {
              fault(today, p, `the pump alarmed before the database's alarm date ${e.alarmOn}`);
            }
            const booked = p.booking !== null && p.booking.onDate <= today && p.booking.bookedAt < today;
            const lately = p.lastEscalatedOn !== null && p.lastEscalatedOn >= addDays(today, -1);
            if (!booked && !lately && !refilled) {
              fault(today, p, `the pump alarmed unbooked and not escalated (${e.standing.status})`);
            }
          }
        }
        // The booking clerk works the escalated pumps in the worklist's own order.
        for (const { p, e } of escalated) {
          if (p.ended || p.pausedUntil !== null || p.unsigned || p.rerecord || e.standing.dueOn === null) {
            continue;
          }
          const dueOn = e.standing.dueOn;
          const tomorrow = addDays(today, 1);
          if (p.booking === null) {
            const late = chance(0.05);
            const from = late ? addDays(dueOn, between(1, 10)) : addDays(dueOn, -between(0, 10));
            await service.book(p, nextWorking(from > tomorrow ? from : tomorrow), today, late);
          } else if (e.standing.status === 'booked-late' && chance(0.3) && tomorrow <= dueOn) {
            await service.rebook(p, nextWorking(tomorrow) <= dueOn ? nextWorking(tomorrow) : tomorrow, today);
          }
        }
      }

      assert.deepEqual(problems, []);
      const s = service.stats;
      // The hard cases happened, through the real services.
      assert.ok(s.refills > PUMPS * 10, `${String(s.refills)} refills`);
      for (const [name, n] of Object.entries({
        missed: s.missed,
        lateBookings: s.lateBookings,
        changesBetweenRefills: s.changesBetweenRefills,
        changesProgrammedBeforeConfirmed: s.changesProgrammedBeforeConfirmed,
        changesRejected: s.changesRejected,
        refillsReviewed: s.refillsReviewed,
        refillsRejected: s.refillsRejected,
        pauses: s.pauses,
        resumesLate: s.resumesLate,
        endsConfirmed: s.endsConfirmed,
        endsRejected: s.endsRejected,
      })) {
        assert.ok(n > 0, `no ${name}`);
      }
      for (const status of ['not-booked', 'booked', 'due-soon', 'paused', 'resume-overdue'] as const) {
        assert.ok(s.statuses.has(status), `never ${status}`);
      }
      console.log(
        `worklist simulation on ${dialect}: ${JSON.stringify({ ...s, statuses: [...s.statuses] })}`,
      );
    });
  });
}
