import { allFigures, figureKeys, oneFigure, parseRange } from '../figures/figure-service.ts';
import { serviceFigures } from '../figures-service.ts';
import { refreshFigureFacts } from '../figures/figure-facts-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * The service's figures (figures/all-figures.ts): every figure for a period, one by its key,
 * the period read from a form or query, the register's summary counts, and the figures' kept
 * facts worked out afresh.
 */
export function figureServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    parseRange,
    all: allFigures,
    one: oneFigure,
    keys: figureKeys,
    summary: serviceFigures,
    refreshFacts: refreshFigureFacts,
  });
}
