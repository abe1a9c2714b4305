import { CompiledQuery, sql, type Insertable } from 'kysely';
import { isPostgres } from './dialect-name.ts';
import type { Database, Trx } from './database.ts';

/** Rows per PostgreSQL statement: each is ONE bound parameter (a JSON array), so the limit of
 * 65,535 parameters does not apply; the chunk bounds one JSON text (a pump row is about 1 kB). */
const PG_ROWS_PER_STATEMENT = 5_000;
/** SQLite binds every value: a statement stays under its 32,766 bound parameters. */
const SQLITE_MAX_PARAMETERS = 32_000;

/** The multi-row INSERT text for SQLite, built once per table, columns and row count. */
const sqliteInsertText = new Map<string, string>();

function sqliteInsert(table: string, columns: readonly string[], rowCount: number): string {
  const key = `${table}|${columns.join(',')}|${String(rowCount)}`;
  let text = sqliteInsertText.get(key);
  if (text === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array(rowCount).fill(row).join(', ')}`;
    sqliteInsertText.set(key, text);
  }
  return text;
}

/**
 * Inserts many rows of one table in few statements. PostgreSQL: a few thousand rows a statement,
 * passed as one JSON array and unpacked by json_populate_recordset (each column's own type
 * applies, as for a bound value). SQLite: as many rows a statement as its parameter limit allows,
 * the statement's text built once and kept, so the driver's prepared-statement cache reuses it.
 * Building each statement through the query builder and binding thirty parameters a row took
 * most of a bulk import's time (docs/performance.md). Every row must have the same columns, and
 * hold only strings, numbers and nulls (all these tables hold). A column left out of the rows
 * takes its default, given row by row in the order of `rows` (audit rows' places in the trail).
 */
export async function insertRowsInBulk<T extends keyof Database>(
  trx: Trx,
  table: T,
  rows: readonly (Database[T] | Insertable<Database[T]>)[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) {
    return;
  }
  const columns = Object.keys(first);
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) {
      throw new Error(`insertRowsInBulk: every ${table} row must have the same columns`);
    }
  }
  if (isPostgres(trx)) {
    const columnList = sql.join(columns.map((c) => sql.id(c)));
    for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
      const json = JSON.stringify(rows.slice(i, i + PG_ROWS_PER_STATEMENT));
      await sql`insert into ${sql.table(table)} (${columnList})
        select ${columnList} from json_populate_recordset(null::${sql.table(table)}, ${json}::json)`.execute(
        trx,
      );
    }
    return;
  }
  const perStatement = Math.floor(SQLITE_MAX_PARAMETERS / columns.length);
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const parameters: unknown[] = [];
    for (const row of chunk) {
      const values = row as unknown as Record<string, unknown>;
      for (const c of columns) {
        parameters.push(values[c] ?? null);
      }
    }
    await trx.executeQuery(CompiledQuery.raw(sqliteInsert(table, columns, chunk.length), parameters));
  }
}
