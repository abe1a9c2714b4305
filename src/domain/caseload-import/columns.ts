/**
 * The columns a caseload spreadsheet may have, each matched by its header (case, spaces,
 * underscores, dots and the unit in brackets do not matter) against a canonical name and the
 * names services commonly use for it. Required columns must all be present; optional ones are
 * used when found. Units are part of the meaning: a volume column is in mL and a dose in
 * mcg/day, so a header naming another unit ("Dose (mg/day)") is not matched and is reported as
 * unknown rather than read in the wrong unit (hazard H-211).
 */
export const CASELOAD_COLUMN_KEYS = [
  'nhsNumber',
  'givenName',
  'familyName',
  'dateOfBirth',
  'sex',
  'hospitalNumber',
  'pumpModel',
  'serialNumber',
  'implantedOn',
  'origin',
  'reservoirMl',
  'alarmMl',
  'concentrationMcgPerMl',
  'doseMcgPerDay',
  'lastFillOn',
  'lastFillMl',
  'nextRefillOn',
] as const;
export type CaseloadColumnKey = (typeof CASELOAD_COLUMN_KEYS)[number];

export type CellKind = 'text' | 'date' | 'number';

export interface CaseloadColumn {
  readonly key: CaseloadColumnKey;
  /** The header the sample uses and pages show. */
  readonly label: string;
  readonly required: boolean;
  readonly kind: CellKind;
  /** Other headers accepted for it, written as people write them. */
  readonly synonyms: readonly string[];
  /** What goes in it, for the README and the mapping page. */
  readonly meaning: string;
}

export const CASELOAD_COLUMNS: readonly CaseloadColumn[] = [
  {
    key: 'nhsNumber',
    label: 'NHS number',
    required: true,
    kind: 'text',
    synonyms: ['NHS No', 'NHS No.', 'NHS_Number', 'NHSNumber', 'NHS'],
    meaning: '10 digits, spaces allowed; the check digit is checked',
  },
  {
    key: 'givenName',
    label: 'Given name',
    required: true,
    kind: 'text',
    synonyms: ['First name', 'Forename', 'Forenames', 'Given names', 'First names'],
    meaning: "The patient's given name",
  },
  {
    key: 'familyName',
    label: 'Family name',
    required: true,
    kind: 'text',
    synonyms: ['Surname', 'Last name', 'Family_Name'],
    meaning: "The patient's family name",
  },
  {
    key: 'dateOfBirth',
    label: 'Date of birth',
    required: true,
    kind: 'date',
    synonyms: ['DOB', 'D.O.B.', 'Birth date', 'Date_of_birth'],
    meaning: 'A date cell, or text as YYYY-MM-DD or DD/MM/YYYY',
  },
  {
    key: 'sex',
    label: 'Sex',
    required: false,
    kind: 'text',
    synonyms: ['Gender'],
    meaning: 'Female, male, other or not known (F, M, O, U); blank is not known',
  },
  {
    key: 'hospitalNumber',
    label: 'Hospital number',
    required: false,
    kind: 'text',
    synonyms: ['Hospital No', 'MRN', 'Hospital_Number', 'Case note number'],
    meaning: 'The local hospital number, if any',
  },
  {
    key: 'pumpModel',
    label: 'Pump model',
    required: true,
    kind: 'text',
    synonyms: ['Model', 'Pump', 'Pump_Model', 'Device'],
    meaning: 'One of the configured pump models, by name (SynchroMed II, Prometra II)',
  },
  {
    key: 'serialNumber',
    label: 'Serial',
    required: true,
    kind: 'text',
    synonyms: ['Serial number', 'Serial No', 'Pump serial', 'Pump serial number', 'Serial_Number'],
    meaning: "The pump's serial number",
  },
  {
    key: 'implantedOn',
    label: 'Implant date',
    required: false,
    kind: 'date',
    synonyms: ['Date implanted', 'Implanted', 'Implanted on', 'Date of implant', 'Implant_Date'],
    meaning: 'When the pump was implanted; without it the pump is shown as due for replacement',
  },
  {
    key: 'origin',
    label: 'Origin',
    required: false,
    kind: 'text',
    synonyms: ['Spasticity origin', 'Origin of spasticity', 'Cause'],
    meaning: 'Spinal or cerebral (sets the titration limits); blank is recorded as cerebral, the stricter',
  },
  {
    key: 'reservoirMl',
    label: 'Reservoir (ml)',
    required: true,
    kind: 'number',
    synonyms: ['Reservoir', 'Reservoir size (ml)', 'Reservoir size', 'Reservoir ml', 'Reservoir_ml'],
    meaning: "The pump's reservoir size in mL (20 or 40)",
  },
  {
    key: 'alarmMl',
    label: 'Alarm volume (ml)',
    required: true,
    kind: 'number',
    synonyms: [
      'Alarm volume',
      'Low reservoir alarm (ml)',
      'Low-reservoir alarm volume (ml)',
      'Alarm (ml)',
      'Alarm_ml',
    ],
    meaning: 'The low-reservoir alarm volume in mL, read off the programmer',
  },
  {
    key: 'concentrationMcgPerMl',
    label: 'Concentration (mcg/ml)',
    required: true,
    kind: 'number',
    synonyms: [
      'Concentration',
      'Strength (mcg/ml)',
      'Strength',
      'Concentration mcg/ml',
      'Concentration_mcg_ml',
    ],
    meaning: 'Baclofen strength in mcg/mL, one the service stocks (500, 1000, 2000)',
  },
  {
    key: 'doseMcgPerDay',
    label: 'Daily dose (mcg/day)',
    required: true,
    kind: 'number',
    synonyms: ['Daily dose', 'Dose (mcg/day)', 'Dose', 'Dose mcg/day', 'Daily_dose_mcg'],
    meaning: 'The programmed continuous daily dose in mcg/day',
  },
  {
    key: 'lastFillOn',
    label: 'Last fill date',
    required: true,
    kind: 'date',
    synonyms: ['Last refill date', 'Last refill', 'Date of last fill', 'Last fill', 'Last_fill_date'],
    meaning: 'The day of the last refill',
  },
  {
    key: 'lastFillMl',
    label: 'Last fill volume (ml)',
    required: true,
    kind: 'number',
    synonyms: ['Last fill volume', 'Fill volume (ml)', 'Fill volume', 'Volume filled (ml)', 'Last_fill_ml'],
    meaning: 'The volume in the reservoir after the last fill, in mL',
  },
  {
    key: 'nextRefillOn',
    label: 'Next booked refill',
    required: false,
    kind: 'date',
    synonyms: ['Next refill', 'Next refill date', 'Next appointment', 'Next_refill'],
    meaning: 'The refill appointment already booked, if any; it is booked in the system',
  },
];

/** A header as it is compared: lower case, letters and digits only ("NHS_No." → "nhsno"). */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[µμ]/g, 'mc')
    .replace(/[^a-z0-9/]/g, '');
}

export function columnByKey(key: CaseloadColumnKey): CaseloadColumn {
  const c = CASELOAD_COLUMNS.find((x) => x.key === key);
  if (!c) {
    throw new Error(`unknown caseload column ${key}`);
  }
  return c;
}
