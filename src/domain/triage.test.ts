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
      { outcome: 'redirected', redirectTo: 'Pain service', advice: 'Pain, not spasticity' },
      false,
      [],
    ],
    ['redirected without a service', { outcome: 'redirected', advice: 'x' }, false, ['redirectTo']],
    ['redirected with nothing', { outcome: 'redirected' }, false, ['advice', 'redirectTo']],
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
      reason: null,
    });
  });
});
