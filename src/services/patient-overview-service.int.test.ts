import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import { PRE_CHECKS } from '../../test/support/test-dose-episode-setup.ts';
import { decidedAssessment } from '../../test/support/test-dose-fixtures.ts';
import { addActor, ANN_SMITH, BOB_JONES, SYNCHROMED_II } from '../../test/support/service-setup.ts';
import { loadConfig, type AppConfig } from '../config.ts';
import type { Db } from '../storage/database.ts';
import { appointmentsByPatientReferral, appointmentsByReferral } from '../storage/appointments.repository.ts';
import {
  outcomesForPatientReferrals,
  outcomesForReferrals,
} from '../storage/first-appointment-outcomes.repository.ts';
import {
  listPumpAppointments,
  listPumpAppointmentsForPatientPumps,
} from '../storage/pump-appointments.repository.ts';
import { listPumpEvents, listPumpEventsForPatientPumps } from '../storage/pump-events.repository.ts';
import { listPrescriptions, listPrescriptionsForPatientPumps } from '../storage/prescriptions.repository.ts';
import { listPumpsForPatient } from '../storage/pumps.repository.ts';
import { listLifeEvents } from '../storage/life-events.repository.ts';
import { listMeasureSetsForPatient } from '../storage/measures.repository.ts';
import { findPatientForOverview } from '../storage/patients.repository.ts';
import { listReferralsForPatient } from '../storage/referrals.repository.ts';
import { listAssessmentsForPatient } from '../storage/selection.repository.ts';
import { listEpisodesForPatient } from '../storage/test-doses.repository.ts';
import { listRefillsForPatientPumps, listRefillsForPump } from '../storage/refills.repository.ts';
import { bookAppointment } from './appointment-service.ts';
import type { Actor } from './audit-service.ts';
import { recordFirstAppointmentOutcome } from './first-appointment-outcome-service.ts';
import { recordLifeEvent } from './life-event-service.ts';
import { recordMeasureSet } from './measures-service.ts';
import { patientOverview } from './patient-overview-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { bookPumpAppointment } from './pump-appointment-service.ts';
import { recordPumpEvent, registerPump } from './pump-service.ts';
import { recordRefill } from './refill-service.ts';
import { signRefill } from './refill-sign-service.ts';
import { createReferral, triageReferral } from './referral-service.ts';
import { createEpisode } from './test-dose-service.ts';

/**
 * The patient overview reads each kind of a patient's pump records, and the appointments and
 * outcomes of their referrals, in one query for all the patient's pumps or referrals. These
 * tests hold those reads to the per-pump and per-referral lists they replace, on both
 * databases: the same records, in the same order, and none of another patient's.
 */
const SIMPLE = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  reason: 'Test dose given at another centre',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
});

const refillOn = (performedOn: string) => ({
  performedOn,
  expectedResidualMl: '4.0',
  withdrawnMl: '4.0',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
});

/** The first appointment's outcome makes a clinic letter, which needs the service's contacts. */
const CONFIG = {
  SERVICE_PHONE: '0113 392 4000',
  SERVICE_EMAIL: 'itb.service@nhs.net',
  SMTP_HOST: '127.0.0.1',
  SMTP_FROM: 'itb@nhs.net',
};

/** A postal address: the first appointment's clinic letter is posted to the patient. */
const ADDRESS = { addressLine1: '1 Park Row', town: 'Leeds', postcode: 'LS1 5AB' };

const SLOT = { time: '10:00', clinic: 'Spasticity clinic', clinician: 'Dr Hughes' };

for (const dialect of DIALECTS) {
  describe(`the patient overview's reads on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: { readonly db: Db; readonly clock: TestClock; readonly config: AppConfig };
    const clock = new TestClock('2026-11-02T09:00:00.000Z');
    let nina: Actor;
    let carla: Actor;
    let bea: Actor;
    let ann = '';
    let bob = '';
    let ubrn = 0;

    const addPatient = async (details: Readonly<Record<string, string>>) =>
      (
        await createPatient({ db: deps.db, clock, timeZone: 'Europe/London' }, nina, {
          ...details,
          ...ADDRESS,
        })
      ).id;

    /** Moves the clock on a minute, so no two records share a time and their order is defined. */
    const tick = () => {
      clock.advanceSeconds(60);
    };

    /** A pump for the patient with two prescriptions (one confirmed), events and appointments. */
    const pumpWithHistory = async (
      patientId: string,
      serial: string,
      implantedOn: string,
      refill: boolean,
    ) => {
      const pump = await registerPump(deps, nina, patientId, {
        ...SYNCHROMED_II,
        serialNumber: serial,
        implantedOn,
      });
      tick();
      const first = await proposePrescription(deps, nina, pump.id, SIMPLE(100));
      tick();
      await confirmPrescription(deps, carla, first.id, {});
      tick();
      if (refill) {
        const r = await recordRefill(deps, nina, pump.id, refillOn('2026-11-02'));
        tick();
        await signRefill(deps, carla, r.id, { version: r.version });
        tick();
      }
      await proposePrescription(deps, nina, pump.id, SIMPLE(120));
      tick();
      await recordPumpEvent(deps, nina, pump.id, { kind: 'other', occurredOn: '2026-11-01', note: 'First' });
      tick();
      await recordPumpEvent(deps, nina, pump.id, { kind: 'other', occurredOn: '2026-11-02', note: 'Second' });
      tick();
      await bookPumpAppointment(deps, bea, pump.id, { kind: 'refill', onDate: '2026-12-01' });
      tick();
      await bookPumpAppointment(deps, bea, pump.id, { kind: 'review', onDate: '2026-12-15' });
      tick();
      return pump.id;
    };

    /** An accepted referral with a first appointment, attended with its outcome if `attend`. */
    const referralWithAppointment = async (patientId: string, date: string, attend: boolean) => {
      ubrn += 1;
      const r = await createReferral(
        deps,
        bea,
        { patientId },
        { ...ERS_REFERRAL, ubrn: `7200 0000 ${String(ubrn).padStart(4, '0')}` },
      );
      tick();
      await triageReferral(deps, carla, r.id, null, { outcome: 'accepted', priority: 'routine' });
      tick();
      const a = await bookAppointment(deps, bea, r.id, { date, ...SLOT });
      tick();
      if (attend) {
        await recordFirstAppointmentOutcome(deps, nina, a.id, null, {
          nextStep: 'selection-assessment',
          summary: 'Tone is high in both legs.',
        });
        tick();
      }
      return r.id;
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: loadConfig(CONFIG) };
      nina = await addActor(deps, 'nina', 'nurse-specialist');
      carla = await addActor(deps, 'carla', 'consultant');
      bea = await addActor(deps, 'bea', 'booking-coordinator');
      ann = await addPatient(ANN_SMITH);
      bob = await addPatient(BOB_JONES);
      // Records of the two patients interleaved, so a read by patient that leaked would show.
      await pumpWithHistory(ann, 'NGP100001H', '2026-09-01', true);
      await pumpWithHistory(bob, 'NGP200001H', '2026-09-15', true);
      await pumpWithHistory(ann, 'NGP100002H', '2026-10-01', false);
      // Referrals come in later (the fixture's was received on 16 November).
      clock.set('2026-11-20T09:00:00.000Z');
      await referralWithAppointment(ann, '2026-11-20', true);
      await referralWithAppointment(bob, '2026-11-20', true);
      await referralWithAppointment(ann, '2026-11-27', false);
    });
    after(async () => {
      await database.dispose();
    });

    it("reads each kind of pump record for all the patient's pumps as the per-pump lists give them", async () => {
      const db = deps.db;
      for (const patientId of [ann, bob]) {
        const pumps = await listPumpsForPatient(db, patientId);
        assert.equal(pumps.length, patientId === ann ? 2 : 1);
        const cases = [
          [listPrescriptionsForPatientPumps, listPrescriptions, 2],
          [listRefillsForPatientPumps, listRefillsForPump, -1],
          [listPumpEventsForPatientPumps, listPumpEvents, 2],
          [listPumpAppointmentsForPatientPumps, listPumpAppointments, 2],
        ] as const;
        for (const [forPatient, forPump, perPump] of cases) {
          const all: { pumpId: string }[] = await forPatient(db, patientId);
          const expected: { pumpId: string }[] = [];
          for (const pump of pumps) {
            const one: { pumpId: string }[] = await forPump(db, pump.id);
            if (perPump > 0) {
              assert.equal(one.length, perPump);
            }
            expected.push(...one);
          }
          // Grouped by pump in the pumps' order, each pump's rows keep the per-pump list's order.
          const grouped = pumps.flatMap((p) => all.filter((row) => row.pumpId === p.id));
          assert.deepEqual(grouped, expected);
          assert.equal(all.length, expected.length);
        }
      }
    });

    it("reads the appointments and outcomes of all the patient's referrals as the per-referral reads give them", async () => {
      const db = deps.db;
      for (const patientId of [ann, bob]) {
        const ids = (await listReferralsForPatient(db, patientId)).map((r) => r.id);
        assert.equal(ids.length, patientId === ann ? 2 : 1);
        const byPatient = await appointmentsByPatientReferral(db, patientId);
        const byIds = await appointmentsByReferral(db, ids);
        assert.deepEqual([...byPatient.entries()], [...byIds.entries()]);
        assert.deepEqual(
          await outcomesForPatientReferrals(db, patientId),
          await outcomesForReferrals(db, ids),
        );
        assert.equal((await outcomesForPatientReferrals(db, patientId)).length, 1);
      }
    });

    it("shows only the patient's own pumps and records, newest first as before", async () => {
      const config = loadConfig(CONFIG);
      const overviewDeps = { db: deps.db, clock, timeZone: 'Europe/London', config };
      const annView = await patientOverview(overviewDeps, nina, ann);
      const bobView = await patientOverview(overviewDeps, nina, bob);
      const annPumps = await listPumpsForPatient(deps.db, ann);
      const bobPumps = await listPumpsForPatient(deps.db, bob);
      assert.deepEqual(
        annView.pumps.map((p) => p.pump.id),
        annPumps.map((p) => p.id),
      );
      for (const p of annView.pumps) {
        assert.equal(p.current?.state, 'active');
        assert.equal(p.pending?.state, 'pending');
        assert.equal(p.refillBookedOn, '2026-12-01');
      }
      const annText = JSON.stringify(annView);
      for (const p of bobPumps) {
        assert.ok(!annText.includes(p.id), "another patient's pump is not on the overview");
      }
      assert.ok(!annText.includes(bob));
      assert.equal(bobView.pumps.length, 1);
      const hrefs = annView.timeline.map((e) => e.href);
      assert.ok(annPumps.every((p) => hrefs.some((h) => h.includes(p.id))));
    });

    it("knows which of the patient's lists have rows, as reading each list would", async () => {
      const physio = await addActor(deps, 'pat', 'physiotherapist');
      await recordMeasureSet(deps, physio, bob, {
        recordedOn: '2026-11-10',
        occasion: 'assessment',
        pennFrequency: 3,
        pennSeverity: 2,
      });
      // Bob was selected for a test dose, which is open.
      const assessmentId = await decidedAssessment(deps, carla, bob, { decision: 'proceed-to-test-dose' });
      await createEpisode(deps, nina, bob, { ...PRE_CHECKS, assessmentId });
      await recordLifeEvent(deps, nina, bob, 'surgery-elsewhere', {
        surgeryOn: '2026-12-01',
        hospital: 'St Elsewhere Hospital',
        procedure: 'a hip replacement',
        teamContact: 'Ms H Ortho, orthopaedics',
        expectedStayDays: 10,
      });
      const lone = await addPatient({ ...ANN_SMITH, nhsNumber: '4857773465', givenName: 'Dee' });
      const seen = new Set<string>();
      for (const patientId of [ann, bob, lone]) {
        const found = await findPatientForOverview(deps.db, patientId);
        assert.ok(found);
        const lists = {
          referrals: await listReferralsForPatient(deps.db, patientId),
          assessments: await listAssessmentsForPatient(deps.db, patientId),
          testDoses: await listEpisodesForPatient(deps.db, patientId),
          measureSets: await listMeasureSetsForPatient(deps.db, patientId),
          pumps: await listPumpsForPatient(deps.db, patientId),
          lifeEvents: await listLifeEvents(deps.db, patientId),
        };
        for (const [name, list] of Object.entries(lists)) {
          assert.equal(found.has[name as keyof typeof lists], list.length > 0, `${name} of ${patientId}`);
          if (list.length > 0) {
            seen.add(name);
          }
        }
      }
      // Each flag is seen both ways (the lone patient has nothing).
      assert.deepEqual([...seen].sort(), [
        'assessments',
        'lifeEvents',
        'measureSets',
        'pumps',
        'referrals',
        'testDoses',
      ]);
      assert.equal(await findPatientForOverview(deps.db, '00000000-0000-4000-8000-000000000000'), undefined);
    });

    it('gives an empty overview of a patient with no pump or referral, and audits the view', async () => {
      const config = loadConfig(CONFIG);
      const lone = await addPatient({ ...ANN_SMITH, nhsNumber: '4010232137', givenName: 'Cat' });
      const view = await patientOverview(
        { db: deps.db, clock, timeZone: 'Europe/London', config },
        nina,
        lone,
      );
      assert.deepEqual(view.pumps, []);
      assert.deepEqual(view.referrals, []);
      const audited = await deps.db
        .selectFrom('audit_events')
        .select('action')
        .where('patient_id', '=', lone)
        .where('action', '=', 'patient.view')
        .execute();
      assert.equal(audited.length, 1);
    });
  });
}
