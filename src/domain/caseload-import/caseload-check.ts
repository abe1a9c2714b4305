import type { Cell } from './cells.ts';
import type { HeaderMapping } from './header-mapping.ts';
import type { RowProblem } from './problems.ts';
import { checkRowAgainstRegister, serialKey } from './register-checks.ts';
import {
  checkRowContent,
  type CaseloadCheckContext,
  type CaseloadRecord,
  type RegisteredFacts,
  type RowContent,
  type RowContentContext,
} from './row-checks.ts';

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
  return checkCaseloadAgainstRegister(checkCaseloadContent(rows, mapping, ctx), mapping, ctx.registered);
}

/** Every row's own checks: what does not depend on the register (the costly part). */
export function checkCaseloadContent(
  rows: readonly { readonly rowNumber: number; readonly cells: readonly Cell[] }[],
  mapping: HeaderMapping,
  ctx: RowContentContext,
): readonly RowContent[] {
  return rows.map((row) => checkRowContent(row.cells, row.rowNumber, mapping, ctx));
}

/**
 * Rows checked on their own, checked against the register, then against each other: each row's
 * problems in the order the checks run, a duplicate's after its row's own.
 */
export function checkCaseloadAgainstRegister(
  contents: readonly RowContent[],
  mapping: HeaderMapping,
  registered: RegisteredFacts,
): CheckedCaseload {
  const records: CaseloadRecord[] = [];
  const problems: RowProblem[] = [];
  const seenNhs = new Map<string, number>();
  const seenSerial = new Map<string, number>();
  const nhsColumn = mapping.columns.find((c) => c.key === 'nhsNumber');
  const serialColumn = mapping.columns.find((c) => c.key === 'serialNumber');
  for (const row of contents) {
    const checked = checkRowAgainstRegister(row, mapping, registered);
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
  return {
    records,
    problems,
    errorCount,
    warningCount: problems.length - errorCount,
    rowCount: contents.length,
  };
}
