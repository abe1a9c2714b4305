import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AUDIT_ACTION_WORDS, auditActionWords, auditOutcomeWords } from './audit-wording.ts';

const SRC = new URL('..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      return sourceFiles(path);
    }
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every action code the code writes: `action: 'x.y'` wherever an audit event is made. */
function actionsWritten(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\baction:\s*'([a-z0-9-]+\.[a-z0-9.-]+)'/g)) {
      found.set(m[1] ?? '', file.slice(SRC.length));
    }
  }
  return found;
}

describe('audit actions in words', () => {
  it('words every action the code writes', () => {
    const written = actionsWritten();
    assert.ok(written.size > 40, `found only ${String(written.size)} actions: the scan is broken`);
    const missing = [...written].filter(([code]) => !Object.hasOwn(AUDIT_ACTION_WORDS, code));
    assert.deepEqual(
      missing,
      [],
      'each action needs a sentence in src/domain/audit-wording.ts (file shown after the code)',
    );
  });

  it('gives each action its own plain sentence, with no code in it', () => {
    for (const [code, words] of Object.entries(AUDIT_ACTION_WORDS)) {
      assert.match(words, /^[A-Z][^.]*[a-z]$/, code);
      assert.doesNotMatch(words, /[a-z]\.[a-z]|[[\]_]/, code);
    }
  });

  it('reads codes as worked examples', () => {
    const examples: [string, string][] = [
      ['patient.view', "Opened a patient's record"],
      ['auth.sign-in', 'Signed in'],
      ['refill.sign', 'Checked and signed a refill as the second clinician'],
      ['future.thing', 'Other action (future.thing)'],
      ['constructor', 'Other action (constructor)'],
    ];
    for (const [code, words] of examples) {
      assert.equal(auditActionWords(code), words, code);
    }
    assert.equal(auditOutcomeWords('denied'), 'Refused');
    assert.equal(auditOutcomeWords('success'), 'Done');
    assert.equal(auditOutcomeWords('odd'), 'odd');
  });
});
