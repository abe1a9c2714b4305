import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES } from './app-error.ts';
import { REFUSAL_REASONS } from './refusals/refusal-reasons.ts';

describe('error catalogue', () => {
  it('docs/ERRORS.md lists every code with its status, and nothing else', () => {
    const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
    const listed = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(Object.fromEntries(listed), { ...ERROR_CODES });
  });

  it('docs/ERRORS.md lists every refusal reason, and nothing else', () => {
    const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
    const listed = [
      ...doc.matchAll(/^\| `([A-Z_]+)` \| `(?:INVALID_STATE|VALIDATION_FAILED)` \| (.+) \|$/gm),
    ].map((m) => [m[1], m[2]]);
    assert.deepEqual(Object.fromEntries(listed), { ...REFUSAL_REASONS });
  });
});
