import {
  caseloadImportReport,
  commitCaseloadImport,
  importNoteForPump,
  stageCaseloadImport,
} from '../caseload-import/caseload-import-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Caseload import from a spreadsheet: upload and dry run, the report, the commit, and the pump page's note. */
export function caseloadImportServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    stage: stageCaseloadImport,
    report: caseloadImportReport,
    commit: commitCaseloadImport,
    importNoteForPump,
  });
}
