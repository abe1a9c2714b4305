import {
  CALL_ADVICE,
  CALL_REASON_LABELS,
  CALL_REASONS,
  CALLER_KIND_LABELS,
  CALLER_KINDS,
  FOLLOW_UP_LABELS,
  FOLLOW_UPS,
} from '../../../domain/advice-calls.ts';
import {
  EMERGENCY_KIND_HINTS,
  EMERGENCY_KIND_LABELS,
  EMERGENCY_KINDS,
  EMERGENCY_OUTCOME_LABELS,
  EMERGENCY_OUTCOMES,
  emergencyHeadline,
  OVERDOSE_SIGNS,
  signsFor,
  signText,
  WITHDRAWAL_SIGNS,
  type EmergencyKind,
  type Sign,
} from '../../../domain/emergency-events.ts';
import { withoutSourceKeys } from '../../../domain/clinical-sources.ts';
import type { AdviceCallRead, EmergencyEventRead } from '../../../storage/emergency.repository.ts';

/** Events and calls in words for the pages, and the choices their forms offer. */

/** The reference's guidance for each kind, shown with an event (the sources as a link). */
const KIND_GUIDANCE: Readonly<Record<EmergencyKind, string | undefined>> = {
  overdose: CALL_ADVICE['overdose-signs'],
  withdrawal: CALL_ADVICE['withdrawal-signs'],
  'critical-alarm': CALL_ADVICE['alarm-critical'],
  'pump-stall': CALL_ADVICE['alarm-critical'],
};

export function eventView(e: EmergencyEventRead) {
  return {
    ...e,
    headline: emergencyHeadline(e.kind),
    kindLabel: EMERGENCY_KIND_LABELS[e.kind],
    signTexts: e.signs.map((s) => signText(e.kind, s)),
    outcomeLabel: e.outcome === null ? null : EMERGENCY_OUTCOME_LABELS[e.outcome],
    guidance: KIND_GUIDANCE[e.kind] ?? null,
  };
}

const signTextOf = (signs: readonly Sign[], value: string) =>
  signs.find((s) => s.value === value)?.text ?? value;

export function callView(c: AdviceCallRead) {
  return {
    ...c,
    callerKindLabel: CALLER_KIND_LABELS[c.callerKind],
    reasonLabel: CALL_REASON_LABELS[c.reason],
    followUpLabel: FOLLOW_UP_LABELS[c.followUp],
    overdoseSignTexts: c.overdoseSigns.map((s) => signTextOf(OVERDOSE_SIGNS, s)),
    withdrawalSignTexts: c.withdrawalSigns.map((s) => signTextOf(WITHDRAWAL_SIGNS, s)),
    referenceAdvice: CALL_ADVICE[c.reason] ?? null,
  };
}

export function kindChoices(selected: string | null) {
  return EMERGENCY_KINDS.map((k) => ({
    value: k,
    text: EMERGENCY_KIND_LABELS[k],
    hint: { text: EMERGENCY_KIND_HINTS[k] },
    checked: k === selected,
  }));
}

export function signChoices(kind: EmergencyKind, checked: readonly string[]) {
  return signsFor(kind).map((s) => ({ value: s.value, text: s.text, checked: checked.includes(s.value) }));
}

export function outcomeChoices(selected: string | undefined) {
  return EMERGENCY_OUTCOMES.map((o) => ({
    value: o,
    text: EMERGENCY_OUTCOME_LABELS[o],
    checked: o === selected,
  }));
}

export function callerChoices(selected: string | undefined) {
  return CALLER_KINDS.map((k) => ({ value: k, text: CALLER_KIND_LABELS[k], checked: k === selected }));
}

/** The reasons, each with the advice the reference gives for it as its hint (hazard H-113). */
export function reasonChoices(selected: string | undefined) {
  return CALL_REASONS.map((r) => {
    const advice = CALL_ADVICE[r];
    return {
      value: r,
      text: CALL_REASON_LABELS[r],
      checked: r === selected,
      ...(advice === undefined ? {} : { hint: { text: `Advice: ${withoutSourceKeys(advice)}` } }),
    };
  });
}

export function followUpChoices(selected: string | undefined) {
  return FOLLOW_UPS.map((k) => ({ value: k, text: FOLLOW_UP_LABELS[k], checked: k === selected }));
}

export function callSignChoices(signs: readonly Sign[], checked: readonly string[]) {
  return signs.map((s) => ({ value: s.value, text: s.text, checked: checked.includes(s.value) }));
}
