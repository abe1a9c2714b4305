import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALL_ADVICE } from './advice-calls.ts';
import { CLINICAL_SOURCES, sourceKeysIn } from './clinical-sources.ts';

/** The advice shown for each alarm must be the reference's, never the other alarm's (H-113). */
describe('the advice shown for each alarm', () => {
  const critical = CALL_ADVICE['alarm-critical'] ?? '';
  const low = CALL_ADVICE['alarm-low-reservoir'] ?? '';

  it('two tones: the drug has stopped; A&E now, not a call back; cites the alarm sources', () => {
    assert.match(critical, /^Two tones is the critical alarm: the drug has stopped flowing/);
    assert.match(critical, /A&E or call 999 now/);
    assert.match(critical, /\[MDT-ALARM\]/);
    assert.match(critical, /\[LTH-PIL\]/);
    assert.doesNotMatch(critical, /not critical/);
  });

  it('one tone: not critical; book the refill or replacement; escalate if it becomes two tones', () => {
    assert.match(low, /^One tone about once an hour is not critical/);
    assert.match(low, /book the refill \(or the replacement\)/);
    assert.match(low, /changes to two tones/);
    assert.match(low, /\[MDT-ALARM2\]/);
  });

  it('every reason with advice cites at least one source', () => {
    for (const [reason, text] of Object.entries(CALL_ADVICE)) {
      assert.match(text, /\[[A-Z0-9-]+\]/, reason);
      for (const key of sourceKeysIn(text)) {
        assert.ok(
          CLINICAL_SOURCES.some((s) => s.key === key),
          `${reason}: ${key} is in the Sources table`,
        );
      }
    }
  });
});
