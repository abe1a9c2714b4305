import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namesLikelySamePerson, typingDistance } from './patient-duplicates.ts';

describe('a likely duplicate registration (same date of birth)', () => {
  // [new registration, already registered, likely the same person?]
  const cases: [string, string, boolean][] = [
    ["Ann O'BRIEN-SMITH", "Ann O'BRIEN-SMITH", true],
    ['Ann OBRIEN-SMITH', "Ann O'Brien-Smith", true],
    ['Ann SMITH', "Ann O'BRIEN-SMITH", true],
    ["Ann O'BRIEN", "Ann O'BRIEN-SMITH", true],
    ['Anne SMITH', 'Ann SMITH', true],
    ['A SMITH', 'Ann SMITH', true],
    ['Chris JONES', 'Christopher JONES', true],
    ['Jon SMITH', 'John SMITH', true],
    ['Ann SMYTH', 'Ann SMITH', true],
    ['Ann SMIHT', 'Ann SMITH', true],
    ['Mohammed RAHMAN', 'Mohamed RAHMAN', true],
    ['SMITH Ann', 'Ann SMITH', true],
    ['Zoë DAVIES', 'Zoe DAVIES', true],
    ['Ann TEST', 'Tom TEST', false],
    ['Sue TEST', 'Ann TEST', false],
    ['Ann SMITH', 'Ann JONES', false],
    ['Ann NG', 'Ann NGO', false],
    ['Tom SMITH', 'Ann SMITH', false],
    ['Ann LI', 'Ann WILLIAMS', false],
    ['Ann BRIENSMITH', "Ann O'BRIEN-SMITH", true],
  ];
  const split = (n: string) => {
    const i = n.lastIndexOf(' ');
    return { givenName: n.slice(0, i), familyName: n.slice(i + 1) };
  };
  for (const [a, b, same] of cases) {
    it(`${a} and ${b}: ${same ? 'ask' : 'do not ask'}`, () => {
      assert.equal(namesLikelySamePerson(split(a), split(b)), same);
    });
  }

  const distances: [string, string, number][] = [
    ['smith', 'smith', 0],
    ['smith', 'smyth', 1],
    ['smith', 'smiht', 1],
    ['smith', 'smit', 1],
    ['ann', 'sue', 3],
  ];
  for (const [a, b, n] of distances) {
    it(`${a} to ${b} is ${n} slips`, () => {
      assert.equal(typingDistance(a, b), n);
    });
  }
});
