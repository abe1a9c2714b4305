import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { Figure, FigureRange } from '../../domain/figures/figure.ts';
import { DIALECTS } from '../../../test/support/databases.ts';
import {
  complicationReference,
  doseReference,
  inService,
  monthEnd,
  months,
  pumpDaysReference,
  refillReference,
} from '../../../test/support/clinical-figures-reference.ts';
import { clinicalWorldFacts, writeClinicalWorld } from '../../../test/support/clinical-figures-world.ts';
import { addTestUser, startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { clinicalFigureSpecs } from './clinical-figures.ts';
import type { FigureQueryContext } from './figure-spec.ts';

/**
 * Every clinical figure, computed by its SQL on both databases, against the same figure worked
 * out in plain TypeScript over the seeded facts (test/support/clinical-figures-reference.ts),
 * for a whole period, one starting in the middle of pumps' lives, and one with no refills.
 */

const pct = (n: number, d: number): number | string =>
  d === 0 ? 'no data' : Math.round((n / d) * 1000) / 10;
const one = (x: number): number => Math.round(x * 10) / 10;

const RANGES: readonly FigureRange[] = [
  { from: '2026-01-01' as PlainDate, to: '2026-06-30' as PlainDate },
  { from: '2025-03-15' as PlainDate, to: '2026-05-20' as PlainDate },
];
const NOTHING: FigureRange = { from: '2020-01-01' as PlainDate, to: '2020-03-31' as PlainDate };

for (const dialect of DIALECTS) {
  describe(`clinical figures on ${dialect}`, () => {
    let t: TestApp;
    let world: ReturnType<typeof clinicalWorldFacts>;
    const compute = async (range: FigureRange): Promise<Map<string, Figure>> => {
      const figures = new Map<string, Figure>();
      // One context per figure, as the figures service gives them, all at once.
      const all = await Promise.all(
        clinicalFigureSpecs.map((spec) => {
          const ctx: FigureQueryContext = {
            db: t.deps.database.db,
            range,
            today: '2026-07-15' as PlainDate,
            config: t.deps.config,
          };
          return spec.compute(ctx);
        }),
      );
      for (const f of all) {
        figures.set(f.key, f);
      }
      return figures;
    };

    before(async () => {
      t = await startTestApp(dialect);
      const user = await addTestUser(t, 'nurse-specialist', 'figures');
      world = clinicalWorldFacts(user.id);
      await writeClinicalWorld(t.deps.database.db, world);
    });
    after(async () => {
      await t.close();
    });

    it('gives every spec a unique key in its own group', () => {
      const keys = clinicalFigureSpecs.map((s) => s.key);
      assert.equal(new Set(keys).size, keys.length);
      for (const s of clinicalFigureSpecs) {
        assert.ok(['refills', 'caseload', 'complications', 'today'].includes(s.group), s.key);
      }
    });

    for (const range of RANGES) {
      it(`agrees with the reference for the refills, ${range.from} to ${range.to}`, async () => {
        const figures = await compute(range);
        const ref = refillReference(world, range);
        const rows = (key: string) => (figures.get(key) as Figure).table.rows;
        assert.deepEqual(
          rows('refills-on-time'),
          [...ref].map(([month, m]) => ({
            month,
            numerator: m.onTime,
            denominator: m.withDue,
            rate: pct(m.onTime, m.withDue),
          })),
        );
        assert.deepEqual(
          rows('refills-after-alarm'),
          [...ref].map(([month, m]) => ({ month, afterAlarm: m.afterAlarm, refills: m.refills })),
        );
        assert.deepEqual(
          rows('refills-discrepancies'),
          [...ref].map(([month, m]) => ({
            month,
            numerator: m.discrepancy,
            denominator: m.refills,
            rate: pct(m.discrepancy, m.refills),
          })),
        );
        assert.deepEqual(
          rows('refills-signed-within-a-day'),
          [...ref].map(([month, m]) => ({
            month,
            numerator: m.signedInDay,
            denominator: m.refills,
            rate: pct(m.signedInDay, m.refills),
          })),
        );
        const total = [...ref.values()].reduce((n, m) => n + m.refills, 0);
        assert.ok(total > 20, 'the world has refills in the period');
      });

      it(`agrees with the reference for the caseload and doses, ${range.from} to ${range.to}`, async () => {
        const figures = await compute(range);
        assert.deepEqual(
          (figures.get('caseload-size') as Figure).table.rows,
          months(range).map((month) => {
            const day = monthEnd(month, range.to);
            return { month, day, pumps: inService(world, day) };
          }),
        );
        const doses = doseReference(world, range.to);
        const labels: Record<string, string> = { spinal: 'Spinal origin', cerebral: 'Cerebral origin' };
        assert.deepEqual(
          (figures.get('doses-by-origin') as Figure).table.rows,
          [...doses]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([origin, d]) => ({
              origin: labels[origin],
              pumps: d.pumps,
              median: one(d.median),
              lowest: one(d.min),
              highest: one(d.max),
            })),
        );
      });

      it(`agrees with the reference for complications per 100 pump-years, ${range.from} to ${range.to}`, async () => {
        const figures = await compute(range);
        const days = pumpDaysReference(world, range);
        const counts = complicationReference(world, range);
        const labels: [string, string][] = [
          ['infection', 'Infection'],
          ['catheter', 'Catheter fault'],
          ['csf-leak', 'CSF leak'],
          ['overdose', 'Overdose'],
          ['withdrawal', 'Withdrawal'],
        ];
        assert.deepEqual(
          (figures.get('complications-per-100-pump-years') as Figure).table.rows,
          labels.map(([key, kind]) => {
            const count = counts.get(key) ?? 0;
            return { kind, count, pumpYears: one(days / 365.25), rate: one((count * 100 * 365.25) / days) };
          }),
        );
        assert.ok([...counts.values()].reduce((a, b) => a + b, 0) > 0, 'the world has complications');
      });
    }

    it('counts an emergency by its London day: 23:30 UTC on 30 June is 1 July', async () => {
      const june = await compute({ from: '2026-06-01' as PlainDate, to: '2026-06-30' as PlainDate });
      const july = await compute({ from: '2026-07-01' as PlainDate, to: '2026-07-31' as PlainDate });
      const withdrawals = (f: Map<string, Figure>) =>
        (f.get('complications-per-100-pump-years') as Figure).table.rows.find((r) => r.kind === 'Withdrawal')
          ?.count;
      assert.equal(
        withdrawals(june),
        complicationReference(world, { from: '2026-06-01' as PlainDate, to: '2026-06-30' as PlainDate }).get(
          'withdrawal',
        ) ?? 0,
      );
      assert.equal(
        withdrawals(july),
        complicationReference(world, { from: '2026-07-01' as PlainDate, to: '2026-07-31' as PlainDate }).get(
          'withdrawal',
        ) ?? 0,
      );
      assert.ok(Number(withdrawals(july) ?? 0) >= 1, 'the late-evening withdrawal counts in July');
    });

    it('shows "no data", never a division by zero, for a period with no refills or pumps', async () => {
      const figures = await compute(NOTHING);
      const onTime = figures.get('refills-on-time') as Figure;
      assert.equal(onTime.headline, 'no data');
      assert.ok(onTime.table.rows.every((r) => r.rate === 'no data' && r.denominator === 0));
      assert.ok(onTime.chart?.series[0]?.points.every((p) => p.y === null));
      const rates = figures.get('complications-per-100-pump-years') as Figure;
      assert.equal(rates.headline, 'no data');
      assert.ok(rates.table.rows.every((r) => r.rate === 'no data' && r.pumpYears === 0));
      assert.equal((figures.get('doses-by-origin') as Figure).chart, null);
      assert.deepEqual(
        (figures.get('caseload-size') as Figure).table.rows.map((r) => r.pumps),
        [0, 0, 0],
      );
    });

    it('leaves voided refills out and stops counting a pump the day it ended', async () => {
      const range = RANGES[0] as FigureRange;
      const figures = await compute(range);
      const voided = world.refills.filter(
        (r) => r.state === 'voided' && r.performed_on >= range.from && r.performed_on <= range.to,
      );
      assert.ok(voided.length > 0, 'the world has voided refills in the period');
      const all = world.refills.filter((r) => r.performed_on >= range.from && r.performed_on <= range.to);
      const counted = (figures.get('refills-after-alarm') as Figure).table.rows.reduce(
        (n, r) => n + Number(r.refills),
        0,
      );
      assert.equal(counted, all.length - voided.length);
      // pump-0 ended (replaced) on 10 March, pump-0b started that day: one pump, not two.
      const rows = (figures.get('caseload-size') as Figure).table.rows;
      const feb = rows.find((r) => r.month === '2026-02')?.pumps as number;
      const mar = rows.find((r) => r.month === '2026-03')?.pumps as number;
      assert.equal(mar - feb, inService(world, '2026-03-31') - inService(world, '2026-02-28'));
    });

    it('counts no patient-identifiable field in any table', async () => {
      const figures = await compute(RANGES[0] as FigureRange);
      const text = JSON.stringify([...figures.values()]);
      for (const p of world.patients) {
        assert.ok(!text.includes(p.nhs_number) && !text.includes(p.family_name) && !text.includes(p.id));
      }
    });
  });
}
