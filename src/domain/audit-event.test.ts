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
  type AuditRecord,
} from './audit-event.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function chain(n: number): AuditRecord[] {
  const rows: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const unsigned = {
      seq,
      occurredAt: `2026-11-24T10:00:${String(seq % 60).padStart(2, '0')}.000Z`,
      prevHash: prev,
      action: 'patient.view' as const,
      outcome: 'success' as const,
      userId: 'u1',
      username: 'nurse',
      role: 'nurse-specialist',
      entityType: 'patient',
      entityId: `p${seq}`,
      patientId: `p${seq}`,
      requestId: `r${seq}`,
      details: { n: seq },
    };
    const row = { ...unsigned, hash: sha(auditHashInput(prev, seq, auditContentJson(unsigned))) };
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

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
    rows[2] = { ...rows[2]!, username: 'someone-else' };
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 3, reason: 'hash-mismatch' });
  });

  it('finds a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 2, reason: 'sequence-gap' });
  });

  it('finds a row rewritten with a recomputed hash (the next row no longer links)', () => {
    const rows = chain(5);
    const rewritten = { ...rows[1]!, details: { n: 999 } };
    rows[1] = {
      ...rewritten,
      hash: sha(auditHashInput(rewritten.prevHash, rewritten.seq, auditContentJson(rewritten))),
    };
    assert.deepEqual(findChainBreak(rows, sha).break, { seq: 3, reason: 'prev-hash-mismatch' });
  });

  it('any single change to any row is found (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(), fc.string({ minLength: 1 }), (n, at, text) => {
        const rows = chain(n);
        const i = at % n;
        fc.pre(rows[i]!.username !== text);
        rows[i] = { ...rows[i]!, username: text };
        assert.notEqual(findChainBreak(rows, sha).break, null);
      }),
    );
  });
});
