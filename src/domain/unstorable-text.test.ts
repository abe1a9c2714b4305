import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnstorableText, isStorableText } from './unstorable-text.ts';

describe('text a database cannot keep alike', () => {
  const cases: [string, string, boolean][] = [
    ['plain text', 'Ann Smith', true],
    ['accents and emoji (a surrogate pair)', 'Zoë 😀', true],
    ['a NUL', 'Sm\u0000ith', false],
    ['a lone high surrogate', 'a\ud800b', false],
    ['a lone low surrogate', '\udc00', false],
    ['a pair written the wrong way round', '\udc00\ud800', false],
  ];
  for (const [name, text, storable] of cases) {
    it(`${name}: ${storable ? 'stored' : 'refused'}`, () => {
      assert.equal(isStorableText(text), storable);
    });
  }

  it('names the first bad field by its path, keys included, and skips file bytes', () => {
    assert.equal(findUnstorableText({ a: 'ok', b: { c: ['x', 'y\u0000'] } }, 'body'), 'body.b.c.1');
    assert.equal(findUnstorableText({ 'k\u0000': 'v' }, 'body'), 'body');
    assert.equal(
      findUnstorableText({ file: { filename: 'a.pdf', content: Buffer.from([0, 1, 0]) } }, 'body'),
      null,
    );
    assert.equal(findUnstorableText('\u0000', 'query'), 'query');
    assert.equal(findUnstorableText(undefined, 'body'), null);
  });

  it('walks a deeply nested body without exhausting the call stack', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 200_000; i++) {
      deep = [deep];
    }
    assert.equal(findUnstorableText(deep, 'body')?.startsWith('body.0.0'), true);
  });
});
