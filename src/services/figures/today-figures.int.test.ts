import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../../test/support/databases.ts';
import { buildTaskQueueWorld } from '../../../test/support/task-queue-world.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { addMonths } from '../../domain/calendar-date.ts';
import { findUserByUsername } from '../../storage/users.repository.ts';
import { actorOf } from '../audit-service.ts';
import { todayIn } from '../clock.ts';
import { todayFigureSpecs } from './today-figures.ts';

/**
 * Today's figures and the home page count the same things: on the task-queue world (one of every
 * overdue kind, test/support/task-queue-world.ts) each figure equals the home page's queue count
 * for a consultant, who sees every queue involved, on both databases.
 */
for (const dialect of DIALECTS) {
  describe(`today's figures on ${dialect}`, () => {
    let t: TestApp;

    before(async () => {
      t = await startTestApp(dialect);
      await buildTaskQueueWorld(t);
    });
    after(async () => {
      await t.close();
    });

    it('agrees with the home page queues', async () => {
      const user = await findUserByUsername(t.deps.database.db, 'carl');
      assert.ok(user);
      const home = await t.deps.services.system.home(actorOf(user, null));
      const queue = Object.fromEntries(home.groups.flatMap((g) => g.queues.map((q) => [q.key, q.count])));
      const today = todayIn(t.clock, t.deps.config.timeZone);
      const figures = await Promise.all(
        todayFigureSpecs.map((s) =>
          s.compute({
            db: t.deps.database.db,
            range: { from: addMonths(today, -12), to: today },
            today,
            config: t.deps.config,
          }),
        ),
      );
      const headline = Object.fromEntries(figures.map((f) => [f.key, f.headline]));
      assert.deepEqual(headline, {
        'today-unsigned-refills': String(
          Number(queue['refills-to-review']) + Number(queue['refills-to-sign']),
        ),
        'today-open-alerts': String(queue['emergencies-open']),
        'today-overdue-reviews': String(queue['reviews-overdue']),
      });
      assert.deepEqual(headline, {
        'today-unsigned-refills': '2',
        'today-open-alerts': '1',
        'today-overdue-reviews': '1',
      });
      for (const f of figures) {
        assert.equal(f.chart, null, `${f.key} is a single count`);
        assert.deepEqual(f.table.rows, [{ on: today, count: Number(f.headline) }]);
      }
    });
  });
}
