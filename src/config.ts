import type { ThrottlePolicy } from './domain/sign-in-throttle.ts';
import type { SessionPolicy } from './domain/session-policy.ts';

/**
 * Configuration is read once from the environment into a frozen object; nothing else reads
 * process.env. Every default is documented in README.md ("Configuration") with its source.
 */
export interface AppConfig {
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  /** The address people use to reach the service; used in the first-administrator link. */
  readonly publicUrl: string;
  /** Session and CSRF cookies carry the Secure flag (browsers accept it on http://localhost). */
  readonly cookieSecure: boolean;
  /** Take the client address from X-Forwarded-For (only behind a trusted reverse proxy). */
  readonly trustProxy: boolean;
  readonly timeZone: string;
  readonly session: SessionPolicy;
  readonly accountThrottle: ThrottlePolicy;
  readonly addressThrottle: ThrottlePolicy;
  readonly setupLinkMinutes: number;
  readonly logLevel: string;
  /** A throwaway database with synthetic patients; every page says so. */
  readonly demo: boolean;
}

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  if (raw === 'true' || raw === '1') {
    return true;
  }
  if (raw === 'false' || raw === '0') {
    return false;
  }
  throw new ConfigError(`${name} must be true or false, not "${raw}"`);
}

export function loadConfig(env: Env, overrides: Partial<AppConfig> = {}): AppConfig {
  const port = overrides.port ?? int(env, 'PORT', 3000, 0, 65535);
  const config: AppConfig = {
    databaseUrl: env.DATABASE_URL ?? 'sqlite:./data/itb.sqlite',
    host: env.HOST ?? 'localhost',
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    cookieSecure: bool(env, 'COOKIE_SECURE', true),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    timeZone: env.TZ_SERVICE ?? 'Europe/London',
    session: {
      idleTimeoutSeconds: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60) * 60,
      absoluteTimeoutSeconds: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 7 * 24) * 3600,
      touchIntervalSeconds: 60,
    },
    accountThrottle: {
      freeAttempts: int(env, 'SIGNIN_ACCOUNT_FREE_ATTEMPTS', 5, 1, 100),
      windowSeconds: 15 * 60,
      baseDelaySeconds: 30,
      maxDelaySeconds: 15 * 60,
    },
    addressThrottle: {
      freeAttempts: int(env, 'SIGNIN_ADDRESS_FREE_ATTEMPTS', 20, 1, 1000),
      windowSeconds: 15 * 60,
      baseDelaySeconds: 30,
      maxDelaySeconds: 15 * 60,
    },
    setupLinkMinutes: int(env, 'SETUP_LINK_MINUTES', 60, 5, 7 * 24 * 60),
    logLevel: env.LOG_LEVEL ?? 'info',
    demo: false,
    ...overrides,
  };
  return Object.freeze(config);
}
