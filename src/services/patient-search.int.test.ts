import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { parseSearchQuery } from '../domain/patient-search.ts';
import { backfillPatientSearch } from '../storage/migrations/2026-12-07-003-patient-search.ts';
import { searchPatients } from '../storage/patients.repository.ts';
import { AppError } from './app-error.ts';
import { addUser } from './user-service.ts';
import { createPatient, findPatients, updatePatient, type PatientServiceDeps } from './patient-service.ts';
import type { Actor } from './audit-service.ts';

const mary = {
  nhsNumber: '9434765919',
  hospitalNumber: 'RR8 123456',
  givenName: 'Mary',
  familyName: "O'BRIEN-SMITH",
  dateOfBirth: '1978-03-07',
  sex: 'female',
};
const ann = {
  nhsNumber: '4857773457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
};

for (const dialect of DIALECTS) {
  describe(`patient search and likely duplicates on ${dialect}`, () => {
    let db: TestDatabase;
    let deps: PatientServiceDeps;
    let nurse: Actor;

    beforeEach(async () => {
      const clock = new TestClock();
      db = await openTestDatabase(dialect);
      deps = { db: db.handle.db, clock, timeZone: 'Europe/London' };
      const u = await addUser({ db: db.handle.db, clock }, null, {
        username: 'nia',
        displayName: 'Nia Nurse',
        role: 'nurse-specialist',
        password: 'a-long-test-password',
      });
      nurse = { userId: u.id, username: u.username, role: u.role, requestId: 'r1' };
    });
    afterEach(async () => {
      await db.dispose();
    });

    const search = async (q: string) => {
      const parsed = parseSearchQuery(q);
      assert.ok(parsed.ok, `${q}: ${parsed.ok ? '' : parsed.message}`);
      return (await findPatients(deps, nurse, parsed.criteria)).map((p) => p.familyName);
    };

    it("finds O'BRIEN-SMITH however her name, birthday or hospital number is typed", async () => {
      await createPatient(deps, nurse, mary);
      await createPatient(deps, nurse, ann);
      for (const q of [
        'obrien',
        "o'brien",
        'O’Brien',
        'Brien-Smith',
        'mary',
        'Mar',
        'Mary obrien',
        "O'Brien-Smith, Mary",
        '7 March 1978',
        '07/03/1978',
        '1978-03-07',
        'RR8 123456',
        'RR8123456',
        'rr8-123456',
        'Mary 07/03/1978',
      ]) {
        assert.deepEqual(await search(q), ["O'BRIEN-SMITH"], q);
      }
      assert.deepEqual(await search('smith'), ["O'BRIEN-SMITH", 'Smith']);
      assert.deepEqual(await search('smi'), ["O'BRIEN-SMITH", 'Smith']);
      for (const q of ['rien', 'Mary Smyth', 'Ann 07/03/1978', 'RR8 654321']) {
        assert.deepEqual(await search(q), [], q);
      }
    });

    it('finds the patient by the new name after an edit, and no longer by the old', async () => {
      const p = await createPatient(deps, nurse, mary);
      await updatePatient(deps, nurse, p.id, p.version, {
        ...mary,
        familyName: 'Jones',
        hospitalNumber: 'K 99',
      });
      assert.deepEqual(await search('jones'), ['Jones']);
      assert.deepEqual(await search('obrien'), []);
      assert.deepEqual(await search('K99'), ['Jones']);
      assert.deepEqual(await search('RR8 123456'), []);
    });

    it('refuses a likely duplicate (same birthday, similar name) unless confirmed, saving nothing', async () => {
      const first = await createPatient(deps, nurse, mary);
      const twin = { ...mary, nhsNumber: '4010232137', hospitalNumber: null, familyName: 'OBrien Smith' };
      const err = await createPatient(deps, nurse, twin).catch((e: unknown) => e);
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'INVALID_STATE');
      assert.equal(err.reason, 'LIKELY_DUPLICATE_PATIENT');
      assert.deepEqual(
        (err.details.possibleDuplicates as { id: string }[]).map((d) => d.id),
        [first.id],
      );
      assert.deepEqual(await search('obrien'), ["O'BRIEN-SMITH"]);
      const second = await createPatient(deps, nurse, twin, { confirmNotDuplicate: true });
      assert.notEqual(second.id, first.id);
      const audit = await db.handle.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'patient.create')
        .where('entity_id', '=', second.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.details), { confirmedNotDuplicateOf: [first.id] });
    });

    it('lets a different person born the same day be registered without asking', async () => {
      await createPatient(deps, nurse, mary);
      await createPatient(deps, nurse, { ...ann, dateOfBirth: mary.dateOfBirth });
      assert.deepEqual(await search('07/03/1978'), ["O'BRIEN-SMITH", 'Smith']);
    });

    it('lists a patient found by two of their names once, and stops at the limit in name order', async () => {
      await createPatient(deps, nurse, { ...ann, familyName: 'Annandale' });
      await createPatient(deps, nurse, {
        ...ann,
        nhsNumber: '9434765919',
        givenName: 'Annie',
        familyName: 'Smith',
        dateOfBirth: '1950-01-01',
      });
      await createPatient(deps, nurse, {
        ...ann,
        nhsNumber: '4010232137',
        givenName: 'Bob',
        familyName: 'Annan',
        dateOfBirth: '1950-01-02',
      });
      assert.deepEqual(await search('ann'), ['Annan', 'Annandale', 'Smith']);
      const parsed = parseSearchQuery('ann');
      assert.ok(parsed.ok);
      const two = await searchPatients(db.handle.db, parsed.criteria, 2);
      assert.equal(two.length, 2);
      assert.equal(new Set(two.map((p) => p.id)).size, 2);
    });

    it('backfills the search key of patients registered before it existed', async () => {
      const id = randomUUID();
      const at = new Date().toISOString();
      await db.handle.db
        .insertInto('patients')
        .values({
          id,
          nhs_number: '9434765919',
          hospital_number: 'RR8 123456',
          given_name: 'Mary',
          family_name: "O'BRIEN-SMITH",
          date_of_birth: '1978-03-07',
          sex: 'female',
          address_line1: null,
          address_line2: null,
          town: null,
          postcode: null,
          phone: null,
          gp_practice_name: null,
          gp_practice_ods: null,
          next_of_kin_name: null,
          next_of_kin_relationship: null,
          next_of_kin_phone: null,
          communication_needs: null,
          hospital_number_key: null,
          allergies: null,
          alerts: null,
          relevant_conditions: null,
          created_at: at,
          created_by: nurse.userId,
          updated_at: at,
          updated_by: nurse.userId,
          version: 1,
        })
        .execute();
      assert.deepEqual(await search('Brien-Smith'), []);
      await backfillPatientSearch(db.handle.db as unknown as Kysely<unknown>);
      assert.deepEqual(await search('Brien-Smith'), ["O'BRIEN-SMITH"]);
      assert.deepEqual(await search('RR8 123456'), ["O'BRIEN-SMITH"]);
    });

    it('answers a name search from the index of terms, not by reading every patient', async () => {
      const explain =
        dialect === 'sqlite'
          ? sql<Record<string, unknown>>`explain query plan select * from patients where id in
              (select patient_id from patient_search_terms where term >= ${'smi'} and term < ${'smi\u{10FFFF}'})`
          : sql<Record<string, unknown>>`explain select * from patients where id in
              (select patient_id from patient_search_terms where term >= ${'smi'} and term < ${'smi\u{10FFFF}'})`;
      // An empty table is cheapest to read whole; the planner is told to prefer the index so the
      // test sees whether the index can answer (one connection, so the setting applies).
      const plan = await db.handle.db.transaction().execute(async (trx) => {
        if (dialect === 'postgres') {
          await sql`set local enable_seqscan = off`.execute(trx);
        }
        return JSON.stringify((await explain.execute(trx)).rows);
      });
      assert.match(plan, /patient_search_terms_term_idx/);
      assert.doesNotMatch(plan, /SCAN patients\b/);
    });
  });
}
