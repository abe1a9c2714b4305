// npm run bench (caseload import): "≥ 10,000 rows/s checked and committed", on SQLite and then
// PostgreSQL.
//
// For each database: 10,000 synthetic rows (test/support/caseload-sample.ts) are staged as a CSV
// upload (read, mapped, checked against the register: the dry run), then committed (checked
// again inside the transaction, every patient, pump, prescription, last fill, booking and import
// record written, and an audit row per record). Rows per second = rows ÷ (dry run + commit).
// Reading an .xlsx of the same rows is timed apart, as it is not part of the target. Prints the
// figures and verdicts; exits 0 whatever they are (it is a report), 1 only if a database could
// not be benchmarked.
import ExcelJS from 'exceljs';
import { readCaseloadFile } from '../src/integrations/spreadsheet/read-caseload-file.ts';
import type { Actor } from '../src/services/audit-service.ts';
import { todayIn } from '../src/services/clock.ts';
import { addUser } from '../src/services/user-service.ts';
import { SAMPLE_HEADERS, sampleCaseloadCsv, sampleCaseloadRows } from '../test/support/caseload-sample.ts';
import type { DialectName } from '../test/support/databases.ts';
import { startTestApp } from '../test/support/test-app.ts';

// CASELOAD_BENCH_ROWS: fewer rows for a quick profile (node --cpu-prof); the target is for 10,000.
const ROWS = Number(process.env.CASELOAD_BENCH_ROWS ?? 10_000);
const TARGET_ROWS_PER_S = 10_000;

function verdict(ok: boolean): string {
  return ok ? 'OK' : 'MISSED';
}

async function benchDialect(dialect: DialectName): Promise<void> {
  const t = await startTestApp(dialect);
  try {
    const db = t.deps.database.db;
    const today = todayIn(t.clock, t.deps.config.timeZone);
    const user = await addUser({ db, clock: t.clock }, null, {
      username: 'benchcons',
      displayName: 'Bench Consultant',
      role: 'consultant',
      password: 'a-long-bench-password-1',
    });
    const actor: Actor = { userId: user.id, username: 'benchcons', role: user.role, requestId: null };
    const svc = t.deps.services.caseloadImport;
    const csv = Buffer.from(sampleCaseloadCsv(SAMPLE_HEADERS, sampleCaseloadRows(ROWS, today, 42)));

    const start = performance.now();
    const report = await svc.stage(actor, { fileName: 'bench.csv', content: csv });
    const checkedMs = performance.now() - start;
    if (report.errorCount > 0) {
      throw new Error(
        `the bench rows have ${String(report.errorCount)} errors: ${report.problems[0]?.message ?? ''}`,
      );
    }
    const commitStart = performance.now();
    const done = await svc.commit(actor, report.importId, { acceptWarnings: true });
    const commitMs = performance.now() - commitStart;
    const totalMs = checkedMs + commitMs;
    const perS = (done.pumps / totalMs) * 1000;
    console.log(
      `${dialect}: ${String(ROWS)} rows read and checked (dry run) in ${checkedMs.toFixed(0)} ms, committed in ${commitMs.toFixed(0)} ms: ${perS.toFixed(0)} rows/s (target ≥ ${String(TARGET_ROWS_PER_S)}): ${verdict(perS >= TARGET_ROWS_PER_S)}`,
    );
  } finally {
    await t.close();
  }
}

/** Reading the same rows from an .xlsx workbook (exceljs), for the record. */
async function benchXlsxRead(): Promise<void> {
  const rows = sampleCaseloadRows(ROWS, '2026-12-01' as never, 42);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Caseload');
  ws.addRow([...SAMPLE_HEADERS]);
  for (const r of rows) {
    ws.addRow(r.map((c) => (c !== null && typeof c === 'object' ? new Date(`${c.date}T00:00:00Z`) : c)));
  }
  const file = Buffer.from(await wb.xlsx.writeBuffer());
  const start = performance.now();
  const read = await readCaseloadFile('bench.xlsx', file, { maxBytes: 100 * 1024 * 1024, maxRows: 20_000 });
  const ms = performance.now() - start;
  console.log(
    `xlsx: ${String(read.rows.length)} rows read in ${ms.toFixed(0)} ms (${((read.rows.length / ms) * 1000).toFixed(0)} rows/s; not part of the target)`,
  );
}

let failed = false;
// CASELOAD_BENCH_DB=sqlite or postgres: one database only (for a profile).
const only = process.env.CASELOAD_BENCH_DB;
for (const dialect of (['sqlite', 'postgres'] as const).filter((d) => only === undefined || d === only)) {
  try {
    await benchDialect(dialect);
  } catch (err) {
    failed = true;
    console.error(
      `${dialect}: could not be benchmarked: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
await benchXlsxRead();
process.exit(failed ? 1 : 0);
