import type { PlainDate } from '../../domain/calendar-date.ts';
import type { RowContent } from '../../domain/caseload-import/row-checks.ts';
import type { PumpRules } from '../../domain/pump-rules.ts';
import type { CaseloadImport } from '../../storage/caseload-imports.repository.ts';

/**
 * The dry run's row checks, kept in this process for the commit, so a 10,000-row file is not
 * checked twice (about 40 µs a row each time: docs/performance.md, "Caseload import").
 *
 * Reused only when provably the same: the same import (id, the file's SHA-256, its row count and
 * upload time, all read back from the database at the commit), checked on the same calendar day
 * against the same pump rules. Nothing else a row's own checks read (cells, mapping, day, rules:
 * row-checks.ts). The checks that depend on the register (an NHS number or pump serial
 * registered since) are never kept: the commit runs them again inside its transaction. Another
 * instance, a restart, a new day or changed rules simply check every row again.
 */
interface Kept {
  readonly importId: string;
  readonly fileSha256: string;
  readonly rowCount: number;
  readonly uploadedAt: string;
  readonly today: PlainDate;
  readonly rules: string;
  readonly contents: readonly RowContent[];
}

/** A few imports at most (a 10,000-row file's checks are some megabytes). */
const MAX_KEPT = 4;

const kept = new Map<string, Kept>();

const rulesKey = (rules: PumpRules): string => JSON.stringify(rules);

export function keepRowChecks(
  x: Pick<CaseloadImport, 'id' | 'fileSha256' | 'rowCount' | 'uploadedAt'>,
  today: PlainDate,
  rules: PumpRules,
  contents: readonly RowContent[],
): void {
  kept.delete(x.id);
  while (kept.size >= MAX_KEPT) {
    const oldest = kept.keys().next().value;
    if (oldest === undefined) {
      break;
    }
    kept.delete(oldest);
  }
  kept.set(x.id, {
    importId: x.id,
    fileSha256: x.fileSha256,
    rowCount: x.rowCount,
    uploadedAt: x.uploadedAt,
    today,
    rules: rulesKey(rules),
    contents,
  });
}

/** The kept row checks of this import, if they are provably still its rows' checks today. */
export function keptRowChecks(
  x: Pick<CaseloadImport, 'id' | 'fileSha256' | 'rowCount' | 'uploadedAt'>,
  today: PlainDate,
  rules: PumpRules,
): readonly RowContent[] | null {
  const k = kept.get(x.id);
  if (
    k === undefined ||
    k.fileSha256 !== x.fileSha256 ||
    k.rowCount !== x.rowCount ||
    k.uploadedAt !== x.uploadedAt ||
    k.today !== today ||
    k.rules !== rulesKey(rules) ||
    k.contents.length !== x.rowCount
  ) {
    return null;
  }
  return k.contents;
}

export function forgetRowChecks(importId: string): void {
  kept.delete(importId);
}
