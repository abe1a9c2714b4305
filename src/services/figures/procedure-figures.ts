import { countsByMonthFigure, PARTIAL_MONTHS_NOTE } from '../../domain/figures/figure-builders.ts';
import { procedureCounts } from '../../storage/figures/procedure-figures.repository.ts';
import { defineFigure } from './define-figure.ts';
import type { FigureSpec } from './figure-spec.ts';

/** Implants, replacements, revisions and explants. */

const procedures = defineFigure('procedures', 'procedures', async ({ db, range }, id) =>
  countsByMonthFigure({
    ...id,
    title: 'Implants, revisions, replacements and explants',
    definition: {
      numerator:
        'Procedures in the month: first implants (a pump registered with its implant date, not replacing another pump); replacements (a pump registered as replacing another, by its implant date); pump revisions and catheter revisions (recorded as events on the pump, by their date); explants (pumps removed, by the date removed).',
      denominator: null,
      notes: `An explant counts while the pump's state is explanted: an explant later corrected as a mistake is not counted. A pump replaced counts once, as a replacement, not also as an explant. ${PARTIAL_MONTHS_NOTE}`,
    },
    categories: [
      { key: 'implant', label: 'First implants' },
      { key: 'replacement', label: 'Replacements' },
      { key: 'revision', label: 'Pump revisions' },
      { key: 'catheter-revision', label: 'Catheter revisions' },
      { key: 'explant', label: 'Explants' },
    ],
    noun: 'procedures',
    range,
    counts: await procedureCounts(db, range),
  }),
);

export const procedureFigureSpecs: readonly FigureSpec[] = [procedures];
