import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkNhsNumber } from '../domain/nhs-number.ts';
import { Browser, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { seedDemo, syntheticNhsNumbers } from './seed-demo.ts';
import { triageQueue } from '../services/triage-queue-service.ts';
import { waitingList } from '../services/waiting-list-service.ts';
import { refillWorklist } from '../services/worklist-service.ts';

describe('demo mode', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite', { demo: true });
    await seedDemo(t.deps, 12);
  });
  after(async () => {
    await t.close();
  });

  it('uses only valid NHS numbers from the 999 range, never issued to real patients', () => {
    for (const n of syntheticNhsNumbers(100)) {
      assert.ok(n.startsWith('999'));
      assert.equal(checkNhsNumber(n).ok, true, n);
    }
  });

  it('lists the demo accounts on the sign-in page and marks every page as demo', async () => {
    const page = await t.app.inject('/sign-in');
    for (const a of DEMO_ACCOUNTS) {
      assert.ok(page.body.includes(a.username));
    }
    assert.match(page.body, /Demo: synthetic patients only/);
    assert.match(page.body, /<title>Sign in – ITB service \(demo\)<\/title>/);
  });

  it('every demo account signs in and the caseload is there', async () => {
    for (const a of DEMO_ACCOUNTS) {
      const b = new Browser(t);
      assert.equal((await b.signIn(a.username, a.password)).statusCode, 303, a.username);
    }
    const nurse = new Browser(t);
    await nurse.signIn('demo.nurse', 'demo-nurse-password');
    const res = await nurse.get('/patients?q=Demo');
    assert.equal(res.statusCode, 200);
    const n = await t.deps.database.db
      .selectFrom('patients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(n.n, 12);
  });

  it('holds a break-glass access the ITB team sees, and the emergency clinician can open only that summary', async () => {
    const grants = await t.deps.database.db.selectFrom('break_glass_grants').selectAll().execute();
    assert.equal(grants.length, 1);
    const erin = new Browser(t);
    await erin.signIn('demo.emergency', 'demo-emergency-password');
    assert.equal(
      (await erin.get(`/patients/${grants[0]?.patient_id ?? ''}/emergency-summary`)).statusCode,
      200,
    );
    assert.equal((await erin.get(`/patients/${grants[0]?.patient_id ?? ''}`)).statusCode, 403);
    const nurse = new Browser(t);
    await nurse.signIn('demo.nurse', 'demo-nurse-password');
    assert.match((await nurse.get('/')).body, /id="queue-break-glass-recent" data-count="1"/);
  });

  it('holds referrals in every state: triage (one overdue), each waiting status, seen, not accepted, redirected, and the email intake', async () => {
    const svc = { db: t.deps.database.db, clock: t.deps.clock, config: t.deps.config };
    const list = await waitingList(svc);
    assert.deepEqual([...new Set(list.map((i) => i.assessment.status))].sort(), [
      'booked-within-target',
      'breached',
      'due-soon',
      'not-booked',
      'will-breach',
    ]);
    const queue = await triageQueue(svc);
    assert.equal(queue.length, 2);
    assert.equal(queue.filter((q) => q.overdue).length, 1);
    const states = await t.deps.database.db.selectFrom('referrals').select('state').execute();
    for (const s of ['accepted', 'not-accepted', 'redirected', 'awaiting-triage']) {
      assert.ok(
        states.some((r) => r.state === s),
        s,
      );
    }
    const appointments = await t.deps.database.db
      .selectFrom('appointments')
      .select(['state', 'cancel_reason'])
      .execute();
    assert.ok(appointments.some((a) => a.state === 'attended'));
    assert.ok(appointments.some((a) => a.cancel_reason === 'did-not-attend'));
    const intake = await t.deps.database.db
      .selectFrom('intake_items')
      .select('parse_state')
      .where('state', '=', 'new')
      .execute();
    assert.deepEqual(intake.map((r) => r.parse_state).sort(), ['parsed', 'unparseable']);
  });

  it('holds selection assessments in each state, one on the MDT list, and both protocols', async () => {
    const rows = await t.deps.database.db.selectFrom('selection_assessments').select('state').execute();
    assert.deepEqual(rows.map((r) => r.state).sort(), ['awaiting-mdt', 'decided', 'decided', 'in-progress']);
    const protocols = await t.deps.database.db.selectFrom('selection_protocols').select('code').execute();
    assert.deepEqual([...new Set(protocols.map((p) => p.code))].sort(), ['adult-itb', 'paediatric-itb']);
    const nurse = new Browser(t);
    await nurse.signIn('demo.nurse', 'demo-nurse-password');
    const mdt = await nurse.get('/mdt');
    assert.match(mdt.body, /Poorly controlled epilepsy/);
  });

  it('holds pumps at every stage of the refill worklist, with refill history', async () => {
    const list = await refillWorklist({ db: t.deps.database.db, clock: t.deps.clock, config: t.deps.config });
    assert.deepEqual([...new Set(list.entries.map((e) => e.standing.status))].sort(), [
      'booked',
      'booked-late',
      'due-soon',
      'no-plan',
      'not-booked',
      'overdue',
      'paused',
    ]);
    assert.ok(list.entries.some((e) => e.awaitingCheck));
    // One pump paused for an MRI scan, and one with a transfer of care awaiting confirmation.
    assert.equal(list.entries.filter((e) => e.pause !== null).length, 1);
    assert.deepEqual(
      list.entries.filter((e) => e.endRequest !== null).map((e) => [e.endRequest?.kind, e.standing.status]),
      [['transfer', 'booked']],
    );
    assert.equal(list.ending, 1);
    assert.ok(list.entries.some((e) => e.replacement.eriOn !== null));
    const signed = await t.deps.database.db
      .selectFrom('refills')
      .select('state')
      .where('state', '=', 'signed')
      .execute();
    assert.ok(signed.length >= 8);
    const pending = await t.deps.database.db
      .selectFrom('prescriptions')
      .select('id')
      .where('state', '=', 'pending')
      .execute();
    assert.equal(pending.length, 1);
  });

  it('holds test doses in each state, the positive one with its starting dose and the open one waiting for 75 mcg', async () => {
    const db = t.deps.database.db;
    const episodes = await db.selectFrom('test_dose_episodes').select(['id', 'state']).execute();
    assert.deepEqual(episodes.map((e) => e.state).sort(), [
      'abandoned',
      'not-for-implant',
      'open',
      'positive',
    ]);
    const boluses = await db
      .selectFrom('test_dose_boluses')
      .select(['episode_id', 'dose_mcg', 'result'])
      .orderBy('sequence')
      .execute();
    const idOf = (state: string) => episodes.find((e) => e.state === state)?.id ?? '';
    const dosesOf = (state: string) =>
      boluses.filter((b) => b.episode_id === idOf(state)).map((b) => `${b.dose_mcg} ${b.result ?? ''}`);
    assert.deepEqual(dosesOf('positive'), ['50 negative', '75 positive']);
    assert.deepEqual(dosesOf('open'), ['50 negative']);
    assert.deepEqual(dosesOf('not-for-implant'), ['50 negative', '75 negative', '100 negative']);
    assert.deepEqual(dosesOf('abandoned'), []);
    const nurse = new Browser(t);
    await nurse.signIn('demo.nurse', 'demo-nurse-password');
    const positive = await nurse.get(`/test-doses/${idOf('positive')}`);
    assert.match(
      positive.body,
      /Suggested starting dose after implant: 150 mcg\/day \(twice the test dose\)/,
    );
    // The test clock says 10:00 GMT: the 50 mcg bolus was given at 05:00, so 75 mcg follows tomorrow.
    const open = await nurse.get(`/test-doses/${idOf('open')}`);
    assert.match(
      open.body,
      /Next dose on the ladder: 75 mcg: 1.5 mL at 50 mcg\/mL. Not before 25 November 2026, 05:00/,
    );
  });

  it('a real (non-demo) service lists no demo accounts', async () => {
    const real = await startTestApp('sqlite');
    const page = await real.app.inject('/sign-in');
    assert.doesNotMatch(page.body, /demo\./);
    assert.doesNotMatch(page.body, /Demo: synthetic/);
    await real.close();
  });
});
