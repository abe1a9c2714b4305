import type { Compilable, CompiledQuery } from 'kysely';
import type { DbOrTrx } from './database.ts';

/** Stands for the value while the query is compiled; never sent to the database. */
const PLACEHOLDER = '\u0000compiled-once-parameter\u0000';

/**
 * A query of one text value (used once or more) that Kysely builds and compiles once per
 * database and then runs with each new value. Kysely builds and compiles every query afresh,
 * a noticeable share of the session lookup that every signed-in request runs (docs/performance.md);
 * the SQL is the same each time, so only the value changes.
 *
 * The compiled query is kept per database adapter, which a database handle shares with every
 * transaction opened on it, so queries run inside a transaction are compiled once too. A handle
 * with Kysely plugins (which may rewrite each query) is never served from the cache.
 *
 * Compiling checks that every parameter of the query is the value, so a query that gains
 * another parameter fails at once rather than running with the wrong one.
 */
export function compiledOnce<Row>(
  build: (db: DbOrTrx, value: string) => Compilable<Row>,
): (db: DbOrTrx, value: string) => Promise<Row[]> {
  const compiledFor = new WeakMap<object, CompiledQuery<Row>>();
  const compile = (db: DbOrTrx): CompiledQuery<Row> => {
    const compiled = build(db, PLACEHOLDER).compile();
    if (compiled.parameters.length === 0 || compiled.parameters.some((p) => p !== PLACEHOLDER)) {
      throw new Error(`compiledOnce: every parameter of the query must be the value: ${compiled.sql}`);
    }
    return compiled;
  };
  return async (db, value) => {
    const executor = db.getExecutor();
    let compiled: CompiledQuery<Row> | undefined;
    if (executor.plugins.length === 0) {
      compiled = compiledFor.get(executor.adapter);
      if (compiled === undefined) {
        compiled = compile(db);
        compiledFor.set(executor.adapter, compiled);
      }
    } else {
      compiled = compile(db);
    }
    const parameters = compiled.parameters.map(() => value);
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
