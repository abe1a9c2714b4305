import { caseloadFigureSpecs } from './caseload-figures.ts';
import { complicationFigureSpecs } from './complication-figures.ts';
import type { FigureSpec } from './figure-spec.ts';
import { refillFigureSpecs } from './refill-figures.ts';
import { todayFigureSpecs } from './today-figures.ts';

/** The clinical figures, in page order: refills, caseload, complications, today. */
export const clinicalFigureSpecs: readonly FigureSpec[] = [
  ...refillFigureSpecs,
  ...caseloadFigureSpecs,
  ...complicationFigureSpecs,
  ...todayFigureSpecs,
];
