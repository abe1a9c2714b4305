import {
  categoriesOf,
  countsByMonthFigure,
  PARTIAL_MONTHS_NOTE,
} from '../../domain/figures/figure-builders.ts';
import { DECISION_LABELS, DECISIONS, MDT_DECISIONS } from '../../domain/selection-decision.ts';
import { TEST_RESULT_LABELS, TEST_RESULTS } from '../../domain/test-dose-result.ts';
import { EPISODE_STATE_LABELS } from '../../domain/test-dose.ts';
import {
  screeningOutcomes,
  selectionDecisions,
  testBolusResults,
} from '../../storage/figures/selection-figures.repository.ts';
import { defineFigure } from './define-figure.ts';
import type { FigureSpec } from './figure-spec.ts';

/** Selection decisions, MDT outcomes, test doses and how screening episodes ended. */

const UTC_DAY_NOTE =
  'A decision is counted on the calendar date of the time it was recorded, in UTC: one recorded between midnight and 1am in British Summer Time counts on the day before.';

const decisions = defineFigure('selection-decisions', 'selection', async ({ db, range }, id) =>
  countsByMonthFigure({
    ...id,
    title: 'Selection decisions',
    definition: {
      numerator: "Clinicians' decisions after a selection assessment recorded in the month, by decision.",
      denominator: null,
      notes: `Every decision recorded counts, including one made again on the same assessment. ${UTC_DAY_NOTE} ${PARTIAL_MONTHS_NOTE}`,
    },
    categories: categoriesOf(DECISIONS, DECISION_LABELS),
    noun: 'decisions',
    range,
    counts: await selectionDecisions(db, range, 'clinician'),
  }),
);

const mdt = defineFigure('mdt-outcomes', 'selection', async ({ db, range }, id) =>
  countsByMonthFigure({
    ...id,
    title: 'MDT outcomes',
    definition: {
      numerator:
        'Decisions recorded for a multidisciplinary team (MDT) meeting, by the month of the meeting and the decision.',
      denominator: null,
      notes: `A decision with no meeting date counts on the day it was recorded. ${UTC_DAY_NOTE} ${PARTIAL_MONTHS_NOTE}`,
    },
    categories: categoriesOf(MDT_DECISIONS, DECISION_LABELS),
    noun: 'MDT decisions',
    range,
    counts: await selectionDecisions(db, range, 'mdt'),
  }),
);

const bolusResults = defineFigure('test-doses', 'selection', async ({ db, range }, id) =>
  countsByMonthFigure({
    ...id,
    title: 'Test doses and their results',
    definition: {
      numerator:
        'Intrathecal test boluses given in the month, by the result the clinician confirmed: positive, negative, or not yet confirmed.',
      denominator: null,
      notes: `Each bolus counts, so a screening with three boluses counts three. A bolus is counted on the UTC date of the time it was given. ${PARTIAL_MONTHS_NOTE}`,
    },
    categories: [
      ...categoriesOf(TEST_RESULTS, TEST_RESULT_LABELS),
      { key: 'pending', label: 'Result not yet confirmed' },
    ],
    noun: 'test boluses',
    range,
    counts: await testBolusResults(db, range),
  }),
);

const screenings = defineFigure('screening-outcomes', 'selection', async ({ db, range }, id) =>
  countsByMonthFigure({
    ...id,
    title: 'Test-dose screenings completed, by outcome',
    definition: {
      numerator:
        'Test-dose (screening) episodes closed in the month, by how they closed: positive (suitable for implant), not for implant, or abandoned.',
      denominator: null,
      notes: `Counted on the date the episode was closed, in the service's time zone. Episodes still open are not counted. ${PARTIAL_MONTHS_NOTE}`,
    },
    categories: categoriesOf(['positive', 'not-for-implant', 'abandoned'] as const, EPISODE_STATE_LABELS),
    noun: 'screenings',
    range,
    counts: await screeningOutcomes(db, range),
  }),
);

export const selectionFigureSpecs: readonly FigureSpec[] = [decisions, mdt, bolusResults, screenings];
