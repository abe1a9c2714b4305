import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkNhsNumber } from '../domain/nhs-number.ts';
import { Browser, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { seedDemo, syntheticNhsNumbers } from './seed-demo.ts';
import { triageQueue } from '../services/triage-queue-service.ts';
import { waitingList } from '../services/waiting-list-service.ts';
import { refillWorklist } from '../services/worklist-service.ts';
import { actorOf } from '../services/audit-service.ts';
import { findUserByUsername } from '../storage/users.repository.ts';

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

  it('holds a post-scan MRI check overdue and one waiting', async () => {
    const nurse = await findUserByUsername(t.deps.database.db, 'demo.nurse');
    assert.ok(nurse);
    const checks = await t.deps.services.mri.pendingChecks(actorOf(nurse, null), { audited: false });
    assert.deepEqual(
      checks.map((c) => c.overdue),
      [true, false],
    );
    const browser = new Browser(t);
    await browser.signIn('demo.nurse', 'demo-nurse-password');
    for (const c of checks) {
      const page = await browser.get(`/pumps/${c.pumpId}/mri`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Record the post-scan check/);
    }
    // The overdue one's pump was paused for its scan: the page says to record the resume.
    assert.match((await browser.get(`/pumps/${checks[0]?.pumpId ?? ''}/mri`)).body, /id="mri-paused"/);
  });

  it('holds an up-to-date emergency card and one made out of date by a dose change', async () => {
    const cards = await t.deps.database.db
      .selectFrom('emergency_cards')
      .select(['pump_id', 'patient_id'])
      .execute();
    assert.equal(cards.length, 2);
    const changes = [];
    for (const c of cards) {
      const standing = (await t.deps.services.documents.cardStandings(c.patient_id)).get(c.pump_id);
      changes.push(standing?.changes.join(',') ?? 'none');
    }
    assert.deepEqual(changes.sort(), ['', 'dose']);
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

  it('holds a pregnancy with open actions and an operation planned elsewhere, both pumps still listed', async () => {
    const events = await t.deps.database.db.selectFrom('life_events').selectAll().orderBy('kind').execute();
    assert.deepEqual(
      events.map((e) => [e.kind, e.state]),
      [
        ['pregnancy', 'open'],
        ['surgery-elsewhere', 'open'],
      ],
    );
    const actions = await t.deps.database.db
      .selectFrom('life_event_actions')
      .select(['code', 'done_at'])
      .orderBy('code')
      .execute();
    assert.ok(actions.some((a) => a.code === 'refill-before-admission' && a.done_at === null));
    assert.ok(actions.some((a) => a.code === 'alert-obstetric' && a.done_at !== null));
    const nurse = new Browser(t);
    await nurse.signIn('demo.nurse', 'demo-nurse-password');
    const page = await nurse.get(`/patients/${events[0]?.patient_id ?? ''}`);
    assert.match(page.body, /Consultant review of the ITB dose in pregnancy/);
    const listed = await refillWorklist({
      db: t.deps.database.db,
      clock: t.deps.clock,
      config: t.deps.config,
    });
    const pumps = await t.deps.database.db
      .selectFrom('pumps')
      .select('id')
      .where(
        'patient_id',
        'in',
        events.map((e) => e.patient_id),
      )
      .execute();
    for (const p of pumps) {
      assert.ok(listed.entries.some((e) => e.pumpId === p.id));
    }
  });

  it('shows an open withdrawal event on a pump patient, on her pages and at the head of the worklist', async () => {
    const open = await t.deps.database.db
      .selectFrom('emergency_events')
      .selectAll()
      .where('state', '=', 'open')
      .execute();
    assert.deepEqual(
      open.map((e) => e.kind),
      ['withdrawal'],
    );
    const nurse = new Browser(t);
    await nurse.signIn('demo.nurse', 'demo-nurse-password');
    assert.match((await nurse.get(`/patients/${open[0]?.patient_id ?? ''}`)).body, /id="emergency-alert"/);
    assert.match((await nurse.get('/worklist')).body, /id="worklist-emergencies"/);
    assert.match((await nurse.get('/advice-calls')).body, /Not matched: Registrar, Demo General A&amp;E/);
  });

  it('holds complications: an infection with its organism, and a catheter kink revised under a bridging plan', async () => {
    const nurse = new Browser(t);
    await nurse.signIn('demo.nurse', 'demo-nurse-password');
    const register = await nurse.get('/complications');
    assert.equal(register.statusCode, 200);
    assert.match(register.body, /Infection: pump pocket<\/a> \(Staphylococcus aureus/);
    assert.match(register.body, /Catheter fault: kink/);
    assert.match(register.body, /Revision surgery/);
    const plans = await t.deps.database.db.selectFrom('bridging_plans').selectAll().execute();
    assert.deepEqual(
      plans.map((p) => [p.purpose, p.complication_id !== null]),
      [['revision', true]],
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
