/**
 * What a dry run can find in a caseload row. An error blocks the whole import; a warning
 * (a value inside the hard limits but outside the usual range, or a gap the import fills in
 * conservatively) needs an explicit confirmation before the import is committed.
 */
export const PROBLEM_CODES = {
  REQUIRED: 'A required cell is empty',
  NOT_A_NUMBER: 'Not a number in the column’s unit',
  NOT_A_DATE: 'Not a date',
  PATIENT_DETAILS: 'Fails the patient rules (NHS number, names, date of birth, sex)',
  PUMP_MODEL: 'Not a configured pump model',
  RESERVOIR: 'Not a reservoir size the model has',
  ALARM_VOLUME: 'Alarm volume not between 0 and the reservoir size',
  CONCENTRATION: 'Strength outside the hard limits or not stocked',
  DOSE_LIMIT: 'Daily dose outside the hard limits',
  DELIVERY: 'Daily volume the pump model cannot deliver',
  FILL_VOLUME: 'Fill volume above the reservoir, at or below the alarm, or alarming on the fill day',
  DATE_FUTURE: 'A date that has not happened yet',
  DATE_ORDER: 'Dates out of order (implant before birth, fill before implant)',
  FILL_EXPIRED: 'Last fill older than the drug’s stability limit',
  NEXT_REFILL_PAST: 'Next booked refill in the past',
  DUPLICATE_IN_FILE: 'NHS number or pump serial repeated in the file',
  ALREADY_REGISTERED: 'NHS number or pump serial already registered',
  DOSE_USUAL_RANGE: 'Daily dose outside the usual range (warning)',
  ALARM_PASSED: 'Alarm date already passed: the pump may have run dry or the sheet is out of date (warning)',
  BOOKED_AFTER_DUE: 'Next refill booked after the due date (warning)',
  MATCHED_EXISTING: 'Matched to a registered patient with no pump in service (warning)',
  ORIGIN_MISSING: 'Origin not given: recorded as cerebral, the stricter limits (warning)',
  IMPLANT_DATE_MISSING: 'Implant date not given: replacement shown as due now (warning)',
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODES;

export type Severity = 'error' | 'warning';

export interface RowProblem {
  /** The row number the spreadsheet shows (the header is row 1 in a plain sheet). */
  readonly rowNumber: number;
  /** The column's header as the file has it (or the expected header when it is missing). */
  readonly column: string;
  /** The column letter, when the column is in the file. */
  readonly letter: string | null;
  readonly severity: Severity;
  readonly code: ProblemCode;
  readonly message: string;
}
