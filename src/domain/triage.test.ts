import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateTriageInput } from './triage.ts';

function fields(raw: Record<string, unknown>, isChange = false): Record<string, string> {
  const result = validateTriageInput(raw, { isChange });
  return result.ok ? {} : Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

describe('triage decision', () => {
  const cases: [string, Record<string, unknown>, boolean, string[]][] = [
    ['accepted with priority', { outcome: 'accepted', priority: 'urgent' }, false, []],
    ['accepted without priority', { outcome: 'accepted' }, false, ['priority']],
    ['not accepted with advice', { outcome: 'not-accepted', advice: 'Try botulinum toxin first' }, false, []],
    ['not accepted without advice', { outcome: 'not-accepted', advice: ' ' }, false, ['advice']],
    [
      'redirected with both',
      {
        outcome: 'redirected',
        redirectTo: 'Pain service',
        advice: 'Pain, not spasticity',
        redirectSent: true,
        redirectMethod: 'e-rs',
      },
      false,
      [],
    ],
    [
      'redirected, not sent on (form "no")',
      { outcome: 'redirected', redirectTo: 'Pain service', advice: 'x', redirectSent: 'no' },
      false,
      [],
    ],
    [
      'redirected, sent on by post (form "yes")',
      {
        outcome: 'redirected',
        redirectTo: 'Pain service',
        advice: 'x',
        redirectSent: 'yes',
        redirectMethod: 'post',
      },
      false,
      [],
    ],
    [
      'redirected without saying whether it was sent on',
      { outcome: 'redirected', redirectTo: 'Pain service', advice: 'x' },
      false,
      ['redirectSent'],
    ],
    [
      'redirected and sent on, without how',
      { outcome: 'redirected', redirectTo: 'Pain service', advice: 'x', redirectSent: true },
      false,
      ['redirectMethod'],
    ],
    [
      'redirected and sent on by an unknown way',
      {
        outcome: 'redirected',
        redirectTo: 'Pain service',
        advice: 'x',
        redirectSent: 'yes',
        redirectMethod: 'fax',
      },
      false,
      ['redirectMethod'],
    ],
    [
      'redirected, sent on given as neither yes nor no',
      { outcome: 'redirected', redirectTo: 'Pain service', advice: 'x', redirectSent: 'maybe' },
      false,
      ['redirectSent'],
    ],
    [
      'redirected without a service',
      { outcome: 'redirected', advice: 'x', redirectSent: 'no' },
      false,
      ['redirectTo'],
    ],
    ['redirected with nothing', { outcome: 'redirected' }, false, ['advice', 'redirectTo', 'redirectSent']],
    ['no outcome', {}, false, ['outcome']],
    ['unknown outcome', { outcome: 'maybe' }, false, ['outcome']],
    ['a change without a reason', { outcome: 'accepted', priority: 'routine' }, true, ['reason']],
    ['a change with a reason', { outcome: 'accepted', priority: 'routine', reason: 'New letter' }, true, []],
    ['bad priority', { outcome: 'accepted', priority: 'soon' }, false, ['priority']],
  ];
  for (const [name, raw, isChange, expected] of cases) {
    it(`${name}: ${expected.length === 0 ? 'accepted' : `names ${expected.join(', ')}`}`, () => {
      assert.deepEqual(Object.keys(fields(raw, isChange)).sort(), expected.sort());
    });
  }

  it('drops what does not belong to the outcome', () => {
    const result = validateTriageInput(
      { outcome: 'not-accepted', priority: 'urgent', redirectTo: 'Pain', advice: 'Advice', reason: 'x' },
      { isChange: false },
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      outcome: 'not-accepted',
      priority: null,
      advice: 'Advice',
      redirectTo: null,
      redirectSent: null,
      redirectMethod: null,
      reason: null,
    });
  });

  it('keeps how a redirect was sent only when it was sent', () => {
    const notSent = validateTriageInput(
      { outcome: 'redirected', redirectTo: 'Pain', advice: 'A', redirectSent: 'no', redirectMethod: 'email' },
      { isChange: false },
    );
    assert.ok(notSent.ok);
    assert.equal(notSent.value.redirectSent, false);
    assert.equal(notSent.value.redirectMethod, null);
    const sent = validateTriageInput(
      {
        outcome: 'redirected',
        redirectTo: 'Pain',
        advice: 'A',
        redirectSent: 'yes',
        redirectMethod: 'email',
      },
      { isChange: false },
    );
    assert.ok(sent.ok);
    assert.equal(sent.value.redirectSent, true);
    assert.equal(sent.value.redirectMethod, 'email');
  });
});
