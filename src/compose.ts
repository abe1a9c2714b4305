import type { AppConfig } from './config.ts';
import { openDatabase, parseDatabaseUrl, type DatabaseHandle } from './storage/create-database.ts';
import type { DatabaseLog } from './storage/database-log.ts';
import { migrateToLatest } from './storage/migrate.ts';
import { waitForDatabase } from './storage/wait-for-database.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { ensureBuiltInProtocols } from './services/protocol-service.ts';
import { refreshPumpSchedules } from './services/pump-schedule-refresh.ts';
import { createServices, type Services } from './services/registry/registry.ts';

/**
 * The composition root shared by the web server, the CLI and the tests: one place that turns
 * configuration into a database handle and the dependencies every service takes.
 */
export interface AppDeps {
  readonly config: AppConfig;
  readonly database: DatabaseHandle;
  readonly clock: Clock;
  /** Every service, bound once to this database, clock and configuration. */
  readonly services: Services;
}

/**
 * What the web routes, CLI commands and jobs see: configuration, the clock and the services,
 * never the database handle (storage is reached only through a service).
 */
export type RouteDeps = Pick<AppDeps, 'config' | 'clock' | 'services'>;

/** Which database the configuration names, without opening it. */
export function databaseDialectOf(config: AppConfig): 'sqlite' | 'postgres' {
  return parseDatabaseUrl(config.databaseUrl).kind;
}

export async function composeApp(
  config: AppConfig,
  options: {
    clock?: Clock;
    database?: DatabaseHandle;
    migrate?: boolean;
    /** Start-up's reports (waiting for the database); standard error unless given. */
    log?: DatabaseLog;
    /** How start-up waits between attempts to reach the database (tests pass their own). */
    sleep?: (ms: number) => Promise<unknown>;
  } = {},
): Promise<AppDeps> {
  const database =
    options.database ??
    openDatabase(parseDatabaseUrl(config.databaseUrl), {
      pgConnectTimeoutMs: config.database.connectTimeoutMs,
      pgPoolSize: config.database.poolSize,
      ...(options.log ? { log: options.log } : {}),
    });
  try {
    await waitForDatabase(
      database,
      {
        attempts: config.database.connectAttempts,
        firstDelayMs: config.database.connectRetryFirstMs,
        maxDelayMs: config.database.connectRetryMaxMs,
      },
      { ...(options.log ? { log: options.log } : {}), ...(options.sleep ? { sleep: options.sleep } : {}) },
    );
  } catch (err) {
    if (!options.database) {
      await database.close();
    }
    throw err;
  }
  if (options.migrate ?? true) {
    await migrateToLatest(database);
  }
  const clock = options.clock ?? systemClock;
  await ensureBuiltInProtocols(database.db, clock);
  await refreshPumpSchedules({ db: database.db, clock, config });
  return { config, database, clock, services: createServices(database, clock, config) };
}
