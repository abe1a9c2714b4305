import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Cell } from '../../domain/caseload-import/cells.ts';

/**
 * Reads a caseload spreadsheet into a header row and data rows of plain cells, each row with
 * the number the spreadsheet shows for it. `.xlsx` through exceljs and `.csv` through csv-parse,
 * never by hand. What the reader cannot make sense of is a SpreadsheetProblem naming it, which
 * the page and the CLI show as it is (a 400, never a 500).
 */
export class SpreadsheetProblem extends Error {
  override readonly name = 'SpreadsheetProblem';
}

export interface SpreadsheetRows {
  readonly format: 'xlsx' | 'csv';
  readonly headers: readonly string[];
  /** The header row's number (1 unless blank rows come first). */
  readonly headerRowNumber: number;
  readonly rows: readonly { readonly rowNumber: number; readonly cells: readonly Cell[] }[];
}

export interface ReadLimits {
  readonly maxBytes: number;
  readonly maxRows: number;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export async function readCaseloadFile(
  fileName: string,
  content: Buffer,
  limits: ReadLimits,
): Promise<SpreadsheetRows> {
  const lower = fileName.toLowerCase();
  if (content.length === 0) {
    throw new SpreadsheetProblem(`${fileName} is empty`);
  }
  if (content.length > limits.maxBytes) {
    throw new SpreadsheetProblem(
      `${fileName} is larger than ${String(Math.round(limits.maxBytes / 1024 / 1024))} MB (UPLOAD_MAX_MB)`,
    );
  }
  let read: SpreadsheetRows;
  if (lower.endsWith('.xlsx')) {
    if (!content.subarray(0, 4).equals(ZIP_MAGIC)) {
      throw new SpreadsheetProblem(
        `${fileName} is not an Excel .xlsx workbook (an .xls file must be saved as .xlsx or .csv first)`,
      );
    }
    read = await readXlsx(fileName, content, limits.maxRows);
  } else if (lower.endsWith('.csv')) {
    read = readCsv(fileName, content, limits.maxRows);
  } else {
    throw new SpreadsheetProblem(`${fileName} must be an Excel workbook (.xlsx) or a CSV file (.csv)`);
  }
  if (read.rows.length === 0) {
    throw new SpreadsheetProblem(`${fileName} has a header row but no patient rows`);
  }
  return read;
}

function tooMany(fileName: string, maxRows: number): SpreadsheetProblem {
  return new SpreadsheetProblem(
    `${fileName} has more than ${String(maxRows)} patient rows (CASELOAD_IMPORT_MAX_ROWS): split it into smaller files`,
  );
}

/**
 * The calendar day a date cell shows. Excel stores a day number with no time zone and exceljs
 * turns it into a Date at that day's midnight UTC, so the day is read back in UTC: reading it in
 * the server's zone would move it a day in any zone west of Greenwich (hazard H-213).
 */
export function dayOfDateCell(d: Date): Cell {
  if (Number.isNaN(d.getTime())) {
    return '#invalid date';
  }
  const y = d.getUTCFullYear();
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return { date: `${String(y).padStart(4, '0')}-${m}-${day}` };
}

/** An exceljs cell value as a plain cell: formulas give their cached result, rich text its text. */
export function plainCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return dayOfDateCell(value);
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if ('formula' in value || 'sharedFormula' in value) {
    // A formula with no cached result (never calculated) cannot be trusted to mean anything.
    const result = (value as { result?: ExcelJS.CellValue }).result;
    if (result === undefined) {
      return '#formula with no calculated value';
    }
    if (typeof result === 'object' && result !== null && 'error' in result) {
      return result.error;
    }
    return plainCell(result);
  }
  if ('richText' in value) {
    return value.richText.map((r) => r.text).join('');
  }
  if ('text' in value) {
    return typeof value.text === 'string' ? value.text : plainCell(value.text);
  }
  if ('error' in value) {
    return value.error;
  }
  return null;
}

async function readXlsx(fileName: string, content: Buffer, maxRows: number): Promise<SpreadsheetRows> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new SpreadsheetProblem(
      `${fileName} could not be opened as an Excel workbook: it may be damaged or password-protected`,
    );
  }
  // The first sheet with anything in it: a workbook often has empty sheets after the data.
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) {
    throw new SpreadsheetProblem(`${fileName} has no sheet with anything in it`);
  }
  let headers: string[] | null = null;
  let headerRowNumber = 0;
  const rows: { rowNumber: number; cells: Cell[] }[] = [];
  for (let rowNumber = 1; rowNumber <= sheet.rowCount; rowNumber++) {
    const row = sheet.getRow(rowNumber);
    const cells: Cell[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      cells.push(plainCell(row.getCell(c).value));
    }
    if (cells.every((x) => x === null || (typeof x === 'string' && x.trim() === ''))) {
      continue;
    }
    if (headers === null) {
      headers = cells.map((x) => (x === null ? '' : typeof x === 'object' ? x.date : String(x)));
      headerRowNumber = rowNumber;
      continue;
    }
    if (rows.length >= maxRows) {
      throw tooMany(fileName, maxRows);
    }
    rows.push({ rowNumber, cells });
  }
  if (headers === null) {
    throw new SpreadsheetProblem(`${fileName} is empty`);
  }
  return { format: 'xlsx', headers, headerRowNumber, rows };
}

function readCsv(fileName: string, content: Buffer, maxRows: number): SpreadsheetRows {
  const text = content.toString('utf8');
  if (text.includes('\u0000') || text.includes('\uFFFD')) {
    throw new SpreadsheetProblem(
      `${fileName} is not a UTF-8 text CSV file (save it from the spreadsheet as "CSV UTF-8")`,
    );
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // One more than allowed, to tell "too many" from "exactly the most".
      to: maxRows + 2,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new SpreadsheetProblem(
      `${fileName} could not be read as CSV: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const nonBlank = records.filter((r) => r.record.some((c) => c.trim() !== ''));
  const [head, ...body] = nonBlank;
  if (!head) {
    throw new SpreadsheetProblem(`${fileName} is empty`);
  }
  if (body.length > maxRows) {
    throw tooMany(fileName, maxRows);
  }
  return {
    format: 'csv',
    headers: head.record,
    headerRowNumber: head.info.lines,
    rows: body.map((r) => ({
      rowNumber: r.info.lines,
      cells: r.record.map((c) => (c.trim() === '' ? null : c)),
    })),
  };
}
