import type { AppConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../storage/create-database.ts';
import type { Db } from '../../storage/database.ts';
import type { Clock } from '../clock.ts';

/**
 * What every service function takes as its first argument, built once from the configuration.
 * Services declare the narrow part they read (`{ db, clock }`, `{ db, clock, timeZone }` …); this
 * one object satisfies them all, so the registry can hand the same context to each.
 */
export interface ServiceContext {
  readonly db: Db;
  /** The handle `db` came from: which database it is and where (health, backup). */
  readonly database: DatabaseHandle;
  readonly clock: Clock;
  readonly config: AppConfig;
  readonly timeZone: AppConfig['timeZone'];
  readonly session: AppConfig['session'];
  readonly accountThrottle: AppConfig['accountThrottle'];
  readonly addressThrottle: AppConfig['addressThrottle'];
  readonly setupLinkMinutes: AppConfig['setupLinkMinutes'];
  readonly tokenLifetimeDays: AppConfig['apiTokenLifetimeDays'];
  readonly service: AppConfig['service'];
  readonly waiting: AppConfig['waiting'];
  readonly smtp: AppConfig['smtp'];
}

export function serviceContext(database: DatabaseHandle, clock: Clock, config: AppConfig): ServiceContext {
  return {
    db: database.db,
    database,
    clock,
    config,
    timeZone: config.timeZone,
    session: config.session,
    accountThrottle: config.accountThrottle,
    addressThrottle: config.addressThrottle,
    setupLinkMinutes: config.setupLinkMinutes,
    tokenLifetimeDays: config.apiTokenLifetimeDays,
    service: config.service,
    waiting: config.waiting,
    smtp: config.smtp,
  };
}

/** A service function with its dependencies already given: `(deps, a, b) => r` becomes `(a, b) => r`. */
export type Bound<F> = F extends (deps: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/**
 * Binds each service function to the context, so callers write
 * `services.refills.record(actor, pumpId, input)` and never build a dependency object.
 */
export function bindTo<C, F extends Record<string, (deps: C, ...args: never[]) => unknown>>(
  ctx: C,
  fns: F,
): { readonly [K in keyof F]: Bound<F[K]> } {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(fns)) {
    bound[name] = (...args: never[]) => fn(ctx, ...args);
  }
  return bound as { readonly [K in keyof F]: Bound<F[K]> };
}
