import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ROLES, roleHasPermission } from '../../../domain/roles.ts';
import { FIGURE_SPECS } from '../../../services/figures/all-figures.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/**
 * The figures page and each figure's CSV through the app: the default period, a period chosen,
 * bad periods named by field (never a 500), an unknown figure (404) and who may see them.
 */
describe('the figures page and its CSVs', () => {
  let t: TestApp;
  let manager: Browser;
  before(async () => {
    t = await startTestApp();
    const user = await addTestUser(t, 'service-manager');
    manager = new Browser(t);
    await manager.signIn(user.username);
  });
  after(async () => {
    await t.close();
  });

  it('shows every figure for the last 12 months by default, in the order of the sections', async () => {
    // The test clock's today is 24 November 2026: the default is 1 December 2025 to today.
    const res = await manager.get('/figures');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>Service figures – ITB service<\/title>/);
    assert.match(res.body, /name="from"[^>]*value="2025-12-01"/);
    assert.match(res.body, /name="to"[^>]*value="2026-11-24"/);
    let last = -1;
    for (const spec of FIGURE_SPECS) {
      const at = res.body.indexOf(`id="figure-${spec.key}"`);
      assert.ok(at > last, `${spec.key} shown, after the one before`);
      last = at;
      assert.ok(
        res.body.includes(`href="/figures/${spec.key}.csv?from=2025-12-01&amp;to=2026-11-24"`),
        `${spec.key} CSV link`,
      );
    }
    const svg = /<svg[^>]*class="app-chart"[^>]*>/.exec(res.body)?.[0] ?? '';
    assert.match(svg, /role="img"/);
    assert.match(svg, /aria-label="Bar chart: Referrals received, by source/);
    assert.match(res.body, /Divided by/);
  });

  it('shows a period chosen, by month', async () => {
    const res = await manager.get('/figures?from=2026-01-01&to=2026-03-31');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /1 January 2026/);
    assert.match(res.body, /Mar 2026/);
    assert.ok(!res.body.includes('Apr 2026'));
  });

  for (const [query, field, message] of [
    ['from=2026-02-30', 'from', /Start date must be a real date/],
    ['to=yesterday', 'to', /End date must be a real date/],
    ['from=2026-05-01&to=2026-04-01', 'to', /End date must be the same as or after the start date/],
    ['from=2010-01-01&to=2026-01-01', 'from', /10 years or shorter/],
    ['from=1&from=2', 'from', /Start date must be a real date/],
  ] as const) {
    it(`refuses ${query} naming the field ${field}`, async () => {
      const res = await manager.get(`/figures?${query}`);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, message);
      assert.match(res.body, new RegExp(`href="#${field}"`));
      const csv = await manager.get(`/figures/procedures.csv?${query}`);
      assert.equal(csv.statusCode, 400);
      assert.match(csv.body, message);
    });
  }

  it('downloads one figure as CSV: its definition first, then the table, named by key and period', async () => {
    const res = await manager.get('/figures/referrals-by-source.csv?from=2026-01-01&to=2026-03-31');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.equal(
      res.headers['content-disposition'],
      'attachment; filename="referrals-by-source-2026-01-01-to-2026-03-31.csv"',
    );
    const rows: string[][] = parse(res.body, { relax_column_count: true });
    assert.deepEqual(rows[0], ['Figure', 'Referrals received, by source']);
    assert.deepEqual(rows[1], ['From', '2026-01-01']);
    assert.deepEqual(rows[2], ['To', '2026-03-31']);
    assert.equal(rows[3]?.[0], 'Counts');
    assert.equal(rows[4]?.[0], 'Divided by');
    const header = rows.findIndex((r) => r[0] === 'Month');
    assert.ok(header > 4);
    assert.deepEqual(
      rows.slice(header + 1).map((r) => r[0]),
      ['2026-01', '2026-02', '2026-03', 'Whole period'],
    );
  });

  it('answers 404 for a figure that does not exist', async () => {
    const res = await manager.get('/figures/no-such-figure.csv');
    assert.equal(res.statusCode, 404);
  });

  it('lets only roles with figures:read see the page and the CSVs', async () => {
    for (const role of ROLES) {
      const user = await addTestUser(t, role, `${role.replace(/[^a-z]/g, '')}fig`);
      const b = new Browser(t);
      await b.signIn(user.username);
      const expected = roleHasPermission(role, 'figures:read') ? 200 : 403;
      assert.equal((await b.get('/figures')).statusCode, expected, `${role} page`);
      assert.equal((await b.get('/figures/procedures.csv')).statusCode, expected, `${role} CSV`);
    }
  });
});
