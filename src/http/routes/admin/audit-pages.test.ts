import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

describe('audit trail pages', () => {
  let t: TestApp;
  let admin: Browser;
  // Each test starts on a trail of its own: the accounts, one patient, the administrator signed in.
  beforeEach(async () => {
    t = await startTestApp();
    await addTestUser(t, 'administrator', 'ada');
    const nurse = await addTestUser(t, 'nurse-specialist', 'nia');
    await t.deps.services.patients.create(
      { userId: nurse.id, username: 'nia', role: nurse.role, requestId: 'r' },
      {
        nhsNumber: '4857773457',
        givenName: '=cmd|calc',
        familyName: 'Smith',
        dateOfBirth: '1961-03-14',
        sex: 'female',
      },
    );
    admin = new Browser(t);
    await admin.signIn('ada');
  });
  afterEach(async () => {
    await t.close();
  });

  it('filters by patient NHS number and by user, and audits the look', async () => {
    const res = await admin.get('/audit?nhsNumber=485%20777%203457');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Registered a patient/);
    assert.doesNotMatch(res.body, /Signed in/);
    const byUser = await admin.get('/audit?username=ada');
    assert.match(byUser.body, /Signed in/);
    const viewsOnly = await admin.get('/audit?nhsNumber=4857773457&what=views');
    assert.match(viewsOnly.body, /No entries match/, 'registering is not opening the record');
    const last = await t.deps.database.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(last.action, 'audit.view');
  });

  it('names the bad filter field', async () => {
    const res = await admin.get('/audit?from=2026-02-30&nhsNumber=123&to=31%2F04%2F2026');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#from"/);
    assert.match(res.body, /href="#nhsNumber"/);
    assert.match(res.body, /To date must be a real date, for example 7 March 2026 or 07\/03\/2026/);
  });

  it('shows actions in words and staff by name; patients only to roles that see patients', async () => {
    const page = await admin.get('/audit?nhsNumber=4857773457');
    assert.match(page.body, /Registered a patient/);
    assert.match(page.body, /Test nurse-specialist<br><span class="nhsuk-body-s">nia, Nurse specialist/);
    assert.doesNotMatch(
      page.body,
      /patient\.create|SMITH/,
      'no codes; no patient names for an administrator',
    );
    assert.match(page.body, /Not shown to your role/);
    // A service that lets a clinical role read the trail shows that role who the patient is.
    const auditor = await addTestUser(t, 'consultant', 'cora');
    const rows = await t.deps.services.audit.browse(
      { userId: auditor.id, username: 'cora', role: 'consultant', requestId: 'r' },
      {},
    );
    const created = rows.entries.find((e) => e.record.action === 'patient.create');
    assert.deepEqual(created?.patient, {
      givenName: '=cmd|calc',
      familyName: 'Smith',
      nhsNumber: '4857773457',
    });
    assert.equal(created.patientHidden, false);
    assert.equal(created.userName, 'Test nurse-specialist');
    assert.equal(created.actionText, 'Registered a patient');
  });

  it('pages by entry number: older entries, then back to the newest', async () => {
    for (let i = 0; i < 105; i++) {
      await admin.get('/audit?username=nobody');
    }
    const first = await admin.get('/audit?username=ada');
    const older = /href="(\/audit\?username=ada&amp;before=\d+)"/.exec(first.body);
    assert.ok(older, 'an older page is offered');
    const second = await admin.get((older[1] ?? '').replace(/&amp;/g, '&'));
    assert.equal(second.statusCode, 200);
    assert.match(second.body, /Signed in/, 'the sign-in is older than the 100 newest looks');
    assert.match(second.body, /href="\/audit\?username=ada">/);
    assert.doesNotMatch(second.body, /before=\d+"/, 'no page older than the last');
  });

  it('filters by UK dates as whole local days, British Summer Time included', async () => {
    // 23:30 UTC on 30 June 2026 is 00:30 on 1 July in London (British Summer Time).
    t.clock.set('2026-06-30T23:30:00.000Z');
    await admin.get('/audit?username=nobody');
    const july = await admin.get('/audit?username=ada&from=1%20July%202026&to=01%2F07%2F2026');
    assert.equal(july.statusCode, 200);
    assert.match(july.body, /Looked at the audit trail/);
    assert.match(july.body, /1 July 2026(,| at) 00:30/);
    const june = await admin.get('/audit?username=ada&from=30%2F06%2F2026&to=30%20June%202026');
    assert.match(june.body, /No entries match/, 'in UTC it would have been 30 June');
  });

  it('exports CSV as a download, safe from spreadsheet formulas, and audits the export', async () => {
    const res = await admin.get('/audit/export.csv?nhsNumber=4857773457');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/csv/);
    assert.match(
      String(res.headers['content-disposition']),
      /attachment; filename="itb-audit-2026-11-24\.csv"/,
    );
    const lines = res.body.trim().split('\n');
    assert.equal(
      lines[0],
      'seq,occurredAt,username,role,action,actionText,outcome,entityType,entityId,patientId,nhsNumber,requestId,details,hash',
    );
    assert.ok(lines.length >= 2);
    assert.match(
      lines[1] ?? '',
      /,patient\.create,Registered a patient,success,patient,[0-9a-f-]+,[0-9a-f-]{36},4857773457,/,
    );
    assert.doesNotMatch(res.body, /(^|,)"?[=+@-]/m);
    const exported = await t.deps.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'audit.export')
      .execute();
    assert.equal(exported.length, 1);
  });

  it('reads a filter given twice by its first value, on the page and the export, never a 500', async () => {
    // A repeated parameter once reached the page as an array and answered 500 (found by the
    // fuzzer); the query parser now keeps the first and ignores the repeat.
    const byUser = await admin.get('/audit?username=ada&username=nobody');
    assert.equal(byUser.statusCode, 200, byUser.body.slice(0, 200));
    assert.match(byUser.body, /Signed in/);
    for (const url of [
      '/audit?nhsNumber=4857773457&nhsNumber=',
      '/audit?from=2026-11-01&from=&to=2026-11-30&to=x',
      '/audit/export.csv?nhsNumber=4857773457&nhsNumber=1&username=nia&username=a',
    ]) {
      const res = await admin.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
    }
    const bad = await admin.get('/audit?from=2026-02-30&from=2026-11-01');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#from"/);
  });
});
