import { ORIGIN_LABELS, PHASE_LABELS } from '../../../domain/dose-change.ts';
import {
  describeProgramme,
  PROGRAMME_MODE_LABELS,
  WEEKDAY_LABELS,
  type DoseProgramme,
} from '../../../domain/dose-programme.ts';
import { DRUGS } from '../../../domain/prescription-input.ts';
import { dailyVolumeMl, round2 } from '../../../domain/refill-arithmetic.ts';
import type { PlainDate } from '../../../domain/calendar-date.ts';
import type { Prescription } from '../../../storage/prescriptions.repository.ts';

/** What the pump and refill pages show of a prescription, as text. */

export const num = (n: number): string => String(round2(n));

export function drugLabel(id: string): string {
  return DRUGS.find((d) => d.id === id)?.label ?? id;
}

function bolusText(programme: DoseProgramme): string {
  const b = programme.bolus;
  return b
    ? `${num(b.doseMcg)} mcg, up to ${String(b.maxPerDay)} a day, ${String(b.lockoutMinutes)} min lock-out`
    : 'None';
}

/** The flex steps, one line each, with the weekdays when a schedule does not run every day. */
function stepLines(programme: DoseProgramme): string[] {
  return programme.schedules.flatMap((s) => {
    const days =
      s.weekdays.length === 7 ? '' : `${s.weekdays.map((d) => WEEKDAY_LABELS[d - 1] ?? '').join(', ')}: `;
    return s.steps.map((st) => `${days}${st.start} to ${st.end} at ${num(st.rateMcgPerHour)} mcg/h`);
  });
}

export interface PrescriptionSummary {
  readonly id: string;
  readonly drug: string;
  readonly concentration: string;
  readonly mode: string;
  readonly description: string;
  readonly steps: readonly string[];
  readonly dailyDose: string;
  readonly planningDose: string;
  readonly dailyVolume: string;
  readonly boluses: string;
  readonly phase: string;
  /** Whose titration limits the change was held to (the pump's history, not the phase chosen). */
  readonly limits: string;
  /** The warnings it was accepted with, the reason explaining them; "None" when there were none. */
  readonly warnings: string;
}

function limitsText(p: Prescription): string {
  if (p.limitPhase === 'titration') {
    return 'Titration limits: no maintenance dose has been confirmed yet';
  }
  if (p.limitPhase === 'maintenance') {
    return 'Maintenance limits: a maintenance dose has been confirmed';
  }
  return p.previousId === null ? 'The starting dose from the test dose' : 'Not recorded';
}

export function prescriptionSummary(p: Prescription): PrescriptionSummary {
  return {
    id: p.id,
    drug: drugLabel(p.drug),
    concentration: `${num(p.concentrationMcgPerMl)} mcg/mL`,
    mode: PROGRAMME_MODE_LABELS[p.programme.mode],
    description: describeProgramme(p.programme),
    steps: stepLines(p.programme),
    dailyDose: `${num(p.doseMcgPerDay)} mcg/day`,
    planningDose: `${num(p.planningDoseMcgPerDay)} mcg/day`,
    dailyVolume: `${num(dailyVolumeMl(p.planningDoseMcgPerDay, p.concentrationMcgPerMl))} mL/day`,
    boluses: bolusText(p.programme),
    phase: PHASE_LABELS[p.phase],
    limits: limitsText(p),
    warnings: p.warnings.length === 0 ? 'None' : p.warnings.map((w) => w.message).join('; '),
  };
}

export interface ComparisonRow {
  readonly label: string;
  readonly before: string;
  readonly after: string;
  readonly changed: boolean;
}

/** Old and new side by side: every dose or concentration change is shown so. */
export function comparisonRows(before: Prescription | null, after: Prescription): ComparisonRow[] {
  const a = prescriptionSummary(after);
  const b = before ? prescriptionSummary(before) : null;
  const rows: [string, keyof PrescriptionSummary][] = [
    ['Drug', 'drug'],
    ['Concentration', 'concentration'],
    ['Mode', 'mode'],
    ['Programme', 'description'],
    ['Daily dose (continuous)', 'dailyDose'],
    ['Planning dose (all boluses taken)', 'planningDose'],
    ['Boluses', 'boluses'],
    ['Phase', 'phase'],
    ['Change checked against', 'limits'],
    ['Warnings (a reason was given)', 'warnings'],
  ];
  return rows.map(([label, key]) => {
    const afterValue = String(a[key]);
    const beforeValue = b ? String(b[key]) : 'None';
    return { label, before: beforeValue, after: afterValue, changed: beforeValue !== afterValue };
  });
}

export function originLabel(origin: keyof typeof ORIGIN_LABELS): string {
  return ORIGIN_LABELS[origin];
}

/** "+25%" or "−10%" (a true minus sign). */
export function signedPercent(n: number | null): string {
  if (n === null) {
    return '';
  }
  return n > 0 ? `+${num(n)}%` : n < 0 ? `\u2212${num(-n)}%` : '0%';
}

export function signedMl(n: number): string {
  return n > 0 ? `+${num(n)} mL` : n < 0 ? `\u2212${num(-n)} mL` : '0 mL';
}

/** Who proposed a prescription and who confirmed it, when, and the day it counts from. */
export interface PrescriptionPeople {
  readonly proposedBy: string;
  readonly proposedAt: string;
  /** The second clinician; for a change made at a refill, the one who signed the refill. */
  readonly confirmedBy: string | null;
  readonly confirmedAt: string | null;
  /** The day the pump was programmed with it: it counts from then. */
  readonly since: PlainDate | null;
  readonly atRefill: boolean;
}

export function prescriptionPeople(p: Prescription, names: ReadonlyMap<string, string>): PrescriptionPeople {
  const confirmed = p.state === 'active' || p.state === 'superseded';
  return {
    proposedBy: names.get(p.proposedBy) ?? 'Unknown',
    proposedAt: p.proposedAt,
    confirmedBy: confirmed && p.decidedBy ? (names.get(p.decidedBy) ?? 'Unknown') : null,
    confirmedAt: confirmed ? p.decidedAt : null,
    since: confirmed ? p.programmedOn : null,
    atRefill: p.refillId !== null,
  };
}

const STATE_LABELS: Readonly<Record<Prescription['state'], string>> = {
  pending: 'Waiting for its second check',
  active: 'Active',
  superseded: 'Replaced',
  rejected: 'Rejected or withdrawn',
};

/** Every prescription of the pump, newest proposal first, with who proposed and confirmed it. */
export function prescriptionHistory(list: readonly Prescription[], names: ReadonlyMap<string, string>) {
  return list.map((p) => {
    const s = prescriptionSummary(p);
    return {
      id: p.id,
      state: p.state,
      stateLabel: STATE_LABELS[p.state],
      summary: `${s.dailyDose}, ${s.concentration}, ${s.mode.toLowerCase()}`,
      decidedBy: p.decidedBy ? (names.get(p.decidedBy) ?? 'Unknown') : null,
      decidedAt: p.decidedAt,
      ...prescriptionPeople(p, names),
    };
  });
}
