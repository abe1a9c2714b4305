import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES, type Role } from '../../../domain/roles.ts';
import { queuesFor, TASK_QUEUE_KEYS, TASK_QUEUES, type TaskQueueKey } from '../../../domain/task-queues.ts';
import { buildTaskQueueWorld, type TaskQueueWorld } from '../../../../test/support/task-queue-world.ts';
import { Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/** The queues on a home page: id → [count, link]. */
function queuesOn(body: string): Map<string, { count: number; href: string; text: string }> {
  const found = new Map<string, { count: number; href: string; text: string }>();
  for (const m of body.matchAll(
    /<li id="queue-([a-z-]+)" data-count="(\d+)"><a href="([^"]+)">([^<]+)<\/a>/g,
  )) {
    found.set(m[1] ?? '', { count: Number(m[2]), href: m[3] ?? '', text: m[4] ?? '' });
  }
  return found;
}

/** What the world holds of each queue (tasks-queue-world.ts): one of every overdue kind. */
const EXPECTED: Readonly<Record<TaskQueueKey, number>> = {
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
  'referrals-awaiting-triage': 1,
  'triage-overdue': 1,
  'referrals-awaiting-booking': 1,
  'waits-breached': 1,
  'outcomes-overdue': 1,
  'break-glass-recent': 0,
};

describe('home page task queues', () => {
  let t: TestApp;
  let world: TaskQueueWorld;
  const pages = new Map<Role, Browser>();

  before(async () => {
    t = await startTestApp();
    world = await buildTaskQueueWorld(t);
    for (const role of ROLES) {
      const b = new Browser(t);
      const res = await b.signIn(world.users[role]);
      assert.equal(res.statusCode, 303, `${role} signs in`);
      pages.set(role, b);
    }
  });
  after(async () => {
    await t.close();
  });

  const home = async (role: Role) => {
    const res = await (pages.get(role) as Browser).get('/');
    assert.equal(res.statusCode, 200);
    return res.body;
  };

  for (const role of ROLES) {
    it(`${role}: sees exactly the queues its permissions allow, with their counts and lists`, async () => {
      const shown = queuesOn(await home(role));
      assert.deepEqual([...shown.keys()], [...queuesFor(role)]);
      for (const [key, q] of shown) {
        const k = key as TaskQueueKey;
        assert.equal(q.count, EXPECTED[k], `${role}: ${key}`);
        assert.equal(q.href, TASK_QUEUES[k].href);
      }
    });
  }

  it('nothing overdue is missing: every overdue kind is counted for every role allowed its list', async () => {
    const overdueKinds = TASK_QUEUE_KEYS.filter((k) => TASK_QUEUES[k].overdue);
    assert.ok(overdueKinds.length >= 8);
    for (const key of overdueKinds) {
      const roles = ROLES.filter((r) => queuesFor(r).includes(key));
      assert.ok(roles.length > 0, `${key} is shown to some role`);
      for (const role of roles) {
        const body = await home(role);
        const q = queuesOn(body).get(key);
        assert.ok(q, `${role} sees ${key}`);
        assert.equal(q.count, 1, `${role}: ${key}`);
        assert.match(body, new RegExp(`id="queue-${key}"[^\\n]*nhsuk-tag--red">Overdue<`));
      }
    }
    const nurse = await home('nurse-specialist');
    assert.match(nurse, /id="attention"><strong>11 items are overdue<\/strong>/);
  });

  it('words each count as people read it', async () => {
    const shown = queuesOn(await home('consultant'));
    assert.equal(shown.get('refills-overdue')?.text, '1 refill overdue');
    assert.equal(shown.get('triage-overdue')?.text, '1 referral waiting more than 5 working days for triage');
    assert.equal(
      shown.get('corrections-to-confirm')?.text,
      'No refill volume corrections to confirm or reject',
    );
  });

  it('each /tasks list lists exactly what its queue counts, linked to where the work is done', async () => {
    const consultant = pages.get('consultant') as Browser;
    const rows = async (href: string) => {
      const res = await consultant.get(href);
      assert.equal(res.statusCode, 200, href);
      return [
        ...res.body.matchAll(
          /<tr class="nhsuk-table__row">\s*<td[^>]*><span[^>]*>Patient <\/span><a href="\/patients\/([^"]+)">/g,
        ),
      ].map((m) => m[1]);
    };
    const p = world.patients;
    assert.deepEqual(await rows('/tasks/refills-overdue'), [p.ann]);
    assert.deepEqual(await rows('/tasks/reviews-overdue'), [p.ann]);
    assert.deepEqual(await rows('/tasks/refills-resume-overdue'), [p.bob]);
    assert.deepEqual(await rows('/tasks/reviews-due-soon'), [p.bob]);
    assert.deepEqual(await rows('/tasks/refills-no-plan'), [p.cat]);
    assert.deepEqual(await rows('/tasks/prescriptions-to-check'), [p.cat]);
    assert.deepEqual(await rows('/tasks/refills-to-review'), [p.dan]);
    assert.deepEqual(await rows('/tasks/refills-booked-late'), [p.dan]);
    assert.deepEqual(await rows('/tasks/refills-to-sign'), [p.eve]);
    assert.deepEqual(await rows('/tasks/refills-not-booked'), [p.eve]);
    assert.deepEqual(await rows('/tasks/corrections-to-confirm'), []);
    assert.deepEqual(await rows('/tasks/pump-ends-to-confirm'), [p.cat]);
    assert.deepEqual(await rows('/tasks/replacements-overdue'), [p.ann]);
    assert.deepEqual(await rows('/tasks/replacements-due-soon'), []);
    const overdue = await consultant.get('/tasks/refills-overdue');
    assert.match(overdue.body, /<title>1 refill overdue – ITB service<\/title>/);
    assert.match(overdue.body, /\d+ days overdue/);
    assert.match(overdue.body, /href="\/pumps\/[^"]+">Open the pump/);
    assert.match(overdue.body, /485 777 3457/);
    const review = await consultant.get('/tasks/refills-to-review');
    assert.match(review.body, /href="\/refills\/[^"]+">Review the refill/);
    assert.match(review.body, /24 November 2026, 10:00/);
    assert.match(review.body, /discrepancy \+1\.5 mL/);
  });

  it('refuses a list to a role that does not work it', async () => {
    const physio = pages.get('physiotherapist') as Browser;
    assert.equal((await physio.get('/tasks/refills-overdue')).statusCode, 403);
    const booking = pages.get('booking-coordinator') as Browser;
    assert.equal((await booking.get('/tasks/prescriptions-to-check')).statusCode, 403);
    assert.equal((await booking.get('/tasks/refills-overdue')).statusCode, 200);
  });

  it('shows a role with no queues no task section', async () => {
    const body = await home('service-manager');
    assert.ok(!body.includes('Needs attention today'));
    assert.equal(queuesOn(body).size, 0);
  });
});
