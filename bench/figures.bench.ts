// npm run bench (last part): every service figure, on SQLite and then PostgreSQL.
//
//   "Every figure for a 5-year history of 10,000 pumps with 200,000 refills and 50,000
//   referrals in ≤ 300 ms on each database."
//
// For each database: a seeded 5-year history (test/support/figures-world.ts: 50,000 referrals
// with their triage decisions and first appointments, selection and MDT decisions, test doses,
// 10,000 pumps with revisions, replacements and explants) plus the clinical figures' share
// (bench/clinical-figures-data.ts: 10,000 more pumps refilled every 40 to 50 days over the five
// years, about 200,000 refills with voids, flags, pauses, dose changes, complications and
// emergency events), written in bulk, then the figures' derived facts worked out (as the
// writers keep them) and the tables analysed. Then every figure in
// FIGURE_SPECS is computed, as the figures page computes them (the service's allFigures), for
// the default period (the last 12 months) and for the whole 5 years. Prints p50/p95 against the
// target and the slowest figures; BENCH_RUNS (30) and BENCH_DIALECTS (sqlite,postgres) narrow a
// run. Exits 0 whatever they are (it is a report), 1 only if a
// database could not be benchmarked. PostgreSQL is the server at BENCH_DATABASE_URL or
// TEST_DATABASE_URL (default 127.0.0.1:5432/test).
import { sql } from 'kysely';
import { addDays } from '../src/domain/calendar-date.ts';
import { defaultFigureRange } from '../src/domain/figures/figure-range-input.ts';
import type { FigureRange } from '../src/domain/figures/figure.ts';
import type { Actor } from '../src/services/audit-service.ts';
import { todayIn } from '../src/services/clock.ts';
import { FIGURE_SPECS } from '../src/services/figures/all-figures.ts';
import { allFigures } from '../src/services/figures/figure-service.ts';
import type { DialectName } from '../test/support/databases.ts';
import { buildFiguresFacts, insertFiguresWorld } from '../test/support/figures-world.ts';
import { startTestApp } from '../test/support/test-app.ts';
import { seedClinicalFigures } from './clinical-figures-data.ts';

const SIZE = { referrals: 50_000, pumps: 10_000, refills: 200_000, assessments: 5_000, episodes: 3_000 };
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const TARGET_MS = 300;

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function benchDialect(dialect: DialectName): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const t = await startTestApp(dialect, {}, url);
  try {
    const { config, clock } = t.deps;
    const db = t.deps.database.db;
    const today = todayIn(clock, config.timeZone);
    const seedStart = performance.now();
    const world = buildFiguresFacts({
      referrals: SIZE.referrals,
      pumps: SIZE.pumps,
      assessments: SIZE.assessments,
      episodes: SIZE.episodes,
      from: addDays(today, -5 * 365),
      to: today,
      seed: 5,
    });
    await db.transaction().execute(async (trx) => {
      await insertFiguresWorld(trx, world);
    });
    // The refills, with realistic due dates, flags, voids and pauses for the clinical figures.
    const { refills } = await seedClinicalFigures(db, world.userId, today);
    // A live database keeps its planner statistics; a bulk load has none until analysed.
    await (dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db);
    console.log(
      `${dialect}: ${world.pumps.length} pumps with procedures and 10,000 refilled, ${refills} refills, ${world.referrals.length} referrals written in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    const actor: Actor = {
      userId: world.userId,
      username: 'bench',
      role: 'service-manager',
      requestId: null,
    };
    const svc = { db, clock, config };
    const ranges: readonly [string, FigureRange][] = [
      ['the last 12 months', defaultFigureRange(today)],
      ['5 years', { from: addDays(today, -5 * 365), to: today }],
    ];
    for (const [name, range] of ranges) {
      await allFigures(svc, actor, range);
      const totals: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        totals.push(await timed(() => allFigures(svc, actor, range)));
      }
      const slowest = [];
      for (const spec of FIGURE_SPECS) {
        const ms: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          ms.push(await timed(() => spec.compute({ db, range, today, config })));
        }
        slowest.push({ key: spec.key, ms: percentile(ms, 50) });
      }
      slowest.sort((a, b) => b.ms - a.ms);
      const p95 = percentile(totals, 95);
      console.log(
        `${dialect}: all ${FIGURE_SPECS.length} figures for ${name} in p50 ${percentile(totals, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target ≤ ${TARGET_MS} ms): ${p95 <= TARGET_MS ? 'OK' : 'MISSED'}`,
      );
      console.log(
        `${dialect}:   slowest alone (p50): ${slowest
          .slice(0, 4)
          .map((s) => `${s.key} ${s.ms.toFixed(1)} ms`)
          .join(', ')}`,
      );
    }
  } finally {
    await t.close();
  }
}

let failed = false;
// BENCH_DIALECTS=sqlite (or postgres) times one database only.
const dialects = (['sqlite', 'postgres'] as const).filter((d) =>
  (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').includes(d),
);
for (const dialect of dialects) {
  try {
    await benchDialect(dialect);
  } catch (err) {
    failed = true;
    console.error(`${dialect}: could not be benchmarked:`, err);
  }
}
process.exit(failed ? 1 : 0);
