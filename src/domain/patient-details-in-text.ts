import { firstDateIn } from './patient-search.ts';

/**
 * The patient's details a referral email states, to fill in the registration form (a person
 * checks every field before saving: nothing is registered from this alone). Referral letters
 * label them one a line ("Name: Mrs Mary O'BRIEN-SMITH", "DOB: 07/03/1978", "Address: 1 High
 * Street, Leeds, LS1 3EX", "NHS No: 943 476 5919"); what is not labelled is left blank rather
 * than guessed, apart from the NHS number, which the intake already finds by its check digit.
 */
export interface PatientDetailsFound {
  readonly nhsNumber: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly dateOfBirth: string | null;
  readonly addressLine1: string | null;
  readonly addressLine2: string | null;
  readonly town: string | null;
  readonly postcode: string | null;
}

type Label = 'name' | 'family' | 'given' | 'dob' | 'address' | 'postcode';

const LABELS: readonly [RegExp, Label][] = [
  [/^(?:patient(?:'s)?\s+)?(?:full\s+)?name$|^patient$/i, 'name'],
  [/^(?:patient(?:'s)?\s+)?(?:surname|family\s+name|last\s+name)$/i, 'family'],
  [/^(?:patient(?:'s)?\s+)?(?:forenames?|first\s+names?|given\s+names?|christian\s+names?)$/i, 'given'],
  [/^(?:patient(?:'s)?\s+)?(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\.?|born)$/i, 'dob'],
  [/^(?:patient(?:'s)?\s+)?(?:home\s+)?address$/i, 'address'],
  [/^post\s?code$/i, 'postcode'],
];

const LABELLED = /^\s*([A-Za-z'. ]{2,30}?)\s*[:–-]\s*(.*)$/;
const POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b/i;
const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|master|prof|rev|sir|dame)\.?$/i;

function labelOf(line: string): { label: Label; value: string } | null {
  const m = LABELLED.exec(line);
  if (!m) {
    return null;
  }
  const key = (m[1] ?? '').trim();
  const found = LABELS.find(([re]) => re.test(key));
  return found ? { label: found[1], value: (m[2] ?? '').trim() } : null;
}

/** "Mrs Mary O'BRIEN-SMITH", "O'BRIEN-SMITH, Mary", "Mary Smith": given and family names. */
export function splitPersonName(text: string): { givenName: string | null; familyName: string | null } {
  const comma = text.indexOf(',');
  if (comma > 0) {
    const family = text.slice(0, comma).trim();
    const given = text
      .slice(comma + 1)
      .trim()
      .split(/\s+/)
      .filter((w) => !TITLES.test(w))
      .join(' ');
    return { givenName: given || null, familyName: family || null };
  }
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '' && !TITLES.test(w));
  if (words.length < 2) {
    return { givenName: null, familyName: words[0] ?? null };
  }
  // A family name written in capitals is the family name wherever it stands ("SMITH Mary").
  const capitals = words.filter((w) => /\p{L}{2}/u.test(w) && w === w.toUpperCase());
  if (capitals.length > 0 && capitals.length < words.length) {
    return {
      givenName: words.filter((w) => !capitals.includes(w)).join(' '),
      familyName: capitals.join(' '),
    };
  }
  return { givenName: words.slice(0, -1).join(' '), familyName: words.at(-1) ?? null };
}

function addressParts(lines: readonly string[]) {
  let postcode: string | null = null;
  const parts: string[] = [];
  for (const piece of lines.flatMap((l) => l.split(','))) {
    let text = piece.trim();
    const pc = POSTCODE.exec(text);
    if (pc && postcode === null) {
      postcode = `${(pc[1] ?? '').toUpperCase()} ${(pc[2] ?? '').toUpperCase()}`;
      text = text.replace(pc[0], '').trim();
    }
    if (text !== '') {
      parts.push(text);
    }
  }
  const [first, ...rest] = parts;
  const town = rest.length > 0 ? (rest.at(-1) ?? null) : null;
  const middle = rest.slice(0, -1).join(', ');
  return { addressLine1: first ?? null, addressLine2: middle || null, town, postcode };
}

export function patientDetailsInText(
  text: string | null,
  nhsNumbers: readonly string[],
): PatientDetailsFound {
  const lines = (text ?? '').split(/\r?\n/);
  let givenName: string | null = null;
  let familyName: string | null = null;
  let dateOfBirth: string | null = null;
  let addressLines: string[] | null = null;
  let postcode: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const found = labelOf(lines[i] ?? '');
    if (!found) {
      continue;
    }
    const { label, value } = found;
    if (label === 'name' && value !== '' && familyName === null) {
      ({ givenName, familyName } = splitPersonName(value));
    } else if (label === 'family' && value !== '') {
      familyName = value;
    } else if (label === 'given' && value !== '') {
      givenName = value;
    } else if (label === 'dob' && dateOfBirth === null) {
      dateOfBirth = firstDateIn(value);
    } else if (label === 'postcode' && POSTCODE.test(value)) {
      const pc = POSTCODE.exec(value);
      postcode = pc ? `${(pc[1] ?? '').toUpperCase()} ${(pc[2] ?? '').toUpperCase()}` : null;
    } else if (label === 'address' && addressLines === null) {
      // The address runs on over the following lines until a blank line or the next label.
      addressLines = value === '' ? [] : [value];
      for (let j = i + 1; j < lines.length; j++) {
        const next = (lines[j] ?? '').trim();
        if (next === '' || labelOf(next)) {
          break;
        }
        addressLines.push(next);
      }
    }
  }
  const address = addressParts(addressLines ?? []);
  return {
    nhsNumber: nhsNumbers[0] ?? null,
    givenName,
    familyName,
    dateOfBirth,
    addressLine1: address.addressLine1,
    addressLine2: address.addressLine2,
    town: address.town,
    postcode: address.postcode ?? postcode,
  };
}
