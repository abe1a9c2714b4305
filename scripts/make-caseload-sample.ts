// Rebuilds docs/samples/caseload-sample.xlsx: 200 synthetic patients (999-range NHS numbers, never
// issued), dates counted from a fixed day so the file is the same every time it is made.
//
//   node scripts/make-caseload-sample.ts [--today YYYY-MM-DD] [--rows N] [--out FILE]
//
// The rows pass every check when imported on or a few days after that day (docs/samples/README.md).
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { parsePlainDate } from '../src/domain/calendar-date.ts';
import { SAMPLE_HEADERS, sampleCaseloadRows } from '../test/support/caseload-sample.ts';
import type { Cell } from '../src/domain/caseload-import/cells.ts';

export const SAMPLE_DAY = '2026-12-01';

/** The workbook as bytes: dates as real date cells (a calendar day at midnight UTC, as Excel keeps them). */
export async function caseloadWorkbook(headers: readonly string[], rows: readonly Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  // Fixed, so the same rows give the same file.
  wb.created = new Date(Date.UTC(2026, 11, 1));
  wb.modified = wb.created;
  const ws = wb.addWorksheet('Caseload');
  ws.addRow([...headers]);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow(r.map((c) => (c !== null && typeof c === 'object' ? new Date(`${c.date}T00:00:00Z`) : c)));
  }
  headers.forEach((h, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(12, h.length + 2);
    if (/date|birth|refill/i.test(h)) {
      col.numFmt = 'dd/mm/yyyy';
    }
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      today: { type: 'string', default: SAMPLE_DAY },
      rows: { type: 'string', default: '200' },
      out: { type: 'string', default: 'docs/samples/caseload-sample.xlsx' },
    },
  });
  const today = parsePlainDate(values.today);
  if (!today) {
    throw new Error('--today must be YYYY-MM-DD');
  }
  const rows = sampleCaseloadRows(Number(values.rows), today);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(values.out, await caseloadWorkbook(SAMPLE_HEADERS, rows));
  process.stdout.write(
    `Wrote ${values.out}: ${String(rows.length)} patients, dates counted from ${today}.\n`,
  );
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  await main();
}
