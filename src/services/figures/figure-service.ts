import type { AppConfig } from '../../config.ts';
import type { Validated } from '../../domain/field-error.ts';
import {
  FIGURE_GROUPS,
  type Figure,
  type FigureGroup,
  type FigureRange,
} from '../../domain/figures/figure.ts';
import { parseFigureRange, type FigureRangeQuery } from '../../domain/figures/figure-range-input.ts';
import type { Db } from '../../storage/database.ts';
import { AppError } from '../app-error.ts';
import type { Actor } from '../audit-service.ts';
import { today, type Clock } from '../clock.ts';
import { requirePermission } from '../permission-check.ts';
import { FIGURE_SPECS } from './all-figures.ts';
import type { FigureSpec } from './figure-spec.ts';

/**
 * The service's figures for a period: counts and rates only, never a patient, so reading them
 * is not a read of patient data and is not audited (the permission figures:read is checked).
 */

export interface FigureDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: AppConfig;
}

export interface FigureSection {
  readonly group: FigureGroup;
  readonly title: string;
  readonly figures: readonly Figure[];
}

export interface FigureReport {
  readonly range: FigureRange;
  readonly sections: readonly FigureSection[];
}

const FORBIDDEN = "Only staff who see the service's figures can see them";

/** The period asked for (from and to, YYYY-MM-DD, either left out for the default) or field errors. */
export function parseRange(
  deps: Pick<FigureDeps, 'clock' | 'config'>,
  query: FigureRangeQuery,
): Validated<FigureRange> {
  return parseFigureRange(query, today(deps));
}

function computeOne(deps: FigureDeps, spec: FigureSpec, range: FigureRange): Promise<Figure> {
  return spec.compute({ db: deps.db, range, today: today(deps), config: deps.config });
}

/** Every figure for the period, in page order: by FIGURE_GROUPS, then as FIGURE_SPECS lists them. */
export async function allFigures(
  deps: FigureDeps,
  actor: Actor,
  range: FigureRange,
  specs: readonly FigureSpec[] = FIGURE_SPECS,
): Promise<FigureReport> {
  requirePermission(actor, 'figures:read', FORBIDDEN);
  const figures = await Promise.all(specs.map((spec) => computeOne(deps, spec, range)));
  const sections = (Object.keys(FIGURE_GROUPS) as FigureGroup[]).flatMap((group) => {
    const mine = figures.filter((f) => f.group === group);
    return mine.length === 0 ? [] : [{ group, title: FIGURE_GROUPS[group], figures: mine }];
  });
  return { range, sections };
}

/** One figure by its key; NOT_FOUND for a key no figure has. */
export async function oneFigure(
  deps: FigureDeps,
  actor: Actor,
  key: string,
  range: FigureRange,
  specs: readonly FigureSpec[] = FIGURE_SPECS,
): Promise<Figure> {
  requirePermission(actor, 'figures:read', FORBIDDEN);
  const spec = specs.find((s) => s.key === key);
  if (spec === undefined) {
    throw new AppError('NOT_FOUND', 'There is no figure with that name');
  }
  return computeOne(deps, spec, range);
}

/** The keys of every figure, for the API document and links. */
export function figureKeys(): readonly string[] {
  return FIGURE_SPECS.map((s) => s.key);
}
