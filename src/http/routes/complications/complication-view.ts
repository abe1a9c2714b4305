import {
  BRIDGING_KINDS,
  BRIDGING_KIND_LABELS,
  BRIDGING_PURPOSES,
  BRIDGING_PURPOSE_LABELS,
  endNeedsBridgingPlan,
} from '../../../domain/bridging-plan.ts';
import { formatPlainDate } from '../../../domain/calendar-date.ts';
import {
  COMPLICATION_KINDS,
  COMPLICATION_KIND_LABELS,
  COMPLICATION_OUTCOMES,
  COMPLICATION_OUTCOME_LABELS,
  DEVICE_LINKS,
  DEVICE_LINK_LABELS,
} from '../../../domain/complication.ts';
import { findPumpModel } from '../../../domain/pump-device.ts';
import { PUMP_STATE_LABELS } from '../../../domain/pump-lifecycle.ts';
import type { BridgingPlan, Complication } from '../../../storage/complications.repository.ts';
import type { Pump } from '../../../storage/pumps.repository.ts';
import { datePartsOf, dateFromParts } from '../form.ts';
import type { FieldError } from '../../../domain/field-error.ts';

/** What the register's pages show and how their forms are read: labels, choices, form values. */

export const COMPLICATION_NOTICES: Readonly<Record<string, string>> = {
  recorded: 'Complication recorded in the register',
  updated: 'Complication updated',
  'plan-recorded': 'Bridging plan recorded',
};

export const choices = {
  kinds: COMPLICATION_KINDS.map((k) => ({ value: k, text: COMPLICATION_KIND_LABELS[k] })),
  outcomes: COMPLICATION_OUTCOMES.map((o) => ({ value: o, text: COMPLICATION_OUTCOME_LABELS[o] })),
  devices: DEVICE_LINKS.map((d) => ({ value: d, text: DEVICE_LINK_LABELS[d] })),
  bridgingKinds: BRIDGING_KINDS.map((k) => ({ value: k, text: BRIDGING_KIND_LABELS[k] })),
  purposes: BRIDGING_PURPOSES.map((p) => ({ value: p, text: BRIDGING_PURPOSE_LABELS[p] })),
};

/** A pump as a choice or a label: model, serial and implant date, with its state once ended. */
export function pumpLabel(p: Pump): string {
  const ended = p.state === 'implanted' ? '' : ` (${PUMP_STATE_LABELS[p.state].toLowerCase()})`;
  return `${findPumpModel(p.modelId)?.name ?? p.modelId}, serial ${p.serialNumber}, implanted ${formatPlainDate(p.implantedOn)}${ended}`;
}

/** The catheter an entry names, as recorded: model and tip level where known. */
function catheterText(c: Complication): string | null {
  if (c.device !== 'catheter' && c.device !== 'pump-and-catheter') {
    return null;
  }
  const parts = [c.catheterModel, c.catheterTipLevel ? `tip at ${c.catheterTipLevel}` : null].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'Catheter not described on the pump record';
}

export function entryRow(c: Complication, pumps: readonly Pump[]) {
  const pump = c.pumpId ? pumps.find((p) => p.id === c.pumpId) : undefined;
  return {
    ...c,
    kindLabel: COMPLICATION_KIND_LABELS[c.kind],
    outcomeLabel: COMPLICATION_OUTCOME_LABELS[c.outcome],
    deviceLabel: c.device ? DEVICE_LINK_LABELS[c.device] : 'Not linked to a pump',
    pumpLabel: pump ? pumpLabel(pump) : null,
    catheterText: catheterText(c),
  };
}

export function planRow(p: BridgingPlan, pumps: readonly Pump[], entries: readonly Complication[]) {
  const pump = pumps.find((x) => x.id === p.pumpId);
  const linked = p.complicationId ? entries.find((c) => c.id === p.complicationId) : undefined;
  return {
    ...p,
    purposeLabel: BRIDGING_PURPOSE_LABELS[p.purpose],
    kindLabel: BRIDGING_KIND_LABELS[p.kind],
    pumpLabel: pump ? pumpLabel(pump) : p.pumpId,
    complicationLabel: linked
      ? `${COMPLICATION_KIND_LABELS[linked.kind]}, onset ${formatPlainDate(linked.onsetOn)}`
      : null,
  };
}

/** The form's fields for an entry being changed: what it holds now, dates in boxes. */
export function entryFormValues(c: Complication): Record<string, unknown> {
  return {
    kind: c.kind,
    onsetOn: datePartsOf(c.onsetOn),
    resolvedOn: datePartsOf(c.resolvedOn),
    pumpId: c.pumpId ?? '',
    device: c.device ?? '',
    organism: c.organism ?? '',
    details: c.details ?? '',
    actions: c.actions ?? '',
    outcome: c.outcome,
    version: String(c.version),
  };
}

/** Date boxes left empty read as no date where the field is optional. */
function optionalDate(f: Record<string, string>, name: string, label: string) {
  const empty = ['day', 'month', 'year'].every((p) => (f[`${name}-${p}`] ?? '').trim() === '');
  return empty ? { date: null, error: null } : dateFromParts(f, name, label);
}

/**
 * An entry's form as the service's input, or the date fields' messages. Fields left empty are
 * null; the service judges the rest.
 */
export function entryFromForm(
  f: Record<string, string>,
):
  | { readonly ok: true; readonly input: Record<string, unknown> }
  | { readonly ok: false; readonly errors: FieldError[] } {
  const onset = dateFromParts(f, 'onsetOn', 'Date of onset');
  const resolved = optionalDate(f, 'resolvedOn', 'Date resolved');
  const errors = [onset.error, resolved.error].filter((e): e is FieldError => e !== null);
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    input: {
      kind: f.kind || undefined,
      onsetOn: onset.date,
      resolvedOn: resolved.date,
      pumpId: f.pumpId || null,
      device: f.device || null,
      // An organism typed and then the kind changed away from an infection is refused, not dropped.
      organism: f.organism ?? null,
      details: f.details ?? null,
      actions: f.actions ?? null,
      outcome: f.outcome || undefined,
      ...(f.version !== undefined ? { version: Number(f.version) } : {}),
    },
  };
}

export function planFromForm(
  f: Record<string, string>,
):
  | { readonly ok: true; readonly input: Record<string, unknown> }
  | { readonly ok: false; readonly errors: FieldError[] } {
  const start = dateFromParts(f, 'startOn', 'Start date');
  const review = dateFromParts(f, 'reviewOn', 'Review or stop date');
  const errors = [start.error, review.error].filter((e): e is FieldError => e !== null);
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    input: {
      purpose: f.purpose || undefined,
      kind: f.kind || undefined,
      drug: f.drug ?? '',
      dose: f.dose ?? '',
      frequency: f.frequency ?? '',
      startOn: start.date,
      reviewOn: review.date,
      responsible: f.responsible ?? '',
      details: f.details ?? null,
      complicationId: f.complicationId || null,
    },
  };
}

/** The date boxes of a form posted back, filled again with what was typed. */
export function typedDates(f: Record<string, string>, names: readonly string[]) {
  return Object.fromEntries(
    names.map((n) => [
      n,
      { day: f[`${n}-day`] ?? '', month: f[`${n}-month`] ?? '', year: f[`${n}-year`] ?? '' },
    ]),
  );
}

/**
 * The pump page's part of the register: the entries and plans linked to the pump, and, beside a
 * pending explant or replacement, the bridging plan it needs or carries (H-140, H-145).
 */
export function pumpComplicationsView(
  register: {
    readonly pump: Pump;
    readonly complications: readonly Complication[];
    readonly plans: readonly BridgingPlan[];
  },
  pendingKind: string | null,
  canManage: boolean,
) {
  const { pump, complications, plans } = register;
  const purpose =
    pendingKind === 'explant' ? 'explant' : pendingKind === 'replacement' ? 'replacement' : null;
  const plan = purpose ? plans.find((p) => p.purpose === purpose) : undefined;
  return {
    complicationsSection: {
      entries: complications.map((c) => entryRow(c, [pump])),
      plans: plans.map((p) => planRow(p, [pump], complications)),
      canRecord: canManage,
    },
    bridging: {
      show: purpose !== null,
      required: purpose !== null && endNeedsBridgingPlan(purpose),
      plan: plan ? planRow(plan, [pump], complications) : null,
      canRecord: canManage,
    },
  };
}

export const ENTRY_HREFS: Record<string, string> = {
  onsetOn: 'onsetOn-day',
  resolvedOn: 'resolvedOn-day',
  kind: 'kind',
  outcome: 'outcome',
  device: 'device',
  startOn: 'startOn-day',
  reviewOn: 'reviewOn-day',
  purpose: 'purpose',
};
