import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../test/support/clock.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/databases.ts';
import { loadConfig } from './config.ts';
import { createServices } from './services/registry/registry.ts';

/**
 * Names a reader cannot tell apart send changes to the wrong feature: `services.emergency` (the
 * summary) beside `services.emergencies` (events), or two route files both called
 * `emergency-pages.ts`. These checks keep the registry's groups, the route files and the page
 * folders from drifting back into near-duplicates.
 */

/** A name's singular, lower case: "emergencies" and "emergency" are the same name. */
function singular(name: string): string {
  return name.toLowerCase().replace(/ies$/, 'y').replace(/s$/, '');
}

/** The pairs of names that differ only by case or by a plural ending. */
function nearDuplicates(names: readonly string[]): string[][] {
  const byKey = new Map<string, string[]>();
  for (const n of names) {
    byKey.set(singular(n), [...(byKey.get(singular(n)) ?? []), n]);
  }
  return [...byKey.values()].filter((group) => group.length > 1);
}

const here = (path: string) => new URL(path, import.meta.url);
const folders = (path: string) =>
  readdirSync(here(path), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

/** Every file under a folder, by its own name (no folders). */
function fileNames(path: string): string[] {
  return readdirSync(here(path), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('names a reader can tell apart', () => {
  it('finds the near-duplicates it is meant to find', () => {
    assert.deepEqual(nearDuplicates(['emergency', 'emergencies', 'pumps', 'refills', 'refill']), [
      ['emergency', 'emergencies'],
      ['refills', 'refill'],
    ]);
    assert.deepEqual(nearDuplicates(['emergencySummary', 'emergencies']), []);
  });

  describe('the service registry', () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase('sqlite');
    });
    after(async () => {
      await database.dispose();
    });

    it('has no two groups whose names differ only by a plural', () => {
      const services = createServices(
        database.handle,
        new TestClock('2026-12-01T09:00:00.000Z'),
        loadConfig({}),
      );
      const groups = Object.keys(services);
      assert.ok(groups.includes('emergencySummary') && groups.includes('emergencies'));
      assert.deepEqual(nearDuplicates(groups), []);
    });
  });

  it('has no two registry files whose names differ only by a plural', () => {
    const files = fileNames('./services/registry/').map((f) => f.replace(/\.ts$/, ''));
    assert.deepEqual(nearDuplicates(files), []);
  });

  it('has no two route files of the same name in different features', () => {
    const names = fileNames('./http/routes/');
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });

  it('has no two route or page folders whose names differ only by a plural', () => {
    assert.deepEqual(nearDuplicates(folders('./http/routes/')), []);
    assert.deepEqual(nearDuplicates(folders('../views/pages/')), []);
  });
});
