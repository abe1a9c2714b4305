import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink.ts';
import type { AppDeps } from '../compose.ts';
import { createServices } from '../services/registry/registry.ts';
import { loadConfig } from '../config.ts';
import { smtpTransport } from '../services/mail-transport.ts';
import { createPatient } from '../services/patient-service.ts';
import { createReferral } from '../services/referral-service.ts';
import { addUser } from '../services/user-service.ts';
import { dailyReferralCheck } from './daily-referral-check.ts';
import { registerPump } from '../services/pump-service.ts';
import { confirmPrescription, proposePrescription } from '../services/prescription-service.ts';
import { recordRefill } from '../services/refill-service.ts';
import { requestPumpEnd } from '../services/pump-end-requests.ts';
import { planMri, recordMriScan } from '../services/mri-service.ts';
import { pausePump } from '../services/pump-pause-service.ts';
import { runOnce } from './job-runner.ts';

for (const dialect of DIALECTS) {
  describe(`jobs on ${dialect}`, () => {
    let database: TestDatabase;
    let sink: SmtpSink;
    let deps: AppDeps;
    const clock = new TestClock('2026-11-25T06:30:00.000Z');

    before(async () => {
      database = await openTestDatabase(dialect);
      sink = await startSmtpSink();
      const config = loadConfig({
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(sink.port),
        SMTP_REQUIRE_TLS: 'false',
        SMTP_FROM: 'itb@nhs.net',
        DIGEST_EMAIL_TO: 'lead.nurse@nhs.net, consultant@nhs.net',
      });
      deps = {
        config,
        database: database.handle,
        clock,
        services: createServices(database.handle, clock, config),
      };
      const db = database.handle.db;
      const u = await addUser({ db, clock }, null, {
        username: 'bea',
        displayName: 'Bea',
        role: 'booking-coordinator',
        password: 'a-long-test-password',
      });
      const actor = { userId: u.id, username: 'bea', role: u.role, requestId: null };
      const p = await createPatient({ db, clock, timeZone: 'Europe/London' }, actor, {
        nhsNumber: '9434765919',
        givenName: 'Tom',
        familyName: 'Jones',
        dateOfBirth: '1980-01-01',
        sex: 'male',
      });
      // Received on Monday 9 November: 12 working days before Wednesday 25 November.
      await createReferral(
        { db, clock, config },
        actor,
        { patientId: p.id },
        {
          source: 'email',
          receivedOn: '2026-11-09',
          referrerName: 'Dr R Hughes',
          referrerRole: 'Consultant neurologist',
          referrerOrganisation: 'Leeds Teaching Hospitals',
          referrerEmail: 'r.hughes@nhs.net',
          reason: 'Spasticity',
          conditions: ['spasticity'],
          origin: 'cerebral',
          aetiology: 'stroke',
        },
      );
      // An implanted pump with no fill recorded yet: the digest must count it until it is planned.
      const nurse = await addUser({ db, clock }, null, {
        username: 'nia',
        displayName: 'Nia',
        role: 'nurse-specialist',
        password: 'a-long-test-password',
      });
      const nurseActor = { ...actor, userId: nurse.id, username: 'nia', role: nurse.role };
      const pump = await registerPump({ db, clock, config }, nurseActor, p.id, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP000001H',
        implantedOn: '2026-11-02',
        surgeon: 'Mr A Surgeon',
        alarmMl: 2,
        origin: 'cerebral',
      });
      // A refill done and recorded but not yet signed by a second clinician: the digest counts it.
      const consultant = await addUser({ db, clock }, null, {
        username: 'cara',
        displayName: 'Cara',
        role: 'consultant',
        password: 'a-long-test-password',
      });
      const svc = { db, clock, config };
      const prescription = await proposePrescription(svc, nurseActor, pump.id, {
        concentrationMcgPerMl: 500,
        phase: 'titration',
        programme: { mode: 'simple', doseMcgPerDay: 100, schedules: [], bolus: null },
        reason: 'Test dose given at the referring centre',
      });
      await confirmPrescription(
        svc,
        { userId: consultant.id, username: 'cara', role: consultant.role, requestId: null },
        prescription.id,
        {},
      );
      await recordRefill(svc, nurseActor, pump.id, {
        performedOn: '2026-11-24',
        expectedResidualMl: 0,
        withdrawnMl: 0,
        concentrationMcgPerMl: 500,
        batch: 'B1',
        expiresOn: '2027-06-30',
        instilledMl: 20,
        alarmMl: 2,
      });
      // An MRI scan yesterday whose post-scan check is never recorded: overdue from midnight.
      const mri = await planMri(svc, nurseActor, pump.id, {
        plannedOn: '2026-11-24',
        confirmedSteps: ['cover', 'conditions', 'check-booked', 'patient-told'],
      });
      await recordMriScan(svc, nurseActor, mri.id, {
        scannedAt: '2026-11-24T10:00:00Z',
      });
      // A pump paused on 20 November, due to resume today (25 November) with the pause still open,
      // and with a request to end it waiting for a second clinician: the digest counts both.
      const paused = await registerPump({ db, clock, config }, nurseActor, p.id, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP000002H',
        implantedOn: '2026-11-02',
        surgeon: 'Mr A Surgeon',
        alarmMl: 2,
        origin: 'cerebral',
      });
      await pausePump(svc, nurseActor, paused.id, {
        reason: 'mri',
        emptied: false,
        pausedOn: '2026-11-20',
        resumeBy: '2026-11-25',
      });
      await requestPumpEnd(svc, nurseActor, paused.id, {
        kind: 'transfer',
        endedOn: '2026-11-24',
        reason: 'Care moving to another service',
      });
    });
    after(async () => {
      await sink.close();
      await database.dispose();
    });

    it('runs a job once per run key even when two instances race for it', async () => {
      // A second instance: its own connection pool, and its services bound to it.
      const other = database.openAnother();
      const otherInstance = { services: createServices(other, clock, deps.config) };
      let runs = 0;
      const work = async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 20));
        return { ok: true };
      };
      const results = await Promise.all([
        runOnce(deps, 'test-job', 'k1', work),
        runOnce(otherInstance, 'test-job', 'k1', work),
        runOnce(deps, 'test-job', 'k1', work),
      ]);
      assert.equal(runs, 1);
      assert.equal(results.filter((r) => r.ran).length, 1);
      await other.close();
    });

    it('records a failed run and does not run it again under the same key', async () => {
      await assert.rejects(runOnce(deps, 'test-job', 'k2', () => Promise.reject(new Error('boom'))));
      const row = await database.handle.db
        .selectFrom('job_runs')
        .selectAll()
        .where('run_key', '=', 'k2')
        .executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'failure');
      assert.match(row.summary ?? '', /boom/);
      assert.equal((await runOnce(deps, 'test-job', 'k2', () => Promise.resolve(1))).ran, false);
    });

    it('waits for DAILY_CHECK_TIME, then flags overdue triage once a day and emails a digest without patient details', async () => {
      assert.equal((await dailyReferralCheck(deps)).ran, false, 'before 07:00 in London');
      clock.set('2026-11-25T07:05:00.000Z');
      const result = await dailyReferralCheck(deps);
      assert.ok(result.ran);
      assert.equal(result.summary.triageOverdue, 1);
      assert.equal(result.summary.digestQueued, true);
      assert.equal((await dailyReferralCheck(deps)).ran, false, 'once a day');
      const sent = await deps.services.referrals.sendDueEmails(smtpTransport(deps.config.smtp!));
      assert.equal(sent.sent, 2);
      await sink.waitForMessages(2);
      const digest = sink.messages[0]!;
      assert.match(digest.parsed.subject ?? '', /1 referrals overdue for triage/);
      assert.match(digest.parsed.subject ?? '', /1 pumps need a refill booked/);
      assert.match(digest.parsed.text ?? '', /\/worklist/);
      assert.equal(result.summary.refillsEscalated, 1);
      assert.equal(result.summary.refillsAwaitingCheck, 1);
      assert.match(digest.parsed.text ?? '', /Refills done but not yet checked and signed: 1/);
      assert.equal(result.summary.pausesPastResume, 1);
      assert.equal(result.summary.endRequestsAwaiting, 1);
      assert.equal(result.summary.mriChecksOverdue, 1);
      assert.match(digest.parsed.subject ?? '', /1 post-MRI pump checks overdue/);
      assert.match(digest.parsed.text ?? '', /Post-MRI pump checks overdue: 1 \(waiting, not yet late: 0\)/);
      assert.match(digest.parsed.subject ?? '', /1 paused pumps past their resume date/);
      assert.match(digest.parsed.text ?? '', /Paused pumps past their resume date: 1/);
      assert.match(
        digest.parsed.text ?? '',
        /Requests to end a pump or correct an end, waiting for a second clinician: 1/,
      );
      assert.doesNotMatch(digest.parsed.text ?? '', /Jones|943 476 5919|9434765919/);
      clock.set('2026-11-26T07:05:00.000Z');
      assert.equal((await dailyReferralCheck(deps)).ran, true, 'the next day runs again');
    });
  });
}
