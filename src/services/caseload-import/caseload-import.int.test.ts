import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { TestClock } from '../../../test/support/clock.ts';
import {
  SAMPLE_HEADERS,
  sampleCaseloadCsv,
  sampleCaseloadRows,
} from '../../../test/support/caseload-sample.ts';
import type { PlainDate } from '../../domain/calendar-date.ts';
import { DEFAULT_PUMP_RULES } from '../../domain/pump-rules.ts';
import { refillPlan } from '../../domain/refill-arithmetic.ts';
import { workingDayOnOrBefore } from '../../domain/working-days.ts';
import { AppError } from '../app-error.ts';
import { type Actor } from '../audit-service.ts';
import { closedDaysBetween } from '../closed-days.ts';
import { createPatient } from '../patient-service.ts';
import { replanPump } from '../pump-plan.ts';
import { addUser } from '../user-service.ts';
import { refillWorklist } from '../worklist-service.ts';
import {
  caseloadImportReport,
  commitCaseloadImport,
  stageCaseloadImport,
} from './caseload-import-service.ts';
import { sealAndVerify } from '../../../test/support/audit-chain.ts';

const SAMPLE = readFileSync(new URL('../../../docs/samples/caseload-sample.xlsx', import.meta.url));
const SAMPLE_DAY = '2026-12-01' as PlainDate;

/** A clock that fails on the n-th reading once armed: a failure in the middle of a commit. */
class FailingClock extends TestClock {
  armedCalls: number | null = null;
  override now(): Date {
    if (this.armedCalls !== null) {
      this.armedCalls -= 1;
      if (this.armedCalls < 0) {
        throw new Error('the clock failed mid-commit (test)');
      }
    }
    return super.now();
  }
}

const refusal = (reason: string) => (err: unknown) => err instanceof AppError && err.reason === reason;

for (const dialect of DIALECTS) {
  describe(`caseload import on ${dialect}`, () => {
    let database: TestDatabase;
    const clock = new FailingClock(`${SAMPLE_DAY}T10:00:00.000Z`);
    let consultant: Actor;
    let admin: Actor;
    let nurse: Actor;
    const deps = () => ({
      db: database.handle.db,
      clock,
      config: {
        timeZone: 'Europe/London',
        pumpRules: DEFAULT_PUMP_RULES,
        closedDays: [],
        uploadMaxBytes: 20 * 1024 * 1024,
        caseloadImportMaxRows: 20_000,
      },
    });
    const count = async (table: 'patients' | 'pumps' | 'refills' | 'prescriptions' | 'pump_appointments') => {
      const r = await database.handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      const add = async (username: string, role: string) => {
        const u = await addUser({ db, clock }, null, {
          username,
          displayName: username,
          role,
          password: 'a-long-test-password',
        });
        return { userId: u.id, username, role: u.role, requestId: null };
      };
      consultant = await add('cora', 'consultant');
      admin = await add('adam', 'administrator');
      nurse = await add('nina', 'nurse-specialist');
    });
    after(async () => {
      await database.dispose();
    });

    it('refuses a role without caseload:import', async () => {
      await assert.rejects(
        stageCaseloadImport(deps(), nurse, { fileName: 'c.xlsx', content: SAMPLE }),
        (e: unknown) => e instanceof AppError && e.code === 'FORBIDDEN',
      );
    });

    it('one bad row: the dry run names it and the commit saves nothing', async () => {
      const rows = sampleCaseloadRows(5, SAMPLE_DAY, 7, 50_000);
      const bad = rows[3];
      assert.ok(bad);
      bad[SAMPLE_HEADERS.indexOf('Daily dose (mcg/day)')] = 0.4;
      const report = await stageCaseloadImport(deps(), consultant, {
        fileName: 'bad.csv',
        content: Buffer.from(sampleCaseloadCsv(SAMPLE_HEADERS, rows)),
      });
      assert.equal(report.errorCount, 1);
      assert.deepEqual(
        report.problems.map((p) => [p.rowNumber, p.column, p.code]),
        [[5, 'Daily dose (mcg/day)', 'DOSE_LIMIT']],
      );
      await assert.rejects(
        commitCaseloadImport(deps(), consultant, report.importId, { acceptWarnings: true }),
        refusal('IMPORT_HAS_ERRORS'),
      );
      assert.equal(await count('patients'), 0);
      assert.equal(await count('pumps'), 0);
    });

    it('a failure in the middle of the commit saves nothing, and the import can be confirmed again', async () => {
      const rows = sampleCaseloadRows(20, SAMPLE_DAY, 8, 60_000);
      const report = await stageCaseloadImport(deps(), consultant, {
        fileName: 'mid.csv',
        content: Buffer.from(sampleCaseloadCsv(SAMPLE_HEADERS, rows)),
      });
      assert.equal(report.errorCount, 0);
      // Past the reads before the transaction and the inserts: it fails at the import's audit row.
      clock.armedCalls = 3;
      await assert.rejects(
        commitCaseloadImport(deps(), consultant, report.importId, { acceptWarnings: true }),
        /failed mid-commit/,
      );
      clock.armedCalls = null;
      for (const t of ['patients', 'pumps', 'refills', 'prescriptions', 'pump_appointments'] as const) {
        assert.equal(await count(t), 0, t);
      }
      const again = await caseloadImportReport(deps(), consultant, report.importId);
      assert.equal(again.status, 'staged');
    });

    it('imports the 200-patient sample with no errors, once, audited, every pump on the worklist when due', async () => {
      const report = await stageCaseloadImport(deps(), consultant, {
        fileName: 'caseload-sample.xlsx',
        content: SAMPLE,
      });
      assert.deepEqual(report.mapping.missing, []);
      assert.deepEqual(report.mapping.unknown, []);
      assert.equal(report.rowCount, 200);
      assert.equal(report.errorCount, 0, JSON.stringify(report.problems.slice(0, 3)));
      assert.equal(report.warningCount, 0, JSON.stringify(report.problems.slice(0, 3)));
      // Another importer cannot see or confirm it.
      await assert.rejects(
        commitCaseloadImport(deps(), admin, report.importId, { acceptWarnings: true }),
        (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND',
      );
      const done = await commitCaseloadImport(deps(), consultant, report.importId, { acceptWarnings: false });
      assert.equal(done.patientsCreated, 200);
      assert.equal(done.pumps, 200);
      await assert.rejects(
        commitCaseloadImport(deps(), consultant, report.importId, { acceptWarnings: false }),
        refusal('IMPORT_ALREADY_COMMITTED'),
      );
      assert.equal(await count('pumps'), 200);

      const db = database.handle.db;
      const audit = await db
        .selectFrom('audit_events')
        .select(['action', 'details', 'patient_id', 'user_id'])
        .where('action', 'in', ['caseload.import', 'caseload.import-row'])
        .execute();
      const head = audit.filter((a) => a.action === 'caseload.import');
      assert.equal(head.length, 1);
      const details = JSON.parse(head[0]?.details ?? '{}') as Record<string, unknown>;
      assert.equal(details.fileName, 'caseload-sample.xlsx');
      assert.equal(details.rowCount, 200);
      assert.match(String(details.fileSha256), /^[0-9a-f]{64}$/);
      assert.equal(
        audit.filter((a) => a.action === 'caseload.import-row' && a.user_id === consultant.userId).length,
        200,
      );
      // The rows appended in bulk keep the hash chain whole.
      assert.equal((await sealAndVerify(db)).problem, null);

      // The worklist's dates, against F1–F4 worked out here from the sheet's own values.
      const expected = new Map<string, { alarm: string; due: string }>();
      for (const r of sampleCaseloadRows(200, SAMPLE_DAY)) {
        const v = (h: string) => r[SAMPLE_HEADERS.indexOf(h)];
        const plan = refillPlan({
          reservoirMl: Number(v('Reservoir (ml)')),
          fillMl: Number(v('Last fill volume (ml)')),
          concentrationMcgPerMl: Number(v('Concentration (mcg/ml)')),
          doseMcgPerDay: Number(v('Daily dose (mcg/day)')),
          alarmMl: Number(v('Alarm volume (ml)')),
          filledOn: (v('Last fill date') as { date: PlainDate }).date,
          bufferDays: DEFAULT_PUMP_RULES.refillBufferDays,
          maxIntervalDays: DEFAULT_PUMP_RULES.stabilityDays,
        });
        expected.set((v('NHS number') as string).replaceAll(' ', ''), {
          alarm: plan.alarmDate,
          due: plan.refillDueBy,
        });
      }
      const worklist = await refillWorklist(deps());
      assert.equal(worklist.total, 200);
      const closed = closedDaysBetween(2025, 2028, []);
      for (const e of worklist.entries) {
        const want = expected.get(e.nhsNumber);
        assert.ok(want, e.nhsNumber);
        assert.equal(e.alarmOn, want.alarm);
        assert.equal(e.refillDueBy, want.due);
        assert.equal(e.standing.dueOn, workingDayOnOrBefore(want.due as PlainDate, closed));
        assert.notEqual(e.standing.status, 'no-plan');
      }
      // The pump's own arithmetic (fill history → plan) gives the same dates from the imported fill.
      const some = worklist.entries.slice(0, 5);
      for (const e of some) {
        await db.transaction().execute((trx) => replanPump(trx, deps(), consultant, e.pumpId));
        const p = await db
          .selectFrom('pumps')
          .select(['alarm_on', 'refill_due_by'])
          .where('id', '=', e.pumpId)
          .executeTakeFirstOrThrow();
        assert.deepEqual([p.alarm_on, p.refill_due_by], [e.alarmOn, e.refillDueBy]);
      }
    });

    it('the same file again: every row is already registered', async () => {
      const report = await stageCaseloadImport(deps(), consultant, {
        fileName: 'again.xlsx',
        content: SAMPLE,
      });
      assert.equal(report.errorCount, 400);
      assert.ok(report.problems.every((p) => p.code === 'ALREADY_REGISTERED'));
    });

    it('the commit checks the register again: a patient registered since the dry run is refused', async () => {
      const rows = sampleCaseloadRows(4, SAMPLE_DAY, 11, 80_000);
      const report = await stageCaseloadImport(deps(), consultant, {
        fileName: 'since.csv',
        content: Buffer.from(sampleCaseloadCsv(SAMPLE_HEADERS, rows)),
      });
      assert.equal(report.errorCount, 0);
      const first = rows[0];
      assert.ok(first);
      await createPatient({ db: database.handle.db, clock, timeZone: 'Europe/London' }, consultant, {
        nhsNumber: (first[SAMPLE_HEADERS.indexOf('NHS number')] as string).replaceAll(' ', ''),
        givenName: 'Registered',
        familyName: 'Since',
        dateOfBirth: '1950-01-01',
        sex: 'unknown',
      });
      await assert.rejects(
        commitCaseloadImport(deps(), consultant, report.importId, { acceptWarnings: true }),
        refusal('IMPORT_HAS_ERRORS'),
      );
      const again = await caseloadImportReport(deps(), consultant, report.importId);
      assert.deepEqual(
        again.problems.map((p) => [p.rowNumber, p.code]),
        [[2, 'ALREADY_REGISTERED']],
      );
    });

    it('the dry run is not reused on another day: every row is checked again', async () => {
      const rows = sampleCaseloadRows(3, SAMPLE_DAY, 12, 90_000);
      const third = rows[2];
      assert.ok(third);
      // Booked for the upload day: fine today, in the past tomorrow.
      third[SAMPLE_HEADERS.indexOf('Next booked refill')] = { date: SAMPLE_DAY };
      const report = await stageCaseloadImport(deps(), consultant, {
        fileName: 'tomorrow.csv',
        content: Buffer.from(sampleCaseloadCsv(SAMPLE_HEADERS, rows)),
      });
      assert.equal(report.errorCount, 0, JSON.stringify(report.problems));
      try {
        // 14 hours on, within the 24 hours, but the next calendar day in London.
        clock.advanceSeconds(14 * 3600);
        await assert.rejects(
          commitCaseloadImport(deps(), consultant, report.importId, { acceptWarnings: true }),
          refusal('IMPORT_HAS_ERRORS'),
        );
      } finally {
        clock.set(`${SAMPLE_DAY}T10:00:00.000Z`);
      }
      const done = await commitCaseloadImport(deps(), consultant, report.importId, { acceptWarnings: true });
      assert.equal(done.pumps, 3);
    });

    it('matches a registered patient with no pump by NHS number and date of birth, after confirmation', async () => {
      const rows = sampleCaseloadRows(3, SAMPLE_DAY, 9, 70_000);
      const first = rows[0];
      assert.ok(first);
      const nhs = (first[SAMPLE_HEADERS.indexOf('NHS number')] as string).replaceAll(' ', '');
      const dob = (first[SAMPLE_HEADERS.indexOf('Date of birth')] as { date: string }).date;
      await createPatient({ db: database.handle.db, clock, timeZone: 'Europe/London' }, consultant, {
        nhsNumber: nhs,
        givenName: 'Already',
        familyName: 'Here',
        dateOfBirth: dob,
        sex: 'unknown',
      });
      const report = await stageCaseloadImport(deps(), admin, {
        fileName: 'match.csv',
        content: Buffer.from(sampleCaseloadCsv(SAMPLE_HEADERS, rows)),
      });
      assert.equal(report.errorCount, 0);
      assert.deepEqual(
        report.problems.map((p) => [p.rowNumber, p.code]),
        [[2, 'MATCHED_EXISTING']],
      );
      await assert.rejects(
        commitCaseloadImport(deps(), admin, report.importId, { acceptWarnings: false }),
        refusal('IMPORT_WARNINGS_NOT_ACCEPTED'),
      );
      const done = await commitCaseloadImport(deps(), admin, report.importId, { acceptWarnings: true });
      assert.deepEqual([done.patientsCreated, done.patientsMatched, done.pumps], [2, 1, 3]);
    });
  });
}
