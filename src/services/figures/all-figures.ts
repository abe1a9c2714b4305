import { clinicalFigureSpecs } from './clinical-figures.ts';
import type { FigureSpec } from './figure-spec.ts';
import { procedureFigureSpecs } from './procedure-figures.ts';
import { referralFigureSpecs } from './referral-figures.ts';
import { selectionFigureSpecs } from './selection-figures.ts';

/**
 * Every figure the service computes: the figures page, its CSVs, the API and the bench all read
 * this one list. The page shows them in the order of FIGURE_GROUPS (figure.ts), and within a
 * section in the order listed here. Keys must be unique (a test checks).
 */
export const FIGURE_SPECS: readonly FigureSpec[] = [
  ...referralFigureSpecs,
  ...selectionFigureSpecs,
  ...procedureFigureSpecs,
  ...clinicalFigureSpecs,
];
