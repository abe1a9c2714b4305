import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig, type AppConfig } from '../../config.ts';
import type { PlainDate } from '../../domain/calendar-date.ts';
import {
  categoriesOf,
  countsByMonthFigure,
  type Category,
  type MonthCount,
} from '../../domain/figures/figure-builders.ts';
import type { Figure, FigureRange } from '../../domain/figures/figure.ts';
import { monthsInRange } from '../../domain/figures/months.ts';
import { percentOf } from '../../domain/figures/figure-stats.ts';
import { REFERRAL_SOURCES, SOURCE_LABELS } from '../../domain/referral.ts';
import { TRIAGE_OUTCOME_LABELS, TRIAGE_OUTCOMES } from '../../domain/triage.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import {
  buildFiguresFacts,
  insertFiguresWorld,
  type FiguresWorld,
} from '../../../test/support/figures-world.ts';
import { reference, type RefSpread } from '../../../test/support/figures-reference.ts';
import { TEST_SERVICE_CONTACTS } from '../../../test/support/test-app.ts';
import type { FigureSpec } from './figure-spec.ts';
import { procedureFigureSpecs } from './procedure-figures.ts';
import { referralFigureSpecs } from './referral-figures.ts';
import { selectionFigureSpecs } from './selection-figures.ts';

/**
 * Each referral, selection and procedure figure, computed by its SQL on SQLite and PostgreSQL
 * over a seeded history, agrees with the same figure worked out in plain TypeScript from the
 * seeded facts by its written definition (test/support/figures-reference.ts).
 */

const SPECS: readonly FigureSpec[] = [
  ...referralFigureSpecs,
  ...selectionFigureSpecs,
  ...procedureFigureSpecs,
];
const TODAY = '2026-11-24' as PlainDate;
const RANGES: readonly FigureRange[] = [
  { from: '2025-12-01' as PlainDate, to: TODAY },
  // Partial months at both ends.
  { from: '2026-03-15' as PlainDate, to: '2026-07-10' as PlainDate },
  { from: '2024-06-01' as PlainDate, to: '2026-12-31' as PlainDate },
  // A period with nothing in it.
  { from: '2020-01-01' as PlainDate, to: '2020-02-29' as PlainDate },
];

const world: FiguresWorld = buildFiguresFacts({
  referrals: 400,
  pumps: 150,
  assessments: 200,
  episodes: 120,
  from: '2024-06-01' as PlainDate,
  to: TODAY,
  seed: 20261124,
});

function counted(
  range: FigureRange,
  key: string,
  title: string,
  categories: readonly Category[],
  counts: readonly MonthCount[],
) {
  return countsByMonthFigure({
    key,
    group: 'referrals',
    title,
    definition: { numerator: '', denominator: null },
    categories,
    noun: 'x',
    range,
    counts,
  }).table;
}

function spreadRows(range: FigureRange, s: ReadonlyMap<string, RefSpread>) {
  const row = (month: string, v: RefSpread | undefined) => ({
    month,
    n: v?.n ?? 0,
    median: v?.median ?? null,
    p90: v?.p90 ?? null,
    longest: v?.longest ?? null,
  });
  return [...monthsInRange(range).map((m) => row(m, s.get(m))), row('Whole period', s.get('all'))];
}

for (const dialect of DIALECTS) {
  describe(`the referral, selection and procedure figures agree with a reference computation on ${dialect}`, () => {
    let database: TestDatabase;
    const configs: Record<'received' | 'accepted', AppConfig> = {
      received: loadConfig(TEST_SERVICE_CONTACTS),
      accepted: loadConfig({ ...TEST_SERVICE_CONTACTS, WAIT_CLOCK_START: 'accepted' }),
    };
    before(async () => {
      database = await openTestDatabase(dialect);
      await insertFiguresWorld(database.handle.db, world);
    });
    after(async () => {
      await database.dispose();
    });

    const compute = async (key: string, range: FigureRange, config = configs.received): Promise<Figure> => {
      const spec = SPECS.find((s) => s.key === key);
      assert.ok(spec, key);
      const figure = await spec.compute({ db: database.handle.db, range, today: TODAY, config });
      assert.equal(figure.key, key);
      assert.equal(figure.group, spec.group);
      return figure;
    };

    for (const range of RANGES) {
      const label = `${range.from} to ${range.to}`;
      it(`referrals by source and triage outcomes, ${label}`, async () => {
        const bySource = await compute('referrals-by-source', range);
        const sourceCategories = categoriesOf(REFERRAL_SOURCES, SOURCE_LABELS);
        assert.deepEqual(
          bySource.table.rows,
          counted(range, '', '', sourceCategories, reference.referralsBySource(world, range)).rows,
        );
        const outcomes = await compute('triage-outcomes', range);
        const outcomeCategories = categoriesOf(TRIAGE_OUTCOMES, TRIAGE_OUTCOME_LABELS);
        assert.deepEqual(
          outcomes.table.rows,
          counted(range, '', '', outcomeCategories, reference.triageOutcomes(world, range)).rows,
        );
      });

      it(`time to triage: median and 90th percentile, ${label}`, async () => {
        const figure = await compute('time-to-triage', range);
        assert.deepEqual(figure.table.rows, spreadRows(range, reference.timeToTriage(world, range)));
      });

      for (const clock of ['received', 'accepted'] as const) {
        it(`first appointments within target and breaches (clock from ${clock}), ${label}`, async () => {
          const config = configs[clock];
          const expected = reference.firstAppointments(world, range, config.waiting);
          const within = await compute('first-appointments-within-target', range, config);
          const total = [...expected.seen.values()].reduce(
            (t, s) => ({ seen: t.seen + s.seen, within: t.within + s.within }),
            { seen: 0, within: 0 },
          );
          const row = (month: string, s: { seen: number; within: number } | undefined) => ({
            month,
            seen: s?.seen ?? 0,
            within: s?.within ?? 0,
            after: (s?.seen ?? 0) - (s?.within ?? 0),
            percent: percentOf(s?.within ?? 0, s?.seen ?? 0),
          });
          assert.deepEqual(within.table.rows, [
            ...monthsInRange(range).map((m) => row(m, expected.seen.get(m))),
            row('Whole period', total),
          ]);
          const breaches = await compute('first-appointment-breaches', range, config);
          assert.deepEqual(breaches.table.rows, spreadRows(range, expected.breaches));
          const waiting = reference.waitingBeyondTarget(world, range.to, config.waiting);
          assert.match(
            breaches.headline ?? '',
            waiting.n === 0
              ? /none still waiting beyond target/
              : new RegExp(
                  `${waiting.n} referrals? still waiting beyond target on ${range.to}, the longest by ${String(waiting.longest)} days`,
                ),
          );
        });
      }

      it(`selection decisions, MDT outcomes, test doses and screenings, ${label}`, async () => {
        for (const [key, counts] of [
          ['selection-decisions', reference.selectionDecisions(world, range, 'clinician')],
          ['mdt-outcomes', reference.selectionDecisions(world, range, 'mdt')],
          ['test-doses', reference.testBoluses(world, range)],
          ['screening-outcomes', reference.screenings(world, range)],
          ['procedures', reference.procedures(world, range)],
        ] as const) {
          const figure = await compute(key, range);
          const categories = figure.table.columns.filter((c) => c.key !== 'month' && c.key !== 'total');
          assert.deepEqual(figure.table.rows, counted(range, '', '', categories, counts).rows, key);
          // Every fact counted falls in a category the figure shows.
          const shown = new Set(categories.map((c) => c.key));
          assert.ok(
            counts.every((c) => shown.has(c.category)),
            `${key}: a category not shown`,
          );
        }
      });
    }

    it('has facts in every figure over the whole history, so the comparison means something', async () => {
      const range = RANGES[2]!;
      for (const spec of SPECS) {
        const figure = await compute(spec.key, range);
        const last = figure.table.rows.at(-1) ?? {};
        const values = Object.values(last).filter((v) => typeof v === 'number');
        assert.ok(
          values.some((v) => v > 0),
          `${spec.key} has something to count`,
        );
      }
    });
  });
}
