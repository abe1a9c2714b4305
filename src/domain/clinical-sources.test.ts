import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CLINICAL_SOURCES, sourceKeysIn, sourcesHref, withoutSourceKeys } from './clinical-sources.ts';

/** Source keys out of the texts people read, and the Sources page's list kept with the reference. */

describe('source keys in clinical texts', () => {
  // [text, without its keys, keys, link]
  const table: readonly [string, string, readonly string[], string][] = [
    [
      'Leeds Teaching Hospitals ITB service [LTH-SEED]',
      'Leeds Teaching Hospitals ITB service',
      ['LTH-SEED'],
      '/sources#source-lth-seed',
    ],
    [
      'record a definite allergic reaction only [SAULINO-SEL]',
      'record a definite allergic reaction only',
      ['SAULINO-SEL'],
      '/sources#source-saulino-sel',
    ],
    [
      'NICE CG145 [NICE145], [NICE145-REC]',
      'NICE CG145,',
      ['NICE145', 'NICE145-REC'],
      '/sources#source-nice145',
    ],
    ["This service's list (LOCAL)", "This service's list (LOCAL)", [], '/sources'],
    ['Unknown [NOT-A-SOURCE]', 'Unknown', ['NOT-A-SOURCE'], '/sources'],
  ];
  for (const [text, plain, keys, href] of table) {
    it(text, () => {
      assert.equal(withoutSourceKeys(text), plain);
      assert.deepEqual(sourceKeysIn(text), keys);
      assert.equal(sourcesHref(text), href);
    });
  }
});

describe('the Sources list', () => {
  it('holds every source of the clinical reference, with the same address and words', () => {
    const doc = readFileSync(new URL('../../docs/clinical-reference.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| ([A-Z0-9][A-Z0-9-]*) \| (\S*) \| (.*) \|$/gm)].map((m) => [
      m[1],
      m[2],
      m[3],
    ]);
    assert.ok(rows.length > 50);
    assert.deepEqual(
      CLINICAL_SOURCES.map((s) => [s.key, s.url, s.description]),
      rows,
    );
  });
});
