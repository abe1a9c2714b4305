import { checkNhsNumber } from './nhs-number.ts';

/**
 * Ten digits written as one run (4857773457) or in 3-3-4 groups split by spaces or by dashes
 * (485 777 3457, 485-777-3457), the same separator both times. A non-breaking space counts as a
 * space: text converted from HTML email is full of them.
 */
const CANDIDATE = /(\d{3})([ \u00a0-]?)(\d{3})\2(\d{4})/g;

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/**
 * The NHS numbers in free text such as a referral email: those that pass the Modulus 11 check,
 * normalised to 10 digits, each once, in order of first appearance.
 *
 * Ten digits that are part of a longer number are not an NHS number: not inside a 12-digit UBRN
 * or a phone number such as 01134567890123, and not grouped digits that carry on with the same
 * separator (+44 113 243 3144 holds 113 243 3144). So two numbers written one after the other
 * with only a space between them are not found; a comma, a new line or a word between them is
 * enough.
 */
export function findNhsNumbers(text: string): string[] {
  const re = new RegExp(CANDIDATE.source, 'g');
  const found: string[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const sep = m[2] ?? '';
    const before = text[start - 1];
    const after = text[end];
    const longer =
      isDigit(before) ||
      isDigit(after) ||
      (sep !== '' &&
        ((before === sep && isDigit(text[start - 2])) || (after === sep && isDigit(text[end + 1]))));
    if (longer) {
      // Look again from the next character: a rejected candidate must not hide one that overlaps it.
      re.lastIndex = start + 1;
      continue;
    }
    const checked = checkNhsNumber(`${m[1] ?? ''}${m[3] ?? ''}${m[4] ?? ''}`);
    if (checked.ok && !found.includes(checked.value)) {
      found.push(checked.value);
    }
  }
  return found;
}
