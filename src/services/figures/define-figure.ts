import type { Figure, FigureGroup } from '../../domain/figures/figure.ts';
import type { FigureQueryContext, FigureSpec } from './figure-spec.ts';

/** A figure's key and section, handed to its compute so the figure carries the same ones. */
export interface FigureIdentity {
  readonly key: string;
  readonly group: FigureGroup;
}

/** A FigureSpec whose compute is given its own key and group (no `this`, safe to pass around). */
export function defineFigure(
  key: string,
  group: FigureGroup,
  compute: (ctx: FigureQueryContext, id: FigureIdentity) => Promise<Figure>,
): FigureSpec {
  const id = { key, group };
  return { key, group, compute: (ctx) => compute(ctx, id) };
}
