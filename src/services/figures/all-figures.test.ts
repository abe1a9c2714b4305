import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIGURE_GROUPS } from '../../domain/figures/figure.ts';
import { FIGURE_SPECS } from './all-figures.ts';

describe('the list of figures', () => {
  it('names each figure once, by a key fit for a URL and a file name, in a known section', () => {
    const keys = FIGURE_SPECS.map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length, 'keys are unique');
    for (const spec of FIGURE_SPECS) {
      assert.match(spec.key, /^[a-z0-9]+(-[a-z0-9]+)*$/, spec.key);
      assert.ok(spec.group in FIGURE_GROUPS, `${spec.key}: ${spec.group}`);
    }
  });
});
