import { findPumpModel } from '../../../domain/pump-device.ts';
import {
  CORRECTABLE_STATES,
  END_KINDS,
  END_KIND_LABELS,
  END_REQUEST_KIND_LABELS,
  isOwnRequest,
  PAUSE_REASONS,
  PAUSE_REASON_LABELS,
  pauseEmptiedLabel,
  PUMP_STATE_LABELS,
} from '../../../domain/pump-lifecycle.ts';
import type { PumpOverview } from '../../../services/pump-overview.ts';

/**
 * What the pump page shows of the pump's end and pauses, and which of their forms the signed-in
 * person sees: every form needs pump:manage; an end can be asked for only while no request is
 * waiting; the one who asked sees "withdraw", never "confirm".
 */
export interface LifecycleView {
  readonly stateLabel: string;
  readonly ending: {
    readonly id: string;
    readonly correction: boolean;
    /** For a replacement: the new pump, linked from the request. */
    readonly replacementPumpId: string | null;
    readonly kindLabel: string;
    readonly endedOn: string | null;
    readonly reason: string;
    readonly requestedBy: string;
    readonly requestedAt: string;
    readonly mine: boolean;
  } | null;
  readonly requests: readonly {
    readonly kindLabel: string;
    readonly endedOn: string | null;
    readonly reason: string;
    readonly requestedBy: string;
    readonly requestedAt: string;
    readonly state: string;
    readonly decidedBy: string;
    readonly decisionNote: string | null;
  }[];
  readonly pause: {
    readonly reasonLabel: string;
    readonly emptied: boolean;
    readonly emptiedLabel: string;
    readonly note: string | null;
    readonly pausedOn: string;
    readonly resumeBy: string;
    readonly overdue: boolean;
    readonly recordedBy: string;
  } | null;
  readonly canRequestEnd: boolean;
  readonly canDecideEnd: boolean;
  readonly canCorrect: boolean;
  readonly canPause: boolean;
  readonly canResume: boolean;
  readonly endKinds: readonly { value: string; text: string }[];
  readonly pauseReasons: readonly { value: string; text: string }[];
  /** The pump model's own rule for an MRI scan, as a hint beside the emptied question. */
  readonly emptiedHint: string;
}

/**
 * Whether the reservoir was emptied decides how the next refill is judged, so the question is
 * asked with the model's MRI rule beside it (pump-device.ts mriRule [PROM-MRI], [TGA-MRI]).
 */
function emptiedHint(modelId: string): string {
  const model = findPumpModel(modelId);
  const rule =
    model?.mriRule === 'empty-before'
      ? `A ${model.manufacturer} ${model.name} must be emptied before an MRI scan.`
      : model?.mriRule === 'interrogate-after'
        ? `A ${model.manufacturer} ${model.name} stops in the scanner with its drug still inside: it is emptied only if someone emptied it.`
        : '';
  return `${rule} If it was emptied, the next refill is checked against the programmer's figure only; if it was only stopped, the software still works out what should be left, counting no delivery while paused.`.trim();
}

const DECISIONS: Readonly<Record<string, string>> = {
  pending: 'Waiting for a second clinician',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
};

const sentenceCase = (label: string): string => label.charAt(0).toLowerCase() + label.slice(1);

/** The people named on the page, by user id (requests, decisions, pauses). */
export function lifecyclePeople(o: PumpOverview): string[] {
  return [
    ...o.endRequests.flatMap((r) => [r.requestedBy, r.decidedBy ?? '']),
    ...o.pauses.map((p) => p.recordedBy),
  ];
}

export function lifecycleView(
  o: PumpOverview,
  userId: string,
  canManage: boolean,
  nameOf: (id: string | null) => string,
): LifecycleView {
  const implanted = o.pump.state === 'implanted';
  const pending = o.endRequest;
  const pause = o.pause;
  return {
    stateLabel: PUMP_STATE_LABELS[o.pump.state],
    ending: pending
      ? {
          id: pending.id,
          correction: pending.kind === 'correction',
          replacementPumpId: pending.replacementPumpId,
          kindLabel: END_REQUEST_KIND_LABELS[pending.kind],
          endedOn: pending.endedOn,
          reason: pending.reason,
          requestedBy: nameOf(pending.requestedBy),
          requestedAt: pending.requestedAt,
          mine: isOwnRequest(pending, userId),
        }
      : null,
    requests: o.endRequests.map((r) => ({
      kindLabel: END_REQUEST_KIND_LABELS[r.kind],
      endedOn: r.endedOn,
      reason: r.reason,
      requestedBy: nameOf(r.requestedBy),
      requestedAt: r.requestedAt,
      state: DECISIONS[r.state] ?? r.state,
      decidedBy: nameOf(r.decidedBy),
      decisionNote: r.decisionNote,
    })),
    pause:
      pause && implanted
        ? {
            // Shown inside a sentence: only the first letter is lowered, so "MRI" stays as it is.
            reasonLabel: sentenceCase(PAUSE_REASON_LABELS[pause.reason]),
            emptied: pause.emptied,
            emptiedLabel: pauseEmptiedLabel(pause.emptied),
            note: pause.note,
            pausedOn: pause.pausedOn,
            resumeBy: pause.resumeBy,
            overdue: o.standing.status === 'resume-overdue',
            recordedBy: nameOf(pause.recordedBy),
          }
        : null,
    canRequestEnd: canManage && implanted && pending === null,
    canDecideEnd: canManage && pending !== null,
    canCorrect: canManage && CORRECTABLE_STATES.includes(o.pump.state) && pending === null,
    canPause: canManage && implanted && pause === null,
    canResume: canManage && implanted && pause !== null,
    endKinds: END_KINDS.map((k) => ({ value: k, text: END_KIND_LABELS[k] })),
    pauseReasons: PAUSE_REASONS.map((r) => ({ value: r, text: PAUSE_REASON_LABELS[r] })),
    emptiedHint: emptiedHint(o.pump.modelId),
  };
}
