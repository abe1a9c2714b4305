/** Refusals of a caseload import from a spreadsheet. */
export const CASELOAD_IMPORT_REFUSALS = {
  IMPORT_ALREADY_COMMITTED: 'This caseload file has already been imported: nothing was saved again',
  IMPORT_EXPIRED: 'The checked caseload file has expired: upload it again',
  IMPORT_HAS_ERRORS: 'The caseload file has errors: correct them in the spreadsheet and upload it again',
  IMPORT_WARNINGS_NOT_ACCEPTED: 'The caseload file has warnings: confirm that each has been checked',
  IMPORT_COLUMNS_MISSING: 'The caseload file lacks required columns, or has one twice',
} as const;
