import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../test/support/databases.ts';
import { buildTaskQueueWorld } from '../../test/support/task-queue-world.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import type { Role } from '../domain/roles.ts';
import { findUserByUsername } from '../storage/users.repository.ts';
import { actorOf, type Actor } from './audit-service.ts';
import type { HomeDashboard } from './dashboard-service.ts';

/**
 * The home page's task queues counted in SQL on both databases: one of every overdue kind and
 * each second check (test/support/task-queue-world.ts), counted for the roles that see them, and
 * each /tasks list holding exactly what its count says.
 */
for (const dialect of DIALECTS) {
  describe(`task queues on ${dialect}`, () => {
    let t: TestApp;
    const actors = new Map<Role, Actor>();

    before(async () => {
      t = await startTestApp(dialect);
      const world = await buildTaskQueueWorld(t);
      for (const [role, username] of Object.entries(world.users) as [Role, string][]) {
        const user = await findUserByUsername(t.deps.database.db, username);
        assert.ok(user);
        actors.set(role, actorOf(user, null));
      }
    });
    after(async () => {
      await t.close();
    });

    const counts = (home: HomeDashboard) =>
      Object.fromEntries(home.groups.flatMap((g) => g.queues.map((q) => [q.key, q.count])));

    it("counts the nurse specialist's queues", async () => {
      const home = await t.deps.services.system.home(actors.get('nurse-specialist') as Actor);
      assert.deepEqual(counts(home), {
        'emergencies-open': 1,
        'prescriptions-to-check': 1,
        'refills-to-review': 1,
        'refills-to-sign': 1,
        'corrections-to-confirm': 0,
        'pump-ends-to-confirm': 1,
        'refills-resume-overdue': 1,
        'refills-overdue': 1,
        'refills-no-plan': 1,
        'refills-booked-late': 1,
        'refills-due-soon': 0,
        'refills-not-booked': 1,
        'mri-checks-overdue': 1,
        'mri-checks-waiting': 0,
        'reviews-overdue': 1,
        'reviews-due-soon': 1,
        'replacements-overdue': 1,
        'replacements-due-soon': 0,
        'emails-to-confirm': 0,
        'triage-overdue': 1,
        'referrals-awaiting-booking': 1,
        'waits-breached': 1,
        'outcomes-overdue': 1,
        'break-glass-recent': 0,
      });
      assert.equal(home.overdue, 11);
      assert.deepEqual(
        home.groups.map((g) => g.group),
        ['emergencies', 'checks', 'refills', 'reviews', 'referrals', 'emergency'],
      );
    });

    it('counts nothing for a role with no queues, and refuses it the lists', async () => {
      const manager = actors.get('service-manager') as Actor;
      const home = await t.deps.services.system.home(manager);
      assert.deepEqual(home.groups, []);
      assert.equal(home.overdue, 0);
      await assert.rejects(
        t.deps.services.system.taskList(manager, 'refills-overdue', { page: 1, pageSize: 50 }),
        { code: 'FORBIDDEN' },
      );
    });

    it('lists what each count counts, a page at a time', async () => {
      const consultant = actors.get('consultant') as Actor;
      for (const key of [
        'refills-to-sign',
        'reviews-overdue',
        'refills-booked-late',
        'prescriptions-to-check',
      ] as const) {
        const list = await t.deps.services.system.taskList(consultant, key, { page: 1, pageSize: 50 });
        assert.equal(list.total, 1, key);
        assert.equal(list.rows.length, 1, key);
      }
      const past = await t.deps.services.system.taskList(consultant, 'refills-overdue', {
        page: 9,
        pageSize: 50,
      });
      assert.equal(past.page, 1, 'a page past the end shows the last page');
      const [row] = past.rows;
      assert.ok(row);
      assert.equal(row.patientName, 'SMITH, Ann');
      assert.match(row.detail, /^\d+ days overdue$/);
      assert.equal(row.booked, 'none');
    });
  });
}
