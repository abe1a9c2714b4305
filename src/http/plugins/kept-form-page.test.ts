import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restoreKeptForm } from './kept-form-page.ts';

const page = (form: string) =>
  `<!DOCTYPE html><html><head><title>a &lt;/title&gt;</title></head><body><main class="nhsuk-main-wrapper" id="maincontent">${form}</main></body></html>`;

describe('putting a kept form back on its page', () => {
  it('fills the form that posts where the kept one did, and leaves the rest of the page as rendered', () => {
    const html = page(
      '<form method="post" action="/other"><input name="note" value="keep me"></form>' +
        '<form method="post" action="/p"><input type="hidden" name="_csrf" value="fresh">' +
        '<input type="hidden" name="version" value="4">' +
        '<input name="note" value="old"><textarea name="why">&lt;old&gt;</textarea>' +
        '<select name="route"><option value="a" selected>A</option><option value="b">B</option></select>' +
        '<input type="radio" name="sex" value="female"><input type="radio" name="sex" value="male" checked>' +
        '<input type="checkbox" name="flags" value="x" checked><input type="checkbox" name="flags" value="y">' +
        '<input type="password" name="pin"></form>',
    );
    const out = restoreKeptForm(html, '/p/new', {
      actionPath: '/p',
      fields: {
        _csrf: 'stale',
        version: '3',
        note: '"><script>x</script>',
        why: '</textarea><b>',
        route: 'b',
        sex: 'female',
        flags: ['y'],
        pin: '1234',
      },
      keptAtText: '14:05',
    });
    assert.ok(
      out.startsWith('<!DOCTYPE html><html><head><title>a &lt;/title&gt;</title>'),
      'outside the form untouched',
    );
    assert.match(out, /action="\/other"><input name="note" value="keep me">/);
    assert.match(out, /name="_csrf" value="fresh"/, 'the fresh CSRF token stays');
    assert.match(
      out,
      /name="version" value="3"/,
      'the version the person saw, so a newer save is not overwritten',
    );
    assert.match(out, /name="note" value="&quot;><script>x<\/script>"/);
    assert.match(out, /<textarea name="why">&lt;\/textarea&gt;&lt;b&gt;<\/textarea>/);
    assert.match(out, /<option value="a">A<\/option><option selected value="b">/);
    assert.match(out, /value="female" checked|checked[^>]*value="female"/);
    assert.doesNotMatch(out, /value="male" checked/);
    assert.match(out, /name="flags" value="x">/);
    assert.match(out, /<input checked type="checkbox" name="flags" value="y">/);
    assert.doesNotMatch(out, /1234/);
    assert.match(
      out,
      /id="maincontent"><div class="nhsuk-notification-banner"[^]*We kept what you typed[^]*at 14:05/,
    );
  });

  it('lists what was typed when the page has no such form any more', () => {
    const out = restoreKeptForm(page('<p>Nothing here</p>'), '/r/1', {
      actionPath: '/r/1/sign',
      fields: { note: 'Checked <twice>' },
      keptAtText: '09:00',
    });
    assert.match(out, /could not be put back/);
    assert.match(
      out,
      /<dt class="nhsuk-summary-list__key">note<\/dt><dd class="nhsuk-summary-list__value">Checked &lt;twice&gt;<\/dd>/,
    );
  });
});
