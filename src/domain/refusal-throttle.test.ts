import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRefusalThrottle } from './refusal-throttle.ts';

describe('refusal throttle', () => {
  it('writes the first refusal of a source in each window and counts the rest', () => {
    const throttle = createRefusalThrottle({ windowMs: 60_000, maxKeys: 10 });
    assert.deepEqual(throttle.admit('a', 0), { write: true, heldBack: 0 });
    assert.deepEqual(throttle.admit('a', 1_000), { write: false });
    assert.deepEqual(throttle.admit('a', 59_999), { write: false });
    assert.deepEqual(throttle.admit('b', 59_999), { write: true, heldBack: 0 });
    // The window has passed: written again, saying two were held back since the last row.
    assert.deepEqual(throttle.admit('a', 60_000), { write: true, heldBack: 2 });
  });

  it('beyond the sources it remembers, new sources share one row per window', () => {
    const throttle = createRefusalThrottle({ windowMs: 60_000, maxKeys: 2 });
    assert.equal(throttle.admit('a', 0).write, true);
    assert.equal(throttle.admit('b', 0).write, true);
    assert.equal(throttle.admit('c', 0).write, true);
    assert.equal(throttle.admit('d', 0).write, false);
    assert.equal(throttle.admit('e', 10).write, false);
  });

  it('never writes more than (sources remembered + 1) rows per window, whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 59_999 })), {
          maxLength: 300,
        }),
        (events) => {
          const throttle = createRefusalThrottle({ windowMs: 60_000, maxKeys: 5 });
          const sorted = [...events].sort((x, y) => x[1] - y[1]);
          const written = sorted.filter(([key, at]) => throttle.admit(key, at).write).length;
          return written <= 6;
        },
      ),
    );
  });
});
