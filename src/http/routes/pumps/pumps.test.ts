import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import type { User } from '../../../storage/users.repository.ts';

/** The test clock's today is Tuesday 24 November 2026 (Europe/London). */
const PUMP_FORM = {
  modelId: 'synchromed-ii',
  reservoirMl: '20',
  serialNumber: 'NGP123456H',
  'implantedOn-day': '1',
  'implantedOn-month': '6',
  'implantedOn-year': '2026',
  surgeon: 'Mr A Khan',
  alarmMl: '2',
  catheterModel: '8709SC',
  catheterTipLevel: 'T10',
  origin: 'spinal',
};

const SIMPLE_200 = {
  drug: 'baclofen',
  concentrationMcgPerMl: '500',
  mode: 'simple',
  doseMcgPerDay: '200',
  phase: 'maintenance',
  reason: '',
};

/** The error summary links to `field` with a message matching `message`. */
function assertSummaryNames(body: string, field: string, message?: RegExp): void {
  assert.match(body, /There is a problem/);
  const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(body);
  assert.ok(link, `expected the error summary to link to #${field}`);
  if (message) {
    assert.match((link[1] ?? '').trim(), message);
  }
}

/** Each test starts from its own database: Ann, registered by Nina, with no pump. */
describe('pump pages', () => {
  let t: TestApp;
  let ninaUser: User;
  let carlUser: User;
  let patientId = '';
  const as = async (username: string) => {
    const b = new Browser(t);
    const res = await b.signIn(username);
    assert.equal(res.statusCode, 303, `sign in ${username}`);
    return b;
  };
  const count = (table: 'pumps' | 'prescriptions') => countRows(t.deps.database.db, table);
  /** The pump of PUMP_FORM, registered by Nina through the service. */
  const registerPump = async (): Promise<string> =>
    (
      await t.deps.services.pumps.register(actorOf(ninaUser, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP123456H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        catheterModel: '8709SC',
        catheterTipLevel: 'T10',
        origin: 'spinal',
      })
    ).id;
  /** Nina proposes 200 mcg/day at 500 mcg/mL in maintenance, with `fields` changed. */
  const propose = async (pumpId: string, fields: Record<string, unknown>) =>
    t.deps.services.pumps.proposePrescription(actorOf(ninaUser, null), pumpId, {
      concentrationMcgPerMl: 500,
      programme: { mode: 'simple', doseMcgPerDay: 200 },
      phase: 'maintenance',
      ...fields,
    });

  beforeEach(async () => {
    t = await startTestApp('sqlite');
    ninaUser = await addTestUser(t, 'nurse-specialist', 'nina');
    carlUser = await addTestUser(t, 'consultant', 'carl');
    await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'physiotherapist', 'pat');
    patientId = (await registerAnn(t, ninaUser)).id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('links the patient page to pumps, and lists none yet with a register button for pump managers', async () => {
    const b = await as('nina');
    const patient = await b.get(`/patients/${patientId}`);
    assert.match(patient.body, new RegExp(`href="/patients/${patientId}/pumps">Pumps and refills`));
    const list = await b.get(`/patients/${patientId}/pumps`);
    assert.equal(list.statusCode, 200, list.body.slice(0, 500));
    assert.match(list.body, /No pump has been registered/);
    assert.match(list.body, /Register a pump/);
    const physio = await as('pat');
    const seen = await physio.get(`/patients/${patientId}/pumps`);
    assert.equal(seen.statusCode, 200);
    assert.doesNotMatch(seen.body, /Register a pump/);
    assert.equal((await physio.get(`/patients/${patientId}/pumps/new`)).statusCode, 403);
  });

  it('refuses bad pump details naming each field, and stores nothing', async () => {
    const b = await as('nina');
    const form = `/patients/${patientId}/pumps/new`;
    const page = await b.get(form);
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    assert.match(page.body, /read it off the programmer printout; there is no default/i);
    const cases: [Record<string, string>, string, RegExp][] = [
      [
        { alarmMl: '25' },
        'alarmMl',
        /Low-reservoir alarm volume must be more than 0 and less than the reservoir/,
      ],
      [{ alarmMl: '2 mL' }, 'alarmMl', /digits only/],
      [{ reservoirMl: '30' }, 'reservoirMl', /20 or 40 mL/],
      [{ 'implantedOn-day': '31', 'implantedOn-month': '2' }, 'implantedOn-day', /real date/],
      [{ serialNumber: '' }, 'serialNumber', /Enter the serial number/],
      [{ origin: '' }, 'origin', /spinal or cerebral/],
    ];
    for (const [change, field, message] of cases) {
      const res = await b.post(`/patients/${patientId}/pumps`, { ...PUMP_FORM, ...change }, form);
      assert.equal(res.statusCode, 400, `${field}: ${String(res.statusCode)}`);
      assertSummaryNames(res.body, field, message);
    }
    // A bad date and another problem are reported together; what was typed is kept.
    const both = await b.post(
      `/patients/${patientId}/pumps`,
      { ...PUMP_FORM, 'implantedOn-year': '', alarmMl: '25' },
      form,
    );
    assertSummaryNames(both.body, 'implantedOn-day');
    assertSummaryNames(both.body, 'alarmMl');
    assert.match(both.body, /value="NGP123456H"/);
    assert.equal(await count('pumps'), 0);
  });

  it('registers a pump and shows it with its life dates, MRI advice and no plan yet', async () => {
    const b = await as('nina');
    const res = await b.post(`/patients/${patientId}/pumps`, PUMP_FORM, `/patients/${patientId}/pumps/new`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    const m = /^\/pumps\/([\w-]+)\?done=registered$/.exec(String(res.headers.location));
    assert.ok(m, String(res.headers.location));
    const pumpId = m[1] ?? '';
    const page = await b.get(String(res.headers.location));
    assert.equal(page.statusCode, 200, page.body.slice(0, 800));
    assert.match(page.body, /Pump registered/);
    assert.match(page.body, /SynchroMed II \(8637\), serial NGP123456H/);
    assert.match(page.body, /End of service[\s\S]*?1 June 2033/);
    assert.match(page.body, /Replace by[\s\S]*?1 December 2032/);
    assert.match(page.body, /Interrogate the pump after every scan/);
    assert.match(page.body, /No fill recorded/);
    assert.match(page.body, /Record a refill/);
    assert.match(page.body, /Change prescription/);
    const list = await b.get(`/patients/${patientId}/pumps`);
    assert.match(list.body, new RegExp(`href="/pumps/${pumpId}"`));
    // The same serial number of the same model is refused.
    const again = await b.post(`/patients/${patientId}/pumps`, PUMP_FORM, `/patients/${patientId}/pumps/new`);
    assert.equal(again.statusCode, 409);
    assertSummaryNames(again.body, 'serialNumber', /already registered/);
  });

  it('refuses "2 mg" as a concentration and a flex day that does not cover 24 hours', async () => {
    const pumpId = await registerPump();
    const b = await as('nina');
    const form = `/pumps/${pumpId}/prescriptions/new`;
    const page = await b.get(form);
    assert.equal(page.statusCode, 200, page.body.slice(0, 800));
    assert.match(page.body, /only be set through the API/);
    const post = (fields: Record<string, string>) => b.post(`/pumps/${pumpId}/prescriptions`, fields, form);
    const mg = await post({ ...SIMPLE_200, concentrationMcgPerMl: '2 mg' });
    assert.equal(mg.statusCode, 400);
    assertSummaryNames(
      mg.body,
      'concentrationMcgPerMl',
      /Concentration must be a number of mcg\/mL, digits only/,
    );
    assert.match(mg.body, /value="2 mg"/);
    const dose = await post({ ...SIMPLE_200, doseMcgPerDay: '0.2 mg' });
    assertSummaryNames(dose.body, 'doseMcgPerDay', /Daily dose/);
    const flex = await post({
      ...SIMPLE_200,
      mode: 'flex',
      'step-0-start': '00:00',
      'step-0-end': '08:00',
      'step-0-rate': '8',
      'step-2-start': '08:00',
      'step-2-end': '20:00',
      'step-2-rate': 'ten',
    });
    assert.equal(flex.statusCode, 400);
    assertSummaryNames(flex.body, 'step-2-rate', /Rate must be a number/);
    const gap = await post({
      ...SIMPLE_200,
      mode: 'flex',
      'step-0-start': '00:00',
      'step-0-end': '08:00',
      'step-0-rate': '8',
      'step-1-start': '09:00',
      'step-1-end': '00:00',
      'step-1-rate': '10',
    });
    assertSummaryNames(gap.body, 'steps', /no gap or overlap/);
    assert.equal(await count('prescriptions'), 0);
  });

  it('shows a proposed prescription as Now and Proposed; only a different clinician confirms it', async () => {
    const pumpId = await registerPump();
    const nina = await as('nina');
    const form = `/pumps/${pumpId}/prescriptions/new`;
    // A first prescription is checked against the starting dose from a positive test dose;
    // with none on record for Ann it needs a written reason.
    // A new pump's first prescription is in titration; the change below is made in maintenance.
    const unexplained = await nina.post(
      `/pumps/${pumpId}/prescriptions`,
      { ...SIMPLE_200, phase: 'titration' },
      form,
    );
    assert.equal(unexplained.statusCode, 400);
    assertSummaryNames(unexplained.body, 'reason', /No positive test dose is recorded for this patient/);
    assert.equal(await count('prescriptions'), 0);
    const first = await nina.post(
      `/pumps/${pumpId}/prescriptions`,
      { ...SIMPLE_200, phase: 'titration', reason: 'Test dose given at another centre' },
      form,
    );
    assert.equal(first.statusCode, 303, first.body.slice(0, 800));
    assert.equal(first.headers.location, `/pumps/${pumpId}?done=proposed`);
    let page = await nina.get(`/pumps/${pumpId}`);
    assert.match(page.body, /does not count until a different clinician confirms it/);
    assert.match(page.body, /You proposed this change/);
    assert.match(page.body, /First prescription: no positive test dose to compare with/);
    assert.match(page.body, /Reason[\s\S]{0,200}Test dose given at another centre/);
    assert.doesNotMatch(page.body, /Confirm the change/);
    // Confirming one's own proposal is refused even when posted directly.
    const pendingId = /action="\/prescriptions\/([\w-]+)\/reject"/.exec(page.body)?.[1] ?? '';
    assert.ok(pendingId);
    const own = await nina.post(`/prescriptions/${pendingId}/confirm`, {}, `/pumps/${pumpId}`);
    assert.equal(own.statusCode, 400);
    assert.match(own.body, /different clinician from the one who proposed it/);

    const carl = await as('carl');
    page = await carl.get(`/pumps/${pumpId}`);
    assert.match(page.body, /Confirm the change/);
    const ok = await carl.post(
      `/prescriptions/${pendingId}/confirm`,
      { 'confirm-note': '' },
      `/pumps/${pumpId}`,
    );
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    page = await carl.get(`/pumps/${pumpId}?done=confirmed`);
    assert.match(page.body, /now the active prescription/);
    assert.match(page.body, /Simple continuous, 200 mcg\/day/);
    // The same 200 mcg/day confirmed in maintenance, so the change below is held to ±20%.
    const maintenance = await nina.post(`/pumps/${pumpId}/prescriptions`, SIMPLE_200, form);
    assert.equal(maintenance.statusCode, 303, maintenance.body.slice(0, 800));
    page = await carl.get(`/pumps/${pumpId}`);
    const maintenanceId = /action="\/prescriptions\/([\w-]+)\/confirm"/.exec(page.body)?.[1] ?? '';
    const kept = await carl.post(
      `/prescriptions/${maintenanceId}/confirm`,
      { 'confirm-note': '' },
      `/pumps/${pumpId}`,
    );
    assert.equal(kept.statusCode, 303, kept.body.slice(0, 500));

    // 220 mcg/day (+10%) plus two 20 mcg boluses can give 260 mcg a day: +30%, beyond the ±20%
    // maintenance limit. Either dose beyond the limit needs a reason.
    const changed = {
      ...SIMPLE_200,
      doseMcgPerDay: '220',
      bolusDoseMcg: '20',
      bolusMaxPerDay: '2',
      bolusLockoutMinutes: '120',
    };
    const noReason = await nina.post(`/pumps/${pumpId}/prescriptions`, changed, form);
    assert.equal(noReason.statusCode, 400);
    assertSummaryNames(
      noReason.body,
      'reason',
      /Give the reason: .*most the pump can give in a day, boluses included, changes by 30% .*beyond the 20% limit/,
    );
    const change = await nina.post(
      `/pumps/${pumpId}/prescriptions`,
      { ...changed, reason: 'Spasms at night; boluses for stretching' },
      form,
    );
    assert.equal(change.statusCode, 303, change.body.slice(0, 800));
    page = await carl.get(`/pumps/${pumpId}`);
    const table =
      /<table class="nhsuk-table[^"]*"[^>]*id="pending-comparison">[\s\S]*?<\/table>/.exec(page.body)?.[0] ??
      '';
    assert.match(table, />Now</);
    assert.match(table, />Proposed</);
    assert.match(
      table,
      /Daily dose \(continuous\)[\s\S]*?200 mcg\/day[\s\S]*?<strong>220 mcg\/day<\/strong>/,
    );
    assert.match(table, /Planning dose[\s\S]*?200 mcg\/day[\s\S]*?260 mcg\/day/);
    assert.match(table, /Boluses[\s\S]*?None[\s\S]*?20 mcg, up to 2 a day, 120 min lock-out/);
    assert.match(page.body, /20%, beyond the limit/);
    assert.match(page.body, /Spasms at night; boluses for stretching/);
    const changeId = /action="\/prescriptions\/([\w-]+)\/confirm"/.exec(page.body)?.[1] ?? '';
    const reject = await carl.post(
      `/prescriptions/${changeId}/reject`,
      { 'reject-note': '' },
      `/pumps/${pumpId}`,
    );
    assert.equal(reject.statusCode, 400);
    assertSummaryNames(reject.body, 'reject-note', /Enter why the change is rejected/);
  });

  it('shows the checker the change that put a proposal beyond the limit', async () => {
    // 200 mcg/day confirmed in titration, then again in maintenance; then the change below.
    const pumpId = await registerPump();
    const { confirmPrescription } = t.deps.services.pumps;
    const first = await propose(pumpId, { phase: 'titration', reason: 'Test dose given at another centre' });
    await confirmPrescription(actorOf(carlUser, null), first.id, {});
    await confirmPrescription(actorOf(carlUser, null), (await propose(pumpId, {})).id, {});
    await propose(pumpId, {
      programme: {
        mode: 'simple',
        doseMcgPerDay: 220,
        bolus: { doseMcg: 20, maxPerDay: 2, lockoutMinutes: 120 },
      },
      reason: 'Spasms at night; boluses for stretching',
    });
    const page = await (await as('carl')).get(`/pumps/${pumpId}`);
    const summary = /id="pending"[\s\S]*?Limit/.exec(page.body)?.[0] ?? '';
    // 200 → 220 mcg/day is +10%, within; with 2 × 20 mcg boluses the most in a day is 260: +30%.
    assert.match(summary, /\+30% \(from 200 mcg\/day\)/);
  });

  it('books an appointment and records an event, naming bad fields on the pump page', async () => {
    const pumpId = await registerPump();
    const bea = await as('bea');
    const page = await bea.get(`/pumps/${pumpId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Record a refill/);
    const past = await bea.post(
      `/pumps/${pumpId}/appointments`,
      {
        'appt-kind': 'refill',
        'appt-onDate-day': '1',
        'appt-onDate-month': '11',
        'appt-onDate-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(past.statusCode, 400);
    assertSummaryNames(past.body, 'appt-onDate-day', /today or later/);
    const booked = await bea.post(
      `/pumps/${pumpId}/appointments`,
      {
        'appt-kind': 'refill',
        'appt-onDate-day': '15',
        'appt-onDate-month': '12',
        'appt-onDate-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(booked.statusCode, 303, booked.body.slice(0, 500));
    const after = await bea.get(`/pumps/${pumpId}`);
    assert.match(after.body, /Refill booked[\s\S]*?15 December 2026/);
    // A booking coordinator does not record pump events.
    const event = await bea.post(
      `/pumps/${pumpId}/events`,
      {
        'event-kind': 'mri',
        'event-occurredOn-day': '20',
        'event-occurredOn-month': '11',
        'event-occurredOn-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(event.statusCode, 403);

    const nina = await as('nina');
    // A replacement is recorded by registering the new pump, and an explant by the end form (a
    // second clinician confirms it), so the event form offers neither and a posted one is refused.
    const eventSelect =
      /<select[^>]*id="event-kind"[\s\S]*?<\/select>/.exec((await nina.get(`/pumps/${pumpId}`)).body)?.[0] ??
      '';
    assert.match(eventSelect, /value="eri"/);
    // An MRI scan is recorded on the MRI page, which creates the post-scan check.
    assert.doesNotMatch(eventSelect, /value="mri"/);
    assert.doesNotMatch(eventSelect, /value="explant"/);
    assert.doesNotMatch(eventSelect, /value="replacement"/);
    const replacement = await nina.post(
      `/pumps/${pumpId}/events`,
      {
        'event-kind': 'replacement',
        'event-occurredOn-day': '20',
        'event-occurredOn-month': '11',
        'event-occurredOn-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(replacement.statusCode, 400);
    assertSummaryNames(
      replacement.body,
      'event-kind',
      /Register the new pump and say which pump it replaces/,
    );
    const noNote = await nina.post(
      `/pumps/${pumpId}/events`,
      {
        'event-kind': 'revision',
        'event-occurredOn-day': '20',
        'event-occurredOn-month': '11',
        'event-occurredOn-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(noNote.statusCode, 400);
    assertSummaryNames(noNote.body, 'event-note', /Describe what was done/);
    // An MRI scan posted as a plain event is refused, naming the kind: the MRI page records it and
    // starts the post-scan check.
    const mri = await nina.post(
      `/pumps/${pumpId}/events`,
      {
        'event-kind': 'mri',
        'event-occurredOn-day': '20',
        'event-occurredOn-month': '11',
        'event-occurredOn-year': '2026',
      },
      `/pumps/${pumpId}`,
    );
    assertSummaryNames(mri.body, 'event-kind', /MRI page/);
    const eri = await nina.post(
      `/pumps/${pumpId}/events`,
      {
        'event-kind': 'eri',
        'event-occurredOn-day': '20',
        'event-occurredOn-month': '11',
        'event-occurredOn-year': '2026',
        'event-note': 'Alarm heard at home',
      },
      `/pumps/${pumpId}`,
    );
    assert.equal(eri.statusCode, 303, eri.body.slice(0, 500));
    const shown = await nina.get(`/pumps/${pumpId}`);
    assert.match(
      shown.body,
      /Elective replacement indicator \(ERI\) alarm<\/strong>\. <span class="app-preserve-lines">Alarm heard at home/,
    );
    assert.doesNotMatch(shown.body, /Pump replaced<\/strong>/);
    // Registering a pump for Ann now asks whether it replaces the one implanted.
    const register = await nina.get(`/patients/${patientId}/pumps/new`);
    assert.match(register.body, /Does this pump replace one already implanted\?/);
    assert.match(register.body, new RegExp(`name="replacesPumpId" type="radio" value="${pumpId}"`));
  });
});
