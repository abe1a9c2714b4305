import { addDays, formatPlainDate, type PlainDate } from './calendar-date.ts';
import type { LifeEventDetails } from './life-events.ts';

/**
 * The actions each life event needs, worked out once when it is recorded and kept as a checklist
 * (hazards H-150 to H-159). What the clinical reference says is cited; what it does not say is
 * named as a GAP in the action itself, so nobody reads the checklist as settled guidance.
 *
 * Sources (docs/clinical-reference.md, section 10): ITB must not be stopped suddenly [GAB-UK];
 * withdrawal starts within 1–3 days [CONS] (12–96 h [FPN]) and needs hospital admission
 * [GAB-UK]; only clinicians trained in ITB may access or programme the pump [RCH-ED]. No source
 * covers ITB in pregnancy, neuraxial anaesthesia near the catheter, diathermy, or removing the
 * pump before cremation: GAP.
 */

export const ACTION_CODES = [
  'dose-review',
  'refill-plan',
  'alert-obstetric',
  'letter',
  'refill-before-admission',
  'post-op-check',
  'funeral-pump',
  'notify-gp',
  'notify-teams',
  'receiving-accepted',
  'ask-end',
] as const;
export type ActionCode = (typeof ACTION_CODES)[number];

export interface PlannedAction {
  readonly code: ActionCode;
  readonly label: string;
  /** What the action means for this patient, with the sources or the GAP. */
  readonly detail: string;
  /** The day by which it should be done, when there is one. */
  readonly dueOn: PlainDate | null;
}

/** What the actions are worked out from: the patient's implanted pumps, as they stand. */
export interface ActionPump {
  readonly serialNumber: string;
  readonly refillDueBy: PlainDate | null;
  readonly alarmOn: PlainDate | null;
  readonly catheterTipLevel: string | null;
}

export interface ActionContext {
  readonly today: PlainDate;
  readonly pumps: readonly ActionPump[];
  /** pump-rules.ts deliveryRefillWindowDays. */
  readonly deliveryRefillWindowDays: number;
}

/** Only a consultant may mark these done: the dose decision is theirs. */
export const CONSULTANT_ACTIONS: readonly ActionCode[] = ['dose-review'];

/** Actions a letter is made for: the letter can be downloaded from the event. */
export const LETTER_KINDS = ['surgery-elsewhere', 'transfer'] as const;

const dueText = (p: ActionPump): string =>
  p.refillDueBy === null
    ? `pump ${p.serialNumber} has no refill due date yet`
    : `pump ${p.serialNumber}: next refill due by ${formatPlainDate(p.refillDueBy)}` +
      (p.alarmOn === null ? '' : `, low-reservoir alarm ${formatPlainDate(p.alarmOn)}`);

/**
 * A refill falls "around" a date when its due date or alarm date is within `window` days either
 * side of it: a pump that runs low around a delivery or an admission must be refilled before it.
 */
export function refillFallsAround(pump: ActionPump, on: PlainDate, windowDays: number): boolean {
  const from = addDays(on, -windowDays);
  const to = addDays(on, windowDays);
  return [pump.refillDueBy, pump.alarmOn].some((d) => d !== null && d >= from && d <= to);
}

/**
 * A refill is needed before admission when the pump's due date or alarm date falls before the
 * expected discharge (the last day of the stay): nobody at the other hospital refills it.
 */
export function refillDueBeforeDischarge(pump: ActionPump, surgeryOn: PlainDate, stayDays: number): boolean {
  const lastDay = addDays(surgeryOn, stayDays);
  return [pump.refillDueBy, pump.alarmOn].some((d) => d !== null && d <= lastDay);
}

function pregnancyActions(edd: PlainDate, ctx: ActionContext): PlannedAction[] {
  const window = ctx.deliveryRefillWindowDays;
  const around = ctx.pumps.filter((p) => refillFallsAround(p, edd, window));
  const tips = ctx.pumps.map((p) => p.catheterTipLevel).filter((t): t is string => t !== null);
  return [
    {
      code: 'dose-review',
      label: 'Consultant review of the ITB dose in pregnancy',
      detail:
        'A consultant reviews the dose and decides whether to change it. GAP: the clinical reference has no guidance on intrathecal baclofen in pregnancy or breastfeeding. Do not stop ITB suddenly [GAB-UK].',
      dueOn: ctx.today,
    },
    {
      code: 'refill-plan',
      label: 'Plan refills around the delivery',
      detail:
        (around.length > 0
          ? `A refill falls within ${String(window)} days of the expected delivery (${around.map(dueText).join('; ')}): book a refill before ${formatPlainDate(addDays(edd, -window))}.`
          : `No refill is due within ${String(window)} days of the expected delivery (${ctx.pumps.map(dueText).join('; ') || 'no implanted pump'}).`) +
        ' Withdrawal starts within 1–3 days of the pump running dry [CONS], [FPN].',
      dueOn: around.length > 0 ? addDays(edd, -window) : null,
    },
    {
      code: 'alert-obstetric',
      label: 'Tell the obstetric and anaesthetic teams about the pump and catheter',
      detail: `An intrathecal catheter is in place${tips.length > 0 ? ` (tip at ${tips.join(', ')})` : ''}. The anaesthetist must know before any neuraxial (spinal or epidural) anaesthesia. GAP: the clinical reference has no guidance on neuraxial anaesthesia near an ITB catheter; the anaesthetist discusses it with the ITB consultant. The pump must not be stopped or accessed except by clinicians trained in ITB [RCH-ED], [GAB-UK].`,
      dueOn: ctx.today,
    },
  ];
}

function surgeryActions(
  input: Extract<LifeEventDetails, { kind: 'surgery-elsewhere' }>['input'],
  ctx: ActionContext,
) {
  const due = ctx.pumps.filter((p) => refillDueBeforeDischarge(p, input.surgeryOn, input.expectedStayDays));
  const discharge = addDays(input.surgeryOn, input.expectedStayDays);
  const actions: PlannedAction[] = [
    {
      code: 'letter',
      label: `Send the letter to the team at ${input.hospital}`,
      detail:
        'The letter gives the pump summary and what not to do: do not stop or empty the pump without contacting the service, the signs of withdrawal and overdose, and the refill dates around the admission.',
      dueOn: addDays(input.surgeryOn, -1) < ctx.today ? ctx.today : addDays(input.surgeryOn, -1),
    },
  ];
  if (due.length > 0) {
    const by = addDays(input.surgeryOn, -1) < ctx.today ? ctx.today : addDays(input.surgeryOn, -1);
    actions.push({
      code: 'refill-before-admission',
      label: 'Refill the pump before admission',
      detail: `A refill or alarm falls before the expected discharge on ${formatPlainDate(discharge)} (${due.map(dueText).join('; ')}): refill by ${formatPlainDate(by)}.`,
      dueOn: by,
    });
  }
  actions.push({
    code: 'post-op-check',
    label: 'Check the pump after the operation',
    detail:
      'Confirm the pump is running as programmed and ask about signs of withdrawal or overdose. GAP: the clinical reference gives no post-operative check for surgery elsewhere; diathermy and imaging cautions are not in the sources, apart from MRI (section 4).',
    dueOn: discharge,
  });
  return actions;
}

function deathActions(): PlannedAction[] {
  return [
    {
      code: 'funeral-pump',
      label: 'Tell whoever arranges the funeral about the implanted pump',
      detail:
        'The pump is an implanted, battery-powered device. GAP: the clinical reference does not say whether it must be removed before cremation; follow local policy and tell the funeral director or coroner.',
      dueOn: null,
    },
    {
      code: 'notify-gp',
      label: 'Tell the GP',
      detail: 'Tell the GP that the patient has died and that the ITB service has closed its care.',
      dueOn: null,
    },
    {
      code: 'notify-teams',
      label: 'Tell the other teams caring for the patient',
      detail: 'For example the referring team, community team and physiotherapists.',
      dueOn: null,
    },
  ];
}

function transferActions(
  input: Extract<LifeEventDetails, { kind: 'transfer' }>['input'],
  ctx: ActionContext,
) {
  const earliestDue = ctx.pumps
    .map((p) => p.refillDueBy)
    .filter((d): d is PlainDate => d !== null)
    .sort()[0];
  const actions: PlannedAction[] = [
    {
      code: 'letter',
      label: `Send the transfer letter to ${input.receivingService}`,
      detail:
        'The letter gives the full pump summary: model, serial, catheter, drug, programme, refills and dates.',
      dueOn: input.transferOn < ctx.today ? ctx.today : input.transferOn,
    },
    {
      code: 'receiving-accepted',
      label: 'Confirm the receiving service has accepted care and booked the next refill',
      detail:
        earliestDue === undefined
          ? 'No refill due date is set yet: agree who does the next refill.'
          : `The next refill is due by ${formatPlainDate(earliestDue)}: until the receiving service has booked it, this service keeps the pump on its worklist.`,
      dueOn: earliestDue ?? null,
    },
  ];
  if (input.transferOn > ctx.today) {
    actions.push({
      code: 'ask-end',
      label: 'Ask for the end of each pump on the transfer date',
      detail: `On or after ${formatPlainDate(input.transferOn)}, ask for each pump's end (transfer of care) on its pump page; a different clinician confirms it, and only then does it leave the worklist.`,
      dueOn: input.transferOn,
    });
  }
  return actions;
}

/** The checklist a newly recorded event starts with. */
export function plannedActions(details: LifeEventDetails, ctx: ActionContext): PlannedAction[] {
  switch (details.kind) {
    case 'pregnancy':
      return pregnancyActions(details.input.expectedDeliveryOn, ctx);
    case 'surgery-elsewhere':
      return surgeryActions(details.input, ctx);
    case 'death':
      return deathActions();
    case 'transfer':
      return transferActions(details.input, ctx);
  }
}
