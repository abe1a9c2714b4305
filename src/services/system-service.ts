import type { AppConfig } from '../config.ts';
import { missingServiceContacts } from '../domain/service-contacts.ts';
import type { DatabaseHandle } from '../storage/create-database.ts';
import { checkDatabaseHealth, type DatabaseHealth } from '../storage/database-health.ts';
import type { Db } from '../storage/database.ts';
import type { SqlDialectName } from '../storage/dialect-name.ts';
import { getOrCreateSetting } from '../storage/settings.repository.ts';
import { vacuumInto } from '../storage/sqlite-backup.ts';
import { randomToken } from './secrets.ts';

interface SystemDeps {
  readonly db: Db;
  readonly database: DatabaseHandle;
  readonly config: AppConfig;
}

/**
 * The secret that signs the CSRF cookie: made on the first start and kept in the database, so
 * every instance sharing it, and every restart, signs alike.
 */
export async function cookieSecret(deps: Pick<SystemDeps, 'db'>): Promise<string> {
  return getOrCreateSetting(deps.db, 'cookie_secret', () => randomToken(32));
}

/** The database this service runs on. */
export function databaseDialect(deps: Pick<SystemDeps, 'database'>): SqlDialectName {
  return deps.database.dialect;
}

/**
 * Whether the database can serve requests (it answers, and an SQLite file can still grow by
 * DATABASE_MIN_FREE_MB), and which database it is.
 */
export async function databaseHealth(
  deps: SystemDeps,
): Promise<DatabaseHealth & { readonly dialect: SqlDialectName }> {
  const health = await checkDatabaseHealth(deps.database, deps.config.database.minFreeBytes);
  return { ...health, dialect: deps.database.dialect };
}

/** A consistent copy of the SQLite database in a new file, taken while the service runs. */
export async function backupDatabase(deps: Pick<SystemDeps, 'db'>, target: string): Promise<void> {
  await vacuumInto(deps.db, target);
}

/**
 * What the start-up log warns of, once, when the service starts: today, letters that cannot be
 * made because the service's contact settings are empty (the home page says the same).
 */
export function startupWarnings(config: Pick<AppConfig, 'service'>): string[] {
  const missing = missingServiceContacts(config.service);
  if (missing.length === 0) {
    return [];
  }
  const settings = missing.map((m) => `${m.variable} (${m.label})`).join(' and ');
  return [
    `Letters cannot be made until ${settings} ${missing.length === 1 ? 'is' : 'are'} set: letters must tell patients and referrers how to reach the service`,
  ];
}
