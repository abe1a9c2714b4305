/**
 * The e-RS Unique Booking Reference Number: 12 digits, kept as text because leading zeros
 * matter (standards.md 2.2; FHIR identifier system https://fhir.nhs.uk/Id/UBRN). People copy
 * it with spaces or dashes in groups of four, so those are accepted and removed.
 */
export type Ubrn = string & { readonly __brand: 'Ubrn' };

export const UBRN_SYSTEM = 'https://fhir.nhs.uk/Id/UBRN';

export function parseUbrn(input: string): Ubrn | null {
  const compact = input.replace(/[\s-]/g, '');
  return /^\d{12}$/.test(compact) ? (compact as Ubrn) : null;
}

/** "0000 1234 5678", as e-RS shows it. */
export function formatUbrn(ubrn: string): string {
  return /^\d{12}$/.test(ubrn) ? `${ubrn.slice(0, 4)} ${ubrn.slice(4, 8)} ${ubrn.slice(8)}` : ubrn;
}
