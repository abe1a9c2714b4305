import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REFUSAL_REASONS } from './refusals/refusal-reasons.ts';
import { UNIQUE_CONFLICTS, uniqueConflict } from './unique-conflicts.ts';

/**
 * Clashes no person can cause (random token hashes, two mailbox polls, two reminder jobs queueing
 * the same reminder, the audit sealer's own seals): no refusal to name.
 */
const MACHINE_ONLY = new Set([
  'api_tokens_token_hash_key',
  'intake_items_dedupe_key_key',
  'outbound_emails_dedupe_key_uq',
  'audit_seals_event_seq_key',
]);

describe('unique conflicts and refusal reasons', () => {
  it('every INVALID_STATE clash a person can cause names the refusal its service check gives', () => {
    for (const [key, conflict] of Object.entries(UNIQUE_CONFLICTS)) {
      if (conflict.code !== 'INVALID_STATE' || MACHINE_ONLY.has(key)) {
        continue;
      }
      assert.ok(conflict.reason, `${key} has no reason`);
      assert.ok(conflict.reason in REFUSAL_REASONS, `${key}: ${conflict.reason} is not a refusal reason`);
    }
  });

  it('a clash refused by the database answers with that reason', () => {
    // PostgreSQL's unique violation, as pg reports it.
    const err = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      constraint: 'refills_one_unsigned_uq',
    });
    const answer = uniqueConflict(err);
    assert.equal(answer?.code, 'INVALID_STATE');
    assert.equal(answer.reason, 'PREVIOUS_REFILL_UNSIGNED');
  });
});
