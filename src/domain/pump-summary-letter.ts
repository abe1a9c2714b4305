import { formatPlainDate, type PlainDate } from './calendar-date.ts';
import { withoutSourceKeys } from './clinical-sources.ts';
import type { SurgeryInput, TransferInput } from './life-events.ts';
import { formatNhsNumber } from './nhs-number.ts';
import {
  fromLines,
  type LetterBlock,
  type LetterContent,
  type LetterFact,
  type LetterService,
} from './referral-letters.ts';

/**
 * The letters a life event sends with the pump summary: the transfer letter to the receiving
 * service (the full summary, so the new team can refill and programme the pump safely) and the
 * letter to a team operating on the patient elsewhere (the summary and what not to do). Content
 * as data (referral-letters.ts), rendered to PDF by src/letters. Facts come from the pump's
 * record; what is not recorded says so, never a guess (hazard H-153).
 */

export interface SummaryDoseChange {
  readonly on: PlainDate;
  readonly fromMcgPerDay: number | null;
  readonly toMcgPerDay: number;
  readonly reason: string | null;
}

export interface SummaryPump {
  readonly modelName: string;
  readonly serialNumber: string;
  readonly reservoirMl: number;
  readonly implantedOn: PlainDate;
  readonly catheterModel: string | null;
  readonly catheterTipLevel: string | null;
  readonly drug: string | null;
  readonly concentrationMcgPerMl: number | null;
  readonly programme: string | null;
  readonly doseMcgPerDay: number | null;
  readonly lastRefillOn: PlainDate | null;
  readonly lastRefillMl: number | null;
  readonly refillDueBy: PlainDate | null;
  readonly alarmOn: PlainDate | null;
  readonly alarmMl: number;
  readonly recentChanges: readonly SummaryDoseChange[];
  readonly mriAdvice: string;
  /** An end request waiting for a second clinician, in words; null when none. */
  readonly ending: string | null;
}

export interface SummaryLetterInput {
  readonly service: LetterService;
  readonly date: PlainDate;
  readonly patient: {
    readonly name: string;
    readonly nhsNumber: string;
    readonly dateOfBirth: PlainDate;
    readonly allergies: string | null;
  };
  readonly pumps: readonly SummaryPump[];
  /** Complications and alerts from other parts of the record, in words (may be empty). */
  readonly alerts: readonly string[];
  readonly signedBy: string;
}

const NOT_RECORDED = 'Not recorded';
const orNot = (v: string | null): string => (v === null || v.trim() === '' ? NOT_RECORDED : v);
const dateOrNot = (d: PlainDate | null): string => (d === null ? NOT_RECORDED : formatPlainDate(d));

function changeText(c: SummaryDoseChange): string {
  const from = c.fromMcgPerDay === null ? '' : `from ${String(c.fromMcgPerDay)} `;
  return `${formatPlainDate(c.on)}: ${from}to ${String(c.toMcgPerDay)} mcg/day${c.reason ? ` (${c.reason})` : ''}`;
}

/** The full summary of one pump, as facts. */
export function pumpSummaryFacts(p: SummaryPump): LetterFact[] {
  return [
    { label: 'Pump', value: `${p.modelName}, ${String(p.reservoirMl)} ml reservoir` },
    { label: 'Serial number', value: p.serialNumber },
    { label: 'Implanted', value: formatPlainDate(p.implantedOn) },
    { label: 'Catheter', value: orNot(p.catheterModel) },
    { label: 'Catheter tip level', value: orNot(p.catheterTipLevel) },
    { label: 'Drug', value: orNot(p.drug) },
    {
      label: 'Concentration',
      value: p.concentrationMcgPerMl === null ? NOT_RECORDED : `${String(p.concentrationMcgPerMl)} mcg/ml`,
    },
    { label: 'Programme', value: orNot(p.programme) },
    {
      label: 'Daily dose',
      value: p.doseMcgPerDay === null ? NOT_RECORDED : `${String(p.doseMcgPerDay)} mcg/day`,
    },
    {
      label: 'Last refill',
      value:
        p.lastRefillOn === null
          ? NOT_RECORDED
          : `${formatPlainDate(p.lastRefillOn)}${p.lastRefillMl === null ? '' : `, ${String(p.lastRefillMl)} ml put in`}`,
    },
    { label: 'Next refill due by', value: dateOrNot(p.refillDueBy) },
    { label: `Low-reservoir alarm (${String(p.alarmMl)} ml) expected`, value: dateOrNot(p.alarmOn) },
    {
      label: 'Recent dose changes',
      value:
        p.recentChanges.length === 0
          ? 'None in the last 90 days'
          : p.recentChanges.map(changeText).join('; '),
    },
    { label: 'MRI', value: p.mriAdvice },
    ...(p.ending === null ? [] : [{ label: 'Pump end', value: p.ending }]),
  ];
}

function patientFacts(input: SummaryLetterInput): LetterFact[] {
  return [
    { label: 'Patient', value: input.patient.name },
    { label: 'Date of birth', value: formatPlainDate(input.patient.dateOfBirth) },
    { label: 'Allergies', value: orNot(input.patient.allergies) },
    {
      label: 'Complications and alerts',
      value: input.alerts.length === 0 ? 'None recorded' : input.alerts.join('; '),
    },
  ];
}

function pumpBlocks(input: SummaryLetterInput): LetterBlock[] {
  if (input.pumps.length === 0) {
    return [{ kind: 'paragraph', text: 'No implanted pump is recorded.' }];
  }
  return input.pumps.flatMap((p, i): LetterBlock[] => [
    { kind: 'heading', text: input.pumps.length > 1 ? `Pump ${String(i + 1)}` : 'The pump' },
    { kind: 'facts', facts: pumpSummaryFacts(p) },
  ]);
}

/**
 * What not to do, from the clinical reference (section 10), with the gaps named: the sources
 * give no diathermy or post-operative guidance.
 */
export const DO_NOTS: readonly string[] = [
  'Do not stop the pump, reprogramme it or empty its reservoir without first contacting our service. Intrathecal baclofen must never be stopped suddenly [GAB-UK].',
  'Only clinicians trained in intrathecal baclofen may access or programme the pump [RCH-ED].',
  'Stopping or interrupting delivery brings withdrawal within 1 to 3 days (sometimes within 12 hours): itching without a rash, fever, returning spasticity, low or swinging blood pressure and an altered mental state, going on to rhabdomyolysis and organ failure. Withdrawal needs hospital admission; contact us at once [GAB-UK], [CONS], [FPN].',
  'Overdose shows as drowsiness, slow or shallow breathing, floppiness spreading upwards and a low temperature; there is no antidote. Support breathing and contact us [NSN-OD].',
  'If the pump is due a refill or its alarm sounds during the admission (dates above), contact us: the pump must not be left to run dry.',
  'Diathermy and other imaging: our clinical reference has no guidance (gap); ask the pump manufacturer or us before use near the pump. For MRI see the pump summary.',
];

function common(input: SummaryLetterInput) {
  return {
    from: fromLines(input.service),
    date: input.date,
    reference: `NHS number ${formatNhsNumber(input.patient.nhsNumber)}`,
    signOff: ['Yours sincerely', input.signedBy, input.service.name],
  };
}

/** The letter to the receiving service, with the full summary of every implanted pump. */
export function transferLetter(input: SummaryLetterInput, transfer: TransferInput): LetterContent {
  return {
    ...common(input),
    title: `Transfer of intrathecal baclofen care: ${input.patient.name}`,
    to: [transfer.receivingService, transfer.contact],
    salutation: 'Dear colleague,',
    blocks: [
      {
        kind: 'paragraph',
        text: `We are transferring the care of this patient's intrathecal baclofen pump to your service from ${formatPlainDate(transfer.transferOn)}. Until you confirm you have taken over, and a second clinician here confirms the transfer, the pump stays on our refill list.`,
      },
      { kind: 'facts', facts: patientFacts(input) },
      ...pumpBlocks(input),
      ...(transfer.notes ? [{ kind: 'paragraph', text: transfer.notes } as const] : []),
      { kind: 'heading', text: 'Safety' },
      ...DO_NOTS.slice(0, 4).map((text): LetterBlock => ({
        kind: 'paragraph',
        text: withoutSourceKeys(text),
      })),
      {
        kind: 'paragraph',
        text: `Please confirm you have accepted care and booked the next refill. Contact us on ${input.service.phone} or ${input.service.email}.`,
      },
    ],
  };
}

/** The letter to the team operating elsewhere: the summary and what not to do. */
export function surgeryLetter(input: SummaryLetterInput, surgery: SurgeryInput): LetterContent {
  return {
    ...common(input),
    title: `Intrathecal baclofen pump: planned surgery for ${input.patient.name}`,
    to: [surgery.teamContact, surgery.hospital],
    salutation: 'Dear colleague,',
    blocks: [
      {
        kind: 'paragraph',
        text: `We understand ${input.patient.name} is to have ${surgery.procedure} at ${surgery.hospital} on ${formatPlainDate(surgery.surgeryOn)}, with an expected stay of ${String(surgery.expectedStayDays)} days. They have an implanted intrathecal baclofen pump managed by our service.`,
      },
      { kind: 'facts', facts: patientFacts(input) },
      ...pumpBlocks(input),
      { kind: 'heading', text: 'What not to do' },
      ...DO_NOTS.map((text): LetterBlock => ({ kind: 'paragraph', text: withoutSourceKeys(text) })),
      {
        kind: 'paragraph',
        text: `Contact us on ${input.service.phone} or ${input.service.email} before the operation with any questions, and when the patient is discharged.`,
      },
    ],
  };
}
