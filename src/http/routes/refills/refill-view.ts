import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { formatPlainDate } from '../../../domain/calendar-date.ts';
import { REFILL_COMPLICATION_LABELS } from '../../../domain/refill-input.ts';
import type { DiscrepancyRules } from '../../../domain/pump-rules.ts';
import { refillActions } from '../../../domain/refill-actions.ts';
import { residualBeyond } from '../../../domain/refill-arithmetic.ts';
import type { RefillView } from '../../../services/refill-view-service.ts';
import { actorFor, requireAuth, type RequestAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields, noticeFrom } from '../form.ts';
import { comparisonRows, num, prescriptionSummary, signedMl, signedPercent } from '../pumps/pump-view.ts';

/**
 * What the refill page shows: the record, its flags and their review (with the withdrawal-signs
 * check after a pump ran dry or was refilled after its alarm), the checker's sign or reject
 * forms, and corrections with old and new values side by side. Kept apart from the routes
 * (refill-pages.ts) so each file holds one thing. Which forms it shows comes from refillActions,
 * the rule the services refuse by.
 */

export const REFILL_NOTICES: Readonly<Record<string, string>> = {
  recorded: 'Refill recorded: it counts once a second clinician checks and signs it',
  reviewed: 'Review recorded',
  signed: 'Refill checked and signed: the pump’s alarm and due dates now come from this fill',
  amended: 'Amendment recorded',
  rejected:
    'Refill rejected: it is voided and kept in the history, and the pump’s dates are back to the last signed refill’s plan. Record the refill again',
  'volumes-proposed': 'Volume correction recorded: it takes effect when a different clinician confirms it',
  'volumes-confirmed': 'Volume correction confirmed: the refill’s alarm and due dates are worked out again',
  'volumes-rejected': 'Volume correction rejected: the refill stays as signed',
};

const AMENDABLE_LABELS: Readonly<Record<string, string>> = {
  batch: 'Batch number',
  expiresOn: 'Expiry date',
  complicationNote: 'Complication details',
  patientNote: 'Note for the patient',
  instilledMl: 'Volume instilled',
  alarmMl: 'Low-reservoir alarm volume',
};

const FLAG_HEADINGS: Readonly<Record<string, string>> = {
  RAN_DRY: 'The pump ran dry',
  AFTER_ALARM: 'Refilled on or after the alarm date',
  RESIDUAL_DISCREPANCY: 'Residual discrepancy',
  EXPECTED_RESIDUAL_MISMATCH: 'Expected residual does not match the software’s',
};

const AMENDMENT_STATES: Readonly<Record<string, string>> = {
  applied: 'Applied',
  pending: 'Waiting for a second clinician',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
};

export const CONFIRM_TEXT = 'I have checked the volumes, concentration and programme against the pump';
export const WITHDRAWAL_CHECK_TEXT = 'I have checked the patient for signs of baclofen withdrawal';

/** Form fields on the refill page and the element each error links to. */
export const REFILL_PAGE_HREFS: Record<string, string> = {
  'amend-expiresOn': 'amend-expiresOn-day',
  withdrawalSignsChecked: 'withdrawalSignsChecked',
};

export interface RefillPageExtra {
  readonly status?: number;
  readonly errors?: readonly FieldError[];
  readonly values?: Record<string, string>;
  readonly conflict?: string | null;
}

function valueText(field: string, value: string | null): string {
  if (value === null) {
    return 'Not recorded';
  }
  if (field === 'expiresOn') {
    return formatPlainDate(value);
  }
  return field === 'instilledMl' || field === 'alarmMl' ? `${value} mL` : value;
}

export function refillPageData(
  v: RefillView,
  auth: RequestAuth,
  query: Record<string, string | undefined>,
  extra: RefillPageExtra,
  rules: DiscrepancyRules,
) {
  const { refill, pump } = v;
  const nameOf = (id: string | null) => (id ? (v.names.get(id) ?? 'Unknown') : null);
  const values = extra.values ?? {};
  const pending = v.pendingAmendment;
  const actions = refillActions(refill, auth.user, pending);
  return {
    title: `Refill on ${formatPlainDate(refill.performedOn)}`,
    patient: v.patient,
    pump,
    model: v.model,
    refill,
    voided: refill.state === 'voided',
    voidedBy: nameOf(refill.voidedBy),
    effective: v.effective,
    dueOn: v.dueOn,
    limitedBy:
      refill.limitedBy === 'alarm'
        ? 'the low-reservoir alarm date, less the refill buffer'
        : 'how long the drug may stay in the pump (stability limit)',
    discrepancy: {
      expected: num(refill.expectedResidualMl),
      withdrawn: num(refill.withdrawnMl),
      ml: signedMl(refill.discrepancyMl),
      percent: signedPercent(refill.discrepancyPercent),
      threshold: num(refill.thresholdMl),
    },
    // Refills recorded before flags were kept have `flagged` alone, for the discrepancy.
    discrepancyFlagged:
      refill.flags.some((f) => f.code === 'RESIDUAL_DISCREPANCY') ||
      (refill.flagged && refill.flags.length === 0),
    discrepancyBeyond: residualBeyond(refill, rules),
    percentThreshold: rules.percentThreshold,
    otherFlags: refill.flags.filter((f) => f.code !== 'RESIDUAL_DISCREPANCY').length > 0,
    software: {
      expected: refill.softwareExpectedMl === null ? null : num(refill.softwareExpectedMl),
      withBoluses:
        refill.softwareExpectedWithBolusesMl === null ? null : num(refill.softwareExpectedWithBolusesMl),
    },
    flags: refill.flags.map((f) => ({ ...f, heading: FLAG_HEADINGS[f.code] ?? f.code })),
    needsWithdrawalCheck: v.needsWithdrawalCheck,
    withdrawalCheckText: WITHDRAWAL_CHECK_TEXT,
    instilled: num(refill.instilledMl),
    dailyVolume: num(refill.dailyVolumeMl),
    concentration: num(refill.concentrationMcgPerMl),
    complications: refill.complications.map((c) => REFILL_COMPLICATION_LABELS[c]),
    pocketFill: refill.complications.includes('suspected-pocket-fill'),
    programme: v.prescription ? prescriptionSummary(v.prescription) : null,
    programmeChanged: v.previousPrescription !== null,
    comparison:
      v.prescription && v.previousPrescription
        ? comparisonRows(v.previousPrescription, v.prescription)
        : null,
    performedBy: nameOf(refill.performedBy),
    reviewedBy: nameOf(refill.reviewedBy),
    checkedBy: nameOf(refill.checkedBy),
    amendments: v.amendments.map((a) => ({
      ...a,
      byName: nameOf(a.amendedBy),
      decidedByName: nameOf(a.decidedBy),
      stateLabel: AMENDMENT_STATES[a.state] ?? a.state,
      changes: a.changes.map((c) => ({
        label: AMENDABLE_LABELS[c.field] ?? c.field,
        old: valueText(c.field, c.old),
        new: valueText(c.field, c.new),
      })),
    })),
    pendingAmendment: pending
      ? {
          ...pending,
          byName: nameOf(pending.amendedBy),
          mine: pending.amendedBy === auth.user.id,
          rows: pending.changes.map((c) => ({
            label: AMENDABLE_LABELS[c.field] ?? c.field,
            before: valueText(c.field, c.old),
            after: valueText(c.field, c.new),
            changed: true,
          })),
        }
      : null,
    canDecideAmendment: actions.canDecideAmendment,
    needsReview: v.needsReview,
    reviewPending: actions.reviewPending,
    canReview: actions.offerReview,
    canSign: actions.canSign,
    canReject: actions.canReject,
    isPerformer: actions.isPerformer,
    maySign: !actions.blockers.sign.includes('NOT_PERMITTED'),
    canAmend: actions.canAmend,
    canAmendVolumes: actions.canAmendVolumes,
    confirmText: CONFIRM_TEXT,
    notice: noticeFrom(REFILL_NOTICES, query.done),
    conflict: extra.conflict ?? null,
    values,
    amendExpires: {
      day: values['amend-expiresOn-day'] ?? '',
      month: values['amend-expiresOn-month'] ?? '',
      year: values['amend-expiresOn-year'] ?? '',
    },
    ...errorContext(extra.errors ?? [], REFILL_PAGE_HREFS),
  };
}

/** The refill page: the record, its flags and review, the check, and corrections. */
export function refillPageRenderer(deps: RouteDeps) {
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    refillId: string,
    extra: RefillPageExtra = {},
  ) => {
    const auth = requireAuth(request);
    const v = await deps.services.refills.view(actorFor(auth, request.id), refillId);
    return reply
      .status(extra.status ?? 200)
      .page(
        'pages/refills/show.njk',
        refillPageData(v, auth, formFields(request.query), extra, deps.config.pumpRules.discrepancy),
      );
  };
}
