import { nameAtoms, nameKey } from './patient-search-key.ts';

/**
 * Is a new registration likely to be a second record for someone already registered? Asked only
 * of people born on the same day. A second record splits a patient's history (doses, refills,
 * alarms) between two files, so the test leans to asking: a wrong "maybe" costs a click, a missed
 * duplicate can cost a dose decision made on half the history (hazard H-061).
 *
 * Names are compared as search keys (no case, accents or punctuation). Family names match when
 * equal, when one holds the other (four letters or more) or they share a part (a double-barrelled name recorded once in full and once
 * in half), or when they differ by one typing slip (two for long names). Given names match when
 * the first given names are equal, one is the start of the other (Ann, Anne; Chris, Christopher;
 * an initial) or they differ by one slip. Names entered the wrong way round also match.
 */
export interface PersonName {
  readonly givenName: string;
  readonly familyName: string;
}

/** Edits (insert, delete, change, swap two neighbours) that turn one word into the other. */
export function typingDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** One slip for names of four letters or more, two from eight; none for shorter names. */
function slipsAllowed(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  return shorter >= 8 ? 2 : shorter >= 4 ? 1 : 0;
}

function familyNamesMatch(a: string, b: string): boolean {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka === '' || kb === '') {
    return false;
  }
  if (ka === kb || typingDistance(ka, kb) <= slipsAllowed(ka, kb)) {
    return true;
  }
  const partsA = nameAtoms(a).filter((p) => p.length >= 3);
  const partsB = new Set(nameAtoms(b).filter((p) => p.length >= 3));
  const [shorter, longer] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  return partsA.some((p) => partsB.has(p)) || (shorter.length >= 4 && longer.includes(shorter));
}

function givenNamesMatch(a: string, b: string): boolean {
  const fa = nameAtoms(a)[0] ?? '';
  const fb = nameAtoms(b)[0] ?? '';
  if (fa === '' || fb === '') {
    return false;
  }
  return (
    fa.startsWith(fb) ||
    fb.startsWith(fa) ||
    (Math.min(fa.length, fb.length) >= 3 && typingDistance(fa, fb) <= 1)
  );
}

/** Do these two names (of people born on the same day) look like one person? */
export function namesLikelySamePerson(a: PersonName, b: PersonName): boolean {
  const straight = familyNamesMatch(a.familyName, b.familyName) && givenNamesMatch(a.givenName, b.givenName);
  const swapped =
    nameKey(a.givenName) === nameKey(b.familyName) && nameKey(a.familyName) === nameKey(b.givenName);
  return straight || swapped;
}
