import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { upload } from '../../../../test/support/referral-pages.ts';
import {
  SAMPLE_HEADERS,
  sampleCaseloadCsv,
  sampleCaseloadRows,
} from '../../../../test/support/caseload-sample.ts';
import type { PlainDate } from '../../../domain/calendar-date.ts';

const SAMPLE = readFileSync(new URL('../../../../docs/samples/caseload-sample.xlsx', import.meta.url));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

describe('caseload import pages', () => {
  let t: TestApp;
  let consultant: Browser;
  let admin: Browser;
  let nurse: Browser;

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-12-01T10:00:00.000Z');
    const sign = async (role: 'consultant' | 'administrator' | 'nurse-specialist') => {
      const u = await addTestUser(t, role);
      const b = new Browser(t);
      await b.signIn(u.username);
      return b;
    };
    consultant = await sign('consultant');
    admin = await sign('administrator');
    nurse = await sign('nurse-specialist');
  });
  after(async () => {
    await t.close();
  });

  it('is refused to a role without caseload:import', async () => {
    assert.equal((await nurse.get('/import/caseload')).statusCode, 403);
    const res = await upload(
      nurse,
      '/import/caseload',
      { filename: 'c.xlsx', contentType: XLSX, content: SAMPLE },
      '/patients/new',
    );
    assert.equal(res.statusCode, 403);
  });

  it('a bad file is a 400 naming the problem', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['notes.txt', Buffer.from('hello'), /must be an Excel workbook \(\.xlsx\) or a CSV file/],
      ['empty.csv', Buffer.alloc(0), /Select a spreadsheet/],
      ['fake.xlsx', Buffer.from('not a zip at all'), /is not an Excel \.xlsx workbook/],
      [
        'only-header.csv',
        Buffer.from(`${SAMPLE_HEADERS.join(',')}\n`),
        /has a header row but no patient rows/,
      ],
    ];
    for (const [filename, content, message] of cases) {
      const res = await upload(
        consultant,
        '/import/caseload',
        { filename, contentType: 'text/csv', content },
        '/import/caseload',
      );
      assert.equal(res.statusCode, 400, filename);
      assert.match(res.body, message, filename);
      assert.match(res.body, /There is a problem/);
    }
  });

  it('shows the mapping and the problems by row and column, and refuses to import errors', async () => {
    const rows = sampleCaseloadRows(3, '2026-12-01' as PlainDate, 3, 10_000);
    const bad = rows[2];
    assert.ok(bad);
    bad[SAMPLE_HEADERS.indexOf('Last fill volume (ml)')] = 45;
    const headers = SAMPLE_HEADERS.map((h) =>
      h === 'NHS number' ? 'NHS_No' : h === 'Date of birth' ? 'DOB' : h,
    );
    const res = await upload(
      consultant,
      '/import/caseload',
      {
        filename: 'three.csv',
        contentType: 'text/csv',
        content: Buffer.from(sampleCaseloadCsv([...headers, 'Ward'], rows)),
      },
      '/import/caseload',
    );
    assert.equal(res.statusCode, 303);
    const page = await consultant.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /NHS_No<\/td>[\s\S]*?NHS number/);
    assert.match(page.body, /Ward[\s\S]*?Not a known column: left out/);
    assert.match(page.body, /1 error and 0 warnings/);
    assert.match(page.body, />4<\/td>[\s\S]*?Last fill volume \(ml\) \(P\)/);
    assert.doesNotMatch(page.body, /\/confirm"/);
    // Another importer cannot see it.
    assert.equal((await admin.get(String(res.headers.location))).statusCode, 404);
  });

  it('uploads the sample, confirms once, links to the worklist; a second confirm is a 409', async () => {
    const res = await upload(
      consultant,
      '/import/caseload',
      { filename: 'caseload-sample.xlsx', contentType: XLSX, content: SAMPLE },
      '/import/caseload',
    );
    assert.equal(res.statusCode, 303);
    const url = String(res.headers.location);
    const page = await consultant.get(url);
    assert.match(page.body, /0 errors and 0 warnings/);
    assert.match(page.body, /Import 200 patients/);
    const token = csrfOf(page.body);
    // The administrator did not upload it: not theirs to confirm.
    const other = await admin.post(`${url}/confirm`, {}, '/import/caseload');
    assert.equal(other.statusCode, 404);
    const done = await consultant.postRaw(`${url}/confirm`, { _csrf: token });
    assert.equal(done.statusCode, 303);
    const result = await consultant.get(url);
    assert.match(result.body, /Caseload imported/);
    assert.match(result.body, /200 pumps from caseload-sample\.xlsx/);
    assert.match(result.body, /href="\/worklist"/);
    const again = await consultant.postRaw(`${url}/confirm`, { _csrf: token });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already been imported/);
    const worklist = await consultant.get('/worklist');
    assert.equal(worklist.statusCode, 200);
    // Each imported pump's page says where it came from and that it is not yet checked.
    const pump = await t.deps.database.db.selectFrom('pumps').select('id').limit(1).executeTakeFirstOrThrow();
    const pumpPage = await consultant.get(`/pumps/${pump.id}`);
    assert.equal(pumpPage.statusCode, 200);
    assert.match(pumpPage.body, /Imported, not yet checked/);
    assert.match(
      pumpPage.body,
      /Imported from the caseload file caseload-sample\.xlsx \(row \d+\) by Test consultant/,
    );
  });
});
