// npm run bench (fourth part): the FHIR bulk export's speed target, on SQLite and then PostgreSQL.
//
//   "Speed (bench): bulk export >= 10,000 resources/s on each database."
//
// For each database: 100,000 patients, each with an implanted pump and a fifth with a booked
// refill appointment, are written in bulk (at least 100,000 resources whatever types the export
// maps from them); then the whole export is read through services.fhir.exportAll, the same
// stream `itb fhir export` writes, and each resource is serialised as its NDJSON line (into a
// counter, not a disk, so the figure is the export's, not the disk's). Prints resources/s per
// database against the target; exits 0 whatever the figures (it is a report), 1 only if a
// database could not be benchmarked.
import { sql } from 'kysely';
import { actorOf } from '../src/services/audit-service.ts';
import { todayIn } from '../src/services/clock.ts';
import { addUser } from '../src/services/user-service.ts';
import type { DialectName } from '../test/support/databases.ts';
import { startTestApp } from '../test/support/test-app.ts';
import { seedBenchCaseload } from './bench-caseload.ts';

const PUMPS = 100_000;
const MIN_RESOURCES = 100_000;
const TARGET_PER_SECOND = 10_000;

async function benchDialect(dialect: DialectName): Promise<void> {
  const t = await startTestApp(dialect);
  try {
    const { db } = t.deps.database;
    const today = todayIn(t.clock, t.deps.config.timeZone);
    const user = await addUser({ db, clock: t.clock }, null, {
      username: 'benchnurse',
      displayName: 'Bench Nurse',
      role: 'nurse-specialist',
      password: 'a-long-bench-password-1',
    });
    const seedStart = performance.now();
    await seedBenchCaseload(db, user.id, today, PUMPS);
    await (dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db);
    console.log(
      `${dialect}: ${PUMPS} patients and pumps written in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const fhir = t.deps.services.fhir;
    const expected = await fhir.countForExport();
    const byType = new Map<string, number>();
    let bytes = 0;
    const start = performance.now();
    for await (const resource of fhir.exportAll(actorOf(user, 'bench'))) {
      bytes += JSON.stringify(resource).length + 1;
      byType.set(resource.resourceType, (byType.get(resource.resourceType) ?? 0) + 1);
    }
    const seconds = (performance.now() - start) / 1000;
    const total = [...byType.values()].reduce((a, b) => a + b, 0);
    const perSecond = total / seconds;
    console.log(
      `${dialect}: ${total} resources (${[...byType].map(([k, v]) => `${k} ${v}`).join(', ')}), ${(bytes / 1e6).toFixed(0)} MB of NDJSON, in ${seconds.toFixed(2)} s`,
    );
    if (total !== expected) {
      console.log(`${dialect}: countForExport said ${expected}, the export gave ${total}`);
    }
    if (total < MIN_RESOURCES) {
      console.log(`${dialect}: fewer than ${MIN_RESOURCES} resources: the figure below is not the target's`);
    }
    console.log(
      `${dialect}: bulk export ${perSecond.toFixed(0)} resources/s (target >= ${TARGET_PER_SECOND}): ${perSecond >= TARGET_PER_SECOND && total >= MIN_RESOURCES ? 'OK' : 'MISSED'}`,
    );
  } finally {
    await t.close();
  }
}

let failed = false;
for (const dialect of ['sqlite', 'postgres'] as const) {
  try {
    await benchDialect(dialect);
  } catch (err) {
    failed = true;
    console.error(
      `${dialect}: could not be benchmarked: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
process.exit(failed ? 1 : 0);
