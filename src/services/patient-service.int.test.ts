import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../test/support/assertions.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { validatePatientInput } from '../domain/patient.ts';
import { parseSearchQuery } from '../domain/patient-search.ts';
import { insertPatient } from '../storage/patients.repository.ts';
import { AppError } from './app-error.ts';
import { todayIn } from './clock.ts';
import { addUser } from './user-service.ts';
import {
  createPatient,
  findPatients,
  updatePatient,
  viewPatient,
  type PatientServiceDeps,
} from './patient-service.ts';
import type { Actor } from './audit-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

const ann = {
  nhsNumber: '4857773457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
};

for (const dialect of DIALECTS) {
  describe(`patient register on ${dialect}`, () => {
    // Each test starts on an empty register of its own, with a nurse and a consultant.
    let db: TestDatabase;
    let deps: PatientServiceDeps;
    let nurse: Actor;
    let consultant: Actor;
    let clock: TestClock;

    beforeEach(async () => {
      clock = new TestClock();
      db = await openTestDatabase(dialect);
      deps = { db: db.handle.db, clock, timeZone: 'Europe/London' };
      const u1 = await addUser({ db: db.handle.db, clock }, null, {
        username: 'nia',
        displayName: 'Nia Nurse',
        role: 'nurse-specialist',
        password: 'a-long-test-password',
      });
      const u2 = await addUser({ db: db.handle.db, clock }, null, {
        username: 'cas',
        displayName: 'Dr Cas',
        role: 'consultant',
        password: 'a-long-test-password',
      });
      nurse = { userId: u1.id, username: u1.username, role: u1.role, requestId: 'r1' };
      consultant = { userId: u2.id, username: u2.username, role: u2.role, requestId: 'r2' };
    });
    afterEach(async () => {
      await db.dispose();
    });
    const registerAnn = () => createPatient(deps, nurse, ann);

    it('creates a patient and its audit row in one transaction', async () => {
      const auditBefore = await countRows(db.handle.db, 'audit_events');
      const p = await createPatient(deps, nurse, { ...ann, nhsNumber: '485 777 3457' });
      assert.equal(p.nhsNumber, '4857773457');
      assert.equal(p.version, 1);
      assert.equal(await countRows(db.handle.db, 'audit_events'), auditBefore + 1);
      const last = await db.handle.db
        .selectFrom('audit_events')
        .selectAll()
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(last.action, 'patient.create');
      assert.equal(last.patient_id, p.id);
      assert.equal(last.username, 'nia');
      assert.equal(last.role, 'nurse-specialist');
      assert.equal(last.request_id, 'r1');
    });

    it('refuses a second record for the same NHS number, pointing to the first, and stores nothing', async () => {
      await registerAnn();
      const [patients, audits] = [
        await countRows(db.handle.db, 'patients'),
        await countRows(db.handle.db, 'audit_events'),
      ];
      const first = (await findPatients(deps, nurse, { nhsNumber: '4857773457' }))[0];
      await assert.rejects(createPatient(deps, nurse, { ...ann, givenName: 'Anne' }), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'DUPLICATE_NHS_NUMBER');
        assert.equal(err.details.existingPatientId, first?.id);
        assert.equal(err.fieldErrors[0]?.field, 'nhsNumber');
        return true;
      });
      assert.equal(await countRows(db.handle.db, 'patients'), patients);
      assert.equal(
        await countRows(db.handle.db, 'audit_events'),
        audits + 1,
        'only the search above was audited',
      );
    });

    it('stores nothing when validation fails', async () => {
      const [patients, audits] = [
        await countRows(db.handle.db, 'patients'),
        await countRows(db.handle.db, 'audit_events'),
      ];
      await assert.rejects(createPatient(deps, nurse, { ...ann, nhsNumber: '4857773456' }), /problem/);
      assert.equal(await countRows(db.handle.db, 'patients'), patients);
      assert.equal(await countRows(db.handle.db, 'audit_events'), audits);
    });

    it('refuses a stale edit, saying who changed the record, and keeps their change', async () => {
      await registerAnn();
      const p = (await findPatients(deps, nurse, { nhsNumber: '4857773457' }))[0]!;
      clock.advanceSeconds(60);
      await updatePatient(deps, consultant, p.id, p.version, { ...ann, phone: '0113 496 0000' });
      await assert.rejects(
        updatePatient(deps, nurse, p.id, p.version, { ...ann, phone: '0113 496 9999' }),
        (err: unknown) => {
          assert.ok(err instanceof AppError);
          assert.equal(err.code, 'STALE_EDIT');
          assert.match(err.message, /Dr Cas changed this record/);
          return true;
        },
      );
      const now = await viewPatient(deps, nurse, p.id);
      assert.equal(now.phone, '0113 496 0000');
      assert.equal(now.version, 2);
    });

    it('audits every view and search with who and which patient', async () => {
      await registerAnn();
      const p = (await findPatients(deps, consultant, { names: [{ key: 'smi', part: 'family' }] }))[0]!;
      await viewPatient(deps, consultant, p.id);
      const rows = await db.handle.db
        .selectFrom('audit_events')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(2)
        .execute();
      const [view, search] = rows;
      assert.equal(view?.action, 'patient.view');
      assert.equal(view.patient_id, p.id);
      assert.equal(search?.action, 'patient.search');
      const details = JSON.parse(search.details) as { patientIds: string[] };
      assert.deepEqual(details.patientIds, [p.id]);
    });

    it('finds by name prefix ignoring case, by date of birth, and treats % and _ literally', async () => {
      await registerAnn();
      const search = async (q: string) => {
        const parsed = parseSearchQuery(q);
        assert.ok(parsed.ok, q);
        return findPatients(deps, nurse, parsed.criteria);
      };
      assert.equal(
        (
          await findPatients(deps, nurse, {
            names: [
              { key: 'smi', part: 'family' },
              { key: 'an', part: 'given' },
            ],
          })
        ).length,
        1,
      );
      assert.equal((await findPatients(deps, nurse, { names: [{ key: 'smi', part: 'given' }] })).length, 0);
      assert.equal((await search('1961-03-14')).length, 1);
      assert.equal((await findPatients(deps, nurse, { names: [{ key: '%' }] })).length, 0);
      assert.equal((await findPatients(deps, nurse, { names: [{ key: '_mith' }] })).length, 0);
    });

    it('leaves an intact audit chain', async () => {
      // Two accounts added, a patient registered, found, viewed and edited: six entries.
      const p = await registerAnn();
      await findPatients(deps, nurse, { nhsNumber: '4857773457' });
      await viewPatient(deps, consultant, p.id);
      await updatePatient(deps, consultant, p.id, p.version, { ...ann, phone: '0113 496 0000' });
      const v = await sealAndVerify(db.handle.db);
      assert.equal(v.problem, null);
      assert.ok(v.rowsChecked > 5);
    });
  });
}

/**
 * Two registrations of one NHS number at the same moment on PostgreSQL: both transactions find
 * no patient (read committed), the unique index lets one insert win and the other must hear
 * DUPLICATE_NHS_NUMBER, never a server error. The first transaction is held open until the
 * second is seen waiting on the index, so the interleaving is certain, not left to timing.
 */
describe('patient register race on postgres', () => {
  let db: TestDatabase;
  let deps: PatientServiceDeps;
  let nurse: Actor;
  const clock = new TestClock();
  const bea = { ...ann, nhsNumber: '9434765919', givenName: 'Bea', familyName: 'Okafor' };

  before(async () => {
    db = await openTestDatabase('postgres');
    deps = { db: db.handle.db, clock, timeZone: 'Europe/London' };
    const u = await addUser({ db: db.handle.db, clock }, null, {
      username: 'nia',
      displayName: 'Nia Nurse',
      role: 'nurse-specialist',
      password: 'a-long-test-password',
    });
    nurse = { userId: u.id, username: u.username, role: u.role, requestId: 'r1' };
  });
  after(async () => {
    await db.dispose();
  });

  it('answers the loser of a simultaneous registration with DUPLICATE_NHS_NUMBER, naming the winner', async () => {
    const checked = validatePatientInput(bea, todayIn(clock, 'Europe/London'));
    assert.ok(checked.ok);
    const other = db.openAnother();
    const winnerId = randomUUID();
    let loser: Promise<unknown> = Promise.resolve();
    await other.db.transaction().execute(async (trx) => {
      await insertPatient(trx, winnerId, checked.value, nurse.userId, clock.now().toISOString());
      loser = createPatient(deps, nurse, bea).then(
        () => null,
        (err: unknown) => err,
      );
      // Hold this insert uncommitted until the other registration waits on the unique index.
      for (let i = 0; i < 100; i++) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and datname = current_database()`.execute(db.handle.db);
        if ((waiting.rows[0]?.n ?? 0) > 0) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    const err = await loser;
    assert.ok(err instanceof AppError, `expected DUPLICATE_NHS_NUMBER, got ${String(err)}`);
    assert.equal(err.code, 'DUPLICATE_NHS_NUMBER');
    assert.equal(err.details.existingPatientId, winnerId);
    assert.equal((await findPatients(deps, nurse, { nhsNumber: bea.nhsNumber })).length, 1);
    assert.equal((await sealAndVerify(db.handle.db)).problem, null);
  });
});
