import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hospitalNumberKey,
  nameKey,
  nameTerms,
  patientSearchTerms,
  termRange,
} from './patient-search-key.ts';

/** Does a search word find a name, the way the database answers it (a term in the word's range)? */
function finds(word: string, name: string): boolean {
  const { from, to } = termRange(nameKey(word));
  return nameTerms(name).some((t) => t >= from && t < to);
}

describe('patient search key: normalising rules', () => {
  const keys: [string, string][] = [
    ["O'BRIEN-SMITH", 'obriensmith'],
    ["o'brien", 'obrien'],
    ['O’Brien', 'obrien'],
    ['Brien-Smith', 'briensmith'],
    ['  Mary  Jane ', 'maryjane'],
    ['Zoë', 'zoe'],
    ['ÉLODIE', 'elodie'],
    ['St. John', 'stjohn'],
    ['', ''],
  ];
  for (const [text, key] of keys) {
    it(`"${text}" is the key "${key}"`, () => {
      assert.equal(nameKey(text), key);
    });
  }

  const terms: [string, string[]][] = [
    ["O'BRIEN-SMITH", ['obriensmith', 'briensmith', 'smith']],
    ['Smith', ['smith']],
    ['Mary Jane', ['maryjane', 'jane']],
    ['van der Berg', ['vanderberg', 'derberg', 'berg']],
    ['Ng', ['ng']],
    ['-', []],
  ];
  for (const [name, expected] of terms) {
    it(`"${name}" is kept as ${expected.join(', ') || 'no term'}`, () => {
      assert.deepEqual(nameTerms(name), expected);
    });
  }

  const searches: [string, string, boolean][] = [
    ['obrien', "O'BRIEN-SMITH", true],
    ["o'brien", "O'BRIEN-SMITH", true],
    ['Brien-Smith', "O'BRIEN-SMITH", true],
    ['smith', "O'BRIEN-SMITH", true],
    ['SMI', "O'BRIEN-SMITH", true],
    ['brien', "O'BRIEN-SMITH", true],
    ['rien', "O'BRIEN-SMITH", false],
    ['smyth', "O'BRIEN-SMITH", false],
    ['zoe', 'Zoë', true],
    ['berg', 'van der Berg', true],
    ['vanderb', 'van der Berg', true],
    ['jo', 'Joanne', true],
    ['anne', 'Ann', false],
  ];
  for (const [word, name, found] of searches) {
    it(`"${word}" ${found ? 'finds' : 'does not find'} "${name}"`, () => {
      assert.equal(finds(word, name), found);
    });
  }

  it('keeps given and family terms apart', () => {
    assert.deepEqual(patientSearchTerms({ givenName: 'Ann', familyName: "O'Brien" }), [
      { part: 'given', term: 'ann' },
      { part: 'family', term: 'obrien' },
      { part: 'family', term: 'brien' },
    ]);
  });

  const hospital: [string | null, string | null][] = [
    ['RR8 123456', 'RR8123456'],
    ['rr8-123456', 'RR8123456'],
    ['RR8123456', 'RR8123456'],
    ['  ', null],
    [null, null],
  ];
  for (const [text, key] of hospital) {
    it(`hospital number ${JSON.stringify(text)} is the key ${JSON.stringify(key)}`, () => {
      assert.equal(hospitalNumberKey(text), key);
    });
  }
});
