import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  auditContentJson,
  auditHashInput,
  canonicalJson,
  findChainBreak,
  GENESIS_HASH,
  type AuditContent,
  type SealedAuditEntry,
} from './audit-event.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A sealed chain of n rows; `eventSeqOf` gives each row's place in the reading order (rows
 * that committed out of order are sealed in the order they committed). */
function chain(n: number, eventSeqOf: (chainSeq: number) => number = (c) => c): SealedAuditEntry[] {
  const entries: SealedAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let chainSeq = 1; chainSeq <= n; chainSeq++) {
    const eventSeq = eventSeqOf(chainSeq);
    const content: AuditContent = {
      occurredAt: `2026-11-24T10:00:${String(chainSeq % 60).padStart(2, '0')}.000Z`,
      action: 'patient.view' as const,
      outcome: 'success' as const,
      userId: 'u1',
      username: 'nurse',
      role: 'nurse-specialist',
      entityType: 'patient',
      entityId: `p${String(eventSeq)}`,
      patientId: `p${String(eventSeq)}`,
      requestId: `r${String(eventSeq)}`,
      details: { n: eventSeq },
    };
    const hash = sha(auditHashInput(prev, chainSeq, auditContentJson(content), eventSeq));
    entries.push({ chainSeq, eventSeq, prevHash: prev, hash, content });
    prev = hash;
  }
  return entries;
}

const withContent = (e: SealedAuditEntry, change: Partial<AuditContent>): SealedAuditEntry => ({
  ...e,
  content: { ...e.content!, ...change },
});

describe('audit hash chain', () => {
  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } }),
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('an untouched chain has no break', () => {
    const r = findChainBreak(chain(5), sha);
    assert.equal(r.break, null);
    assert.equal(r.last.seq, 5);
  });

  it('finds a changed field', () => {
    const rows = chain(5);
    rows[2] = withContent(rows[2]!, { username: 'someone-else' });
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 3, reason: 'hash-mismatch' });
  });

  it('finds a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 2, reason: 'sequence-gap' });
  });

  it('finds a row rewritten with a recomputed hash (the next row no longer links)', () => {
    const rows = chain(5);
    const rewritten = withContent(rows[1]!, { details: { n: 999 } });
    rows[1] = {
      ...rewritten,
      hash: sha(auditHashInput(rewritten.prevHash, rewritten.chainSeq, auditContentJson(rewritten.content!))),
    };
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 3, reason: 'prev-hash-mismatch' });
  });

  it('finds a seal whose row is gone', () => {
    const rows = chain(5);
    rows[3] = { ...rows[3]!, content: null };
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 4, reason: 'row-missing' });
  });

  it('seals rows that committed out of order, binding each row number', () => {
    // Rows 2 and 3 of the reading order committed (and were sealed) the other way round.
    const swapped = (c: number) => (c === 2 ? 3 : c === 3 ? 2 : c);
    const rows = chain(4, swapped);
    assert.equal(findChainBreak(rows, sha).break, null);
    // Pointing a seal at another row number (renumbering the rows) breaks the chain.
    rows[1] = { ...rows[1]!, eventSeq: 2 };
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 2, reason: 'hash-mismatch' });
  });

  it('keeps the layout of rows hashed when they were appended (place in chain = row number)', () => {
    assert.equal(auditHashInput('a', 7, '{}'), 'a\n7\n{}');
    assert.equal(auditHashInput('a', 7, '{}', 7), 'a\n7\n{}');
    assert.equal(auditHashInput('a', 7, '{}', 5), 'a\n7:5\n{}');
  });

  it('any single change to any row is found (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(), fc.string({ minLength: 1 }), (n, at, text) => {
        const rows = chain(n);
        const i = at % n;
        fc.pre(rows[i]!.content!.username !== text);
        rows[i] = withContent(rows[i]!, { username: text });
        assert.notEqual(findChainBreak(rows, sha).break, null);
      }),
    );
  });
});
