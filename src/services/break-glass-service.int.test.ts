import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejects } from '../../test/support/assertions.ts';
import { DIALECTS } from '../../test/support/databases.ts';
import { ANN, BOB, buildEmergencyWorld, type EmergencyWorld } from '../../test/support/emergency-fixtures.ts';
import { startTestApp, TEST_SERVICE_CONTACTS, type TestApp } from '../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import { actorOf, type Actor } from './audit-service.ts';

/**
 * The emergency summary and break-glass services on both databases: the grant and its audit row
 * commit together, the grant lasts BREAK_GLASS_HOURS (2 here), the summary is refused without a
 * live grant and again after it ends, the volume left today follows the fill, and the ITB team
 * hears of each access (home page count and the daily digest, counts only).
 */
for (const dialect of DIALECTS) {
  describe(`break-glass and the emergency summary on ${dialect}`, () => {
    let t: TestApp;
    let w: EmergencyWorld;
    let erin: Actor;
    let nina: Actor;
    const count = async (table: 'break_glass_grants' | 'audit_events', action?: string) => {
      let q = t.deps.database.db
        .selectFrom(table as 'audit_events')
        .select((eb) => eb.fn.countAll<string>().as('n'));
      if (action) {
        q = q.where('action', '=', action as never);
      }
      return Number((await q.executeTakeFirstOrThrow()).n);
    };

    before(async () => {
      t = await startTestApp(dialect, {
        breakGlassHours: 2,
        service: {
          ...loadConfig(TEST_SERVICE_CONTACTS).service,
          outOfHours: {
            phone: '0113 243 3144',
            text: 'Ask switchboard for the on-call neurosurgical registrar',
          },
        },
      });
      w = await buildEmergencyWorld(t);
      erin = actorOf(w.emergency, null);
      nina = actorOf(w.nurse, null);
    });
    after(async () => {
      await t.close();
    });

    it('gives the ITB team the summary with the volume left today and both contacts', async () => {
      const s = await t.deps.services.emergencySummary.summary(nina, w.annId);
      assert.equal(s.access.kind, 'team');
      const pump = s.pump;
      assert.ok(pump);
      assert.equal(pump.doseMcgPerDay, 250);
      // 20 mL filled on 1 September at 0.5 mL a day; 11 September begins with 15 mL left.
      assert.deepEqual(pump.reservoir, {
        kind: 'estimated',
        filledOn: '2026-09-01',
        fillMl: 20,
        continuousMl: 15,
        withBolusesMl: 15,
        ranDryOn: null,
      });
      assert.equal(pump.alarmOn, '2026-10-07');
      assert.equal(s.contacts.outOfHoursNotSet, false);
      assert.deepEqual(
        s.contacts.outOfHours.map((c) => c.value),
        ['0113 243 3144', 'Ask switchboard for the on-call neurosurgical registrar'],
      );
      assert.deepEqual(s.openAlerts, []);
      assert.equal(await count('audit_events', 'patient.emergency-summary'), 1);
    });

    it('refuses an emergency clinician without a grant, audited as a denied break-glass view', async () => {
      const err = await rejects(t.deps.services.emergencySummary.summary(erin, w.annId), 'FORBIDDEN');
      assert.equal(err.details.breakGlassRequired, true);
      assert.equal(err.details.expiredAt, undefined);
      const denied = await t.deps.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'patient.break-glass-view')
        .execute();
      assert.deepEqual(
        denied.map((d) => d.outcome),
        ['denied'],
      );
    });

    it('stores nothing for a reason too short or a date of birth that does not match', async () => {
      await rejects(
        t.deps.services.emergencySummary.breakGlass(erin, { ...ANN, reason: ' short ' }),
        'VALIDATION_FAILED',
        'reason',
      );
      await rejects(
        t.deps.services.emergencySummary.breakGlass(erin, { ...ANN, nhsNumber: '123' }),
        'VALIDATION_FAILED',
        'nhsNumber',
      );
      await rejects(
        t.deps.services.emergencySummary.breakGlass(erin, {
          ...ANN,
          dateOfBirth: '1961-03-15',
          reason: 'Patient in A&E, unwell',
        }),
        'NOT_FOUND',
      );
      await rejects(
        t.deps.services.emergencySummary.breakGlass(nina, { ...ANN, reason: 'Patient in A&E, unwell' }),
        'FORBIDDEN',
      );
      assert.equal(await count('break_glass_grants'), 0);
    });

    it('grants the summary for BREAK_GLASS_HOURS with its audit row, then refuses it again', async () => {
      const g = await t.deps.services.emergencySummary.breakGlass(erin, {
        ...ANN,
        reason: '  Patient in A&E, drowsy  ',
      });
      assert.equal(g.reason, 'Patient in A&E, drowsy');
      assert.equal(g.grantedAt, '2026-09-11T10:00:00.000Z');
      assert.equal(g.expiresAt, '2026-09-11T12:00:00.000Z');
      assert.equal(await count('break_glass_grants'), 1);
      const granted = await t.deps.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'patient.break-glass')
        .where('outcome', '=', 'success')
        .execute();
      assert.equal(granted.length, 1);
      const [row] = granted;
      assert.ok(row);
      assert.equal(row.entity_id, g.id);
      assert.equal(row.patient_id, w.annId);

      const s = await t.deps.services.emergencySummary.summary(erin, w.annId);
      assert.equal(s.access.kind, 'break-glass');
      // The grant is for Ann only.
      await rejects(t.deps.services.emergencySummary.summary(erin, w.bobId), 'FORBIDDEN');

      t.clock.set('2026-09-11T11:59:59.999Z');
      await t.deps.services.emergencySummary.summary(erin, w.annId);
      t.clock.set('2026-09-11T12:00:00.000Z');
      const err = await rejects(t.deps.services.emergencySummary.summary(erin, w.annId), 'FORBIDDEN');
      assert.equal(err.details.expiredAt, '2026-09-11T12:00:00.000Z');
      await t.deps.services.emergencySummary.breakGlass(erin, {
        ...ANN,
        reason: 'Still in A&E, pump review',
      });
      assert.equal(
        (await t.deps.services.emergencySummary.summary(erin, w.annId)).access.kind,
        'break-glass',
      );
    });

    it('says when there is no pump, and lists and counts the accesses for the ITB team only', async () => {
      t.clock.advanceSeconds(60);
      await t.deps.services.emergencySummary.breakGlass(erin, { ...BOB, reason: 'Bob in A&E with a fever' });
      const bob = await t.deps.services.emergencySummary.summary(erin, w.bobId);
      assert.equal(bob.pump, null);
      assert.equal(bob.lastPumpEndedOn, null);
      const list = await t.deps.services.emergencySummary.recentBreakGlass(nina);
      assert.deepEqual(
        list.map((l) => [l.username, l.patientName, l.reason]),
        [
          ['erin', 'JONES, Bob', 'Bob in A&E with a fever'],
          ['erin', 'SMITH, Ann', 'Still in A&E, pump review'],
          ['erin', 'SMITH, Ann', 'Patient in A&E, drowsy'],
        ],
      );
      await rejects(t.deps.services.emergencySummary.recentBreakGlass(erin), 'FORBIDDEN');
      const home = await t.deps.services.system.home(nina);
      const queue = home.groups.flatMap((g) => g.queues).find((q) => q.key === 'break-glass-recent');
      assert.equal(queue?.count, 3);
      // Eight days on, they have left the 7-day list.
      t.clock.set('2026-09-19T13:00:00.000Z');
      assert.equal((await t.deps.services.emergencySummary.recentBreakGlass(nina)).length, 0);
    });

    it('counts the accesses in the daily digest, with no patient details', async () => {
      t.clock.set('2026-09-12T08:00:00.000Z');
      const summary = await t.deps.services.system.dailyCheck('2026-09-12' as PlainDate);
      assert.equal(summary.breakGlassAccesses, 3);
    });

    it("lists the patient's open emergency events on the summary, and drops them once closed", async () => {
      const consultant = actorOf(w.consultant, null);
      const event = await t.deps.services.emergencies.record(nina, w.annId, {
        kind: 'withdrawal',
        onsetAt: '2026-09-11T07:30:00Z',
        signs: ['itch', 'fever'],
        actionsTaken: 'Sent to A&E with oral baclofen',
      });
      const open = await t.deps.services.emergencySummary.summary(nina, w.annId);
      assert.deepEqual(open.openAlerts, [
        'Suspected withdrawal since 11 September 2026, 08:30. Signs: Itching with no rash; Fever. ' +
          'Actions taken: Sent to A&E with oral baclofen.',
      ]);
      await t.deps.services.emergencies.close(consultant, event.id, {
        outcome: 'resolved',
        outcomeNote: 'Refilled',
      });
      assert.deepEqual((await t.deps.services.emergencySummary.summary(nina, w.annId)).openAlerts, []);
    });
  });
}
