import type { AdviceLine } from '../domain/refill-summary.ts';
import type { WarningCode } from '../domain/clinical-warning.ts';
import { residualBeyond } from '../domain/refill-arithmetic.ts';
import type { Trx } from '../storage/database.ts';
import { findRefillById, type Refill } from '../storage/refills.repository.ts';
import { AppError, validationError } from './app-error.ts';
import type { PumpServiceDeps } from './pump-service.ts';

/** What the refill services share: their dependencies, loading a refill, and who may act on it. */

export interface RefillServiceDeps extends PumpServiceDeps {
  readonly config: PumpServiceDeps['config'] & { readonly service: { readonly adviceLine: AdviceLine } };
}

/** Needs review before signing: any flag (refill-findings.ts), or a suspected pocket fill. */
export function needsReview(refill: Pick<Refill, 'flagged' | 'complications'>): boolean {
  return refill.flagged || refill.complications.includes('suspected-pocket-fill');
}

export async function loadRefill(db: Trx | PumpServiceDeps['db'], id: string): Promise<Refill> {
  const refill = await findRefillById(db, id);
  if (!refill) {
    throw new AppError('NOT_FOUND', 'Refill not found');
  }
  return refill;
}

/** Only a refill awaiting its check may be reviewed, signed or rejected. */
export function requireUnsigned(refill: Refill): void {
  if (refill.state === 'voided') {
    throw new AppError(
      'INVALID_STATE',
      'This refill was rejected by the checker and voided: record the refill again',
    );
  }
  if (refill.state !== 'recorded') {
    throw new AppError('INVALID_STATE', 'This refill is signed: it can only be amended, with a reason');
  }
}

/**
 * The four-eyes rule: the review, the signature and a rejection are never by the person who did
 * the refill. `field` names who is acting (reviewedBy, checkedBy), not a box on a form.
 */
export function requireNotPerformer(refill: Refill, userId: string, field: string, what: string): void {
  if (refill.performedBy === userId) {
    throw validationError([
      { field, message: `${what} must be by a different clinician from the one who did the refill` },
    ]);
  }
}

const FLAG_NAMES: Readonly<Record<string, string>> = {
  RAN_DRY: 'the pump ran dry',
  AFTER_ALARM: 'refilled on or after the alarm date',
  RESIDUAL_DISCREPANCY: 'the residual discrepancy',
  EXPECTED_RESIDUAL_MISMATCH: 'the expected residual typed differs from the software’s',
};

/** Why a refill cannot be signed before its review, naming what was found. */
export function reviewNeededMessage(refill: Refill): string {
  const codes: WarningCode[] = refill.flags.map((f) => f.code);
  // Refills recorded before flags were stored were flagged for the discrepancy in mL alone.
  const onlyByMl =
    (codes.length === 0 && refill.flagged) ||
    (codes.length === 1 &&
      codes[0] === 'RESIDUAL_DISCREPANCY' &&
      residualBeyond(refill, { percentThreshold: Number.POSITIVE_INFINITY }).ml);
  if (onlyByMl) {
    const side = refill.discrepancyMl < 0 ? 'less' : 'more';
    return `${String(Math.abs(refill.discrepancyMl))} mL ${side} came out than expected, more than ${String(refill.thresholdMl)} mL either way: record its review before signing`;
  }
  if (codes.length > 0) {
    return `This refill was flagged (${codes.map((c) => FLAG_NAMES[c] ?? c).join('; ')}): record its review before signing`;
  }
  return 'A suspected pocket fill must be reviewed before signing';
}
