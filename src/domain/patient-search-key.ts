/**
 * The normalising rules of patient search, kept with the record as its search key so a search
 * reads an index instead of comparing every name in the register.
 *
 * A name is compared without case, accents or punctuation: "O'BRIEN-SMITH", "O'Brien Smith"
 * and "obriensmith" are one name. Each part of a name (split at spaces, hyphens and
 * apostrophes) starts a search term running to the end of the name, so O'BRIEN-SMITH is kept
 * as "obriensmith", "briensmith" and "smith". A search word finds a name when it is the start of
 * one of its terms: "obrien", "o'brien", "Brien-Smith", "smith" and "Smi" all find O'BRIEN-SMITH;
 * "rien" does not (a search starts at a part of the name, as people say names).
 */

/** Which of the patient's names a term came from. */
export const NAME_PARTS = ['given', 'family'] as const;
export type NamePart = (typeof NAME_PARTS)[number];

export interface SearchTerm {
  readonly part: NamePart;
  readonly term: string;
}

/** Accents off ("Zoë" is "zoe"), lower case, in the Unicode form both databases compare alike. */
function folded(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
}

/** The parts of a name, folded: "O'Brien-Smith" is o, brien, smith. */
export function nameAtoms(name: string): string[] {
  return folded(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((a) => a !== '');
}

/** A search word or a whole name as one key: folded, every space and mark gone. */
export function nameKey(text: string): string {
  return nameAtoms(text).join('');
}

/** Every term a name is found by: the name from each of its parts to its end. */
export function nameTerms(name: string): string[] {
  const atoms = nameAtoms(name);
  return [...new Set(atoms.map((_, i) => atoms.slice(i).join('')))];
}

/** The terms of a patient's given and family names, each kept once. */
export function patientSearchTerms(p: {
  readonly givenName: string;
  readonly familyName: string;
}): SearchTerm[] {
  return [
    ...nameTerms(p.givenName).map((term) => ({ part: 'given' as const, term })),
    ...nameTerms(p.familyName).map((term) => ({ part: 'family' as const, term })),
  ];
}

/**
 * A hospital number as it is compared: capitals, spaces and punctuation gone, so "RR8 123456",
 * "rr8-123456" and "RR8123456" are one number. Null when nothing is left.
 */
export function hospitalNumberKey(text: string | null): string | null {
  if (text === null) {
    return null;
  }
  const key = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return key === '' ? null : key;
}

/**
 * The range of stored terms a search word finds: every term from the word up to the word
 * followed by the highest character, which both databases compare code point by code point
 * (SQLite's BINARY collation; the column's "C" collation on PostgreSQL), so an index answers it.
 */
export function termRange(word: string): { readonly from: string; readonly to: string } {
  return { from: word, to: `${word}\u{10FFFF}` };
}
