import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { PUMP } from '../../test/support/pumps-api-fixtures.ts';
import { AppError } from './app-error.ts';
import { actorOf, type Actor } from './audit-service.ts';
import { createPatient, updatePatient } from './patient-service.ts';
import { registerPump } from './pump-service.ts';
import { addUser } from './user-service.ts';

/**
 * Requests at the same moment with one key. On PostgreSQL (READ COMMITTED) they all pass the
 * check before the insert and the unique index refuses all but one; that refusal must be the
 * 409 the check gives, never a 500. SQLite serialises writers, so there the check answers; the
 * outcome must be the same on both.
 */
const AT_ONCE = 8;

function outcomes(results: readonly PromiseSettledResult<unknown>[]): { ok: number; codes: string[] } {
  const codes = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => (r.reason instanceof AppError ? r.reason.code : `not an AppError: ${String(r.reason)}`));
  return { ok: results.length - codes.length, codes };
}

const person = { givenName: 'Ann', familyName: 'Smith', dateOfBirth: '1961-03-14', sex: 'female' };

/** The tests share one register and one person's details: each later record is someone else. */
const sameDayTwin = { confirmNotDuplicate: true };

for (const dialect of DIALECTS) {
  describe(`unique keys under concurrent requests on ${dialect}`, () => {
    let db: TestDatabase;
    let nurse: Actor;
    const clock = new TestClock();
    const config = loadConfig({});
    const deps = () => ({ db: db.handle.db, clock, timeZone: config.timeZone, config });

    before(async () => {
      db = await openTestDatabase(dialect);
      const u = await addUser({ db: db.handle.db, clock }, null, {
        username: 'nia',
        displayName: 'Nia Nurse',
        role: 'nurse-specialist',
        password: 'a-long-test-password-1',
      });
      nurse = actorOf(u, null);
    });
    after(async () => {
      await db.dispose();
    });

    it('registers one NHS number once; the others get 409 DUPLICATE_NHS_NUMBER naming the patient', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: AT_ONCE }, () =>
          createPatient(deps(), nurse, { ...person, nhsNumber: '9434765919' }),
        ),
      );
      const { ok, codes } = outcomes(results);
      assert.equal(ok, 1);
      assert.deepEqual(codes, Array<string>(AT_ONCE - 1).fill('DUPLICATE_NHS_NUMBER'));
      const winner = results.find((r) => r.status === 'fulfilled');
      for (const r of results) {
        if (r.status === 'rejected') {
          const err = r.reason as AppError;
          assert.equal(err.status, 409);
          assert.equal(
            err.details.existingPatientId,
            (winner as PromiseFulfilledResult<{ id: string }>).value.id,
          );
          assert.deepEqual(
            err.fieldErrors.map((f) => f.field),
            ['nhsNumber'],
          );
        }
      }
    });

    it('lets one of two records edited to the same NHS number at once keep it; the other gets 409', async () => {
      const a = await createPatient(deps(), nurse, { ...person, nhsNumber: '4010232137' }, sameDayTwin);
      const b = await createPatient(deps(), nurse, { ...person, nhsNumber: '9990000026' }, sameDayTwin);
      const results = await Promise.allSettled(
        [a, b].map((p) =>
          updatePatient(deps(), nurse, p.id, p.version, { ...person, nhsNumber: '4857773457' }),
        ),
      );
      const { ok, codes } = outcomes(results);
      assert.equal(ok, 1);
      assert.deepEqual(codes, ['DUPLICATE_NHS_NUMBER']);
    });

    it('creates one account per username; the others get 409 DUPLICATE_USERNAME', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: AT_ONCE }, () =>
          addUser({ db: db.handle.db, clock }, nurse, {
            username: 'samename',
            displayName: 'Sam',
            role: 'nurse-specialist',
            password: 'a-long-test-password-1',
          }),
        ),
      );
      const { ok, codes } = outcomes(results);
      assert.equal(ok, 1);
      assert.deepEqual(codes, Array<string>(AT_ONCE - 1).fill('DUPLICATE_USERNAME'));
    });

    it('registers one pump per model and serial number; the others get 409 DUPLICATE_PUMP_SERIAL', async () => {
      const ann = await createPatient(deps(), nurse, { ...person, nhsNumber: '9876543210' }, sameDayTwin);
      const results = await Promise.allSettled(
        Array.from({ length: AT_ONCE }, () => registerPump(deps(), nurse, ann.id, PUMP)),
      );
      const { ok, codes } = outcomes(results);
      assert.equal(ok, 1);
      assert.deepEqual(codes, Array<string>(AT_ONCE - 1).fill('DUPLICATE_PUMP_SERIAL'));
      for (const r of results) {
        if (r.status === 'rejected') {
          assert.deepEqual(
            (r.reason as AppError).fieldErrors.map((f) => f.field),
            ['serialNumber'],
          );
        }
      }
    });
  });
}
