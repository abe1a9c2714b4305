import { addDays, addMonths, type PlainDate } from '../../src/domain/calendar-date.ts';
import type { Cell } from '../../src/domain/caseload-import/cells.ts';
import { CASELOAD_COLUMNS } from '../../src/domain/caseload-import/columns.ts';
import { nhsNumberCheckDigit } from '../../src/domain/nhs-number.ts';
import { PUMP_MODELS } from '../../src/domain/pump-device.ts';
import { DEFAULT_PUMP_RULES } from '../../src/domain/pump-rules.ts';
import { refillPlan } from '../../src/domain/refill-arithmetic.ts';
import { SYNTHETIC_FAMILY_NAMES, SYNTHETIC_GIVEN_NAMES } from '../../src/demo/synthetic-names.ts';
import { mulberry32 } from './seeded-random.ts';

/**
 * A synthetic caseload as spreadsheet rows: NHS numbers from the 999 range (never issued),
 * realistic strengths and doses, every configured pump model, and every date counted from
 * `today` so the rows pass the checks on that day. Used by the sample file's generator
 * (scripts/make-caseload-sample.ts), the tests and the bench.
 */
export const SAMPLE_HEADERS: readonly string[] = CASELOAD_COLUMNS.map((c) => c.label);

const GIVEN = SYNTHETIC_GIVEN_NAMES;
const FAMILY = SYNTHETIC_FAMILY_NAMES;

/** 999 numbers from a block of their own (the demo uses another), each with a valid check digit. */
export function sampleNhsNumbers(count: number, offset = 0): string[] {
  const out: string[] = [];
  for (let n = offset; out.length < count; n++) {
    const nine = `999${String(5000000 + n * 37).slice(-6)}`;
    const check = nhsNumberCheckDigit(nine);
    if (check !== undefined) {
      out.push(`${nine}${String(check)}`);
    }
  }
  return out;
}

export interface SampleRow {
  readonly values: Readonly<Record<string, Cell>>;
}

/** `count` rows, as cells in SAMPLE_HEADERS order; dates are date cells ({ date }). */
export function sampleCaseloadRows(count: number, today: PlainDate, seed = 20261201, offset = 0): Cell[][] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const rules = DEFAULT_PUMP_RULES;
  const rows: Cell[][] = [];
  const nhs = sampleNhsNumbers(count, offset);
  for (let i = 0; i < count; i++) {
    const model = PUMP_MODELS[i % PUMP_MODELS.length] ?? PUMP_MODELS[0];
    if (!model) {
      break;
    }
    const reservoirMl = pick(model.reservoirSizesMl);
    const alarmMl = reservoirMl === 20 ? 2 : 3;
    // Doses across the maintenance range reported (about 50–900 mcg/day), strengths to suit.
    const doseMcgPerDay = 50 + Math.round(rand() * 85) * 10;
    const concentration = doseMcgPerDay < 200 ? 500 : doseMcgPerDay < 600 ? 1000 : 2000;
    const fillMl = reservoirMl;
    const perDay = doseMcgPerDay / concentration;
    const daysToAlarm = Math.floor((fillMl - alarmMl) / perDay);
    // A fill some time ago, always before its alarm date and within the stability limit.
    const longest = Math.min(daysToAlarm - 1, rules.stabilityDays - 1);
    const filledOn = addDays(today, -Math.floor(rand() * Math.max(1, longest)));
    const plan = refillPlan({
      reservoirMl,
      fillMl,
      concentrationMcgPerMl: concentration,
      doseMcgPerDay,
      alarmMl,
      filledOn,
      bufferDays: rules.refillBufferDays,
      maxIntervalDays: rules.stabilityDays,
    });
    const implantedOn = addDays(
      addMonths(filledOn, -(6 + Math.floor(rand() * 60))),
      -Math.floor(rand() * 28),
    );
    const bornOn = addDays(
      addMonths(implantedOn, -12 * (8 + Math.floor(rand() * 60))),
      -Math.floor(rand() * 300),
    );
    // Seven in ten have their next refill booked, on or before the due date.
    let next: PlainDate | null = null;
    if (rand() < 0.7 && plan.refillDueBy > today) {
      const span = Math.max(1, Math.floor((Date.parse(plan.refillDueBy) - Date.parse(today)) / 86_400_000));
      next = addDays(today, 1 + Math.floor(rand() * span));
      if (next > plan.refillDueBy) {
        next = plan.refillDueBy;
      }
    }
    const n = nhs[i] ?? '';
    const values: Record<string, Cell> = {
      'NHS number': `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
      'Given name': pick(GIVEN),
      'Family name': `${pick(FAMILY)}-Sample`,
      'Date of birth': { date: bornOn },
      Sex: pick(['F', 'M']),
      'Hospital number': `RSMP${String(100000 + offset + i)}`,
      'Pump model': model.name,
      Serial: `SMP${String(offset + i + 1).padStart(6, '0')}`,
      'Implant date': { date: implantedOn },
      Origin: pick(['spinal', 'cerebral']),
      'Reservoir (ml)': reservoirMl,
      'Alarm volume (ml)': alarmMl,
      'Concentration (mcg/ml)': concentration,
      'Daily dose (mcg/day)': doseMcgPerDay,
      'Last fill date': { date: filledOn },
      'Last fill volume (ml)': fillMl,
      'Next booked refill': next === null ? null : { date: next },
    };
    rows.push(SAMPLE_HEADERS.map((h) => values[h] ?? null));
  }
  return rows;
}

/** The rows as CSV text (dates as YYYY-MM-DD), for CSV tests and the bench. */
export function sampleCaseloadCsv(headers: readonly string[], rows: readonly Cell[][]): string {
  const text = (c: Cell): string => {
    const s = c === null ? '' : typeof c === 'object' ? c.date : String(c);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return (
    [headers.map((h) => text(h)), ...rows.map((r) => r.map(text))].map((r) => r.join(',')).join('\n') + '\n'
  );
}
