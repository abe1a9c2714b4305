import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { todayIn } from './clock.ts';

/** "Today" in Europe/London around both UK clock changes and midnight, where UTC disagrees. */
describe('today in Europe/London', () => {
  const cases: [string, string][] = [
    ['2026-03-28T23:30:00Z', '2026-03-28'], // GMT: 23:30 on the 28th
    ['2026-03-29T00:59:00Z', '2026-03-29'], // the spring change happens at 01:00 UTC
    ['2026-03-29T23:30:00Z', '2026-03-30'], // BST: already 00:30 on the 30th
    ['2026-06-30T23:30:00Z', '2026-07-01'], // BST midnight
    ['2026-10-24T23:30:00Z', '2026-10-25'], // BST: 00:30 on the 25th
    ['2026-10-25T23:30:00Z', '2026-10-25'], // back on GMT: 23:30 on the 25th
    ['2026-12-31T23:59:59Z', '2026-12-31'],
  ];
  for (const [iso, date] of cases) {
    it(`${iso} is ${date}`, () => {
      assert.equal(todayIn({ now: () => new Date(iso) }, 'Europe/London'), date);
    });
  }
});
