import { OVERRIDE_STATE_LABELS } from '../../../domain/test-dose-gate.ts';
import { formatInstant } from '../../../domain/test-dose-time.ts';
import type { StartOptions } from '../../../services/test-dose-gate-service.ts';
import type { OverrideView } from '../../../services/test-dose-override-service.ts';

/**
 * What the start page and the override pages show of the bedside gate (test-dose-gate.ts):
 * each assessment and why it does or does not let a test dose start, and the overrides.
 */

/**
 * The start page's view of the bedside gate: each assessment with its standing decision and
 * what stops it, the override waiting to be used, and whether anything lets this person start.
 */
export function gateView(options: StartOptions, timeZone: string) {
  const assessments = options.assessments.map((a) => {
    const decision = a.decisionLabel
      ? `${a.decisionLabel}${a.decidedByName ? ` (${a.decidedByName})` : ''}`
      : 'no decision yet';
    return {
      id: a.id,
      href: `/assessments/${a.id}`,
      label: `Selection assessment started ${formatInstant(a.createdAt, timeZone)}: ${decision}`,
      blockers: a.blockers,
      eligible: a.blockers.length === 0,
    };
  });
  const eligible = assessments.filter((a) => a.eligible);
  const o = options.override;
  return {
    canStart: options.canStart,
    assessments,
    eligibleCount: eligible.length,
    // One assessment that lets the test dose start is chosen for the person; more, they choose.
    preselect: eligible.length === 1 ? (eligible[0]?.id ?? '') : '',
    assessmentItems: [
      ...(options.overrideUsable || assessments.length === 0
        ? [{ value: '', text: 'Not linked to an assessment' }]
        : [{ value: '', text: 'Select the assessment' }]),
      ...assessments.map((a) => ({
        value: a.id,
        text: a.eligible ? a.label : `${a.label} (cannot start a test dose on its own)`,
      })),
    ],
    override: o
      ? {
          id: o.id,
          text: `Use the override recorded by ${o.createdByName} on ${formatInstant(o.createdAt, timeZone)}`,
          reason: o.reason,
        }
      : null,
    overrideUsable: options.overrideUsable,
    overrideIsYours: o !== null && !options.overrideUsable,
  };
}

/** A patient's overrides for the test-dose list page, newest first. */
export function overrideRows(overrides: readonly OverrideView[], timeZone: string) {
  return overrides.map((o) => ({
    id: o.id,
    state: o.state,
    stateLabel: OVERRIDE_STATE_LABELS[o.state],
    rows: [
      { key: 'Recorded', value: `${formatInstant(o.createdAt, timeZone)} by ${o.createdByName}` },
      { key: 'Reason', value: o.reason },
      { key: 'State', value: OVERRIDE_STATE_LABELS[o.state] },
      ...(o.usedAt ? [{ key: 'Used', value: formatInstant(o.usedAt, timeZone) }] : []),
      ...(o.withdrawnAt
        ? [
            {
              key: 'Withdrawn',
              value: `${formatInstant(o.withdrawnAt, timeZone)} by ${o.withdrawnByName ?? ''}. Reason: ${o.withdrawReason ?? ''}`,
            },
          ]
        : []),
    ],
    episodeHref: o.episodeId ? `/test-doses/${o.episodeId}` : null,
  }));
}
