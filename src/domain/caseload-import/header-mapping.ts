import { CASELOAD_COLUMNS, headerKey, type CaseloadColumn, type CaseloadColumnKey } from './columns.ts';

/** One spreadsheet column matched to what it holds. */
export interface MappedColumn {
  readonly key: CaseloadColumnKey;
  readonly label: string;
  /** The header as the file has it. */
  readonly header: string;
  /** 0-based position in the row. */
  readonly index: number;
  /** The column letter a spreadsheet shows (A, B … AA). */
  readonly letter: string;
}

export interface HeaderMapping {
  readonly columns: readonly MappedColumn[];
  /** Required columns with no matching header: the import cannot go on. */
  readonly missing: readonly CaseloadColumn[];
  /** Headers matching nothing: ignored, and said so. */
  readonly unknown: readonly { readonly header: string; readonly letter: string }[];
  /** A second header matching a column already matched: refused, as it is unclear which to read. */
  readonly duplicates: readonly {
    readonly header: string;
    readonly letter: string;
    readonly key: CaseloadColumnKey;
  }[];
}

/** "A" for 0, "Z" for 25, "AA" for 26. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const BY_HEADER: ReadonlyMap<string, CaseloadColumn> = new Map(
  CASELOAD_COLUMNS.flatMap((c) => [c.label, ...c.synonyms].map((h) => [headerKey(h), c] as const)),
);

/** The column a header names, or undefined. */
export function columnForHeader(header: string): CaseloadColumn | undefined {
  return BY_HEADER.get(headerKey(header));
}

/**
 * Matches the header row to the columns. Blank headers are skipped (a spreadsheet often has an
 * empty column at the end). Pure: the page and the CLI show its result before anything is saved.
 */
export function mapHeaders(headers: readonly string[]): HeaderMapping {
  const columns: MappedColumn[] = [];
  const unknown: { header: string; letter: string }[] = [];
  const duplicates: { header: string; letter: string; key: CaseloadColumnKey }[] = [];
  headers.forEach((raw, index) => {
    const header = raw.trim();
    if (header === '') {
      return;
    }
    const letter = columnLetter(index);
    const column = columnForHeader(header);
    if (!column) {
      unknown.push({ header, letter });
    } else if (columns.some((c) => c.key === column.key)) {
      duplicates.push({ header, letter, key: column.key });
    } else {
      columns.push({ key: column.key, label: column.label, header, index, letter });
    }
  });
  const missing = CASELOAD_COLUMNS.filter((c) => c.required && !columns.some((m) => m.key === c.key));
  return { columns, missing, unknown, duplicates };
}

/** The mapping can be used: every required column found once. */
export function mappingUsable(m: HeaderMapping): boolean {
  return m.missing.length === 0 && m.duplicates.length === 0;
}
