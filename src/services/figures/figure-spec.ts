import type { AppConfig } from '../../config.ts';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { Figure, FigureGroup, FigureRange } from '../../domain/figures/figure.ts';
import type { Db } from '../../storage/database.ts';

/** What every figure's query is given: the database, the period asked for, today and the settings. */
export interface FigureQueryContext {
  readonly db: Db;
  readonly range: FigureRange;
  readonly today: PlainDate;
  readonly config: AppConfig;
}

/**
 * One figure: its key and section, and how to compute it. `compute` reads with SQL aggregates
 * (the same SQL on SQLite and PostgreSQL) and returns only counts and rates.
 */
export interface FigureSpec {
  readonly key: string;
  readonly group: FigureGroup;
  compute(ctx: FigureQueryContext): Promise<Figure>;
}
