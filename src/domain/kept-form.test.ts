import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formPageFor, isKeepablePath, isSecretField, keepableFields } from './kept-form.ts';

const GETS = [
  '/patients/new',
  '/patients/:id',
  '/patients/:id/edit',
  '/admin/users/new',
  '/admin/users/:id',
  '/pumps/:pumpId',
  '/pumps/:pumpId/refills/new',
  '/refills/:refillId',
  '/appointments/:id/outcome',
  '/admin/security',
  '/intake',
];

describe('which page shows a kept form again', () => {
  const cases: [string, string | null][] = [
    ['/patients', '/patients/new'],
    ['/patients/p1', '/patients/p1/edit'],
    ['/admin/users', '/admin/users/new'],
    ['/admin/users/u1', '/admin/users/u1'],
    ['/admin/users/u1/status', '/admin/users/u1'],
    ['/pumps/x/refills', '/pumps/x/refills/new'],
    ['/pumps/x/appointments/a1', '/pumps/x'],
    ['/refills/r1/sign', '/refills/r1'],
    ['/appointments/a1/outcome', '/appointments/a1/outcome'],
    ['/admin/security', '/admin/security'],
    ['/intake/upload', '/intake'],
    ['/nowhere/at/all', null],
  ];
  for (const [post, page] of cases) {
    it(`POST ${post} → ${String(page)}`, () => {
      assert.equal(formPageFor(post, GETS), page);
    });
  }
});

describe('what is kept', () => {
  it('never the CSRF token, passwords or codes', () => {
    for (const name of [
      '_csrf',
      'password',
      'newPassword',
      'confirmPassword',
      'code',
      'currentCode',
      'recoveryCode',
      'apiToken',
    ]) {
      assert.ok(isSecretField(name), name);
    }
    for (const name of ['givenName', 'notes', 'volumeRemovedMl', 'postcode']) {
      assert.ok(!isSecretField(name), name);
    }
  });

  it('keeps strings and lists of strings, and nothing when only secrets were posted', () => {
    assert.deepEqual(keepableFields({ _csrf: 't', a: '1', b: ['x', 'y'], c: { d: 1 }, password: 'p' }), {
      a: '1',
      b: ['x', 'y'],
    });
    assert.equal(keepableFields({ _csrf: 't', password: 'p' }), null);
    assert.equal(keepableFields(null), null);
    assert.equal(keepableFields('a=1'), null);
  });

  it('not for signing in, out, set-up or your own account', () => {
    for (const path of [
      '/sign-in',
      '/sign-in/code',
      '/sign-out',
      '/setup/abc',
      '/account/password',
      '/account',
    ]) {
      assert.ok(!isKeepablePath(path), path);
    }
    assert.ok(isKeepablePath('/patients'));
    assert.ok(isKeepablePath('/accounts-of-something'));
  });
});
