import type { AdviceLine } from '../domain/refill-summary.ts';
import type { WarningCode } from '../domain/clinical-warning.ts';
import {
  REFILL_ACTION_PERMISSIONS,
  refillActions,
  type CorrectionForActions,
  type RefillAction,
  type RefillBlocker,
} from '../domain/refill-actions.ts';
import { residualBeyond } from '../domain/refill-arithmetic.ts';
import type { FieldError } from '../domain/field-error.ts';
import type { Trx } from '../storage/database.ts';
import { findRefillById, type Refill } from '../storage/refills.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import type { Actor } from './audit-service.ts';
import { requirePermission } from './permission-check.ts';
import type { RefusalReason } from './refusals/refusal-reasons.ts';
import type { PumpServiceDeps } from './pump-store.ts';

/** What the refill services share: their dependencies, loading a refill, and who may act on it. */

export interface RefillServiceDeps extends PumpServiceDeps {
  readonly config: PumpServiceDeps['config'] & { readonly service: { readonly adviceLine: AdviceLine } };
}

export async function loadRefill(db: Trx | PumpServiceDeps['db'], id: string): Promise<Refill> {
  const refill = await findRefillById(db, id);
  if (!refill) {
    throw new AppError('NOT_FOUND', 'Refill not found');
  }
  return refill;
}

/**
 * What each action says when it is refused. The four-eyes rule is a field error naming who acts
 * (reviewedBy, checkedBy), not a box on a form; the states are refusals with their reason.
 */
const ACTION_TEXT: Readonly<
  Record<
    RefillAction,
    {
      readonly forbidden: string;
      readonly notByThem?: FieldError & { readonly reason: RefusalReason };
      readonly voided: string;
    }
  >
> = {
  review: {
    forbidden: 'Only clinicians who refill pumps can review a refill',
    notByThem: {
      field: 'reviewedBy',
      message: 'The review must be by a different clinician from the one who did the refill',
      reason: 'REVIEWER_IS_PERFORMER',
    },
    voided: 'This refill was rejected by the checker and voided: record the refill again',
  },
  sign: {
    forbidden: 'Only clinicians who check doses can sign a refill',
    notByThem: {
      field: 'checkedBy',
      message: 'The refill must be checked and signed by a different clinician from the one who did it',
      reason: 'SIGNER_IS_PERFORMER',
    },
    voided: 'This refill was rejected by the checker and voided: record the refill again',
  },
  reject: {
    forbidden: 'Only clinicians who check doses can reject a refill',
    notByThem: {
      field: 'checkedBy',
      message: 'Rejecting a refill must be by a different clinician from the one who did the refill',
      reason: 'SIGNER_IS_PERFORMER',
    },
    voided: 'This refill was rejected by the checker and voided: record the refill again',
  },
  amend: {
    forbidden: 'Only clinicians who refill pumps can amend a refill',
    voided: 'This refill was rejected and voided: it cannot be amended',
  },
  amendVolumes: {
    forbidden: 'Only clinicians who refill pumps can amend a refill',
    voided: 'This refill was rejected and voided: it cannot be amended',
  },
  decideCorrection: {
    forbidden: 'Only clinicians who check doses can decide a correction',
    voided: 'This refill was rejected and voided: it cannot be amended',
  },
};

/** Refuses the action to an actor whose role lacks its permission, before anything is read. */
export function requireRefillPermission(actor: Actor, action: RefillAction, message?: string): void {
  requirePermission(actor, REFILL_ACTION_PERMISSIONS[action], message ?? ACTION_TEXT[action].forbidden);
}

function blockerError(
  action: RefillAction,
  blocker: RefillBlocker,
  refill: Refill,
  correction: CorrectionForActions | null,
): AppError {
  const text = ACTION_TEXT[action];
  switch (blocker) {
    case 'NOT_PERMITTED':
      return new AppError('FORBIDDEN', text.forbidden);
    case 'VOIDED':
      return refused('REFILL_VOIDED', text.voided);
    case 'SIGNED':
      return refused('REFILL_SIGNED', 'This refill is signed: it can only be amended, with a reason');
    case 'NOT_SIGNED':
      return refused(
        'REFILL_NOT_SIGNED',
        'This refill is not signed yet: ask the checker to review it, or to reject it',
      );
    case 'NO_REVIEW_NEEDED':
      return refused(
        'REFILL_REVIEW_NOT_NEEDED',
        'This refill has no finding or complication that needs a review',
      );
    case 'REVIEW_PENDING':
      return refused('REFILL_REVIEW_NEEDED', reviewNeededMessage(refill));
    case 'PERFORMER':
      if (!text.notByThem) {
        throw new Error(`refillActions: ${action} is not refused to the performer`);
      }
      return validationError(
        [{ field: text.notByThem.field, message: text.notByThem.message }],
        text.notByThem.reason,
      );
    case 'CORRECTION_PENDING':
      return refused(
        'VOLUME_CORRECTION_PENDING',
        'A volume correction to this refill is already waiting to be confirmed: confirm or reject it first',
      );
    case 'CORRECTION_DECIDED':
      return refused(
        'VOLUME_CORRECTION_DECIDED',
        `This correction was ${correction?.state ?? 'decided'} already`,
      );
    case 'CORRECTION_AUTHOR':
      return validationError(
        [
          {
            field: 'checkedBy',
            message:
              'A volume correction must be confirmed or rejected by a different clinician from the one who made it',
          },
        ],
        'CORRECTION_CHECKER_IS_AUTHOR',
      );
  }
}

/**
 * Refuses `action` for the first reason refillActions gives (the rule the refill page shows its
 * forms by), as the service has always answered it. `only` limits it to some reasons, for a
 * service that checks the rest later (the signature checks the version between the two).
 */
export function refuseUnlessAllowed(
  action: RefillAction,
  refill: Refill,
  actor: Actor,
  options: {
    readonly correction?: CorrectionForActions | null;
    readonly only?: readonly RefillBlocker[];
  } = {},
): void {
  const correction = options.correction ?? null;
  const blockers = refillActions(refill, { id: actor.userId, role: actor.role }, correction).blockers[action];
  const first = blockers.find((b) => options.only?.includes(b) ?? true);
  if (first !== undefined) {
    throw blockerError(action, first, refill, correction);
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
