import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueText, resumeText, sentenceCase } from './pump-days-text.ts';

describe('days before a due date, in words', () => {
  const cases: [number, string][] = [
    [-44, '44 days overdue'],
    [-1, '1 day overdue'],
    [0, 'due today'],
    [1, '1 day left'],
    [3, '3 days left'],
    [120, '120 days left'],
  ];
  for (const [daysLeft, text] of cases) {
    it(`${String(daysLeft)} → "${text}"`, () => {
      assert.equal(dueText(daysLeft), text);
    });
  }

  it('never shows a minus sign', () => {
    for (let n = -400; n <= 400; n += 1) {
      assert.doesNotMatch(dueText(n), /[-\u2212]/);
      assert.doesNotMatch(resumeText(n), /[-\u2212]/);
    }
  });
});

describe('days to a paused pump’s resume date, in words', () => {
  const cases: [number, string][] = [
    [-3, 'resume 3 days overdue'],
    [-1, 'resume 1 day overdue'],
    [0, 'resume today'],
    [1, '1 day to resume'],
    [10, '10 days to resume'],
  ];
  for (const [daysLeft, text] of cases) {
    it(`${String(daysLeft)} → "${text}"`, () => {
      assert.equal(resumeText(daysLeft), text);
    });
  }

  it('starts a cell with a capital', () => {
    assert.equal(sentenceCase('due today'), 'Due today');
    assert.equal(sentenceCase(''), '');
  });
});
