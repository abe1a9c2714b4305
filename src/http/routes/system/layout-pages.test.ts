import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig, withDemoContacts } from '../../../config.ts';
import { startupWarnings } from '../../../services/system-service.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/**
 * What every page shares (the title, the footer, the stylesheet and its fonts under the CSP)
 * and the home page's notice that letters cannot be made until the contact settings are set.
 */

const DEFAULT_NAME = 'Complex Neuro Rehabilitation – Intrathecal Baclofen Service';

async function signedIn(t: TestApp, role: 'nurse-specialist' | 'administrator' = 'nurse-specialist') {
  const user = await addTestUser(t, role);
  const b = new Browser(t);
  await b.signIn(user.username);
  return b;
}

describe('page titles and the footer', () => {
  let t: TestApp;
  let nurse: Browser;
  before(async () => {
    t = await startTestApp();
    nurse = await signedIn(t);
  });
  after(async () => {
    await t.close();
  });

  it('titles the home page by the service name once, other pages "Page – ITB service"', async () => {
    const home = await nurse.get('/');
    assert.match(home.body, /<title>ITB service<\/title>/);
    assert.ok(!home.body.includes('ITB service – ITB service'));
    const figures = await nurse.get('/figures');
    assert.match(figures.body, /<title>Service figures – ITB service<\/title>/);
    const missing = await nurse.get('/no-such-page');
    assert.match(missing.body, /<title>Page not found – ITB service<\/title>/);
  });

  it('names the service, not NHS England, as the copyright holder by default', async () => {
    const res = await new Browser(t).get('/sign-in');
    assert.ok(!res.body.includes('NHS England'), 'no © NHS England');
    assert.match(res.body, new RegExp(`<p class="nhsuk-body-s">© ${DEFAULT_NAME}</p>`));
  });
});

describe('SERVICE_COPYRIGHT', () => {
  it('defaults to SERVICE_NAME, strips a © typed in, and refuses an empty or overlong value', () => {
    assert.equal(loadConfig({}).serviceCopyright, DEFAULT_NAME);
    assert.equal(loadConfig({ SERVICE_NAME: 'Leeds ITB Service' }).serviceCopyright, 'Leeds ITB Service');
    assert.equal(
      loadConfig({ SERVICE_COPYRIGHT: '© Leeds Teaching Hospitals NHS Trust' }).serviceCopyright,
      'Leeds Teaching Hospitals NHS Trust',
    );
    assert.throws(() => loadConfig({ SERVICE_COPYRIGHT: '   ' }), ConfigError);
    assert.throws(() => loadConfig({ SERVICE_COPYRIGHT: 'x'.repeat(201) }), ConfigError);
  });

  it('is what the footer shows', async () => {
    const t = await startTestApp('sqlite', { serviceCopyright: 'Leeds Teaching Hospitals NHS Trust' });
    try {
      const res = await new Browser(t).get('/sign-in');
      assert.match(res.body, /<p class="nhsuk-body-s">© Leeds Teaching Hospitals NHS Trust<\/p>/);
    } finally {
      await t.close();
    }
  });
});

describe('the NHS.UK stylesheet and its fonts under the CSP', () => {
  it("fetches nothing from other sites: no font address elsewhere, and the CSP allows fonts from 'self' only", async () => {
    const t = await startTestApp();
    try {
      const css = await t.app.inject('/assets/nhsuk-frontend.min.css');
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.ok(!css.body.includes('https://'), 'no external address');
      assert.ok(!css.body.includes('@font-face'), 'no font to fetch without NHS_FONTS_DIR');
      assert.match(css.body, /Frutiger W01,Arial/i, 'the design system falls back to Arial');
      assert.ok(css.body.length > 100_000, 'the whole stylesheet');
      const page = await t.app.inject('/sign-in');
      const csp = String(page.headers['content-security-policy']);
      assert.match(csp, /font-src 'self'(;|$)/);
      assert.ok(!csp.includes('assets.nhs.uk'));
      assert.equal((await t.app.inject('/assets/fonts/FrutigerLTW01-55Roman.woff2')).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  it('serves the font files from NHS_FONTS_DIR at /assets/fonts/, and only those', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itb-fonts-'));
    writeFileSync(join(dir, 'FrutigerLTW01-55Roman.woff2'), 'wOF2 roman');
    writeFileSync(join(dir, 'secret.txt'), 'not a font');
    const t = await startTestApp('sqlite', { fontsDir: dir });
    try {
      const css = await t.app.inject('/assets/nhsuk-frontend.min.css');
      assert.match(css.body, /url\(\/assets\/fonts\/FrutigerLTW01-55Roman\.woff2\)/);
      assert.match(css.body, /url\(\/assets\/fonts\/FrutigerLTW01-65Bold\.woff\)/);
      assert.ok(!css.body.includes('https://'));
      const font = await t.app.inject('/assets/fonts/FrutigerLTW01-55Roman.woff2');
      assert.equal(font.statusCode, 200);
      assert.equal(font.headers['content-type'], 'font/woff2');
      assert.equal(font.body, 'wOF2 roman');
      for (const url of [
        '/assets/fonts/secret.txt',
        '/assets/fonts/..%2Fsecret.txt',
        '/assets/fonts/FrutigerLTW01-65Bold.woff2',
      ]) {
        assert.equal((await t.app.inject(url)).statusCode, 404, url);
      }
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('letters readiness', () => {
  it('says on the home page which contact settings are missing and that no letter can be made', async () => {
    const t = await startTestApp('sqlite', { service: loadConfig({}).service });
    try {
      const home = await (await signedIn(t)).get('/');
      assert.match(home.body, /Letters cannot be made yet/);
      assert.match(home.body, /<code>SERVICE_PHONE<\/code>: the service&#39;s phone number/);
      assert.match(home.body, /<code>SERVICE_EMAIL<\/code>: the service&#39;s email address/);
      // The administrator, who has no clinical access, is told too: it is theirs to have set.
      const admin = await (await signedIn(t, 'administrator')).get('/');
      assert.match(admin.body, /Letters cannot be made yet/);
    } finally {
      await t.close();
    }
  });

  it('names only the setting still missing, and says nothing once both are set', async () => {
    const base = loadConfig({}).service;
    const onlyEmail = await startTestApp('sqlite', { service: { ...base, phone: '0113 392 0000' } });
    try {
      const home = await (await signedIn(onlyEmail)).get('/');
      assert.match(home.body, /SERVICE_EMAIL/);
      assert.ok(!home.body.includes('SERVICE_PHONE'));
    } finally {
      await onlyEmail.close();
    }
    const ready = await startTestApp('sqlite', {
      service: { ...base, phone: '0113 392 0000', email: 'itb.service@nhs.net' },
    });
    try {
      const home = await (await signedIn(ready)).get('/');
      assert.ok(!home.body.includes('Letters cannot be made'));
    } finally {
      await ready.close();
    }
  });

  it('is not shown in the demo, which fills in fictional contacts where none are set', () => {
    const base = loadConfig({}).service;
    const demo = withDemoContacts(base);
    assert.deepEqual(startupWarnings({ service: demo }), []);
    assert.equal(demo.phone, '0113 496 0000');
    assert.equal(demo.email, 'itb.service@example.org');
    assert.equal(demo.adviceLine.phone, '0113 496 0000');
    const own = withDemoContacts({ ...base, phone: '0113 392 0000', email: 'itb@nhs.net' });
    assert.equal(own.phone, '0113 392 0000');
    assert.equal(own.email, 'itb@nhs.net');
  });

  it('is warned of in the start-up log, naming the settings', () => {
    const base = loadConfig({}).service;
    assert.deepEqual(
      startupWarnings({ service: { ...base, phone: '0113 392 0000', email: 'itb@nhs.net' } }),
      [],
    );
    const [warning, ...more] = startupWarnings({ service: base });
    assert.deepEqual(more, []);
    assert.match(
      warning ?? '',
      /^Letters cannot be made until SERVICE_PHONE \(the service's phone number\) and SERVICE_EMAIL \(the service's email address\) are set/,
    );
    assert.match(
      startupWarnings({ service: { ...base, phone: '0113' } })[0] ?? '',
      /until SERVICE_EMAIL \(the service's email address\) is set/,
    );
  });
});
