import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADULT_LEEDS_V1 } from './protocols/adult-leeds-v1.ts';
import { validateAnswers, visibleAnswers } from './selection-answers.ts';
import { validateProtocolDefinition, type ProtocolDefinition } from './selection-protocol.ts';

const v = validateProtocolDefinition(ADULT_LEEDS_V1);
assert.ok(v.ok);
const ADULT: ProtocolDefinition = v.value;

function fields(raw: unknown): Record<string, string> {
  const r = validateAnswers(ADULT, raw);
  return r.ok ? {} : Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
}

describe('selection answers', () => {
  const bad: [string, unknown, string][] = [
    ['not an object', [], 'answers'],
    ['a question not in the protocol', { smoking: { value: 'yes' } }, 'answers.smoking'],
    ['an answer not among the options', { epilepsy: { value: 'maybe' } }, 'answers.epilepsy'],
    ['a list for a single-answer question', { epilepsy: { value: ['yes'] } }, 'answers.epilepsy'],
    ['a bare string instead of an answer object', { epilepsy: 'yes' }, 'answers.epilepsy'],
    [
      'a text for a multi-answer question',
      { harm: { value: 'yes' }, 'harm-areas': { value: 'care' } },
      'answers.harm-areas',
    ],
    [
      'the same choice twice',
      { harm: { value: 'yes' }, 'harm-areas': { value: ['care', 'care'] } },
      'answers.harm-areas',
    ],
    [
      'a note on a question that takes none',
      { harm: { value: 'yes' }, 'harm-areas': { value: ['care'], note: 'x' } },
      'answers.harm-areas.note',
    ],
    ['a note too long', { epilepsy: { value: 'yes', note: 'x'.repeat(2001) } }, 'answers.epilepsy.note'],
    ['a note that is not text', { epilepsy: { value: 'yes', note: 5 } }, 'answers.epilepsy.note'],
    ['a note without an answer', { epilepsy: { value: '', note: 'Seen by neurology' } }, 'answers.epilepsy'],
  ];
  for (const [name, raw, field] of bad) {
    it(`refuses ${name}, naming ${field}`, () => {
      assert.deepEqual(Object.keys(fields(raw)), [field]);
    });
  }

  it('a message names the question in words', () => {
    assert.match(
      fields({ epilepsy: { value: 'maybe' } })['answers.epilepsy'] ?? '',
      /poorly controlled epilepsy/,
    );
  });

  it('leaves out empty answers and trims notes', () => {
    const r = validateAnswers(ADULT, {
      epilepsy: { value: 'yes', note: '  Two seizures  ' },
      hydrocephalus: { value: '' },
      'baclofen-allergy': { value: null },
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value.answers, { epilepsy: { value: 'yes', note: 'Two seizures' } });
  });

  it('keeps multi-answer choices in the protocol order', () => {
    const r = validateAnswers(ADULT, {
      harm: { value: 'yes' },
      'harm-areas': { value: ['care', 'function'] },
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value.answers['harm-areas']?.value, ['function', 'care']);
  });

  it('drops answers to follow-ups that are not asked, and says which', () => {
    const r = validateAnswers(ADULT, {
      harm: { value: 'no' },
      'harm-areas': { value: ['care'] },
      'tried-oral-baclofen': { value: 'not-tried' },
      'max-dose-oral-baclofen': { value: 'yes' },
      'tried-tizanidine': { value: 'tried' },
      'max-dose-tizanidine': { value: 'no' },
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value.dropped, ['harm-areas', 'max-dose-oral-baclofen']);
    assert.deepEqual(Object.keys(r.value.answers), [
      'harm',
      'tried-oral-baclofen',
      'tried-tizanidine',
      'max-dose-tizanidine',
    ]);
  });

  it('visibleAnswers also drops ids that are not questions (a stored answer from elsewhere)', () => {
    const r = visibleAnswers(ADULT, {
      ghost: { value: 'yes', note: null },
      epilepsy: { value: 'no', note: null },
    });
    assert.deepEqual(r.dropped, ['ghost']);
    assert.deepEqual(Object.keys(r.answers), ['epilepsy']);
  });
});
