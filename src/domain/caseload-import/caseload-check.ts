import type { Cell } from './cells.ts';
import type { HeaderMapping } from './header-mapping.ts';
import type { RowProblem } from './problems.ts';
import { checkCaseloadRow, serialKey, type CaseloadCheckContext, type CaseloadRecord } from './row-checks.ts';

export interface CheckedCaseload {
  readonly records: readonly CaseloadRecord[];
  readonly problems: readonly RowProblem[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly rowCount: number;
}

/** Every row, then what only the whole file shows: a patient or a pump twice. */
export function checkCaseload(
  rows: readonly { readonly rowNumber: number; readonly cells: readonly Cell[] }[],
  mapping: HeaderMapping,
  ctx: CaseloadCheckContext,
): CheckedCaseload {
  const records: CaseloadRecord[] = [];
  const problems: RowProblem[] = [];
  const seenNhs = new Map<string, number>();
  const seenSerial = new Map<string, number>();
  const nhsColumn = mapping.columns.find((c) => c.key === 'nhsNumber');
  const serialColumn = mapping.columns.find((c) => c.key === 'serialNumber');
  for (const row of rows) {
    const checked = checkCaseloadRow(row.cells, row.rowNumber, mapping, ctx);
    problems.push(...checked.problems);
    let duplicate = false;
    if (checked.record) {
      const r = checked.record;
      const nhsRow = seenNhs.get(r.patient.nhsNumber);
      if (nhsRow !== undefined) {
        duplicate = true;
        problems.push({
          rowNumber: row.rowNumber,
          column: nhsColumn?.header ?? 'NHS number',
          letter: nhsColumn?.letter ?? null,
          severity: 'error',
          code: 'DUPLICATE_IN_FILE',
          message: `The same NHS number as row ${nhsRow}: one row per patient`,
        });
      } else {
        seenNhs.set(r.patient.nhsNumber, row.rowNumber);
      }
      const sk = serialKey(r.pump.modelId, r.pump.serialNumber);
      const serialRow = seenSerial.get(sk);
      if (serialRow !== undefined) {
        duplicate = true;
        problems.push({
          rowNumber: row.rowNumber,
          column: serialColumn?.header ?? 'Serial',
          letter: serialColumn?.letter ?? null,
          severity: 'error',
          code: 'DUPLICATE_IN_FILE',
          message: `The same pump model and serial as row ${serialRow}`,
        });
      } else {
        seenSerial.set(sk, row.rowNumber);
      }
      if (!duplicate) {
        records.push(r);
      }
    }
  }
  let errorCount = 0;
  for (const x of problems) {
    if (x.severity === 'error') {
      errorCount += 1;
    }
  }
  return { records, problems, errorCount, warningCount: problems.length - errorCount, rowCount: rows.length };
}
