import { columnByKey, type CaseloadColumnKey } from './columns.ts';
import type { HeaderMapping } from './header-mapping.ts';
import type { ProblemCode, RowProblem, Severity } from './problems.ts';

/** One row's problems, each named by the sheet's own column header and letter. */
export class RowCollector {
  readonly problems: RowProblem[] = [];
  private readonly rowNumber: number;
  private readonly mapping: HeaderMapping;
  constructor(rowNumber: number, mapping: HeaderMapping) {
    this.rowNumber = rowNumber;
    this.mapping = mapping;
  }
  add(key: CaseloadColumnKey, severity: Severity, code: ProblemCode, message: string): void {
    const mapped = this.mapping.columns.find((c) => c.key === key);
    this.problems.push({
      rowNumber: this.rowNumber,
      column: mapped?.header ?? columnByKey(key).label,
      letter: mapped?.letter ?? null,
      severity,
      code,
      message,
    });
  }
  hasError(key?: CaseloadColumnKey): boolean {
    const header =
      key === undefined
        ? null
        : (this.mapping.columns.find((c) => c.key === key)?.header ?? columnByKey(key).label);
    return this.problems.some((p) => p.severity === 'error' && (header === null || p.column === header));
  }
}
