/**
 * Neutralises spreadsheet formula injection (OWASP "CSV injection"): a cell that a
 * spreadsheet would read as a formula gets a leading apostrophe, so it shows as text.
 */
export function csvSafeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
