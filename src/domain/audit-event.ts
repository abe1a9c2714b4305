/**
 * The audit trail's event shape and the canonical text each row's hash covers. Rows form a
 * chain: each hash covers the previous row's hash, so changing or deleting any row breaks
 * every hash after it (OpenEMR found row checksums alone miss deletions: openemr#12118).
 */
export type AuditOutcome = 'success' | 'failure' | 'denied';

export type AuditAction =
  | 'patient.create'
  | 'patient.update'
  | 'patient.view'
  | 'patient.search'
  | 'fhir.import'
  | 'user.create'
  | 'user.update'
  | 'user.disable'
  | 'user.enable'
  | 'user.password-reset'
  | 'user.mfa-policy'
  | 'auth.sign-in'
  | 'auth.sign-out'
  | 'auth.mfa'
  | 'auth.password-change'
  | 'auth.mfa-enrol'
  | 'auth.recovery-codes'
  | 'auth.form-kept'
  | 'auth.form-restored'
  | 'user.mfa-reset'
  | 'token.create'
  | 'token.revoke'
  | 'audit.view'
  | 'audit.export'
  | 'access.denied'
  | 'auth.token-refused'
  | 'csrf.refused'
  | 'setup.first-admin'
  | 'referral.create'
  | 'referral.view'
  | 'referral.list'
  | 'referral.triage'
  | 'referral.attach'
  | 'referral.check-clear'
  | 'document.view'
  | 'letter.create'
  | 'appointment.book'
  | 'appointment.rebook'
  | 'appointment.cancel'
  | 'appointment.outcome'
  | 'appointment.next-step'
  | 'intake.receive'
  | 'intake.view'
  | 'intake.close'
  | 'mailbox.poll'
  | 'email.send'
  | 'job.run'
  | 'protocol.create'
  | 'assessment.create'
  | 'assessment.update'
  | 'assessment.view'
  | 'assessment.decide'
  | 'assessment.mdt-outcome'
  | 'mdt.list'
  | 'measures.record'
  | 'measures.view'
  | 'pump.create'
  | 'pump.update'
  | 'pump.event'
  | 'pump.view'
  | 'pump.end-request'
  | 'pump.end-decide'
  | 'life-event.record'
  | 'life-event.action-done'
  | 'life-event.end'
  | 'life-event.view'
  | 'life-event.letter'
  | 'pump.pause'
  | 'pump.resume'
  | 'mri.plan'
  | 'mri.scan'
  | 'mri.check'
  | 'mri.cancel'
  | 'mri.list'
  | 'prescription.propose'
  | 'prescription.confirm'
  | 'prescription.reject'
  | 'refill.record'
  | 'refill.review'
  | 'refill.sign'
  | 'refill.amend'
  | 'refill.view'
  | 'refill.reject'
  | 'refill.amend-confirm'
  | 'refill.amend-reject'
  | 'pump-appointment.book'
  | 'pump-appointment.update'
  | 'patient-contact.view'
  | 'patient-contact.update'
  | 'reminder.queue'
  | 'reminder.send'
  | 'reminder.cancel'
  | 'worklist.view'
  | 'testdose.create'
  | 'testdose.update'
  | 'testdose.view'
  | 'emergency.record'
  | 'emergency.close'
  | 'emergency.view'
  | 'advice-call.log'
  | 'advice-call.view'
  | 'emergency-card.issue'
  | 'emergency-card.download'
  | 'emergency-card.list'
  | 'refill-letter.download'
  | 'complication.record'
  | 'complication.update'
  | 'complication.view'
  | 'complication.list'
  | 'complication.register'
  | 'bridging-plan.record'
  | 'patient.emergency-summary'
  | 'patient.break-glass'
  | 'patient.break-glass-view'
  | 'break-glass.list'
  | 'fhir.read'
  | 'fhir.search'
  | 'fhir.everything'
  | 'fhir.export'
  | 'caseload.check'
  | 'caseload.import'
  | 'caseload.import-row'
  | 'figures.refresh-facts';

export interface AuditEventInput {
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly userId: string | null;
  readonly username: string | null;
  readonly role: string | null;
  readonly entityType: string | null;
  readonly entityId: string | null;
  readonly patientId: string | null;
  readonly requestId: string | null;
  /** Metadata only: never passwords, tokens or the erased content itself (ICO logging). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditRecord extends AuditEventInput {
  readonly seq: number;
  /** UTC, ISO 8601 with milliseconds. */
  readonly occurredAt: string;
  /** The chain's hashes, null until the sealer has sealed the row (within the seal delay). */
  readonly prevHash: string | null;
  readonly hash: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so the same event always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) {
    // As JSON.stringify writes undefined inside arrays, so a stored and re-read value agrees.
    return 'null';
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A row's content: every field except its place in the chain (seq, prevHash, hash). */
export type AuditContent = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

export function auditContentJson(row: AuditContent): string {
  const content: AuditContent = {
    action: row.action,
    outcome: row.outcome,
    userId: row.userId,
    username: row.username,
    role: row.role,
    entityType: row.entityType,
    entityId: row.entityId,
    patientId: row.patientId,
    requestId: row.requestId,
    details: row.details,
    occurredAt: row.occurredAt,
  };
  return canonicalJson(content);
}

/**
 * The text a seal's SHA-256 covers: the previous seal's hash, the row's place in the chain and
 * its canonical content, one per line. When the row's place in the reading order (`eventSeq`)
 * differs from its place in the chain (rows that commit out of order), both are written as
 * `chain:event`, so the seal binds the row's number too; every row sealed when it was appended
 * had the two equal, and its hash keeps the layout it was made with.
 */
export function auditHashInput(
  prevHash: string,
  chainSeq: number,
  contentJson: string,
  eventSeq: number = chainSeq,
): string {
  const place = eventSeq === chainSeq ? String(chainSeq) : `${String(chainSeq)}:${String(eventSeq)}`;
  return `${prevHash}\n${place}\n${contentJson}`;
}

/** One seal in chain order, with the row it seals (null when that row is gone). */
export interface SealedAuditEntry {
  readonly chainSeq: number;
  readonly eventSeq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly content: AuditContent | null;
}

export type ChainBreak = {
  /** The place in the chain where the break is. */
  seq: number;
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'sequence-gap' | 'row-missing';
};

/**
 * Walks seals in chain order. `hashOf` is passed in (the domain does no crypto I/O); it
 * returns the hex SHA-256 of a string.
 */
export function findChainBreak(
  entries: Iterable<SealedAuditEntry>,
  hashOf: (text: string) => string,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): { break: ChainBreak | null; last: { seq: number; hash: string } } {
  let expectedSeq = start.seq + 1;
  let prev = start.hash;
  const stop = (seq: number, reason: ChainBreak['reason']) => ({
    break: { seq, reason },
    last: { seq: expectedSeq - 1, hash: prev },
  });
  for (const entry of entries) {
    if (entry.chainSeq !== expectedSeq) {
      return stop(expectedSeq, 'sequence-gap');
    }
    if (entry.prevHash !== prev) {
      return stop(entry.chainSeq, 'prev-hash-mismatch');
    }
    if (!entry.content) {
      return stop(entry.chainSeq, 'row-missing');
    }
    const input = auditHashInput(
      entry.prevHash,
      entry.chainSeq,
      auditContentJson(entry.content),
      entry.eventSeq,
    );
    if (hashOf(input) !== entry.hash) {
      return stop(entry.chainSeq, 'hash-mismatch');
    }
    prev = entry.hash;
    expectedSeq++;
  }
  return { break: null, last: { seq: expectedSeq - 1, hash: prev } };
}
