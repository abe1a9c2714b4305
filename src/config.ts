import type { ThrottlePolicy } from './domain/sign-in-throttle.ts';
import type { SessionPolicy } from './domain/session-policy.ts';
import { parsePlainDate } from './domain/calendar-date.ts';
import type { PumpRules } from './domain/pump-rules.ts';
import { bool, ConfigError, int, list, type Env } from './config-env.ts';
import { pumpRulesFromEnv } from './pump-rules-config.ts';
import { remindersFromEnv, type RemindersConfig } from './reminders-config.ts';

export { ConfigError } from './config-env.ts';
import { CLOCK_STARTS, type ClockStart, type WaitingRules } from './domain/waiting-target.ts';
import { DEFAULT_ERS_SERVICE_NAME, ERS_SERVICE_NAME_MAX } from './domain/referral.ts';

/**
 * Configuration is read once from the environment into a frozen object; nothing else reads
 * process.env. Every default is documented in README.md ("Configuration") with its source.
 */
export interface AppConfig {
  readonly databaseUrl: string;
  /** Waiting for the database at start-up and on each new connection, and its free space. */
  readonly database: DatabaseSettings;
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
  /** How long a form posted after its session ended is kept for its user to sign in again. */
  readonly keptFormMinutes: number;
  /** How long before the idle time-out a signed-in page offers to stay signed in (at most half
   * the idle time-out, so a short time-out still leaves time to work). */
  readonly sessionWarningMinutes: number;
  readonly accountThrottle: ThrottlePolicy;
  readonly addressThrottle: ThrottlePolicy;
  readonly setupLinkMinutes: number;
  /** How long a new personal API token works, in days. */
  readonly apiTokenLifetimeDays: number;
  readonly logLevel: string;
  /** A throwaway database with synthetic patients; every page says so. */
  readonly demo: boolean;
  /** Who the service is, as its letters say. */
  readonly service: ServiceIdentity;
  /** Whose the pages are, as every page's footer says (© …): the service, not NHS England. */
  readonly serviceCopyright: string;
  /**
   * A folder holding the NHS.UK font files (the Frutiger .woff2/.woff files an NHS organisation
   * is licensed for); served from /assets/fonts/. Null: pages use the design system's fallback
   * font (Arial), as nhsuk-frontend ships no font files and this service fetches nothing from
   * other sites.
   */
  readonly fontsDir: string | null;
  /** The first-appointment target and when a wait counts as due soon. */
  readonly waiting: WaitingRules;
  /** Referrals waiting longer than this many working days for triage are flagged. */
  readonly triageAlertWorkingDays: number;
  /** Extra closed days (YYYY-MM-DD) on top of England's bank holidays, for working-day counts. */
  readonly closedDays: readonly string[];
  /** Local time (HH:MM, service time zone) after which the daily referral check runs. */
  readonly dailyCheckTime: string;
  /** Addresses that receive the daily digest by email (when SMTP is set). */
  readonly digestTo: readonly string[];
  /** Largest attachment or .eml file accepted, in bytes. */
  readonly uploadMaxBytes: number;
  /**
   * Most data rows one caseload spreadsheet may have (CASELOAD_IMPORT_MAX_ROWS, default 20,000:
   * ten times the largest ITB caseload in the UK services we know of, small enough to check and
   * hold in memory at once). The file's size is held to UPLOAD_MAX_MB as every upload is.
   */
  readonly caseloadImportMaxRows: number;
  /**
   * Longest an audit row may wait for its seal (AUDIT_SEAL_DELAY_MS, default 1,000 ms): the
   * sealer runs four times in this time, and `itb audit verify` reports a row older than this
   * with no seal as a fault.
   */
  readonly auditSealDelayMs: number;
  /** The service mailbox for consultant email referrals; null when not configured. */
  readonly imap: ImapConfig | null;
  readonly mailboxPollSeconds: number;
  /** Outgoing email for letters and the digest; null when not configured (letters are kept, not sent). */
  readonly smtp: SmtpConfig | null;
  /** Pump therapy's clinical numbers: refill buffer, stability, discrepancy, titration, reviews. */
  readonly pumpRules: PumpRules;
  /**
   * How long a break-glass grant opens a patient's emergency summary, in hours: a local policy
   * setting, not a clinical number. 12 hours covers one emergency-department or on-call shift,
   * after which the clinician states a reason again (the session's absolute time-out is 12 hours
   * too).
   */
  readonly breakGlassHours: number;
  /** Appointment reminders to patients through GOV.UK Notify (reminders-config.ts). */
  readonly reminders: RemindersConfig;
}

export interface DatabaseSettings {
  /** Tries at start-up before giving up, waiting firstDelayMs, doubling to at most maxDelayMs. */
  readonly connectAttempts: number;
  readonly connectRetryFirstMs: number;
  readonly connectRetryMaxMs: number;
  /** How long opening a PostgreSQL connection may take before the request fails. */
  readonly connectTimeoutMs: number;
  /** Most PostgreSQL connections one instance opens (DATABASE_POOL_SIZE; SQLite has one). */
  readonly poolSize: number;
  /** /health answers 503 when the SQLite database has less room than this to grow. */
  readonly minFreeBytes: number;
}

export interface ServiceIdentity {
  readonly name: string;
  readonly addressLines: readonly string[];
  readonly phone: string;
  readonly email: string;
  /**
   * The patients' advice line, for the information a patient takes home after a refill. Its
   * number defaults to the service's phone; either may be empty (not set), and then the text
   * leaves it out rather than printing an empty number.
   */
  readonly adviceLine: { readonly phone: string; readonly hours: string };
  /**
   * Who answers out of hours (the on-call ITB or neurosurgical doctor, or the hospital
   * switchboard asking for them), for the emergency summary. Either may be empty (not set): the
   * summary then says plainly that no out-of-hours contact is set, never prints a blank. No
   * source gives an out-of-hours arrangement for Leeds (clinical-reference.md 8, GAP), so it is
   * the service's to set.
   */
  readonly outOfHours: { readonly phone: string; readonly text: string };
  /** The service GP practices choose in e-RS, recorded with e-RS referrals [LTH-SEED]. */
  readonly ersServiceName: string;
}

/** The Leeds leaflet's advice line hours [LTH-PIL]; callers leave a message. */
export const DEFAULT_ADVICE_LINE_HOURS = 'Monday to Friday, 8am to 4pm';

/**
 * The mailbox login: a password, or an OAuth2 access token read from a file before each
 * connection (NHSmail allows only OAuth2; a separate process keeps the file's token fresh).
 */
export type MailAuthConfig =
  | { readonly kind: 'password'; readonly password: string }
  | { readonly kind: 'oauth2'; readonly accessTokenFile: string };

export interface ImapConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly auth: MailAuthConfig;
  readonly mailbox: string;
  readonly rejectUnauthorized: boolean;
}

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTls: boolean;
  readonly user: string | null;
  readonly auth: MailAuthConfig | null;
  readonly from: string;
  readonly rejectUnauthorized: boolean;
}

function mailAuth(env: Env, prefix: 'IMAP' | 'SMTP'): MailAuthConfig | null {
  const password = env[`${prefix}_PASSWORD`];
  const tokenFile = env[`${prefix}_ACCESS_TOKEN_FILE`];
  if (password && tokenFile) {
    throw new ConfigError(`Set ${prefix}_PASSWORD or ${prefix}_ACCESS_TOKEN_FILE, not both`);
  }
  if (tokenFile) {
    return { kind: 'oauth2', accessTokenFile: tokenFile };
  }
  return password ? { kind: 'password', password } : null;
}

function imapConfig(env: Env): ImapConfig | null {
  const host = env.IMAP_HOST;
  if (!host) {
    return null;
  }
  const user = env.IMAP_USER;
  const auth = mailAuth(env, 'IMAP');
  if (!user || !auth) {
    throw new ConfigError('IMAP_HOST is set: set IMAP_USER and IMAP_PASSWORD or IMAP_ACCESS_TOKEN_FILE too');
  }
  const secure = bool(env, 'IMAP_SECURE', true);
  return {
    host,
    port: int(env, 'IMAP_PORT', secure ? 993 : 143, 1, 65535),
    secure,
    user,
    auth,
    mailbox: env.IMAP_MAILBOX ?? 'INBOX',
    rejectUnauthorized: bool(env, 'IMAP_TLS_VERIFY', true),
  };
}

function smtpConfig(env: Env): SmtpConfig | null {
  const host = env.SMTP_HOST;
  if (!host) {
    return null;
  }
  const from = env.SMTP_FROM;
  if (!from) {
    throw new ConfigError('SMTP_HOST is set: set SMTP_FROM, the address letters are sent from');
  }
  const auth = mailAuth(env, 'SMTP');
  const user = env.SMTP_USER ?? null;
  if (auth && !user) {
    throw new ConfigError('SMTP_PASSWORD or SMTP_ACCESS_TOKEN_FILE is set: set SMTP_USER too');
  }
  const secure = bool(env, 'SMTP_SECURE', false);
  return {
    host,
    port: int(env, 'SMTP_PORT', secure ? 465 : 587, 1, 65535),
    secure,
    requireTls: bool(env, 'SMTP_REQUIRE_TLS', true),
    user,
    auth,
    from,
    rejectUnauthorized: bool(env, 'SMTP_TLS_VERIFY', true),
  };
}

function clockStart(env: Env): ClockStart {
  const raw = env.WAIT_CLOCK_START ?? 'received';
  if (!(CLOCK_STARTS as readonly string[]).includes(raw)) {
    throw new ConfigError(`WAIT_CLOCK_START must be received or accepted, not "${raw}"`);
  }
  return raw as ClockStart;
}

function closedDays(env: Env): string[] {
  const days = list(env, 'SERVICE_CLOSED_DAYS');
  for (const d of days) {
    if (parsePlainDate(d) === null) {
      throw new ConfigError(`SERVICE_CLOSED_DAYS must list dates as YYYY-MM-DD, not "${d}"`);
    }
  }
  return days;
}

function ersServiceName(env: Env): string {
  const raw = (env.ERS_SERVICE_NAME ?? DEFAULT_ERS_SERVICE_NAME).trim();
  if (raw === '' || raw.length > ERS_SERVICE_NAME_MAX) {
    throw new ConfigError(`ERS_SERVICE_NAME must be 1 to ${String(ERS_SERVICE_NAME_MAX)} characters`);
  }
  return raw;
}

/**
 * The demo's contact details where none are set, so its letters can be made: a Leeds number from
 * the range Ofcom keeps for drama (never a real line) and an address at a domain reserved for
 * examples (RFC 2606). Set ones are kept.
 */
export function withDemoContacts(service: ServiceIdentity): ServiceIdentity {
  const phone = service.phone.trim() === '' ? '0113 496 0000' : service.phone;
  return {
    ...service,
    phone,
    email: service.email.trim() === '' ? 'itb.service@example.org' : service.email,
    adviceLine: {
      ...service.adviceLine,
      phone: service.adviceLine.phone.trim() === '' ? phone : service.adviceLine.phone,
    },
  };
}

/** Longest footer copyright accepted: one line naming the organisation. */
const COPYRIGHT_MAX = 200;

function copyrightHolder(env: Env, serviceName: string): string {
  const raw = (env.SERVICE_COPYRIGHT ?? serviceName).trim();
  if (raw === '' || raw.length > COPYRIGHT_MAX) {
    throw new ConfigError(`SERVICE_COPYRIGHT must be 1 to ${String(COPYRIGHT_MAX)} characters`);
  }
  // The footer adds the © sign; a setting that already starts with it is not doubled.
  return raw.replace(/^©\s*/, '');
}

function timeOfDay(env: Env, name: string, fallback: string): string {
  const raw = env[name] ?? fallback;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(raw)) {
    throw new ConfigError(`${name} must be a 24-hour time like 07:00, not "${raw}"`);
  }
  return raw;
}

export function loadConfig(env: Env, overrides: Partial<AppConfig> = {}): AppConfig {
  const port = overrides.port ?? int(env, 'PORT', 3000, 0, 65535);
  const serviceName = env.SERVICE_NAME ?? 'Complex Neuro Rehabilitation – Intrathecal Baclofen Service';
  const config: AppConfig = {
    databaseUrl: env.DATABASE_URL ?? 'sqlite:./data/itb.sqlite',
    database: {
      connectAttempts: int(env, 'DATABASE_CONNECT_ATTEMPTS', 10, 1, 1000),
      connectRetryFirstMs: int(env, 'DATABASE_CONNECT_RETRY_SECONDS', 1, 1, 60) * 1000,
      connectRetryMaxMs: int(env, 'DATABASE_CONNECT_RETRY_MAX_SECONDS', 30, 1, 600) * 1000,
      connectTimeoutMs: int(env, 'DATABASE_CONNECT_TIMEOUT_SECONDS', 10, 1, 300) * 1000,
      poolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
      minFreeBytes: int(env, 'DATABASE_MIN_FREE_MB', 16, 0, 1_000_000) * 1024 * 1024,
    },
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
    keptFormMinutes: int(env, 'KEPT_FORM_MINUTES', 30, 5, 24 * 60),
    sessionWarningMinutes: int(env, 'SESSION_WARNING_MINUTES', 5, 1, 60),
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
    apiTokenLifetimeDays: int(env, 'API_TOKEN_LIFETIME_DAYS', 90, 1, 366),
    logLevel: env.LOG_LEVEL ?? 'info',
    demo: false,
    service: {
      name: serviceName,
      addressLines: (env.SERVICE_ADDRESS ?? '')
        .split('|')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
      phone: env.SERVICE_PHONE ?? '',
      email: env.SERVICE_EMAIL ?? '',
      adviceLine: {
        phone: (env.SERVICE_ADVICE_LINE_PHONE ?? env.SERVICE_PHONE ?? '').trim(),
        hours: (env.SERVICE_ADVICE_LINE_HOURS ?? DEFAULT_ADVICE_LINE_HOURS).trim(),
      },
      outOfHours: {
        phone: (env.SERVICE_OUT_OF_HOURS_PHONE ?? '').trim(),
        text: (env.SERVICE_OUT_OF_HOURS_TEXT ?? '').trim(),
      },
      ersServiceName: ersServiceName(env),
    },
    serviceCopyright: copyrightHolder(env, serviceName),
    fontsDir: env.NHS_FONTS_DIR?.trim() ? env.NHS_FONTS_DIR.trim() : null,
    waiting: {
      targetDays: int(env, 'WAIT_TARGET_DAYS', 42, 1, 365),
      // No source gives an urgent ITB wait: the service's own setting (waiting-target.ts).
      urgentTargetDays: int(env, 'WAIT_URGENT_TARGET_DAYS', 14, 1, 365),
      dueSoonDays: int(env, 'WAIT_DUE_SOON_DAYS', 7, 0, 365),
      clockStart: clockStart(env),
    },
    triageAlertWorkingDays: int(env, 'TRIAGE_ALERT_WORKING_DAYS', 5, 1, 60),
    closedDays: closedDays(env),
    dailyCheckTime: timeOfDay(env, 'DAILY_CHECK_TIME', '07:00'),
    digestTo: list(env, 'DIGEST_EMAIL_TO'),
    uploadMaxBytes: int(env, 'UPLOAD_MAX_MB', 20, 1, 100) * 1024 * 1024,
    caseloadImportMaxRows: int(env, 'CASELOAD_IMPORT_MAX_ROWS', 20_000, 1, 200_000),
    auditSealDelayMs: int(env, 'AUDIT_SEAL_DELAY_MS', 1000, 100, 60_000),
    imap: imapConfig(env),
    mailboxPollSeconds: int(env, 'MAILBOX_POLL_SECONDS', 300, 30, 86_400),
    smtp: smtpConfig(env),
    pumpRules: pumpRulesFromEnv(env),
    breakGlassHours: int(env, 'BREAK_GLASS_HOURS', 12, 1, 72),
    reminders: remindersFromEnv(
      env,
      (env.SERVICE_ADDRESS ?? '')
        .split('|')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    ),
    ...overrides,
  };
  if (config.waiting.urgentTargetDays > config.waiting.targetDays) {
    throw new ConfigError(
      `WAIT_URGENT_TARGET_DAYS (${String(config.waiting.urgentTargetDays)}) must not be more than WAIT_TARGET_DAYS (${String(config.waiting.targetDays)}): an urgent patient must not wait longer than a routine one`,
    );
  }
  if (config.waiting.dueSoonDays >= config.waiting.targetDays) {
    throw new ConfigError(
      `WAIT_DUE_SOON_DAYS (${String(config.waiting.dueSoonDays)}) must be less than WAIT_TARGET_DAYS (${String(config.waiting.targetDays)})`,
    );
  }
  return Object.freeze(config);
}
