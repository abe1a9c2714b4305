import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvSafeCell } from './csv-cell.ts';
import { passwordProblem } from './password-policy.ts';

describe('CSV cells', () => {
  const cases: [string, string][] = [
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['ordinary', 'ordinary'],
    ['', ''],
  ];
  for (const [input, out] of cases) {
    it(`neutralises ${JSON.stringify(input)}`, () => {
      assert.equal(csvSafeCell(input), out);
    });
  }
});

describe('password rules', () => {
  it('asks for length, not complexity', () => {
    assert.match(passwordProblem('short', 'ann') ?? '', /at least 12/);
    assert.equal(passwordProblem('four random words here', 'ann.smith'), null);
    assert.match(passwordProblem('ann.smith-password', 'ann.smith') ?? '', /username/);
    assert.match(passwordProblem('x'.repeat(129), 'ann') ?? '', /128/);
  });
});
