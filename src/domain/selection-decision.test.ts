import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import {
  agreesWithSuggestion,
  DECISIONS,
  validateDecisionInput,
  validateMdtOutcomeInput,
  type Decision,
} from './selection-decision.ts';
import { SUGGESTION_OUTCOMES, type SuggestionOutcome } from './selection-suggestion.ts';

describe('selection decision', () => {
  // Which clinician decisions follow each suggestion; every other pair needs a reason.
  const follows: Record<SuggestionOutcome, Decision[]> = {
    suitable: ['proceed-to-test-dose'],
    'suitable-discuss-mdt': ['discuss-at-mdt'],
    'not-yet-suitable': ['not-suitable', 'defer'],
    contraindicated: ['not-suitable'],
    incomplete: ['defer'],
  };
  for (const outcome of SUGGESTION_OUTCOMES) {
    for (const decision of DECISIONS) {
      const agrees = follows[outcome].includes(decision);
      it(`${outcome} / ${decision}: ${agrees ? 'no reason needed' : 'a reason is required'}`, () => {
        assert.equal(agreesWithSuggestion('clinician', decision, outcome), agrees);
        const without = validateDecisionInput({ decision }, outcome);
        assert.equal(without.ok, agrees);
        if (!without.ok) {
          assert.deepEqual(
            without.errors.map((e) => e.field),
            ['reason'],
          );
        }
        assert.ok(validateDecisionInput({ decision, reason: 'Discussed with the family' }, outcome).ok);
      });
    }
  }

  it('keeps no reason when the decision follows the suggestion', () => {
    const r = validateDecisionInput({ decision: 'proceed-to-test-dose', reason: 'x' }, 'suitable');
    assert.ok(r.ok);
    assert.equal(r.value.reason, null);
  });

  it('refuses an unknown decision, naming the field', () => {
    const r = validateDecisionInput({ decision: 'implant' }, 'suitable');
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.map((e) => e.field),
      ['decision'],
    );
  });
});

describe('MDT outcome', () => {
  const ctx: { outcome: SuggestionOutcome; today: PlainDate; startedOn: PlainDate } = {
    outcome: 'suitable-discuss-mdt',
    today: '2026-11-25' as PlainDate,
    startedOn: '2026-11-01' as PlainDate,
  };
  const good = {
    decision: 'proceed-to-test-dose',
    meetingOn: '2026-11-20',
    note: 'Agreed: benefits outweigh the ulcer risk',
  };
  const fields = (raw: unknown, c = ctx) => {
    const r = validateMdtOutcomeInput(raw, c);
    return r.ok ? [] : r.errors.map((e) => e.field);
  };

  it('accepts any outcome for a case the protocol sent to MDT', () => {
    for (const decision of ['proceed-to-test-dose', 'not-suitable', 'defer']) {
      assert.deepEqual(fields({ ...good, decision }), []);
    }
  });
  it('needs a reason to proceed against a contraindication', () => {
    assert.deepEqual(fields(good, { ...ctx, outcome: 'contraindicated' }), ['reason']);
  });
  it('cannot send the patient back to the MDT', () => {
    assert.deepEqual(fields({ ...good, decision: 'discuss-at-mdt' }), ['decision']);
  });
  it('needs a summary of the discussion', () => {
    assert.deepEqual(fields({ ...good, note: ' ' }), ['note']);
  });
  it('refuses a meeting in the future or before the assessment began', () => {
    assert.deepEqual(fields({ ...good, meetingOn: '2026-11-26' }), ['meetingOn']);
    assert.deepEqual(fields({ ...good, meetingOn: '2026-10-31' }), ['meetingOn']);
    assert.deepEqual(fields({ ...good, meetingOn: '2026-02-30' }), ['meetingOn']);
    assert.deepEqual(fields({ ...good, meetingOn: '2026-11-25' }), []);
  });
});
