import { addDays, addMonths, type PlainDate } from '../calendar-date.ts';
import type { Origin } from '../dose-change.ts';
import type { DoseProgramme } from '../dose-programme.ts';
import { usualDoseWarning } from '../dose-range.ts';
import { validatePatientInput, type Sex } from '../patient.ts';
import { findPumpModel, PUMP_MODELS, type PumpModel } from '../pump-device.ts';
import { deliveryErrors, strengthErrors } from '../prescription-limits.ts';
import { doseErrors, refillPlan, refillPlanErrors, type RefillPlan } from '../refill-arithmetic.ts';
import { cellDate, cellNumber, cellText, isBlank, type Cell } from './cells.ts';
import { columnByKey, headerKey, type CaseloadColumnKey } from './columns.ts';
import type { HeaderMapping } from './header-mapping.ts';
import type { RowProblem } from './problems.ts';
import { checkRowAgainstRegister } from './register-checks.ts';
import { RowCollector } from './row-collector.ts';
import type { CaseloadCheckContext, CaseloadRecord, RowContent, RowContentContext } from './row-types.ts';

export { serialKey } from './register-checks.ts';

export type {
  CaseloadCheckContext,
  CaseloadRecord,
  RegisteredFacts,
  RowContent,
  RowContentContext,
} from './row-types.ts';

/**
 * Checks one data row: its content, then against the register (what the database holds).
 */
export function checkCaseloadRow(
  cells: readonly Cell[],
  rowNumber: number,
  mapping: HeaderMapping,
  ctx: CaseloadCheckContext,
): { readonly record: CaseloadRecord | null; readonly problems: readonly RowProblem[] } {
  return checkRowAgainstRegister(checkRowContent(cells, rowNumber, mapping, ctx), mapping, ctx.registered);
}

/**
 * A model by what a spreadsheet calls it: its id, its name, or manufacturer and name, with or
 * without the catalogue number in brackets. "SynchroMed" alone is not enough: SynchroMed EL is
 * an older pump with other numbers (hazard H-212).
 */
export function modelFromText(text: string): PumpModel | undefined {
  return findPumpModel(text.trim()) ?? MODEL_BY_KEY.get(headerKey(text));
}

/** Every name a model goes by, compared as headers are (built once: the check runs per row). */
const MODEL_BY_KEY: ReadonlyMap<string, PumpModel> = new Map(
  PUMP_MODELS.flatMap((m) => {
    const bare = m.name.replace(/\s*\(.*\)\s*$/, '');
    return [m.name, bare, `${m.manufacturer} ${m.name}`, `${m.manufacturer} ${bare}`, m.id].map(
      (name) => [headerKey(name), m] as const,
    );
  }),
);

const SEX_WORDS: Readonly<Record<string, Sex>> = {
  f: 'female',
  female: 'female',
  m: 'male',
  male: 'male',
  o: 'other',
  other: 'other',
  u: 'unknown',
  unknown: 'unknown',
  notknown: 'unknown',
  '': 'unknown',
};

const ORIGIN_WORDS: Readonly<Record<string, Origin>> = { spinal: 'spinal', cerebral: 'cerebral' };

/** Refill-plan fields (refill-arithmetic.ts) as the spreadsheet's columns. */
const PLAN_FIELD: Readonly<Record<string, CaseloadColumnKey>> = {
  reservoirMl: 'reservoirMl',
  fillMl: 'lastFillMl',
  concentrationMcgPerMl: 'concentrationMcgPerMl',
  doseMcgPerDay: 'doseMcgPerDay',
  alarmMl: 'alarmMl',
};

/**
 * Checks one data row with the rules the patient, pump, prescription and refill forms apply:
 * the same domain functions, so the import can never store what the forms would refuse.
 */
export function checkRowContent(
  cells: readonly Cell[],
  rowNumber: number,
  mapping: HeaderMapping,
  ctx: RowContentContext,
): RowContent {
  const p = new RowCollector(rowNumber, mapping);
  const cell = (key: CaseloadColumnKey): Cell | undefined => {
    const m = mapping.columns.find((c) => c.key === key);
    return m === undefined ? undefined : cells[m.index];
  };
  const required = (key: CaseloadColumnKey): boolean => {
    if (isBlank(cell(key))) {
      p.add(key, 'error', 'REQUIRED', `${columnByKey(key).label} is empty`);
      return false;
    }
    return true;
  };
  const number = (key: CaseloadColumnKey, unit: string): number | null => {
    if (!required(key)) {
      return null;
    }
    const r = cellNumber(cell(key), unit);
    if (!r.ok) {
      p.add(key, 'error', 'NOT_A_NUMBER', `${columnByKey(key).label} ${r.message}`);
      return null;
    }
    return r.value;
  };
  const date = (key: CaseloadColumnKey, optional = false): PlainDate | null => {
    if (optional && isBlank(cell(key))) {
      return null;
    }
    if (!optional && !required(key)) {
      return null;
    }
    const r = cellDate(cell(key));
    if (!r.ok) {
      p.add(key, 'error', 'NOT_A_DATE', `${columnByKey(key).label} ${r.message}`);
      return null;
    }
    return r.value;
  };

  // The patient, through the patient rules (patient.ts).
  const sexText = headerKey(cellText(cell('sex')));
  const sex = SEX_WORDS[sexText];
  if (sex === undefined) {
    p.add(
      'sex',
      'error',
      'PATIENT_DETAILS',
      `Sex must be female, male, other or not known, not "${cellText(cell('sex'))}"`,
    );
  }
  const dob = date('dateOfBirth');
  const patientResult = validatePatientInput(
    {
      nhsNumber: cellText(cell('nhsNumber')),
      givenName: cellText(cell('givenName')),
      familyName: cellText(cell('familyName')),
      dateOfBirth: dob ?? '',
      sex: sex ?? 'unknown',
      hospitalNumber: cellText(cell('hospitalNumber')),
    },
    ctx.today,
  );
  if (!patientResult.ok) {
    for (const e of patientResult.errors) {
      const key = e.field as CaseloadColumnKey;
      if (key === 'dateOfBirth' && p.hasError('dateOfBirth')) {
        continue;
      }
      p.add(key, 'error', 'PATIENT_DETAILS', e.message);
    }
  }

  // The pump (pump-input.ts rules).
  let model: PumpModel | undefined;
  if (required('pumpModel')) {
    model = modelFromText(cellText(cell('pumpModel')));
    if (!model) {
      p.add(
        'pumpModel',
        'error',
        'PUMP_MODEL',
        `Pump model "${cellText(cell('pumpModel'))}" is not one of the configured models: ${PUMP_MODELS.map((m) => m.name).join(', ')}`,
      );
    }
  }
  const serial = required('serialNumber') ? cellText(cell('serialNumber')) : '';
  if (serial.length > 40) {
    p.add('serialNumber', 'error', 'REQUIRED', 'Serial must be 40 characters or fewer');
  }
  const reservoirMl = number('reservoirMl', 'ml');
  const alarmMl = number('alarmMl', 'ml');
  const concentration = number('concentrationMcgPerMl', 'mcg/ml');
  const dose = number('doseMcgPerDay', 'mcg/day');
  const fillMl = number('lastFillMl', 'ml');
  const implantedGiven = date('implantedOn', true);
  const filledOn = date('lastFillOn');
  const nextRefillOn = date('nextRefillOn', true);

  const originText = headerKey(cellText(cell('origin')));
  let origin: Origin = 'cerebral';
  if (originText === '') {
    p.add(
      'origin',
      'warning',
      'ORIGIN_MISSING',
      'Origin not given: recorded as cerebral, whose titration limits are the stricter; correct it on the pump page',
    );
  } else if (ORIGIN_WORDS[originText] === undefined) {
    p.add(
      'origin',
      'error',
      'PATIENT_DETAILS',
      `Origin must be spinal or cerebral, not "${cellText(cell('origin'))}"`,
    );
  } else {
    origin = ORIGIN_WORDS[originText];
  }

  if (model && reservoirMl !== null && !model.reservoirSizesMl.includes(reservoirMl)) {
    p.add(
      'reservoirMl',
      'error',
      'RESERVOIR',
      `Reservoir for ${model.name} must be ${model.reservoirSizesMl.join(' or ')} mL, not ${reservoirMl}`,
    );
  }
  if (alarmMl !== null && reservoirMl !== null && (alarmMl <= 0 || alarmMl >= reservoirMl)) {
    p.add(
      'alarmMl',
      'error',
      'ALARM_VOLUME',
      `Alarm volume must be more than 0 and less than the reservoir (${reservoirMl} mL); read it off the programmer`,
    );
  }
  const rules = ctx.rules;
  const limitRules = {
    hardLimits: rules.hardLimits,
    concentrations: rules.concentrations,
    usualRange: rules.usualRange,
    screeningConcentrationMcgPerMl: rules.testDose.screeningConcentrationMcgPerMl,
  };
  if (concentration !== null) {
    for (const e of strengthErrors('concentrationMcgPerMl', concentration, limitRules)) {
      p.add('concentrationMcgPerMl', 'error', 'CONCENTRATION', e.message);
    }
  }
  if (dose !== null) {
    const hard = doseErrors('doseMcgPerDay', 'Daily dose', dose, rules.hardLimits, 'mcg/day');
    for (const e of hard) {
      p.add('doseMcgPerDay', 'error', 'DOSE_LIMIT', e.message);
    }
    const usual =
      hard.length === 0 ? usualDoseWarning('doseMcgPerDay', 'Daily dose', dose, rules.usualRange) : null;
    if (usual) {
      p.add('doseMcgPerDay', 'warning', 'DOSE_USUAL_RANGE', usual.message);
    }
  }
  const programme: DoseProgramme = { mode: 'simple', doseMcgPerDay: dose ?? 0, schedules: [], bolus: null };
  if (
    model &&
    dose !== null &&
    concentration !== null &&
    !p.hasError('doseMcgPerDay') &&
    !p.hasError('concentrationMcgPerMl')
  ) {
    for (const e of deliveryErrors(programme, concentration, model, rules.usualRange)) {
      p.add('doseMcgPerDay', 'error', 'DELIVERY', e.message);
    }
  }

  // Dates in order, none in the future.
  const today = ctx.today;
  for (const [key, value, label] of [
    ['implantedOn', implantedGiven, 'Implant date'],
    ['lastFillOn', filledOn, 'Last fill date'],
  ] as const) {
    if (value !== null && value > today) {
      p.add(key, 'error', 'DATE_FUTURE', `${label} must be today or in the past`);
    }
  }
  if (dob !== null && implantedGiven !== null && implantedGiven < dob) {
    p.add('implantedOn', 'error', 'DATE_ORDER', "Implant date must be after the patient's date of birth");
  }
  if (implantedGiven !== null && filledOn !== null && filledOn < implantedGiven) {
    p.add('lastFillOn', 'error', 'DATE_ORDER', 'Last fill date must be on or after the implant date');
  } else if (dob !== null && filledOn !== null && filledOn < dob) {
    p.add('lastFillOn', 'error', 'DATE_ORDER', "Last fill date must be after the patient's date of birth");
  }
  if (filledOn !== null && filledOn <= today && addDays(filledOn, rules.stabilityDays) < today) {
    p.add(
      'lastFillOn',
      'error',
      'FILL_EXPIRED',
      `Last fill was more than ${rules.stabilityDays} days ago, past the drug's stability limit: the sheet is out of date or the pump needs refilling now`,
    );
  }
  if (nextRefillOn !== null && nextRefillOn < today) {
    p.add(
      'nextRefillOn',
      'error',
      'NEXT_REFILL_PAST',
      'Next booked refill is in the past: update the sheet, or leave the cell empty to book it later',
    );
  }
  const implantedOn = implantedGiven ?? (model ? conservativeImplantDate(model, today, dob) : null);
  if (implantedGiven === null) {
    p.add(
      'implantedOn',
      'warning',
      'IMPLANT_DATE_MISSING',
      `Implant date not given: recorded as ${implantedOn ?? 'unknown'}, so the pump shows as due for replacement and review until the real date is entered`,
    );
  }

  // The fill and its plan (refill-arithmetic.ts F1–F4): the same checks as the refill form.
  let plan: RefillPlan | null = null;
  if (
    reservoirMl !== null &&
    fillMl !== null &&
    concentration !== null &&
    dose !== null &&
    alarmMl !== null &&
    filledOn !== null
  ) {
    const planInput = {
      reservoirMl,
      fillMl,
      concentrationMcgPerMl: concentration,
      doseMcgPerDay: dose,
      alarmMl,
      filledOn,
      bufferDays: rules.refillBufferDays,
      maxIntervalDays: rules.stabilityDays,
    };
    const errors = refillPlanErrors(planInput, rules.hardLimits, { stabilityDays: rules.stabilityDays });
    for (const e of errors) {
      const key = PLAN_FIELD[e.field] ?? 'lastFillMl';
      // Already reported in the column's own words above.
      if (!p.hasError(key)) {
        p.add(key, 'error', 'FILL_VOLUME', e.message);
      }
    }
    if (errors.length === 0 && !p.hasError()) {
      plan = refillPlan(planInput);
      if (plan.alarmDate <= today) {
        p.add(
          'lastFillOn',
          'warning',
          'ALARM_PASSED',
          `The low-reservoir alarm date (${plan.alarmDate}) has passed: the pump may have run dry, or the sheet is out of date. It will show as overdue`,
        );
      }
      if (nextRefillOn !== null && nextRefillOn > plan.refillDueBy) {
        p.add(
          'nextRefillOn',
          'warning',
          'BOOKED_AFTER_DUE',
          `Next booked refill (${nextRefillOn}) is after the refill due date (${plan.refillDueBy}); the alarm date is ${plan.alarmDate}`,
        );
      }
    }
  }

  const pump = model && serial !== '' ? { model, serial } : null;
  const patient = patientResult.ok
    ? { nhsNumber: patientResult.value.nhsNumber, dateOfBirth: patientResult.value.dateOfBirth }
    : null;
  if (p.hasError() || !patientResult.ok || !model || plan === null || implantedOn === null) {
    return { rowNumber, problems: p.problems, draft: null, patient, pump };
  }
  return {
    rowNumber,
    problems: p.problems,
    draft: {
      rowNumber,
      patient: patientResult.value,
      pump: {
        modelId: model.id,
        reservoirMl: reservoirMl ?? 0,
        serialNumber: serial,
        implantedOn,
        implantDateGiven: implantedGiven !== null,
        origin,
        alarmMl: alarmMl ?? 0,
      },
      prescription: { concentrationMcgPerMl: concentration ?? 0, doseMcgPerDay: dose ?? 0, programme },
      fill: { filledOn: filledOn ?? today, fillMl: fillMl ?? 0, plan },
      nextRefillOn,
    },
    patient,
    pump,
  };
}

/**
 * With no implant date, the day that makes the pump due for replacement today (its service
 * life before today), never before the patient's birth: an unknown pump age is treated as the
 * oldest it could be, so the replacement is looked at rather than missed (hazard H-215).
 */
export function conservativeImplantDate(
  model: PumpModel,
  today: PlainDate,
  dob: PlainDate | null,
): PlainDate {
  const oldest = addMonths(today, -model.serviceLifeMonths);
  return dob !== null && oldest < dob ? dob : oldest;
}
